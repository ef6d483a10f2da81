"""The documents of the observatory report: its inputs, its tables and the report itself.

The report is a pure function of :class:`Inputs` (public records as the ledger committed to
them at one tree size, the ledger events of that prefix, the catalog's adoption records and
aggregated evaluation outcomes) and the period, so anyone holding the inputs file recomputes
every number, and anyone holding the ledger checks the inputs against it.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

REPORT_VERSION = 1
INPUTS_VERSION = 1

Cell = str | int | float | None


class InputRecord(BaseModel):
    """One record's public fields, exactly as the ledger's ``public_hash`` commits to them."""

    model_config = ConfigDict(frozen=True)

    kind: str = Field(description="record kind (system, system_version, incident, …)")
    subject: str = Field(description="ledger subject, e.g. system:acme-cv-ranker@2.3.0")
    seq: int = Field(description="the latest ledger entry for the subject within the size")
    record: dict[str, Any] = Field(description="the record's public fields")


class Event(BaseModel):
    """A ledger entry the report counts (licence decisions, certificates, assessments)."""

    model_config = ConfigDict(frozen=True)

    seq: int
    time: datetime
    action: str
    subject: str


class Outcome(BaseModel):
    """One technical test outcome, aggregated across systems (no system is named)."""

    model_config = ConfigDict(frozen=True)

    metric: str
    verdict: str
    value: float | None = None


class Inputs(BaseModel):
    """Everything a report is computed from; written beside the report as its inputs file."""

    version: int = INPUTS_VERSION
    size: int = Field(ge=0, description="ledger tree size the records and events are taken at")
    records: list[InputRecord] = Field(default_factory=list)
    events: list[Event] = Field(default_factory=list)
    adoptions: list[dict[str, str]] = Field(
        default_factory=list, description="catalog adoption records: framework, jurisdiction, date"
    )
    outcomes: list[Outcome] = Field(
        default_factory=list,
        description="technical test outcomes from test-result evidence (aggregated; the evidence "
        "is confidential, so this part is not checked against the public ledger)",
    )


class Table(BaseModel):
    """One section: a table, the chart drawn from it, and a sentence generated from it."""

    id: str
    title: str
    columns: list[str]
    rows: list[list[Cell]]
    finding: str = Field(description="one sentence generated from the rows, never free text")
    chart: Literal["bar", "line", "none"] = "bar"


class Checkpoint(BaseModel):
    """The ledger state the report was computed at."""

    size: int = Field(ge=0, description="tree size")
    root: str = Field(description="RFC 9162 root hash at that size, base64")
    note: str | None = Field(None, description="the signed C2SP checkpoint of that size, if any")


class ObservatoryReport(BaseModel):
    """The observatory's report for a period: versioned, reproducible from its inputs."""

    version: int = REPORT_VERSION
    title: str = "Global AI Observatory report"
    period_from: date
    period_to: date
    previous_from: date
    previous_to: date
    generated_at: datetime
    checkpoint: Checkpoint
    inputs_sha256: str = Field(description="sha256 of the inputs file the numbers come from")
    sections: list[Table]
