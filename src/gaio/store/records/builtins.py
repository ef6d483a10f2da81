"""Every built-in record kind, registered in export order (parents before the rows that refer
to them), and the derived-state rebuilders. Imported once by
:func:`gaio.store.records.load_builtins`."""

from gaio.store import counters
from gaio.store.records import (
    accounts,
    certification,
    classifications,
    consultations,
    evidence,
    incidents,
    keys,
    register,
    register_rebuilder,
    registry,
)
from gaio.store.search import incidents as _incident_search  # noqa: F401  (registers a rebuilder)
from gaio.store.search import systems as _system_search  # noqa: F401  (registers a rebuilder)

EXPORT_ORDER = (
    registry,
    keys,
    accounts,
    evidence,
    classifications,
    incidents,
    certification,
    consultations,
)

for _module in EXPORT_ORDER:
    for _kind in _module.KINDS:
        register(_kind)

register_rebuilder(counters.forget_all)
