"""Record kind of a stored classification: ``classification:SYSTEM@VERSION``."""

from __future__ import annotations

from gaio.store.records import RecordKind
from gaio.store.tables.classifications import ClassificationRow

KINDS: tuple[RecordKind, ...] = (
    RecordKind(
        ClassificationRow,
        "classification:",
        lambda r: f"classification:{r.system_id}@{r.version}",
        "classification",
        rename={"system_id": "system"},
    ),
)
