"""Ids of the incident database's rows, issued from locked counters (never ``max + 1``).

Imported rows keep their source's ids (AIID incidents and reports); rows made in gaio start at
:data:`NATIVE_ID_START` / :data:`REPORT_NATIVE_ID_START` so the two never collide.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from gaio.incidents.model import NATIVE_ID_START
from gaio.store import counters
from gaio.store.tables.incidents import IncidentRow, LabelRow, MergeRow, ReportRow

REPORT_NATIVE_ID_START = 1_000_001


def incident_id(session: Session) -> int:
    """A new id for an incident reported in gaio."""
    return counters.reserve(
        session,
        "incident",
        floor=NATIVE_ID_START,
        seed=lambda: session.scalar(
            select(func.max(IncidentRow.id)).where(IncidentRow.source != "aiid")
        ),
    )


def report_id(session: Session) -> int:
    """A new id for a report submitted in gaio."""
    return counters.reserve(
        session,
        "incident-report",
        floor=REPORT_NATIVE_ID_START,
        seed=lambda: session.scalar(
            select(func.max(ReportRow.id)).where(ReportRow.source != "aiid")
        ),
    )


def label_ids(session: Session, count: int = 1) -> int:
    """The first of ``count`` new label ids."""
    return counters.reserve(
        session,
        "incident-label",
        count=count,
        seed=lambda: session.scalar(select(func.max(LabelRow.id))),
    )


def merge_ids(session: Session, count: int = 1) -> int:
    """The first of ``count`` new merge ids."""
    return counters.reserve(
        session,
        "incident-merge",
        count=count,
        seed=lambda: session.scalar(select(func.max(MergeRow.id))),
    )
