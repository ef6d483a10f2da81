"""Evaluation reports (HTML, PDF) from a result file, or from stored evidence on the web.

The HTML comes from :func:`gaio.evaluation.document.render_report`; charts and the PDF go
through the same renderers as the conformity assessment report (vl-convert, WeasyPrint),
optional extras with a clear message when missing.
"""

from __future__ import annotations

import json
import os
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from gaio.actors import Actor
from gaio.certification.report import pdf_available, render_pdf, svg_data_uri
from gaio.errors import InvalidInput, MissingExtra, NotFound, invalid_input_from
from gaio.evaluation.document import Result, render_report
from gaio.evaluation.result import parse_result
from gaio.inputs import load_json, read_text
from gaio.services.context import Gaio
from gaio.services.evaluation.evidence import read_evidence


def parse_document(data: Any, source: str) -> Result:
    """A result document (already parsed JSON) validated, or one line saying what is wrong."""
    if not isinstance(data, dict) or "kind" not in data:
        raise InvalidInput(
            f"{source} is not an evaluation result: expected the JSON that "
            "'gaio evaluate fairness … --json' (or -o FILE) writes."
        )
    try:
        return parse_result(data)
    except ValidationError as exc:
        raise invalid_input_from(source, exc) from None


def load_result(path: Path) -> Result:
    text = read_text(path, "result")
    return parse_document(load_json(text, f"result {path}"), f"result {str(path)!r}")


def _write(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(prefix=".gaio-report-", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def html_report(result: Result, now: datetime | None = None) -> str:
    return render_report(result, now or datetime.now(UTC), svg_data_uri)


def write_report(result_file: Path, out: Path, *, pdf: bool | None = None) -> list[Path]:
    """Write ``<stem>.html`` (and ``<stem>.pdf``) for a result file into ``out``.

    ``pdf``: True requires the 'pdf' extra (refused before anything is written), False skips
    it, None writes it when the extra is installed. The result is validated first: a file
    that is not a result document writes nothing."""
    if pdf is None:
        pdf = pdf_available()
    elif pdf and not pdf_available():
        raise MissingExtra("pdf", "a PDF report")
    result = load_result(result_file)
    html = html_report(result)
    document = render_pdf(html) if pdf else None
    out.mkdir(parents=True, exist_ok=True)
    stem = result_file.stem if result_file.suffix == ".json" else result_file.name
    written = [out / f"{stem}.html"]
    _write(written[0], html.encode("utf-8"))
    if document is not None:
        written.append(out / f"{stem}.pdf")
        _write(written[-1], document)
    return written


def evidence_report(g: Gaio, actor: Actor, evidence_id: str, *, pdf: bool = False) -> bytes:
    """The report of a stored evaluation result, for an actor entitled to see that evidence
    (anyone else gets the same NotFound as for an id that does not exist)."""
    item, data = read_evidence(g, actor, evidence_id)
    if not item.kind.startswith("evaluation-"):
        raise NotFound(f"evidence {evidence_id!r} is not an evaluation result")
    try:
        raw = json.loads(data)
    except ValueError:
        raise InvalidInput(f"evidence {evidence_id!r} is not valid JSON") from None
    html = html_report(parse_document(raw, f"evidence {evidence_id!r}"), g.clock.now())
    if pdf:
        if not pdf_available():
            raise MissingExtra("pdf", "a PDF report")
        return render_pdf(html)
    return html.encode("utf-8")
