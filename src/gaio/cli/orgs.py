"""``gaio org``: organisations."""

from __future__ import annotations

from typing import Annotated

import typer

from gaio.cli.output import emit_json, fields, table
from gaio.cli.state import State
from gaio.registry.vocab import OrgKind

app = typer.Typer(
    help="Organisations: providers, deployers, auditors, regulators, research.",
    no_args_is_help=True,
)

Json = Annotated[bool, typer.Option("--json", help="print JSON")]


@app.command("add")
def add(
    ctx: typer.Context,
    org_id: Annotated[str, typer.Argument(metavar="ID", help="slug, e.g. acme-ai")],
    name: Annotated[str, typer.Option(help="display name")],
    kind: Annotated[OrgKind, typer.Option(help="kind of organisation")],
    jurisdiction: Annotated[
        list[str], typer.Option("--jurisdiction", "-j", help="ISO 3166 code or EU (repeatable)")
    ],
    contact: Annotated[str | None, typer.Option(help="contact address")] = None,
    as_json: Json = False,
) -> None:
    """Register an organisation."""
    from gaio.services.registry import organisations as svc

    state: State = ctx.obj
    codes = [c.strip() for j in jurisdiction for c in j.split(",") if c.strip()]
    org = svc.add_organisation(
        state.gaio(),
        state.actor,
        {
            "id": org_id,
            "name": name,
            "kind": kind.value,
            "jurisdictions": codes,
            "contact": contact,
        },
    )
    if as_json:
        emit_json(org)
    else:
        typer.echo(f"added organisation {org.id} ({org.kind.value})")


@app.command("list")
def list_(
    ctx: typer.Context,
    kind: Annotated[OrgKind | None, typer.Option(help="only this kind")] = None,
    jurisdiction: Annotated[str | None, typer.Option(help="only this jurisdiction")] = None,
    as_json: Json = False,
) -> None:
    """List organisations."""
    from gaio.services.registry import organisations as svc

    state: State = ctx.obj
    orgs = svc.list_organisations(state.gaio(), state.actor, kind=kind, jurisdiction=jurisdiction)
    if as_json:
        emit_json(orgs)
        return
    table(
        f"{len(orgs)} organisations",
        ["id", "name", "kind", "jurisdictions"],
        [(o.id, o.name, o.kind.value, o.jurisdictions) for o in orgs],
    )


@app.command("show")
def show(
    ctx: typer.Context,
    org_id: Annotated[str, typer.Argument(metavar="ID")],
    as_json: Json = False,
) -> None:
    """Show one organisation."""
    from gaio.services.registry import organisations as svc

    state: State = ctx.obj
    org = svc.get_organisation(state.gaio(), state.actor, org_id)
    if as_json:
        emit_json(org)
        return
    fields(
        org.name,
        [
            ("id", org.id),
            ("kind", org.kind.value),
            ("jurisdictions", org.jurisdictions),
            ("contact", org.contact),
            ("registered", org.created_at),
        ],
    )
