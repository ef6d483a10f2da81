"""``gaio classify CARD``: classify a system card and explain the result.

The main app mounts :func:`classify_cmd` as ``gaio classify``. Errors are
:class:`~gaio.errors.GaioError` and are not caught here (the app prints one line, exit 2 for bad
input). ``--interactive`` asks the open questions one by one, sets each answer on the card in
memory, re-classifies, and prints the final result; with ``--save`` the answers are written
into the card file as facts, with who answered and when (``answered``).
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.markup import escape

from gaio.cli.render.classification import render
from gaio.clock import SystemClock
from gaio.clock import today as clock_today
from gaio.errors import InvalidInput
from gaio.evaluation.result import FairnessResult, parse_result
from gaio.inputs import load_json, read_text
from gaio.registry.card import SystemCard, load_card
from gaio.rules.answers import UNKNOWN, parse_answer, with_fact
from gaio.rules.classify import classify
from gaio.rules.model import Classification, Question

_ATTEMPTS = 3


def _console() -> Console:
    return Console(highlight=False, soft_wrap=False, width=None if sys.stdout.isatty() else 160)


def _date(value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise InvalidInput(f"--on {value!r} is not a date (YYYY-MM-DD)") from None


def classify_cmd(
    ctx: typer.Context,
    card: Annotated[Path, typer.Argument(help="system card (.yaml, .json or Hugging Face .md)")],
    on: Annotated[
        str | None,
        typer.Option("--on", metavar="YYYY-MM-DD", help="classify as of this date (default today)"),
    ] = None,
    rules: Annotated[
        str | None,
        typer.Option(
            "--rules",
            metavar="NAME@VERSION",
            help="rule-set version, e.g. eu-ai-act@2024-1689 (default: in force on --on)",
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print the result as JSON")] = False,
    interactive: Annotated[
        bool, typer.Option("--interactive", help="ask the open questions one by one")
    ] = False,
    fairness: Annotated[
        Path | None,
        typer.Option(
            "--fairness",
            metavar="RESULT.json",
            help="a `gaio evaluate fairness --json` result: adds the NYC LL 144 bias-audit "
            "figures (selection rates, impact ratios, unknown category counted)",
        ),
    ] = None,
    save: Annotated[
        bool,
        typer.Option(
            "--save",
            help="with --interactive: write the answers into CARD as facts, recording who "
            "answered (--as) and when",
        ),
    ] = False,
) -> None:
    """Classify a system card: EU AI Act tiers, obligations, plan, and other frameworks."""
    if save and not interactive:
        raise InvalidInput("--save writes the answers of --interactive: pass both.")
    if save and card.suffix.lower() not in (".yaml", ".yml", ".json"):
        raise InvalidInput(f"{card}: --save writes .yaml or .json cards only.")
    day = _date(on)
    clock = SystemClock()
    today = clock_today(clock)
    system = load_card(card)
    evidence = _fairness(fairness) if fairness is not None else None
    result = classify(system, on=day, rules=rules, today=today, fairness=evidence)
    if interactive:
        answers: list[tuple[str, Any]] = []
        system, result = _ask_all(system, result, day, rules, today, answers)
        if save and answers:
            from gaio.registry.card_answers import save_answers

            state = ctx.obj
            save_answers(card, answers, state.actor.label, clock.now())
            sys.stderr.write(f"saved {len(answers)} answer(s) into {card}\n")
    if as_json:
        payload: dict[str, Any] = result.model_dump(mode="json")
        typer.echo(json.dumps(payload, indent=2, ensure_ascii=False))
        return
    render(_console(), result, system.name)


def _fairness(path: Path) -> FairnessResult:
    data = load_json(read_text(path, "fairness result"), str(path))
    if not isinstance(data, dict):
        raise InvalidInput(f"{path}: expected a fairness result (a JSON object)")
    try:
        parsed = parse_result(data)
    except ValidationError:
        raise InvalidInput(
            f"{path}: not a gaio evaluation result (make it with gaio evaluate fairness --json)"
        ) from None
    if not isinstance(parsed, FairnessResult):
        raise InvalidInput(f"{path}: a {parsed.kind} result, expected a fairness result")
    return parsed


def _ask_all(
    card: SystemCard,
    result: Classification,
    on: dt.date | None,
    rules: str | None,
    today: dt.date,
    answers: list[tuple[str, Any]],
) -> tuple[SystemCard, Classification]:
    """Ask each open question once, re-classifying after every answer (kept in ``answers``)."""
    asked: set[str] = set()
    console = _console()
    while True:
        pending = [q for q in result.questions if q.path not in asked]
        if not pending:
            return card, result
        question = pending[0]
        asked.add(question.path)
        value = _ask(console, question)
        if value is UNKNOWN:
            continue
        card = with_fact(card, question.path, value)
        answers.append((question.path, value))
        result = classify(card, on=on, rules=rules, today=today)


def _ask(console: Console, question: Question) -> Any:
    cited = "; ".join(p.citation for p in question.provisions)
    console.print(f"\n[bold]{escape(question.question)}[/bold]")
    console.print("  " + escape(f"{question.why} [{cited}]"))
    if question.choices and question.answer in ("one-of", "some-of"):
        console.print(f"  choices: {escape(', '.join(question.choices))}")
    hint = {
        "yes-no": "yes/no/unknown",
        "one-of": "one choice, or unknown",
        "some-of": "comma-separated, none, or unknown",
        "number": "a number, or unknown",
        "date": "a date YYYY-MM-DD, or unknown",
        "jurisdiction": "a country code, or unknown",
        "jurisdictions": "comma-separated codes, or unknown",
    }[question.answer]
    for attempt in range(_ATTEMPTS):
        text = typer.prompt(f"{question.path} ({hint})", default="unknown", show_default=False)
        try:
            return parse_answer(question, text)
        except InvalidInput as exc:
            if attempt == _ATTEMPTS - 1:
                raise
            console.print(f"  {escape(exc.message)}")
    return UNKNOWN  # pragma: no cover - the loop returns or raises
