"""Bulk work either finishes or resumes (issue 14, item 5): ``gaio demo`` killed at many points
and run again ends in the same observatory as a run that was never interrupted.

The kill points are ledger appends spread over the demo's phases (registry, incidents, the
AIID import's single bulk transaction, assessments and certificates, accounts).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from gaio.config import Settings
from gaio.services.certification import assessments
from gaio.services.certification import certificates as certification
from gaio.services.context import Gaio
from gaio.services.ledger import audit as ledger
from gaio.services.registry import licences, listing, organisations
from tests.conftest import ADMIN
from tests.faults import kill_when_paused, start_paused

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        bool(os.environ.get("GAIO_TEST_DATABASE_URL")),
        reason="runs the CLI on a SQLite home of its own; the PostgreSQL pass covers the same "
        "services (tests/services/test_races.py)",
    ),
]


def _env(home: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["GAIO_HOME"] = str(home)
    env["GAIO_EMBEDDER"] = "hashing"
    env.pop("GAIO_DATABASE_URL", None)
    return env


def _demo(home: Path) -> None:
    run = subprocess.run(
        [sys.executable, "-m", "gaio", "demo", "--no-serve", "--json"],
        env=_env(home),
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert run.returncode == 0, run.stderr[-2000:]


def _state(home: Path) -> dict[str, Any]:
    """The observatory, without the times and ids that differ between runs."""
    g = Gaio.open(Settings(home=home, database_url=None))
    try:
        report = ledger.verify(g)
        assert report.ok, report.problems[:3]
        systems = listing.search_systems(g, ADMIN, listing.SystemQuery(limit=200)).items
        found = assessments.list_assessments(g, ADMIN)
        return {
            "orgs": sorted(o.id for o in organisations.list_organisations(g, ADMIN)),
            "licences": sorted(
                (lic.holder, lic.scope.value, lic.status.value)
                for lic in licences.list_licences(g, ADMIN)
            ),
            "systems": sorted((s.id, s.version, s.stage.value, tuple(s.tiers)) for s in systems),
            "assessments": sorted(
                (
                    a.system,
                    a.state.value,
                    len(a.answers),
                    len(a.justifications),
                    len({e.slot for e in a.evidence}),
                    tuple(sorted((f.requirement, f.state) for f in a.findings)),
                )
                for a in found
            ),
            "certificates": sorted(
                (c.system, c.state, bool(certification.export_certificate(g, ADMIN, c.id)))
                for c in certification.list_certificates(g, ADMIN)
            ),
            "records": report.records,
        }
    finally:
        g.close()


@pytest.fixture(scope="module")
def baseline(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    home = tmp_path_factory.mktemp("uninterrupted")
    _demo(home)
    return _state(home)


@pytest.mark.parametrize(
    ("point", "nth"),
    [
        ("after-ledger-append", 40),  # granting licences
        ("after-ledger-append", 130),  # registering systems and moving their stages
        ("after-bulk-append", 1),  # inside the AIID import's one transaction
        ("after-ledger-append", 362),  # a certificate issued, not yet sealed
        ("after-ledger-append", 400),  # in the middle of an assessment's checklist
        ("after-ledger-append", 490),  # creating the demo accounts
    ],
)
def test_a_demo_killed_and_run_again_is_the_same_observatory(
    tmp_path: Path, baseline: dict[str, Any], point: str, nth: int
) -> None:
    home = tmp_path / "home"
    marker = tmp_path / "paused"
    proc = start_paused(point, ["demo", "--no-serve"], _env(home), marker, nth=nth)
    kill_when_paused(proc, marker, timeout=600)
    _demo(home)
    assert _state(home) == baseline
