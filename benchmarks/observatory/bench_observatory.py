"""Observatory publications: report generation and open-data export, on the demo data and on
a synthetic observatory ten times larger.

    python benchmarks/observatory/bench_observatory.py [--home DIR]

``--home`` reuses a data directory that already holds the demo (``gaio demo``); without it the
demo is loaded into a temporary one first (about half a minute). Writes
``benchmarks/results/observatory.json``.

The 10x figures scale the report's inputs (every record and ledger event copied ten times under
new ids) and time the pure part (numbers, findings, HTML, PDF) on them; the database read that
gathers the inputs is timed on the demo and reported per record, since it is one indexed scan
per record kind.
"""

from __future__ import annotations

import argparse
import json
import platform
import shutil
import statistics
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

from gaio.actors import Actor, Role
from gaio.config import Settings
from gaio.observatory import compute
from gaio.observatory.model import Event, InputRecord, Inputs, ObservatoryReport
from gaio.observatory.render import render_html, render_pdf
from gaio.services.context import Gaio
from gaio.services.observatory import opendata, report

ADMIN = Actor(name="bench", role=Role.ADMIN)
PERIOD = (date(2026, 1, 1), date(2026, 12, 31))
OUT = Path(__file__).resolve().parents[1] / "results" / "observatory.json"


def _timed(fn: Any, repeat: int = 3) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def _scaled(inputs: Inputs, factor: int) -> Inputs:
    records: list[InputRecord] = []
    events: list[Event] = []
    for k in range(factor):
        for r in inputs.records:
            rec = dict(r.record)
            for key in ("id", "system", "incident_id"):
                if key in rec and rec[key] is not None:
                    rec[key] = (
                        f"{rec[key]}-{k}" if isinstance(rec[key], str) else rec[key] + k * 10**7
                    )
            records.append(
                InputRecord(kind=r.kind, subject=f"{r.subject}#{k}", seq=r.seq, record=rec)
            )
        events.extend(
            Event(seq=e.seq + k * inputs.size, time=e.time, action=e.action, subject=e.subject)
            for e in inputs.events
        )
    return Inputs(
        size=inputs.size * factor,
        records=records,
        events=events,
        adoptions=inputs.adoptions,
        outcomes=inputs.outcomes * factor,
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--home", type=Path)
    args = parser.parse_args()
    tmp = None
    home = args.home
    if home is None:
        from gaio.services.demo.load import load_demo

        tmp = Path(tempfile.mkdtemp(prefix="gaio-bench-obs-"))
        home = tmp / "home"
        g = Gaio.open(Settings(home=home, database_url=None), create=True)
        load_demo(g)
    else:
        g = Gaio.open(Settings(home=home, database_url=None))
    try:
        work = Path(tempfile.mkdtemp(prefix="gaio-bench-out-"))
        build_s, (doc, data) = _timed(lambda: report.build(g, ADMIN, *PERIOD))
        inputs = Inputs.model_validate_json(data)
        html_s, html = _timed(lambda: render_html(doc))
        pdf_s, pdf = _timed(lambda: render_pdf(html), repeat=1)
        report.write_report(g, ADMIN, *PERIOD, work / "report", pdf=False)
        verify_s, result = _timed(lambda: report.verify(g, ADMIN, work / "report"), repeat=1)
        assert result.match, result.problems
        runs = iter(range(100))
        export_s, summary = _timed(
            lambda: opendata.export(g, ADMIN, work / f"od{next(runs)}"), repeat=1
        )
        big = _scaled(inputs, 10)
        sections_s, sections = _timed(lambda: compute.sections(big, *PERIOD), repeat=1)
        big_doc = ObservatoryReport(**{**doc.model_dump(), "sections": sections})
        big_html_s, big_html = _timed(lambda: render_html(big_doc), repeat=1)
        big_pdf_s, _ = _timed(lambda: render_pdf(big_html), repeat=1)
        figures = {
            "machine": f"{platform.machine()}, Python {platform.python_version()}",
            "demo": {
                "ledger_size": doc.checkpoint.size,
                "input_records": len(inputs.records),
                "build_s (gather + numbers)": round(build_s, 3),
                "html_s": round(html_s, 3),
                "pdf_s": round(pdf_s, 3),
                "pdf_bytes": len(pdf),
                "inputs_gz_bytes": (work / "report" / report.INPUTS_FILE).stat().st_size,
                "verify_s": round(verify_s, 3),
                "opendata_export_s": round(export_s, 3),
                "opendata_bytes": summary.bytes,
                "opendata_rows": sum(summary.rows.values()),
            },
            "x10_synthetic": {
                "input_records": len(big.records),
                "numbers_s": round(sections_s, 3),
                "html_s": round(big_html_s, 3),
                "pdf_s": round(big_pdf_s, 3),
            },
        }
        OUT.parent.mkdir(exist_ok=True)
        OUT.write_text(json.dumps(figures, indent=2) + "\n")
        print(json.dumps(figures, indent=2))
        shutil.rmtree(work, ignore_errors=True)
    finally:
        g.close()
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
