"""The relational schema, one module per domain. Alembic migrations create exactly this.

Importing the package imports every table module, so ``Base.metadata`` is complete whichever
module a caller needed first.
"""

from gaio.store.tables import (
    accounts,
    certification,
    classifications,
    consultations,
    counters,
    evidence,
    incidents,
    keys,
    ledger,
    registry,
)
from gaio.store.tables.base import Base

__all__ = [
    "Base",
    "accounts",
    "certification",
    "classifications",
    "consultations",
    "counters",
    "evidence",
    "incidents",
    "keys",
    "ledger",
    "registry",
]
