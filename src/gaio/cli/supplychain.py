"""``gaio system lineage``, ``mlbom`` and ``mlbom-import``: the supply chain of a system."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from gaio.cli.output import emit_json
from gaio.cli.state import State
from gaio.inputs import read_text

Json = Annotated[bool, typer.Option("--json", help="print JSON")]


def lineage_cmd(
    ctx: typer.Context,
    system: Annotated[str, typer.Argument(help="system id")],
    as_json: Json = False,
) -> None:
    """The chain a system sits in (base models, downstream systems, deployers), the duties along
    it, and the flags raised by changes upstream."""
    from gaio.services.registry import supplychain

    state: State = ctx.obj
    found = supplychain.lineage(state.gaio(), state.actor, system)
    if as_json:
        emit_json(found)
        return
    typer.echo(f"{found.system} (provider {found.provider})")
    for link in found.upstream:
        who = f"provider {link.provider}" if link.provider else "outside the registry"
        gp = ", general-purpose" if link.general_purpose else ""
        typer.echo(f"  {'  ' * (link.depth - 1)}built on {link.system} ({who}{gp})")
    for link in found.downstream:
        typer.echo(f"  {'  ' * (link.depth - 1)}used by {link.system} (provider {link.provider})")
    if found.deployers:
        typer.echo(f"  deployed by {', '.join(found.deployers)}")
    for duty in found.duties:
        typer.echo(f"  duty: {duty}")
    for flag in found.flags:
        typer.echo(f"  FLAG {flag.kind}: {flag.detail}")
    if not found.flags:
        typer.echo("  no flags from upstream")


def mlbom_cmd(
    ctx: typer.Context,
    ref: Annotated[str, typer.Argument(help="SYSTEM or SYSTEM@VERSION")],
    out: Annotated[Path | None, typer.Option("-o", "--out", help="file to write")] = None,
) -> None:
    """Export a system version as a CycloneDX 1.6 ML-BOM (JSON)."""
    from gaio.services.registry import supplychain

    state: State = ctx.obj
    system, _, version = ref.partition("@")
    bom = supplychain.export_mlbom(state.gaio(), state.actor, system, version or None)
    text = json.dumps(bom, indent=2, ensure_ascii=False) + "\n"
    if out is None:
        typer.echo(text, nl=False)
    else:
        out.write_text(text, encoding="utf-8")
        typer.echo(f"wrote {out}")


def mlbom_import_cmd(
    ctx: typer.Context,
    path: Annotated[Path, typer.Argument(help="a CycloneDX ML-BOM (JSON)")],
    provider: Annotated[str, typer.Option(help="the provider organisation's id in the registry")],
) -> None:
    """Read a CycloneDX ML-BOM (or an SPDX 3 AI-profile document) into a system card draft
    (printed as JSON; register it with
    ``gaio system register``)."""
    from gaio.services.registry import supplychain

    state: State = ctx.obj
    card = supplychain.card_from_mlbom(state.actor, read_text(path, "ML-BOM"), str(path), provider)
    typer.echo(card.model_dump_json(indent=2, exclude_none=True))
