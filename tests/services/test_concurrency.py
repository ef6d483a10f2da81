"""Concurrent writers (threads with their own engines) and processes killed mid-change."""

from __future__ import annotations

import os
import signal
import threading
from pathlib import Path
from typing import Any

from gaio.actors import Actor, Role
from gaio.config import Settings
from gaio.errors import Conflict, GaioError
from gaio.registry.vocab import Stage
from gaio.services.context import Gaio
from gaio.services.ledger import audit as ledger
from gaio.services.registry import organisations, systems
from tests.conftest import PROVIDER
from tests.factories import card, world
from tests.faults import kill_when_paused, start_paused


def _run_threads(n: int, work: object) -> list[object]:
    results: list[object] = [None] * n
    barrier = threading.Barrier(n)

    def target(i: int) -> None:
        barrier.wait()
        try:
            results[i] = work(i)  # type: ignore[operator]
        except GaioError as exc:
            results[i] = exc

    threads = [threading.Thread(target=target, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return results


def test_two_concurrent_registrations_of_one_id(g: Gaio, settings: Settings) -> None:
    world(g)
    contexts = [Gaio.open(settings) for _ in range(2)]
    try:
        results = _run_threads(
            2, lambda i: systems.register_system(contexts[i], PROVIDER, card(name=f"Twin {i}"))
        )
    finally:
        for c in contexts:
            c.close()
    failures = [r for r in results if isinstance(r, GaioError)]
    assert len(failures) == 1, results
    assert isinstance(failures[0], Conflict)
    report = ledger.verify(g)
    assert report.ok, report.problems
    changes = [e for e in ledger.show(g, limit=100) if e.action != "ledger.checkpoint"]
    assert len(changes) == 7  # 4 organisations, then system, version, classification


def test_concurrent_writers_get_gap_free_sequence_numbers(g: Gaio, settings: Settings) -> None:
    admin = Actor(name="root", role=Role.ADMIN)
    contexts = [Gaio.open(settings) for _ in range(4)]

    def work(i: int) -> list[int]:
        seqs = []
        for j in range(10):
            organisations.add_organisation(
                contexts[i],
                admin,
                {"id": f"org-{i}-{j}", "name": "x", "kind": "provider", "jurisdictions": ["DE"]},
            )
            seqs.append(j)
        return seqs

    try:
        results = _run_threads(4, work)
    finally:
        for c in contexts:
            c.close()
    assert not [r for r in results if isinstance(r, GaioError)]
    entries = ledger.show(g, limit=1000)
    assert [e.seq for e in entries] == list(range(40))
    assert len({e.subject for e in entries}) == 40
    assert ledger.verify(g).ok


def _gaio_env(settings: Settings) -> dict[str, str]:
    env = dict(os.environ)
    env["GAIO_HOME"] = str(settings.home)
    if settings.database_url:
        env["GAIO_DATABASE_URL"] = settings.database_url
    else:
        env.pop("GAIO_DATABASE_URL", None)
    return env


def test_sigkill_mid_change_leaves_registry_and_log_agreeing(
    g: Gaio, settings: Settings, tmp_path: Path
) -> None:
    world(g)
    systems.register_system(g, PROVIDER, card())
    before = ledger.verify(g)
    marker = tmp_path / "paused"
    args = ["--as", "provider:acme", "system", "stage", "acme-cv-ranker", "data"]
    args += ["--reason", "about to be killed"]
    proc = start_paused("after-ledger-append", args, _gaio_env(settings), marker)
    kill_when_paused(proc, marker)
    assert proc.returncode == -signal.SIGKILL
    after = ledger.verify(g)
    assert after.ok, after.problems
    assert after.size == before.size
    assert systems.get_system(g, PROVIDER, "acme-cv-ranker").latest.stage is Stage.DESIGN
    systems.change_stage(g, PROVIDER, "acme-cv-ranker", Stage.DATA, "after the crash")
    assert ledger.verify(g).ok


def test_sigkill_mid_import_leaves_the_database_as_it_was(
    g: Gaio, settings: Settings, tmp_path: Path, empty_gaio: Any
) -> None:
    from gaio.services.ledger import exchange
    from tests.conftest import ADMIN

    world(g)
    systems.register_system(g, PROVIDER, card())
    dump = tmp_path / "dump.jsonl"
    exchange.export(g, ADMIN, dump)
    fresh = empty_gaio("target")
    target = fresh.settings
    marker = tmp_path / "paused"
    proc = start_paused("import-before-commit", ["import", str(dump)], _gaio_env(target), marker)
    kill_when_paused(proc, marker)
    assert organisations.list_organisations(fresh, ADMIN) == []
    assert ledger.verify(fresh).size == 0
