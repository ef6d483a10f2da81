"""Races between real writers (threads with their own engines, and separate processes), on
SQLite and on PostgreSQL: no lost update, no acknowledged-but-missing or refused-but-present
write, gap-free ledger, and ``ledger verify`` OK afterwards.

Each race runs a bounded number of rounds; a barrier releases the writers together so that
their transactions overlap.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections.abc import Callable
from typing import Any

import pytest

from gaio.config import Settings
from gaio.errors import Conflict, GaioError, PreconditionFailed
from gaio.registry.vocab import Stage
from gaio.services.context import Gaio
from gaio.services.incidents import intake
from gaio.services.ledger import audit as ledger
from gaio.services.registry import licences, systems
from tests.conftest import ADMIN, PROVIDER, PUBLIC, REGULATOR
from tests.factories import card, frontier_licence, world

ROUNDS = 12


def race(contexts: list[Gaio], work: Callable[[int, Gaio], Any]) -> list[Any]:
    """Run ``work(i, context_i)`` in one thread per context, released together."""
    results: list[Any] = [None] * len(contexts)
    barrier = threading.Barrier(len(contexts))

    def target(i: int) -> None:
        barrier.wait()
        try:
            results[i] = work(i, contexts[i])
        except GaioError as exc:
            results[i] = exc

    threads = [threading.Thread(target=target, args=(i,)) for i in range(len(contexts))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert not any(t.is_alive() for t in threads), "a writer hung"
    return results


@pytest.fixture
def writers(settings: Settings) -> Any:
    opened: list[Gaio] = []

    def make(n: int) -> list[Gaio]:
        fresh = [Gaio.open(settings) for _ in range(n)]
        opened.extend(fresh)
        return fresh

    yield make
    for c in opened:
        c.close()


def assert_ledger_ok(g: Gaio) -> None:
    report = ledger.verify(g)
    assert report.ok, report.problems


def test_suspend_and_revoke_at_once_never_lose_the_revocation(g: Gaio, writers: Any) -> None:
    """The exact race of the issue: on PostgreSQL both used to be accepted and a revoked
    licence could end up suspended (and then be reinstated)."""
    world(g)
    contexts = writers(2)
    for round_ in range(ROUNDS):
        lid = frontier_licence(g, reason=f"round {round_}")
        actions = ["suspend", "revoke"] if round_ % 2 else ["revoke", "suspend"]
        results = race(
            contexts,
            lambda i, c: licences.change_licence(c, REGULATOR, lid, actions[i], "race"),  # noqa: B023
        )
        accepted = [
            a for a, r in zip(actions, results, strict=True) if not isinstance(r, Exception)
        ]
        refused = [r for r in results if isinstance(r, Exception)]
        assert all(isinstance(r, Conflict) for r in refused), results
        final = licences.get_licence(g, REGULATOR, lid)
        assert "revoke" in accepted, (round_, results)
        assert final.state.value == "revoked", (round_, accepted, final)
        history = [e.action for e in final.events]
        assert history[0] == "grant" and history[-1] == "revoke", history
        assert history[1:] in (["revoke"], ["suspend", "revoke"]), history
    assert_ledger_ok(g)


def test_if_match_lets_exactly_one_of_two_writers_through(g: Gaio, writers: Any) -> None:
    world(g)
    systems.register_system(g, PROVIDER, card())
    contexts = writers(2)
    for round_ in range(ROUNDS):
        etag = systems.version_etag(g, "acme-cv-ranker")
        target = Stage.DATA if round_ % 2 == 0 else Stage.DESIGN

        def move(i: int, c: Gaio, to: Stage = target, etag: str = etag) -> Any:
            return systems.change_stage(
                c, PROVIDER, "acme-cv-ranker", to, f"writer {i}", if_match=etag
            )

        results = race(contexts, move)
        ok = [r for r in results if not isinstance(r, Exception)]
        stale = [r for r in results if isinstance(r, PreconditionFailed)]
        assert len(ok) == 1 and len(stale) == 1, results
    assert_ledger_ok(g)


def test_concurrent_updates_of_one_incident_keep_both_and_verify(g: Gaio, writers: Any) -> None:
    """Two editors change different fields of one incident at once: both changes stay, and the
    ledger does not raise a tamper alarm on gaio's own writes."""
    world(g)
    contexts = writers(2)
    for round_ in range(ROUNDS):
        created = intake.report_incident(
            g, PUBLIC, {"title": f"Race {round_}", "description": "x"}, check_duplicates=False
        )
        iid = created.incident_ids[0]
        changes: list[dict[str, Any]] = [{"severity": "high"}, {"status": "investigating"}]

        def update(i: int, c: Gaio, iid: int = iid, changes: list[dict[str, Any]] = changes) -> Any:
            return intake.update_incident(c, ADMIN, iid, changes[i])

        results = race(contexts, update)
        assert not [r for r in results if isinstance(r, Exception)], results
        final = intake.get_incident(g, ADMIN, iid)
        assert final.severity is not None and final.severity.value == "high"
        assert final.status.value == "investigating"
    assert_ledger_ok(g)


def test_eight_writers_report_incidents_without_conflicts(g: Gaio, writers: Any) -> None:
    contexts = writers(8)
    per_writer = 5

    def work(i: int, c: Gaio) -> list[int]:
        out = []
        for j in range(per_writer):
            draft = {"title": f"writer {i} report {j}", "description": f"text {i}-{j}"}
            out += intake.report_incident(c, PUBLIC, draft, check_duplicates=False).incident_ids
        return out

    results = race(contexts, work)
    failures = [r for r in results if isinstance(r, Exception)]
    assert not failures, failures
    ids = [i for r in results for i in r]
    assert len(ids) == len(set(ids)) == 8 * per_writer
    for iid in ids:  # every acknowledged write is there
        assert intake.get_incident(g, ADMIN, iid).id == iid
    assert_ledger_ok(g)


def _env(settings: Settings) -> dict[str, str]:
    env = dict(os.environ)
    env["GAIO_HOME"] = str(settings.home)
    env["GAIO_EMBEDDER"] = "hashing"
    if settings.database_url:
        env["GAIO_DATABASE_URL"] = settings.database_url
    else:
        env.pop("GAIO_DATABASE_URL", None)
    return env


def test_processes_report_incidents_at_once(g: Gaio, settings: Settings) -> None:
    """Four separate processes (as several API workers would be) write at the same time."""
    world(g)
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gaio",
                "--as",
                "public",
                "incident",
                "report",
                "--new",
                "--title",
                f"process {n}",
                "--description",
                f"reported by process {n}",
                "--json",
            ],
            env=_env(settings),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in range(4)
    ]
    outputs = [p.communicate(timeout=180) for p in procs]
    codes = [p.returncode for p in procs]
    assert codes == [0, 0, 0, 0], outputs
    ids = [json.loads(out)["incident_ids"][0] for out, _err in outputs]
    assert len(set(ids)) == 4
    for iid in ids:
        assert intake.get_incident(g, ADMIN, iid).title.startswith("process ")
    assert_ledger_ok(g)
