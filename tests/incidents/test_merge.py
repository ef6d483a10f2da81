"""Merging keeps ids, redirects and history; unmerging restores exactly what was there."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from gaio.errors import Conflict, PermissionDenied
from gaio.services.context import Gaio
from gaio.services.incidents import intake as svc
from gaio.store import records
from gaio.store.tables.incidents import IncidentRow
from tests.conftest import ADMIN, PUBLIC, REGULATOR
from tests.incidents.conftest import assert_ledger_ok


def _make(g: Gaio, n: int) -> list[int]:
    return [
        svc.report_incident(
            g,
            ADMIN,
            {"title": f"Event {i} " + "q" * i, "description": f"d{i}", "deployers": [f"Org {i}"]},
            check_duplicates=False,
        ).incident_ids[0]
        for i in range(n)
    ]


def _records(g: Gaio) -> dict[int, dict[str, Any]]:
    with g.read() as session:
        return {r.id: records.record_of(r) for r in session.scalars(select(IncidentRow))}


def test_merge_redirects_and_unmerge_restores(g: Gaio) -> None:
    a, b = _make(g, 2)
    before = _records(g)
    merged = svc.merge(g, REGULATOR, a, b, "same event")
    assert merged.id == b and merged.merged_from == [a]
    assert svc.get_incident(g, PUBLIC, a).id == b
    assert svc.list_incidents(g, PUBLIC).total == 1
    assert svc.list_incidents(g, PUBLIC, include_merged=True).total == 2
    with pytest.raises(Conflict, match="already merged"):
        svc.merge(g, ADMIN, a, b, "again")
    with pytest.raises(Conflict, match="itself"):
        svc.merge(g, ADMIN, b, a, "loop")
    restored = svc.unmerge(g, ADMIN, a, "not the same")
    assert restored.id == a and restored.merged_into is None
    assert _records(g) == before
    actions = [e.action for e in svc.history(g, ADMIN, a)]
    assert actions[-4:] == [
        "incident.merge",
        "incident.merge",
        "incident.unmerge",
        "incident.unmerge",
    ]
    assert_ledger_ok(g)


def test_only_editors_merge(g: Gaio) -> None:
    a, b = _make(g, 2)
    with pytest.raises(PermissionDenied, match="only admin, regulator may"):
        svc.merge(g, PUBLIC, a, b, "x")
    with pytest.raises(Conflict, match="not merged"):
        svc.unmerge(g, ADMIN, a, "x")


@settings(
    max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(ops=st.lists(st.tuples(st.integers(0, 3), st.integers(0, 3)), min_size=1, max_size=5))
def test_any_merges_then_unmerges_restore_the_records(g: Gaio, ops: list[tuple[int, int]]) -> None:
    ids = _make(g, 4) if not _records(g) else sorted(_records(g))
    for inc_id in ids:
        if _records(g)[inc_id]["merged_into"] is not None:
            svc.unmerge(g, ADMIN, inc_id, "reset")
    before = _records(g)
    done: list[int] = []
    for s, t in ops:
        try:
            svc.merge(g, ADMIN, ids[s], ids[t], "h")
            done.append(ids[s])
        except Conflict:
            continue
    for source in reversed(done):
        svc.unmerge(g, ADMIN, source, "undo")
    assert _records(g) == before
    assert_ledger_ok(g)
