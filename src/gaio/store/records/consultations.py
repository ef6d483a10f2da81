"""Record kinds of consultations: ``consultation:ID`` and ``consultation:ID@comment:N``.

A comment's text and its submitter are confidential in the ledger (a rejected comment must not
be published by its hash either); a published comment's text is shown by the service."""

from __future__ import annotations

from gaio.store.records import RecordKind
from gaio.store.tables.consultations import CommentRow, ConsultationRow

KINDS: tuple[RecordKind, ...] = (
    RecordKind(ConsultationRow, "consultation:", lambda r: f"consultation:{r.id}", "consultation"),
    RecordKind(
        CommentRow,
        "consultation:",
        lambda r: f"consultation:{r.consultation_id}@comment:{r.number}",
        "consultation_comment",
        private=frozenset({"body", "submitted_by"}),
    ),
)
