"""``gaio demo``: load the sample observatory and show what it holds."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from gaio.cli.output import emit_json, progress_bar, table
from gaio.cli.state import State

if TYPE_CHECKING:
    from gaio.services.context import Gaio
    from gaio.services.demo.load import DemoSummary


def demo(
    ctx: typer.Context,
    no_serve: Annotated[bool, typer.Option("--no-serve", help="load the data and exit")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="print a JSON summary")] = False,
    host: Annotated[str, typer.Option(help="interface to serve on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port to serve on")] = 8000,
) -> None:
    """Load a realistic sample observatory (idempotent), print what it holds, and serve the
    web UI and API (unless --no-serve)."""
    from gaio.services.demo import load as svc

    state: State = ctx.obj
    g = state.gaio(create=True)
    with progress_bar("loading the demo (items)", enabled=not as_json) as update:
        summary = svc.load_demo(g, progress=update)
    if as_json:
        emit_json(summary)
    else:
        _print(state, g, summary)
    if not no_serve:
        from gaio.cli.serve import serve_app

        serve_app(state, host, port)


def _print(state: State, g: Gaio, summary: DemoSummary) -> None:
    from gaio.services.registry import listing

    typer.echo(f"gaio demo observatory in {state.settings.home}")
    added = ", ".join(f"{n} {k}" for k, n in summary.added.items()) or "nothing new"
    typer.echo(f"  added this run: {added}")
    table("organisations by kind", ["kind", "count"], sorted(summary.organisations.items()))
    typer.echo(f"  jurisdictions: {', '.join(summary.jurisdictions)}")
    table("licences by status", ["status", "count"], sorted(summary.licences.items()))
    found = listing.search_systems(g, state.actor, listing.SystemQuery(limit=listing.MAX_PAGE))
    table(
        f"{found.total} AI systems",
        ["id", "provider", "version", "stage", "markets", "flags"],
        [
            (s.id, s.provider, s.version, s.stage.value, s.markets, "; ".join(s.flags))
            for s in found.items
        ],
    )
    typer.echo(f"ledger: {summary.ledger_size} entries; latest signed checkpoint:")
    typer.echo(summary.checkpoint)
    for line in summary.accounts:
        typer.echo(line)
    typer.echo("next: 'gaio system show ID', 'gaio ledger verify', 'gaio --help'")
