"""``gaio doctor``: check an installation's health (read-only)."""

from __future__ import annotations

from typing import Annotated

import typer

from gaio.cli.output import emit_json, table
from gaio.cli.state import State


def doctor(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="print JSON")] = False,
) -> None:
    """Check the schema version, keys and permissions, and the age of the unsigned ledger tail."""
    from gaio.services.doctor import diagnose

    state: State = ctx.obj
    report = diagnose(state.gaio())
    if as_json:
        emit_json(report)
    else:
        table(
            "gaio doctor",
            ["check", "status", "detail"],
            [(c.name, c.status, c.message) for c in report.checks],
        )
    if not report.ok:
        raise typer.Exit(1)
