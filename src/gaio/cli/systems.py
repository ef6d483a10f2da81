"""``gaio system``: AI systems, their versions and lifecycle."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from gaio.cli.output import FormatOpt, console, emit_json, fields, table, text
from gaio.cli.output import listing as print_listing
from gaio.cli.state import State
from gaio.registry.card import load_card
from gaio.registry.vocab import Stage

app = typer.Typer(
    help="AI systems: register cards, move through the lifecycle, read history.",
    no_args_is_help=True,
)

Json = Annotated[bool, typer.Option("--json", help="print JSON")]


@app.command("register")
def register(
    ctx: typer.Context,
    card: Annotated[Path, typer.Argument(help="system card: .yaml, .json or Hugging Face .md")],
    stage: Annotated[Stage, typer.Option(help="lifecycle stage at registration")] = Stage.DESIGN,
    reason: Annotated[str, typer.Option(help="why (recorded in the ledger)")] = "registered",
    as_json: Json = False,
) -> None:
    """Register a system from its card, or a new version of a registered system."""
    from gaio.services.registry import systems as svc

    state: State = ctx.obj
    parsed = load_card(card)
    system = svc.register_system(state.gaio(), state.actor, parsed, stage=stage, reason=reason)
    if as_json:
        emit_json(system)
    else:
        typer.echo(
            f"registered {system.id}@{parsed.system_version} ({stage.value}); "
            f"card {system.latest.card_hash}"
        )


@app.command("list")
def list_(
    ctx: typer.Context,
    query: Annotated[
        str | None, typer.Option("--q", help="text in the id, name, provider or purpose")
    ] = None,
    provider: Annotated[str | None, typer.Option(help="only this provider")] = None,
    stage: Annotated[
        Stage | None, typer.Option(help="only systems whose latest version is here")
    ] = None,
    jurisdiction: Annotated[
        str | None, typer.Option(help="only systems placed on this market (e.g. EU, US)")
    ] = None,
    tier: Annotated[str | None, typer.Option(help="only this EU AI Act tier")] = None,
    limit: Annotated[int, typer.Option(help="page size (at most 200)")] = 200,
    offset: Annotated[int, typer.Option(help="systems to skip")] = 0,
    as_json: Json = False,
    fmt: FormatOpt = "table",
) -> None:
    """List registered systems (the same search as the web registry and the API)."""
    from gaio.services.registry import listing

    state: State = ctx.obj
    params: dict[str, object] = {"q": query, "provider": provider, "stage": stage}
    params |= {"jurisdiction": jurisdiction, "tier": tier, "limit": limit, "offset": offset}
    found = listing.search_systems(state.gaio(), state.actor, listing.parse_query(params, "list"))
    shown = f"{found.offset + 1}-{found.offset + len(found.items)} of " if found.items else ""
    print_listing(
        "json" if as_json else fmt,
        f"{shown}{found.total} systems",
        ["id", "name", "provider", "version", "stage", "markets", "flags"],
        [
            (s.id, s.name, s.provider, s.version, s.stage.value, s.markets, "; ".join(s.flags))
            for s in found.items
        ],
        found,
    )


@app.command("show")
def show(
    ctx: typer.Context,
    system_id: Annotated[str, typer.Argument(metavar="ID")],
    as_json: Json = False,
) -> None:
    """Show a system, its versions, stages and flags."""
    from gaio.services.registry import systems as svc

    state: State = ctx.obj
    system = svc.get_system(state.gaio(), state.actor, system_id)
    if as_json:
        emit_json(system)
        return
    card = system.latest.card
    fields(
        f"{system.name} ({system.id})",
        [
            ("provider", system.provider),
            ("deployers", system.deployers),
            ("version", f"{system.latest.version} ({system.latest.stage.value})"),
            ("card hash", system.latest.card_hash),
            ("purpose", card.intended_purpose),
            ("domains", [d.value for d in card.domains or []]),
            ("markets", card.markets or []),
            ("unknown facts", card.unknown_facts()),
        ],
    )
    for flag in system.flags:
        console.print(f"  [bold red]FLAG[/bold red] {text(flag.message)}")
    table(
        "versions",
        ["version", "stage", "registered", "by", "card hash"],
        [
            (v.version, v.stage.value, v.registered_at, v.registered_by, v.card_hash)
            for v in system.versions
        ],
    )
    table(
        "stage changes",
        ["when", "version", "from", "to", "who", "why"],
        [
            (
                c.at,
                c.version,
                c.from_stage.value if c.from_stage else None,
                c.to_stage.value,
                c.actor,
                c.reason,
            )
            for c in system.stage_changes
        ],
    )


@app.command("stage")
def stage_cmd(
    ctx: typer.Context,
    ref: Annotated[str, typer.Argument(metavar="ID[@VERSION]")],
    stage: Annotated[Stage, typer.Argument(metavar="STAGE", help="the new lifecycle stage")],
    reason: Annotated[str, typer.Option(help="why (recorded in the ledger)")],
    as_json: Json = False,
) -> None:
    """Move a version (default: the latest) to another lifecycle stage."""
    from gaio.services.registry import systems as svc

    state: State = ctx.obj
    system_id, version = svc.split_ref(ref)
    system = svc.change_stage(state.gaio(), state.actor, system_id, stage, reason, version=version)
    if as_json:
        emit_json(system)
    else:
        typer.echo(f"{system_id}@{version or system.latest.version} is now in {stage.value}")


def _summary(details: dict[str, object]) -> str:
    parts = []
    if "from" in details and "stage" in details:
        parts.append(f"stage {details['from']} → {details['stage']}")
    elif "stage" in details:
        parts.append(f"stage {details['stage']}")
    for key in ("name", "card_hash", "reason"):
        if key in details:
            parts.append(f"{key}: {details[key]}")
    return "; ".join(parts)


@app.command("history")
def history(
    ctx: typer.Context,
    system_id: Annotated[str, typer.Argument(metavar="ID")],
    proofs: Annotated[
        bool, typer.Option("--proofs", help="include an inclusion proof per entry")
    ] = False,
    as_json: Json = False,
) -> None:
    """The chain of responsibility of a system, from the ledger."""
    from gaio.services.ledger import audit as ledger_svc
    from gaio.services.registry import systems as svc

    state: State = ctx.obj
    g = state.gaio()
    entries = svc.system_history(g, state.actor, system_id)
    docs = [ledger_svc.prove(g, e.seq) for e in entries] if proofs else []
    if as_json:
        out = [e.model_dump(mode="json") for e in entries]
        for item, doc in zip(out, docs, strict=False):
            item["inclusion_proof"] = doc.model_dump(mode="json")
        emit_json(out)
        return
    table(
        f"chain of responsibility of {system_id}",
        ["seq", "time", "actor", "organisation", "action", "subject", "stage", "what changed"],
        [
            (
                e.seq,
                e.time,
                e.actor,
                e.organisation,
                e.action,
                e.subject,
                e.stage,
                _summary(e.details),
            )
            for e in entries
        ],
    )
    for doc in docs:
        console.print(text(doc.to_json()))


@app.command("evidence")
def evidence_cmd(
    ctx: typer.Context,
    system_id: Annotated[str, typer.Argument(metavar="ID")],
    as_json: Json = False,
) -> None:
    """Evidence stored for a system (evaluation results), with their hashes."""
    from gaio.services.evaluation import evidence as ev

    state: State = ctx.obj
    items = ev.list_evidence(state.gaio(), state.actor, system_id)
    if as_json:
        emit_json(items)
        return
    table(
        f"evidence of {system_id}",
        ["id", "version", "kind", "verdict", "sha256", "by", "when"],
        [
            (
                i.id,
                i.system_version,
                i.kind,
                i.summary.get("verdict"),
                i.sha256[:16],
                i.created_by,
                i.created_at,
            )
            for i in items
        ],
    )


@app.command("reclassify")
def reclassify(
    ctx: typer.Context,
    check: Annotated[bool, typer.Option("--check", help="only list what is stale")] = False,
    as_json: Json = False,
) -> None:
    """Re-run classifications made under a rule-set that is no longer the one in force."""
    from gaio.services.registry import classifications

    state: State = ctx.obj
    g = state.gaio()
    todo = classifications.stale(g) if check else classifications.refresh(g, state.actor)
    rows = [{"system": s, "version": v, "was": had, "now": now} for s, v, had, now in todo]
    if as_json:
        emit_json(rows)
        return
    verb = "stale" if check else "re-classified"
    table(
        f"{len(rows)} classifications {verb}",
        ["system", "version", "was", "now"],
        [(r["system"], r["version"], r["was"], r["now"]) for r in rows],
    )


@app.command("deployer-requests")
def deployer_requests(ctx: typer.Context, as_json: Json = False) -> None:
    """Systems whose providers named your organisation as a deployer, awaiting your answer."""
    from gaio.services.registry import deployers

    state: State = ctx.obj
    found = deployers.pending_for(state.gaio(), state.actor)
    if as_json:
        emit_json(found)
        return
    table(
        f"{len(found)} deployer requests",
        ["system", "requested", "by"],
        [(r.system_id, f"{r.requested_at:%Y-%m-%d}", r.requested_by) for r in found],
    )


@app.command("accept-deployer")
def accept_deployer(
    ctx: typer.Context, system_id: Annotated[str, typer.Argument(help="the system")]
) -> None:
    """Accept being a deployer of a system (a deployer of the organisation named)."""
    from gaio.services.registry import deployers

    state: State = ctx.obj
    link = deployers.decide(state.gaio(), state.actor, system_id, accept=True)
    typer.echo(f"{link.deployer} is now a deployer of {link.system_id}")


@app.command("decline-deployer")
def decline_deployer(
    ctx: typer.Context, system_id: Annotated[str, typer.Argument(help="the system")]
) -> None:
    """Decline being named a deployer of a system."""
    from gaio.services.registry import deployers

    state: State = ctx.obj
    link = deployers.decide(state.gaio(), state.actor, system_id, accept=False)
    typer.echo(f"{link.deployer} declined being a deployer of {link.system_id}")


def _supply_chain() -> None:
    from gaio.cli.supplychain import lineage_cmd, mlbom_cmd, mlbom_import_cmd

    app.command("lineage")(lineage_cmd)
    app.command("mlbom")(mlbom_cmd)
    app.command("mlbom-import")(mlbom_import_cmd)


_supply_chain()
