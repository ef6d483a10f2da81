"""Docs that cannot drift: the CLI reference and the README's two commands."""

from __future__ import annotations

from pathlib import Path

from scripts import clidoc

ROOT = Path(__file__).resolve().parents[2]


def test_cli_reference_is_current() -> None:
    committed = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    assert committed == clidoc.render(), "docs/cli.md drifted: run 'python -m scripts.clidoc'"


def readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = text.split("```sh\n")
    return [block.split("```", 1)[0].strip() for block in blocks[1:3]]


def test_readme_opens_with_the_two_commands() -> None:
    run, test = readme_commands()
    assert run.endswith("gaio demo") and "pip install ." in run
    assert "pytest" in test and ".[test]" in test
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert test in ci, "the README's test command must be what .ci/run runs"


def test_every_command_is_documented() -> None:
    committed = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    for name in (
        "init",
        "demo",
        "org add",
        "licence grant",
        "system register",
        "system history",
        "ledger verify-proof",
        "export",
        "import",
    ):
        assert f"## `gaio {name}`" in committed
