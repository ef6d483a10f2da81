"""``gaio classify``: JSON shape, human output, --interactive, and errors through the main app."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
import yaml
from typer.testing import CliRunner

from gaio.cli.app import main
from gaio.cli.classify import classify_cmd
from gaio.errors import InvalidInput
from tests.rules.cards import BASE_CARD

runner = CliRunner()
app = typer.Typer()
app.command()(classify_cmd)

RULES = ["--rules", "eu-ai-act@2024-1689", "--on", "2026-09-01"]


def _card(tmp_path: Path, **overrides: object) -> Path:
    path = tmp_path / "card.yaml"
    data = {**BASE_CARD, **overrides}
    path.write_text(yaml.safe_dump({k: v for k, v in data.items() if v is not None}))
    return path


def test_json_output_shape(tmp_path: Path) -> None:
    card = _card(tmp_path, domains=["creditworthiness"], profiling=True)
    result = runner.invoke(app, [str(card), *RULES, "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["version"] == 2
    assert data["results"]["eu-ai-act"]["jurisdiction"] == "EU"
    assert data["rules"] == "eu-ai-act@2024-1689"
    assert data["on"] == "2026-09-01"
    assert data["eu"]["tiers"] == ["high-risk"]
    assert set(data["eu"]) >= {"conclusions", "undetermined", "obligations", "plan"}
    assert set(data["other"]) == {"capability", "china", "nist", "equivalents"}
    conclusion = next(c for c in data["eu"]["conclusions"] if c["tier"] == "high-risk")
    assert {"item_id": "eu-ai-act:annex-iii-5-b", "citation": "Annex III point 5(b)"} in (
        conclusion["provisions"]
    )


def test_human_output_explains(demo_dir: Path) -> None:
    card = demo_dir / "cards" / "argus-livewatch-missing-persons.yaml"
    result = runner.invoke(app, [str(card), *RULES])
    assert result.exit_code == 0, result.output
    out = result.output
    for text in (
        "tiers: high-risk",
        "Art. 5(1)(h)(i)",
        "Annex III point 1(a)",
        "deployer obligations",
        "— applies",
        "within 1 day(s)",
        "[deployer]",
        "harmonised_standards_applied",
        "Capability level",
        "NIST AI RMF",
    ):
        assert text in out, text


def test_user_text_is_escaped(tmp_path: Path) -> None:
    card = _card(tmp_path, name="[bold red]Injected[/bold red]")
    result = runner.invoke(app, [str(card), *RULES])
    assert result.exit_code == 0, result.output
    assert "[bold red]Injected[/bold red]" in result.output


def test_interactive_answers_and_reclassifies(tmp_path: Path) -> None:
    card = _card(
        tmp_path,
        domains=["education-access"],
        profiling=None,
        derogation={
            "narrow_procedural_task": True,
            "improves_completed_human_activity": False,
            "detects_decision_patterns_without_replacing_review": False,
            "preparatory_task": False,
            "assessment": {
                "condition": "a",
                "assessed_by": "compliance",
                "assessed_on": "2026-01-15",
                "document_sha256": "sha256:" + "ab" * 32,
            },
        },
        model={"general_purpose": False},
    )
    before = runner.invoke(app, [str(card), *RULES, "--json"])
    assert json.loads(before.output)["eu"]["tiers"] == ["undetermined"]
    # profiling: a wrong answer is re-asked, then "no"; the Art. 2(12) question: unknown.
    result = runner.invoke(app, [str(card), *RULES, "--interactive"], input="maybe\nno\n\n")
    assert result.exit_code == 0, result.output
    assert "Does the system profile natural persons" in result.output
    assert "expected yes, no or unknown" in result.output
    assert "tiers: minimal" in result.output
    assert "Art. 6(3)" in result.output


def test_interactive_json_after_answers(tmp_path: Path) -> None:
    # An Annex III use with no documented derogation is high-risk (Art. 6(2)); the first
    # question left is the placing date (Art. 111), answered with a date.
    card = _card(tmp_path, domains=["education-access"], profiling=None, derogation=None)
    answers = "2026-09-01\n" + "\n" * 9
    result = runner.invoke(app, [str(card), *RULES, "--interactive", "--json"], input=answers)
    assert result.exit_code == 0, result.output
    tail = result.output[result.output.index("{\n") :]
    data = json.loads(tail)
    assert data["eu"]["tiers"] == ["high-risk"]


def test_bad_date_is_invalid_input(tmp_path: Path) -> None:
    result = runner.invoke(app, [str(_card(tmp_path)), "--on", "01/09/2026"])
    assert isinstance(result.exception, InvalidInput)
    assert "'01/09/2026'" in result.exception.message


def test_main_app_exit_codes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    card = str(_card(tmp_path))
    assert main(["classify", card, "--rules", "eu-ai-act@2099", "--on", "2026-09-01"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "'2099'" in err
    assert main(["classify", str(tmp_path / "missing.yaml")]) == 2
    assert main(["classify", card, "--rules", "eu-ai-act@2024-1689", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["eu"]["tiers"] == ["minimal"]


def test_interactive_save_writes_answers_as_facts(tmp_path: Path) -> None:
    """An Annex III system is high-risk without any question (no documented derogation is a
    fact); whether it talks to people is truly unknown, so that is asked, and the answer is
    saved into the card with who answered and when."""
    from gaio.cli.state import State

    card = _card(
        tmp_path,
        domains=["education-access"],
        interacts_with_people=None,
        placed_on_market="2027-01-04",
    )
    before = yaml.safe_load(card.read_text())
    result = runner.invoke(
        app,
        [str(card), *RULES, "--interactive", "--save"],
        input="yes\n" + "\n" * 6,
        obj=State(acting_as="provider:acme:paula"),
    )
    assert result.exit_code == 0, result.output
    saved = yaml.safe_load(card.read_text())
    assert saved["interacts_with_people"] is True
    records = saved["answered"]
    assert records and {r["path"] for r in records} >= {"interacts_with_people"}
    assert all("paula" in r["answered_by"] and r["answered_at"].endswith("+00:00") for r in records)
    assert list(saved)[: len(before)] == list(before)  # the author's order is kept
    # the saved card classifies as the interactive session did, with no question re-asked
    again = runner.invoke(app, [str(card), *RULES, "--json"])
    assert json.loads(again.output)["eu"]["tiers"] == ["high-risk", "transparency"]
    from gaio.registry.card import load_card

    assert "interacts_with_people" not in load_card(card).unknown_facts()


def test_save_needs_interactive_and_a_writable_format(tmp_path: Path) -> None:
    card = _card(tmp_path)
    refused = runner.invoke(app, [str(card), *RULES, "--save"])
    assert isinstance(refused.exception, InvalidInput)
    md = tmp_path / "card.md"
    md.write_text("---\nid: x\n---\n")
    refused = runner.invoke(app, [str(md), *RULES, "--interactive", "--save"])
    assert (
        isinstance(refused.exception, InvalidInput)
        and ".yaml or .json" in refused.exception.message
    )
    assert md.read_text() == "---\nid: x\n---\n"


def test_with_answers_replaces_an_earlier_record() -> None:
    from datetime import UTC, datetime

    from gaio.registry.card_answers import with_answers

    first = with_answers(
        {"id": "x"}, [("model.general_purpose", False)], "a", datetime(2026, 1, 1, tzinfo=UTC)
    )
    second = with_answers(
        first, [("model.general_purpose", True)], "b", datetime(2026, 2, 1, tzinfo=UTC)
    )
    assert second["model"] == {"general_purpose": True}
    assert [r["answered_by"] for r in second["answered"]] == ["b"]
    with pytest.raises(ValueError):
        with_answers({}, [("profiling", True)], "a", datetime(2026, 1, 1))
