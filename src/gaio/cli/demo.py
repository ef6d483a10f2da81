"""``gaio demo``: load the sample observatory and show what it holds."""

from __future__ import annotations

from typing import Annotated

import typer

from gaio.cli.output import emit_json, table
from gaio.cli.state import State


def demo(
    ctx: typer.Context,
    no_serve: Annotated[bool, typer.Option("--no-serve", help="load the data and exit")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="print a JSON summary")] = False,
) -> None:
    """Load a realistic sample observatory (idempotent) and print what it holds."""
    from gaio.services import demo as svc
    from gaio.services import systems

    state: State = ctx.obj
    g = state.gaio(create=True)
    summary = svc.load_demo(g)
    if as_json:
        emit_json(summary)
        return
    typer.echo(f"gaio demo observatory in {state.settings.home}")
    added = ", ".join(f"{n} {k}" for k, n in summary.added.items()) or "nothing new"
    typer.echo(f"  added this run: {added}")
    table("organisations by kind", ["kind", "count"], sorted(summary.organisations.items()))
    typer.echo(f"  jurisdictions: {', '.join(summary.jurisdictions)}")
    table("licences by status", ["status", "count"], sorted(summary.licences.items()))
    found = systems.list_systems(g, state.actor)
    table(
        f"{len(found)} AI systems",
        ["id", "provider", "version", "stage", "markets", "flags"],
        [
            (
                s.id,
                s.provider,
                s.latest.version,
                s.latest.stage.value,
                s.latest.card.markets or [],
                "; ".join(f.code for f in s.flags),
            )
            for s in found
        ],
    )
    typer.echo(f"ledger: {summary.ledger_size} entries; latest signed checkpoint:")
    typer.echo(summary.checkpoint)
    typer.echo("next: 'gaio system show ID', 'gaio ledger verify', 'gaio --help'")
