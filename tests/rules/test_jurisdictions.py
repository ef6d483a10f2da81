"""Jurisdiction rule-sets side by side, and the NYC LL 144 bias audit computed from evidence.

The audit expectations are computed here by hand from the rule (6 RCNY § 5-301): selection rate =
selected / applicants in a category; impact ratio = rate / highest rate; unknown category
excluded from the ratios and counted; a category under 2 % of the data flagged and not setting
the highest rate. The numbers come from a real ``gaio evaluate fairness`` run on a CSV.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import yaml
from typer.testing import CliRunner

from gaio.cli.evaluate import app as evaluate_app
from gaio.evaluation.result import FairnessResult
from gaio.registry.card import parse_card
from gaio.rules import classify
from gaio.rules.us_nyc_ll144 import bias_audit

GOLDEN = Path(__file__).parent / "golden_jurisdictions.yaml"
TODAY = dt.date(2026, 11, 29)


def _frame() -> pd.DataFrame:
    rows: list[dict[str, Any]] = []

    def add(sex: str | None, race: str | None, n: int, selected: int) -> None:
        for i in range(n):
            rows.append({"y": 1, "yhat": int(i < selected), "sex": sex, "race": race})

    add("female", "black", 100, 30)
    add("female", "white", 100, 50)
    add("male", "black", 100, 40)
    add("male", "white", 100, 60)
    add("male", "asian", 5, 5)  # 5 of 405 known = 1.2 %: excludable, must not set the top rate
    add(None, "white", 20, 20)  # unknown sex: excluded from the sex and intersectional tables
    return pd.DataFrame(rows)


@pytest.fixture(scope="module")
def fairness(tmp_path_factory: pytest.TempPathFactory) -> FairnessResult:
    base = tmp_path_factory.mktemp("ll144")
    csv = base / "applicants.csv"
    _frame().to_csv(csv, index=False)
    out = base / "result.json"
    run = CliRunner().invoke(
        evaluate_app,
        ["fairness", str(csv), "-y", "y", "-p", "yhat", "-s", "sex,race", "--json", "-o", str(out)],
    )
    assert run.exit_code == 0, run.output
    return FairnessResult.model_validate(json.loads(out.read_text("utf-8")))


def _table(audit: Any, attributes: list[str]) -> tuple[dict[tuple[str, ...], Any], Any]:
    table = next(t for t in audit.tables if t.attributes == attributes)
    return {tuple(c.category[a] for a in attributes): c for c in table.categories}, table


def test_sex_table_excludes_and_counts_unknown(fairness: FairnessResult) -> None:
    (audit,) = bias_audit(fairness)
    rows, table = _table(audit, ["sex"])
    assert table.unknown_applicants == 20
    assert rows[("female",)].applicants == 200 and rows[("female",)].selected == 80
    assert rows[("male",)].applicants == 205 and rows[("male",)].selected == 105
    assert rows[("female",)].selection_rate == pytest.approx(0.4)
    assert rows[("male",)].impact_ratio == pytest.approx(1.0)
    assert rows[("female",)].impact_ratio == pytest.approx(0.4 / (105 / 205))


def test_intersectional_table_and_small_categories(fairness: FairnessResult) -> None:
    (audit,) = bias_audit(fairness)
    rows, table = _table(audit, ["race", "sex"])
    assert table.unknown_applicants == 20
    small = rows[("asian", "male")]
    assert small.excludable and small.selection_rate == pytest.approx(1.0)
    # the highest rate among non-excludable categories is male/white (0.6), not male/asian (1.0)
    assert rows[("white", "male")].impact_ratio == pytest.approx(1.0)
    assert rows[("black", "female")].impact_ratio == pytest.approx(0.3 / 0.6)
    race_rows, race = _table(audit, ["race"])
    assert race.unknown_applicants == 0  # race is known for everyone
    assert race_rows[("white",)].applicants == 220


def test_cli_attaches_the_audit_to_the_nyc_result(
    fairness: FairnessResult, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from gaio.cli.app import main

    card = tmp_path / "card.yaml"
    card.write_text(
        yaml.safe_dump(
            {
                "id": "screener",
                "name": "Screener",
                "system_version": "1.0.0",
                "provider": "acme",
                "intended_purpose": "Ranks job applicants.",
                "domains": ["employment-recruitment"],
                "markets": ["US"],
                "subnational_markets": ["US-NY-NYC"],
            }
        ),
        encoding="utf-8",
    )
    result_file = tmp_path / "fairness.json"
    result_file.write_text(fairness.model_dump_json(), encoding="utf-8")
    assert main(["classify", str(card), "--fairness", str(result_file), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    nyc = data["results"]["us-nyc-ll144"]
    sex = next(t for t in nyc["bias_audit"][0]["tables"] if t["attributes"] == ["sex"])
    assert nyc["applies"] is True and sex["unknown_applicants"] == 20
    assert main(["classify", str(card), "--fairness", str(result_file)]) == 0
    text = capsys.readouterr().out
    assert "Jurisdictions side by side" in text and "US-NY-NYC" in text
    assert "unknown excluded: 20" in text and "excludable" in text
    assert main(["classify", str(card), "--fairness", str(card)]) == 2  # not a fairness result


def _scenarios() -> list[tuple[str, dict[str, Any]]]:
    data = yaml.safe_load(GOLDEN.read_text(encoding="utf-8"))
    return [(s["name"], s) for s in data["scenarios"]]


SCENARIOS = _scenarios()


def test_golden_set_has_cases_for_every_rule_set() -> None:
    sets = {s["expect"]["rule_set"] for _, s in SCENARIOS}
    assert sets == {"us-nyc-ll144", "us-co-sb24-205", "kr-ai-basic-act", "eu-ai-act"}
    for name, scenario in SCENARIOS:
        assert scenario.get("why") and scenario["expect"].get("provisions") is not None, name


@pytest.mark.parametrize(("name", "scenario"), SCENARIOS, ids=[n for n, _ in SCENARIOS])
def test_golden(name: str, scenario: dict[str, Any]) -> None:
    card = parse_card(scenario["card"], source=name)
    on = dt.date.fromisoformat(str(scenario["on"])) if "on" in scenario else None
    result = classify(card, on=on, today=TODAY)
    expect = scenario["expect"]
    got = result.results[expect["rule_set"]]
    assert got.applies == expect["applies"], f"{name}: {got}"
    if "status" in expect:
        assert got.status == expect["status"], f"{name}: {got.status}"
    if "placed" in expect:
        assert got.placed == expect["placed"], name
    cited = {p.item_id.split(":", 1)[1] for p in got.provisions}
    for local in expect["provisions"]:
        assert local in cited, f"{name}: {local} not in {sorted(cited)}"
    duties = {d.item_id.split(":", 1)[1]: d for d in got.duties}
    for local in expect.get("duties", []):
        assert local in duties, f"{name}: no duty {local}; got {sorted(duties)}"
    for local in expect.get("no_duties", []):
        assert local not in duties, f"{name}: unexpected duty {local}"
    for local, status in expect.get("duty_status", {}).items():
        assert duties[local].status == status, f"{name}: {duties[local]}"
    if "penalties" in expect:
        fines = {p.item_id.split(":", 1)[1] for p in got.penalties}
        assert fines == set(expect["penalties"]), f"{name}: {fines}"
