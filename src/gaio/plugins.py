"""Built-in capabilities, loaded like plugins would be.

Importing a capability registers what it brings: its record kinds (so the ledger verifier and
export/import cover them), its tables (so migrations see them) and its derived-state
rebuilders. :func:`load_builtins` is called whenever gaio opens a database, so the registries
are complete no matter which face or service was imported first.
"""

from __future__ import annotations

import importlib

BUILTINS = (
    "gaio.services.accounts.users",
    "gaio.services.evaluation.evidence",
    "gaio.services.registry.classifications",
    "gaio.services.incidents.intake",
    "gaio.store.records.certification",
)

_loaded = False


def load_builtins() -> None:
    global _loaded
    if _loaded:
        return
    for name in BUILTINS:
        try:
            importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
    _loaded = True
