"""``gaio opendata``: the observatory's open data."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from gaio.cli.assess import Json
from gaio.cli.state import State

app = typer.Typer(
    help="Open data: tidy public tables as CSV, Parquet and DuckDB.", no_args_is_help=True
)


@app.command("export")
def export_cmd(
    ctx: typer.Context,
    out: Annotated[Path, typer.Argument(help="a new or empty folder to write into")],
    since: Annotated[
        int | None,
        typer.Option("--since", help="only rows whose record changed at or after this ledger size"),
    ] = None,
    as_json: Json = False,
) -> None:
    """Export the public tables with a Frictionless datapackage.json, cut at one ledger size."""
    from gaio.services.observatory import opendata

    state: State = ctx.obj
    summary = opendata.export(state.gaio(), state.actor, out, since=since)
    if as_json:
        typer.echo(summary.model_dump_json(indent=2))
        return
    rows = sum(summary.rows.values())
    typer.echo(
        f"wrote {len(summary.rows)} tables, {rows} rows, {summary.bytes:,} bytes to {summary.path} "
        f"(ledger size {summary.size}, root {summary.root})"
    )
