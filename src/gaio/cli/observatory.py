"""``gaio report observatory`` and ``gaio report verify``: the observatory's period report."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer

from gaio.cli.assess import Json
from gaio.cli.state import State
from gaio.errors import InvalidInput


def _day(value: str, option: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise InvalidInput(f"{option} {value!r} is not a date; expected YYYY-MM-DD") from None


def observatory_cmd(
    ctx: typer.Context,
    start: Annotated[str, typer.Option("--from", help="first day of the period (YYYY-MM-DD)")],
    end: Annotated[str, typer.Option("--to", help="last day of the period (YYYY-MM-DD)")],
    out: Annotated[Path, typer.Option("-o", "--out", help="directory to write into")] = Path("."),
    pdf: Annotated[
        bool | None,
        typer.Option(
            "--pdf/--no-pdf", help="also write the PDF [default: when the 'pdf' extra is installed]"
        ),
    ] = None,
) -> None:
    """Write the observatory report for a period (JSON, HTML, PDF) and its inputs file."""
    from gaio.services.observatory import report

    state: State = ctx.obj
    written = report.write_report(
        state.gaio(), state.actor, _day(start, "--from"), _day(end, "--to"), out, pdf=pdf
    )
    for path in written:
        typer.echo(f"wrote {path}")


def verify_cmd(
    ctx: typer.Context,
    path: Annotated[
        Path, typer.Argument(help="observatory-report.json, or the directory holding it")
    ],
    as_json: Json = False,
) -> None:
    """Recompute an observatory report from its inputs and check them against this ledger."""
    from gaio.services.observatory import report

    state: State = ctx.obj
    result = report.verify(state.gaio(), state.actor, path)
    if as_json:
        typer.echo(result.model_dump_json(indent=2))
    else:
        verdict = "match" if result.match else "mismatch"
        typer.echo(
            f"{verdict}: size {result.size}, root {result.root}; {result.records_checked} records "
            f"and {result.events_checked} events checked against the ledger"
        )
        for problem in result.problems:
            typer.echo(f"  problem: {problem}")
        for note in result.not_checked:
            typer.echo(f"  not checked: {note}")
    if not result.match:
        raise typer.Exit(1)
