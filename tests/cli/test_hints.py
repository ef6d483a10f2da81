"""Every command a message tells the user to run exists, with the options it names.

Hints are the quoted ``'gaio …'`` strings in the source and the templates. Each is resolved
against the real command tree (sub-groups are loaded lazily, as at run time); placeholders in
capitals (ID, ORG, CERT.json) and "…" are arguments and are skipped.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import click
import pytest
import typer

from gaio.cli.app import app

ROOT = Path(__file__).resolve().parents[2] / "src" / "gaio"
HINT = re.compile(r"'(gaio(?: [^'\n]+)?)'")


def hints() -> list[tuple[str, str]]:
    found = []
    for path in sorted([*ROOT.rglob("*.py"), *ROOT.rglob("*.html")]):
        for match in HINT.finditer(path.read_text(encoding="utf-8")):
            found.append((f"{path.relative_to(ROOT)}", match.group(1)))
    return found


def resolve(hint: str) -> str | None:
    """None when the hint names an existing command and options; else what is wrong."""
    root: Any = typer.main.get_command(app)
    ctx = click.Context(root, info_name="gaio")
    command: Any = root
    words = hint.split()[1:]
    takes_value = False
    for i, word in enumerate(words):
        if takes_value or "{" in word:
            takes_value = False
            continue
        if word.startswith("-"):
            params = {o: p for p in command.params for o in (*p.opts, *p.secondary_opts)}
            if word != "--help" and word.split("=")[0] not in params:
                return f"{' '.join(words[:i]) or 'gaio'} has no option {word}"
            param = params.get(word)
            takes_value = param is not None and not getattr(param, "is_flag", False)
            continue
        if hasattr(command, "commands"):  # a group (Typer may vendor its own click)
            sub = command.get_command(ctx, word)
            if sub is None:
                if word.isupper() or not word.isalpha():
                    break
                return f"no command {word!r} under {command.name}"
            command = sub
            ctx = click.Context(command, info_name=word, parent=ctx)
    return None


ALL = hints()


def test_hints_are_found() -> None:
    assert len(ALL) > 20
    assert any(h == "gaio ledger verify" for _, h in ALL)


@pytest.mark.parametrize(("where", "hint"), ALL, ids=[f"{w}:{h}" for w, h in ALL])
def test_hint_names_an_existing_command(where: str, hint: str) -> None:
    problem = resolve(hint)
    assert problem is None, f"{where}: '{hint}': {problem}"


@pytest.mark.parametrize(
    "bad", ["gaio assess show --list", "gaio nosuch", "gaio ledger nosuch", "gaio system list --x"]
)
def test_the_checker_catches_bad_hints(bad: str) -> None:
    assert resolve(bad) is not None
