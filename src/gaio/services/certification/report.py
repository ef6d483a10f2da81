"""The report of an assessment: HTML, PDF and OSCAL assessment results, written to a directory."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from gaio.actors import Actor
from gaio.certification.oscal import assessment_results
from gaio.certification.report import pdf_available, render_html, render_pdf
from gaio.errors import GaioError, IntegrityError, MissingExtra
from gaio.services.certification.assessments import get_assessment
from gaio.services.certification.certificates import list_certificates
from gaio.services.context import Gaio
from gaio.store.blobs import EvidenceStore


def _write(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(prefix=".gaio-report-", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_report(
    g: Gaio, actor: Actor, assessment_id: int, out: Path, *, pdf: bool | None = None
) -> list[Path]:
    """Write ``assessment-ID.html``, ``.pdf`` and ``-oscal.json``.

    ``pdf``: True requires the 'pdf' extra (refused before anything is written when it is
    missing), False skips the PDF, None writes it when the extra is installed."""
    if pdf is None:
        pdf = pdf_available()
    elif pdf and not pdf_available():
        raise MissingExtra("pdf", "a PDF report")
    a = get_assessment(g, actor, assessment_id)
    files = EvidenceStore(g.settings.home)
    for item in a.evidence:
        try:
            files.check(item.sha256)
        except GaioError as exc:
            raise IntegrityError(
                f"assessment {a.id}: evidence {item.slot} revision {item.revision} does not "
                f"match its record ({exc.message}); no report is written from it"
            ) from None
    certs = [c for c in list_certificates(g, actor, system=a.system) if c.assessment == a.id]
    out.mkdir(parents=True, exist_ok=True)
    html = render_html(a, certs, g.clock.now())
    written = [out / f"assessment-{a.id}.html"]
    _write(written[0], html.encode("utf-8"))
    if pdf:
        written.append(out / f"assessment-{a.id}.pdf")
        _write(written[-1], render_pdf(html))
    oscal = json.dumps(assessment_results(a), indent=2, ensure_ascii=False) + "\n"
    written.append(out / f"assessment-{a.id}-oscal.json")
    _write(written[-1], oscal.encode("utf-8"))
    return written
