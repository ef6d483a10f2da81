"""The observatory report for a period: computed at one ledger size, written as JSON, HTML, PDF
and its inputs file, and verified against the ledger (``gaio report verify``).

The numbers come only from public record fields, ledger events, the catalog's adoption records
and aggregated test outcomes; :mod:`gaio.observatory.compute` turns those inputs into the
report, so recomputing is running the same pure function on the inputs file, and checking the
inputs is comparing each record's hash with the ``public_hash`` of its subject's latest entry
within the cited tree size, and the set of subjects with the log's.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
from datetime import date
from pathlib import Path

from pydantic import BaseModel, Field, ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from gaio.actors import Actor
from gaio.canonical import content_hash
from gaio.catalog import load_catalog
from gaio.errors import InvalidInput, NotFound
from gaio.inputs import read_text
from gaio.observatory import compute
from gaio.observatory.model import (
    Checkpoint,
    Event,
    InputRecord,
    Inputs,
    ObservatoryReport,
    Outcome,
)
from gaio.observatory.render import render_html, render_pdf
from gaio.services import permissions
from gaio.services.context import Gaio
from gaio.store import ledger as ledger_repo
from gaio.store import records
from gaio.store.queries import observatory as q
from gaio.store.tables.certification import AssessmentEvidenceRow

REPORT_FILE = "observatory-report.json"
INPUTS_FILE = "observatory-inputs.json.gz"
EVENT_PREFIXES = ("licence:", "certificate:", "assessment:")
MAX_PERIOD_DAYS = 366 * 50


def check_period(start: date, end: date) -> None:
    if end < start:
        raise InvalidInput(f"--to {end} is before --from {start}; expected a period FROM ≤ TO")
    if (end - start).days > MAX_PERIOD_DAYS:
        raise InvalidInput(f"period {start} to {end} is longer than 50 years")


def _kinds() -> dict[str, records.RecordKind]:
    records.load_builtins()
    return {k.name: k for k in records.kinds() if k.name in compute.RECORD_KINDS}


def _gather(session: Session, size: int) -> Inputs:
    latest = q.latest_seqs(session, size)
    found: list[InputRecord] = []
    for name, kind in _kinds().items():
        for row in session.scalars(select(kind.table)).yield_per(2000):
            subject = kind.subject(row)
            public, _ = kind.split(kind.record(row))
            found.append(
                InputRecord(kind=name, subject=subject, seq=latest[subject], record=public)
            )
    events = [
        Event(seq=seq, time=e["time"], action=e["action"], subject=e["subject"])
        for seq, e in q.entries_under(session, size, EVENT_PREFIXES)
        if e["action"] in compute.COUNTED_ACTIONS
    ]
    outcomes = []
    for ev in session.scalars(
        select(AssessmentEvidenceRow).where(AssessmentEvidenceRow.kind == "test-result")
    ):
        for o in (ev.summary or {}).get("outcomes", []):
            value = o.get("value")
            outcomes.append(
                Outcome(
                    metric=str(o.get("metric") or o.get("test")),
                    verdict=str(o.get("verdict")),
                    value=float(value) if isinstance(value, int | float) else None,
                )
            )
    adoptions = [
        {
            "framework": a.framework,
            "jurisdiction": a.jurisdiction,
            "status": str(a.status),
            "date": a.date.isoformat(),
        }
        for a in load_catalog().adoption.adoptions
    ]
    found.sort(key=lambda r: (r.kind, r.subject))
    outcomes.sort(key=lambda o: (o.metric, o.verdict, o.value or 0.0))
    return Inputs(size=size, records=found, events=events, adoptions=adoptions, outcomes=outcomes)


def _inputs_bytes(inputs: Inputs) -> bytes:
    return inputs.model_dump_json().encode("utf-8")


def _sha(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


def build(
    g: Gaio, actor: Actor, start: date, end: date, *, sign: bool = False
) -> tuple[ObservatoryReport, bytes]:
    """The report for ``start``..``end`` and its inputs (JSON bytes), at the ledger's current
    size. ``sign``: first sign a checkpoint (administrators and regulators), so the report
    can quote a signed note of exactly its size."""
    permissions.check(actor, "observatory.report")
    check_period(start, end)
    if sign and permissions.allows(actor, "ledger.checkpoint"):
        from gaio.services.ledger.audit import checkpoint

        checkpoint(g)
    with g.snapshot() as session:
        size = ledger_repo.size(session)
        note = None
        latest = ledger_repo.latest_checkpoint(session)
        if latest is not None and size == latest.size + 1:
            last = ledger_repo.entry(session, size - 1)
            if last is not None and last.action == "ledger.checkpoint":
                size = latest.size  # only the checkpoint's own entry came after it
        if latest is not None and latest.size == size:
            note = latest.note
        root = base64.b64encode(q.root_at(session, size)).decode() if size else ""
        inputs = _gather(session, size)
    data = _inputs_bytes(inputs)
    before, after = compute.previous_period(start, end)
    report = ObservatoryReport(
        period_from=start,
        period_to=end,
        previous_from=before,
        previous_to=after,
        generated_at=g.clock.now(),
        checkpoint=Checkpoint(size=size, root=root, note=note),
        inputs_sha256=_sha(data),
        sections=compute.sections(inputs, start, end),
    )
    return report, data


def write_report(
    g: Gaio, actor: Actor, start: date, end: date, out: Path, *, pdf: bool | None = None
) -> list[Path]:
    """Write the report's JSON, HTML (and PDF) and its inputs file into ``out``."""
    from gaio.certification.report import pdf_available
    from gaio.errors import MissingExtra
    from gaio.services.certification.report import _write

    if pdf is None:
        pdf = pdf_available()
    elif pdf and not pdf_available():
        raise MissingExtra("pdf", "a PDF report")
    report, data = build(g, actor, start, end, sign=True)
    html = render_html(report)
    pdf_bytes = render_pdf(html) if pdf else None
    out.mkdir(parents=True, exist_ok=True)
    written = [out / REPORT_FILE, out / "observatory-report.html", out / INPUTS_FILE]
    _write(written[0], (report.model_dump_json(indent=2) + "\n").encode("utf-8"))
    _write(written[1], html.encode("utf-8"))
    _write(written[2], gzip.compress(data, mtime=0))
    if pdf_bytes is not None:
        written.append(out / "observatory-report.pdf")
        _write(written[-1], pdf_bytes)
    return written


def web_report(g: Gaio, actor: Actor, start: date, end: date) -> str:
    """The report as one HTML page (the web face), computed on request."""
    report, _ = build(g, actor, start, end)
    return render_html(report)


class VerifyResult(BaseModel):
    """``gaio report verify``: whether the report's numbers are what its inputs give, and
    whether its inputs are the ledger's state at the cited size."""

    version: int = 1
    match: bool
    size: int
    root: str
    records_checked: int = 0
    events_checked: int = 0
    problems: list[str] = Field(default_factory=list)
    not_checked: list[str] = Field(default_factory=list)


INPUTS_LIMIT = 1024 * 1024 * 1024
"""The largest inputs file ``verify`` inflates (a gzip bomb stops here)."""


def _inflate(path: Path) -> bytes:
    try:
        with gzip.open(path, "rb") as fh:
            data = fh.read(INPUTS_LIMIT + 1)
    except FileNotFoundError:
        raise NotFound(f"{path}: the report's inputs file is missing beside it") from None
    except (OSError, EOFError) as exc:
        raise InvalidInput(f"{path}: not a gzip inputs file ({exc.__class__.__name__})") from None
    if len(data) > INPUTS_LIMIT:
        raise InvalidInput(f"{path}: the inputs are larger than {INPUTS_LIMIT:,} bytes")
    return data


def _load(path: Path) -> tuple[ObservatoryReport, Inputs, bytes]:
    report_path = path / REPORT_FILE if path.is_dir() else path
    inputs_path = report_path.parent / INPUTS_FILE
    text = read_text(report_path, "observatory report", limit=16 * 1024 * 1024)
    try:
        report = ObservatoryReport.model_validate_json(text)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "document"
        raise InvalidInput(
            f"{report_path}: not an observatory report ({where}: {first['msg']})"
        ) from None
    data = _inflate(inputs_path)
    try:
        inputs = Inputs.model_validate_json(data)
    except ValidationError:
        raise InvalidInput(f"{inputs_path}: not an observatory inputs file") from None
    return report, inputs, data


def _record_kind_of(subject: str, kinds: dict[str, records.RecordKind]) -> str | None:
    """Which of the report's kinds a subject names (``system:X`` vs ``system:X@V`` …)."""
    head, _, tail = subject.partition("@")
    prefix = head.split(":", 1)[0] + ":"
    if prefix == "system:":
        return "system_version" if tail else "system"
    if prefix == "incident:":
        if not tail:
            return "incident"
        return "incident_label" if tail.startswith("label:") else None
    if prefix == "classification:":
        return "classification"
    if prefix == "assessment:":
        return None if tail else "assessment"
    if prefix == "consultation:":
        return "consultation_comment" if tail.startswith("comment:") else None
    return None


def verify(g: Gaio, actor: Actor, path: Path) -> VerifyResult:
    """Recompute the report from its inputs and check the inputs against this ledger."""
    permissions.check(actor, "ledger.read")
    report, inputs, data = _load(path)
    problems: list[str] = []
    if _sha(data) != report.inputs_sha256:
        problems.append("the inputs file is not the one the report names (sha256 differs)")
    if inputs.size != report.checkpoint.size:
        problems.append(f"inputs at size {inputs.size}, report at {report.checkpoint.size}")
    recomputed = compute.sections(inputs, report.period_from, report.period_to)
    for mine, theirs in zip(recomputed, report.sections, strict=False):
        if mine != theirs:
            problems.append(f"section {theirs.id}: the numbers differ from what the inputs give")
    if len(recomputed) != len(report.sections):
        problems.append(f"{len(report.sections)} sections, the inputs give {len(recomputed)}")
    size = report.checkpoint.size
    kinds = _kinds()
    with g.snapshot() as session:
        log_size = ledger_repo.size(session)
        if size > log_size:
            problems.append(f"the report cites size {size}; this ledger has only {log_size}")
            return VerifyResult(
                match=False, size=size, root=report.checkpoint.root, problems=problems
            )
        root = base64.b64encode(q.root_at(session, size)).decode() if size else ""
        if root != report.checkpoint.root:
            problems.append(
                f"root at size {size} is {root}, the report cites {report.checkpoint.root}"
            )
        latest = q.latest_seqs(session, size)
        expected = {s: seq for s, seq in latest.items() if _record_kind_of(s, kinds)}
        entries = q.entries_at(session, [r.seq for r in inputs.records])
        events = [
            (seq, e["action"], e["subject"])
            for seq, e in q.entries_under(session, size, EVENT_PREFIXES)
            if e["action"] in compute.COUNTED_ACTIONS
        ]
    given = {r.subject: r for r in inputs.records}
    missing = sorted(set(expected) - set(given))
    extra = sorted(set(given) - set(expected))
    if missing:
        problems.append(
            f"{len(missing)} records of the log are missing from the inputs, e.g. {missing[0]}"
        )
    if extra:
        problems.append(f"{len(extra)} inputs have no entry within size {size}, e.g. {extra[0]}")
    bad = 0
    for r in inputs.records:
        entry = entries.get(r.seq)
        if entry is None or entry["subject"] != r.subject or expected.get(r.subject) != r.seq:
            bad += 1
            continue
        committed = entry.get("public_hash") or entry.get("record_hash")
        if committed != content_hash(r.record):
            bad += 1
    if bad:
        problems.append(f"{bad} input records do not match what the ledger committed to")
    if [(e.seq, e.action, e.subject) for e in inputs.events] != events:
        problems.append("the inputs' ledger events differ from the log's")
    return VerifyResult(
        match=not problems,
        size=size,
        root=report.checkpoint.root,
        records_checked=len(inputs.records),
        events_checked=len(events),
        problems=problems,
        not_checked=[
            "test outcomes come from confidential evidence and are not in the public ledger",
            "adoption records come from the catalog shipped with gaio, not from the ledger",
        ],
    )
