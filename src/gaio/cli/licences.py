"""``gaio licence``: licences granted by regulators."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

import typer

from gaio.cli.output import FormatOpt, emit_json, fields, listing, table
from gaio.cli.state import State
from gaio.errors import InvalidInput
from gaio.registry.vocab import LicenceScope, LicenceStatus

app = typer.Typer(help="Licences: grant, suspend, reinstate, revoke, list.", no_args_is_help=True)

Json = Annotated[bool, typer.Option("--json", help="print JSON")]
Reason = Annotated[str, typer.Option("--reason", help="why (recorded in the ledger)")]


def _date(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        return datetime.strptime(value, "%Y-%m-%d").date()  # noqa: DTZ007 - a calendar date
    except ValueError:
        raise InvalidInput(f"{option}: {value!r} is not a date; expected YYYY-MM-DD") from None


@app.command("grant")
def grant(
    ctx: typer.Context,
    holder: Annotated[str, typer.Argument(help="organisation receiving the licence")],
    scope: Annotated[LicenceScope, typer.Option(help="what the licence allows")],
    reason: Reason,
    valid_from: Annotated[str | None, typer.Option(help="YYYY-MM-DD (default today)")] = None,
    valid_until: Annotated[str | None, typer.Option(help="YYYY-MM-DD (default open-ended)")] = None,
    issuer: Annotated[
        str | None, typer.Option(help="regulator (default: your organisation)")
    ] = None,
    as_json: Json = False,
) -> None:
    """Grant a licence (regulators only)."""
    from gaio.services.registry import licences as svc

    state: State = ctx.obj
    lic = svc.grant_licence(
        state.gaio(),
        state.actor,
        svc.LicenceGrant(
            issuer=issuer,
            holder=holder,
            scope=scope,
            valid_from=_date(valid_from, "--valid-from"),
            valid_until=_date(valid_until, "--valid-until"),
            reason=reason,
        ),
    )
    if as_json:
        emit_json(lic)
    else:
        typer.echo(f"granted licence {lic.id} ({lic.scope.value}) to {lic.holder}")


def _change(ctx: typer.Context, licence_id: str, action: str, reason: str, as_json: bool) -> None:
    from gaio.services.registry import licences as svc

    state: State = ctx.obj
    change = svc.change_licence(state.gaio(), state.actor, licence_id, action, reason)
    if as_json:
        emit_json(change)
        return
    typer.echo(f"licence {licence_id} is now {change.licence.status.value}")
    if change.affected_systems:
        typer.echo("affected systems (flagged): " + ", ".join(change.affected_systems))


@app.command("suspend")
def suspend(
    ctx: typer.Context,
    licence_id: Annotated[str, typer.Argument(metavar="ID")],
    reason: Reason,
    as_json: Json = False,
) -> None:
    """Suspend an active licence."""
    _change(ctx, licence_id, "suspend", reason, as_json)


@app.command("reinstate")
def reinstate(
    ctx: typer.Context,
    licence_id: Annotated[str, typer.Argument(metavar="ID")],
    reason: Reason,
    as_json: Json = False,
) -> None:
    """Reinstate a suspended licence."""
    _change(ctx, licence_id, "reinstate", reason, as_json)


@app.command("revoke")
def revoke(
    ctx: typer.Context,
    licence_id: Annotated[str, typer.Argument(metavar="ID")],
    reason: Reason,
    as_json: Json = False,
) -> None:
    """Revoke a licence (final)."""
    _change(ctx, licence_id, "revoke", reason, as_json)


@app.command("list")
def list_(
    ctx: typer.Context,
    holder: Annotated[str | None, typer.Option(help="only this holder")] = None,
    scope: Annotated[LicenceScope | None, typer.Option(help="only this scope")] = None,
    status: Annotated[LicenceStatus | None, typer.Option(help="only this status")] = None,
    on: Annotated[str | None, typer.Option(help="status on this date (YYYY-MM-DD)")] = None,
    as_json: Json = False,
    fmt: FormatOpt = "table",
) -> None:
    """List licences with their status today (or --on a date)."""
    from gaio.services.registry import licences as svc

    state: State = ctx.obj
    found = svc.list_licences(
        state.gaio(), state.actor, holder=holder, scope=scope, status=status, on=_date(on, "--on")
    )
    listing(
        "json" if as_json else fmt,
        f"{len(found)} licences",
        ["id", "holder", "scope", "issuer", "valid", "status", "reason"],
        [
            (
                lic.id,
                lic.holder,
                lic.scope.value,
                lic.issuer,
                f"{lic.valid_from} → {lic.valid_until or 'open'}",
                lic.status.value,
                lic.reason,
            )
            for lic in found
        ],
        found,
    )


@app.command("show")
def show(
    ctx: typer.Context,
    licence_id: Annotated[str, typer.Argument(metavar="ID")],
    as_json: Json = False,
) -> None:
    """Show a licence and every decision about it."""
    from gaio.services.registry import licences as svc

    state: State = ctx.obj
    lic = svc.get_licence(state.gaio(), state.actor, licence_id)
    if as_json:
        emit_json(lic)
        return
    fields(
        lic.id,
        [
            ("holder", lic.holder),
            ("scope", lic.scope.value),
            ("issuer", lic.issuer),
            ("valid", f"{lic.valid_from} → {lic.valid_until or 'open'}"),
            ("status", lic.status.value),
        ],
    )
    table(
        "decisions",
        ["when", "who", "action", "reason"],
        [(e.at, e.actor, e.action, e.reason) for e in lic.events],
    )
