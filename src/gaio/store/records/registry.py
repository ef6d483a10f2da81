"""Record kinds of the registry: ``org:ID``, ``licence:ID``, ``system:ID`` and
``system:ID@VERSION``."""

from __future__ import annotations

from gaio.store.records import RecordKind
from gaio.store.tables.registry import LicenceRow, OrganisationRow, SystemRow, SystemVersionRow

KINDS: tuple[RecordKind, ...] = (
    RecordKind(OrganisationRow, "org:", lambda r: f"org:{r.id}", "organisation"),
    RecordKind(LicenceRow, "licence:", lambda r: f"licence:{r.id}", "licence"),
    RecordKind(SystemRow, "system:", lambda r: f"system:{r.id}", "system"),
    RecordKind(
        SystemVersionRow,
        "system:",
        lambda r: f"system:{r.system_id}@{r.version}",
        "system_version",
        rename={"system_id": "system"},
    ),
)
