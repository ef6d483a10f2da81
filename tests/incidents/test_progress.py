"""Import and export report monotonic progress that ends at its total (for the CLI's bars)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from gaio.actors import PUBLIC
from gaio.services.context import Gaio
from gaio.services.incidents import aiid as incident_aiid
from gaio.services.incidents import export as incident_export
from tests.conftest import ADMIN


def recorder() -> tuple[list[tuple[int, int | None]], Any]:
    calls: list[tuple[int, int | None]] = []
    return calls, lambda done, total: calls.append((done, total))


def check(calls: list[tuple[int, int | None]]) -> None:
    assert calls, "no progress reported"
    done = [d for d, _ in calls]
    assert done == sorted(done) and done[0] == 0
    assert calls[-1][0] == calls[-1][1]


def test_import_and_export_report_progress(g: Gaio, small_aiid: Path, tmp_path: Path) -> None:
    calls, update = recorder()
    incident_aiid.import_aiid(g, ADMIN, small_aiid, progress=update)
    check(calls)
    assert calls[-1] == (incident_aiid.IMPORT_STEPS, incident_aiid.IMPORT_STEPS)
    calls, update = recorder()
    counts = incident_export.export(g, PUBLIC, tmp_path, "csv", progress=update)
    check(calls)
    assert calls[-1][1] == len(counts)
