"""Incident fixtures: the lexical embedder (fast, deterministic), a small AIID snapshot cut
from the real one (with the recorded duplicates inside it), and a ledger check."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

import pytest

from gaio.incidents import aiid
from gaio.services.context import Gaio
from gaio.services.ledger import audit as ledger

AIID_IDS = {1, 2, 3, 52, 77, 88, 95, 105, 107, 112, 120, 123, 218, 230, 246, 268, 321, 337}
AIID_IDS |= {353, 434, 506, 615, 623, 637, 709, 1057, 54, 433}


@pytest.fixture(autouse=True)
def _hashing_embedder(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("GAIO_EMBEDDER", "hashing")
    yield


def aiid_dir() -> Path:
    """The AIID snapshot gaio ships (the same files the demo imports)."""
    return aiid.PACKAGED


def _cut(source: Path, target: Path, column: str, keep: set[int]) -> None:
    with source.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        rows = [r for r in reader if int(r[column]) in keep]
        names = list(reader.fieldnames or [])
    with target.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, names)
        writer.writeheader()
        writer.writerows(rows)


@pytest.fixture
def small_aiid(tmp_path: Path) -> Path:
    """A snapshot of ~30 real incidents, their classifications and all 13 duplicates."""
    out = tmp_path / "aiid"
    out.mkdir()
    src = aiid_dir()
    _cut(src / "incidents.csv", out / "incidents.csv", "incident_id", AIID_IDS)
    for name in (
        "classifications_MIT.csv",
        "classifications_GMF.csv",
        "classifications_CSETv1.csv",
    ):
        _cut(src / name, out / name, "Incident ID", AIID_IDS)
    (out / "duplicates.csv").write_text(
        (src / "duplicates.csv").read_text(encoding="utf-8"), encoding="utf-8"
    )
    return out


def assert_ledger_ok(g: Gaio) -> int:
    report = ledger.verify(g)
    assert report.ok, report.problems
    return report.size
