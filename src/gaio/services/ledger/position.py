"""Where the ledger stands: the version stamp of everything public.

Every state change appends to the ledger in the transaction that makes it, so the pair (log
size, last leaf hash) changes exactly when a committed change could have changed a public
record. Caches (the HTTP layer's public cache and its ETags) key on it; because it is read from
the database, every worker process agrees on it without talking to the others.
"""

from __future__ import annotations

import weakref

from sqlalchemy import Engine

from gaio.services.context import Gaio
from gaio.store import ledger as ledger_repo

_READERS: weakref.WeakKeyDictionary[Engine, ledger_repo.PositionReader] = (
    weakref.WeakKeyDictionary()
)


def position(g: Gaio) -> str:
    """``"<size>-<last leaf hash, hex>"``: a short, opaque stamp of the ledger's head.

    Reads through one connection per engine kept for this purpose; call it from one thread
    (the HTTP server's event loop)."""
    reader = _READERS.get(g.engine)
    if reader is None:
        reader = _READERS[g.engine] = ledger_repo.PositionReader(g.engine)
    size, leaf = reader.read()
    return f"{size}-{leaf.hex()[:32]}"
