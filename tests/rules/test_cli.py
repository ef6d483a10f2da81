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
