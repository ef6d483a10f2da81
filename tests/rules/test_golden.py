"""The golden set: scenarios written from the text of the Regulation, each with its expected result.

Each file under ``golden/`` holds ``scenarios``: a full card (YAML merge keys over a base card),
optional ``on`` and ``rules``, and ``expect``:

- ``tiers``: the exact set of EU tiers; ``not_tiers``: tiers that must be absent;
- ``provisions``: catalog local ids that must be among the deciding provisions (the conclusions'
  and the open questions' provisions);
- ``undetermined``: card fact paths that must be asked;
- ``obligations`` / ``no_obligations``: obligation local ids present / absent; ``no_role``: a role
  with no obligation at all;
- ``status`` and ``applies_from``: per obligation local id;
- ``rules``: the rule-set version actually applied;
- ``penalties`` / ``no_penalties``: penalty local ids (Art. 99(3)-(5), Art. 101) that attach / not;
- ``contradiction``: card fields that a "Contradictory facts" finding must name (both facts);
- ``summary``: substrings that some conclusion's summary or reasoning must contain (a quoted
  threshold, the fact that would change a prohibition).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml

from gaio.registry.card import parse_card
from gaio.rules import Classification, classify

GOLDEN = Path(__file__).parent / "golden"
TODAY = dt.date(2026, 11, 29)
EXPECT_KEYS = {
    "tiers",
    "not_tiers",
    "provisions",
    "undetermined",
    "obligations",
    "no_obligations",
    "no_role",
    "status",
    "applies_from",
    "rules",
    "contradiction",
    "summary",
    "penalties",
    "no_penalties",
}


def _scenarios() -> list[tuple[str, dict[str, Any]]]:
    out = []
    for path in sorted(GOLDEN.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for scenario in data["scenarios"]:
            out.append((f"{path.stem}/{scenario['name']}", scenario))
    return out


SCENARIOS = _scenarios()


def test_the_golden_set_is_large_enough() -> None:
    assert len(SCENARIOS) >= 60
    names = [name for name, _ in SCENARIOS]
    assert len(names) == len(set(names)), "duplicate scenario names"
    for name, scenario in SCENARIOS:
        assert scenario.get("why"), f"{name}: every scenario says why, citing the text"
        assert set(scenario["expect"]) <= EXPECT_KEYS, name
        assert all(isinstance(k, str) for k in scenario), (
            f'{name}: quote the key "on" (YAML 1.1 reads on as true)'
        )


def _local(item_id: str) -> str:
    return item_id.split(":", 1)[1]


def _deciding(result: Classification) -> set[str]:
    cited = {_local(p.item_id) for c in result.eu.conclusions for p in c.provisions}
    cited |= {_local(p.item_id) for q in result.eu.undetermined for p in q.provisions}
    return cited


def _day(value: object) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


@pytest.mark.parametrize(("name", "scenario"), SCENARIOS, ids=[n for n, _ in SCENARIOS])
def test_golden(name: str, scenario: dict[str, Any]) -> None:
    card = parse_card(scenario["card"], source=name)
    on = _day(scenario["on"]) if "on" in scenario else None
    result = classify(card, on=on, rules=scenario.get("rules"), today=TODAY)
    expect = scenario["expect"]
    tiers = sorted(t.value for t in result.eu.tiers)
    explain = f"{name}: tiers {tiers}, conclusions " + "; ".join(
        c.summary for c in result.eu.conclusions
    )
    if "tiers" in expect:
        assert tiers == sorted(expect["tiers"]), explain
    for tier in expect.get("not_tiers", []):
        assert tier not in tiers, explain
    deciding = _deciding(result)
    for provision in expect.get("provisions", []):
        assert provision in deciding, f"{name}: {provision} not among {sorted(deciding)}"
    asked = {q.path for q in result.questions}
    for path in expect.get("undetermined", []):
        assert path in asked, f"{name}: {path} not asked; asked {sorted(asked)}"
    if "tiers" in expect and "undetermined" not in expect["tiers"]:
        assert not any(q.decides == "tier" for q in result.eu.undetermined), explain
    obligations = {_local(o.item_id): o for o in result.eu.obligations}
    for local in expect.get("obligations", []):
        assert local in obligations, f"{name}: no obligation {local}; got {sorted(obligations)}"
    for local in expect.get("no_obligations", []):
        assert local not in obligations, f"{name}: unexpected obligation {local}"
    if "no_role" in expect:
        assert all(o.role != expect["no_role"] for o in result.eu.obligations), name
    for local, status in expect.get("status", {}).items():
        assert obligations[local].status == status, f"{name}: {local} {obligations[local]}"
    for local, day in expect.get("applies_from", {}).items():
        assert obligations[local].applies_from == _day(day), f"{name}: {obligations[local]}"
    if "rules" in expect:
        assert result.rules == expect["rules"]
    findings = [c.summary for c in result.eu.conclusions if "Contradictory facts" in c.summary]
    for path in expect.get("contradiction", []):
        assert any(path in f for f in findings), f"{name}: no finding names {path}: {findings}"
    fines = {_local(p.item_id) for p in result.eu.penalties}
    for local in expect.get("penalties", []):
        assert local in fines, f"{name}: no penalty {local}; got {sorted(fines)}"
    for local in expect.get("no_penalties", []):
        assert local not in fines, f"{name}: unexpected penalty {local}"
    text = " ".join(c.summary + " " + " ".join(c.reasoning) for c in result.eu.conclusions)
    for part in expect.get("summary", []):
        assert part in text, f"{name}: {part!r} not in the conclusions"
