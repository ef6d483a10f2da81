"""``gaio export`` and ``gaio import``: the whole registry and ledger as JSON Lines."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from gaio.cli.output import note
from gaio.cli.state import State


def export_cmd(
    ctx: typer.Context,
    file: Annotated[
        str, typer.Argument(metavar="FILE", help="output .jsonl file, or - for stdout")
    ],
) -> None:
    """Export every record and the ledger as JSON Lines (a consistent snapshot)."""
    from gaio.services.ledger import exchange as svc

    state: State = ctx.obj
    count = svc.export(state.gaio(), state.actor, None if file == "-" else Path(file))
    if file != "-":
        note(f"exported {count} lines to {file}")


def import_cmd(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(metavar="FILE", help="a gaio export (.jsonl)")],
    key: Annotated[
        list[str] | None,
        typer.Option(
            "--key",
            metavar="VERIFIER_KEY",
            help="trust checkpoints signed with this ledger key (the source's 'gaio ledger key')",
        ),
    ] = None,
) -> None:
    """Import an export into an empty database: all or nothing, verified before commit."""
    from gaio.services.ledger import exchange as svc

    state: State = ctx.obj
    counts = svc.import_(state.gaio(), state.actor, file, trust=key or [])
    summary = ", ".join(f"{n} {kind}" for kind, n in counts.items())
    typer.echo(f"imported {summary}")
