"""``gaio provenance``: content credentials (C2PA) and declared text watermarks."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from gaio.cli.output import emit_json
from gaio.cli.state import State

app = typer.Typer(
    help="Content provenance: C2PA credentials and text watermarks as Art. 50(2) evidence.",
    no_args_is_help=True,
)
Json = Annotated[bool, typer.Option("--json", help="print JSON")]
System = Annotated[
    str | None,
    typer.Option("--system", help="record the verdict as Art. 50(2) evidence of ID[@VERSION]"),
]


@app.command("verify")
def verify_cmd(
    ctx: typer.Context,
    path: Annotated[Path, typer.Argument(help="image, audio, video or PDF file")],
    trust: Annotated[
        Path | None,
        typer.Option(help="trust list: PEM anchors [default: GAIO_HOME/c2pa-trust.pem]"),
    ] = None,
    system: System = None,
    as_json: Json = False,
) -> None:
    """Check a file's C2PA Content Credentials; exit 0 only when trusted."""
    from gaio.services.evaluation import provenance

    state: State = ctx.obj
    verdict, evidence = provenance.verify_file(
        state.gaio(), state.actor, path, trust=trust, system=system
    )
    if as_json:
        emit_json(verdict)
    else:
        typer.echo(f"{verdict.verdict}: {verdict.message}")
        if verdict.claim_generator:
            typer.echo(f"  claim generator: {verdict.claim_generator}")
        if verdict.ai_generated is not None:
            typer.echo(f"  declares AI generation: {'yes' if verdict.ai_generated else 'no'}")
        if verdict.actions:
            typer.echo(f"  actions: {', '.join(verdict.actions)}")
        if evidence is not None:
            typer.echo(f"  recorded as evidence {evidence.id}")
    if verdict.verdict != "trusted":
        raise typer.Exit(1)


@app.command("watermark")
def watermark_cmd(
    ctx: typer.Context,
    path: Annotated[Path, typer.Argument(help="a UTF-8 text file")],
    key: Annotated[str, typer.Option(help="the declared watermark key")],
    gamma: Annotated[float, typer.Option(help="green-list fraction")] = 0.25,
    tokenizer: Annotated[str, typer.Option(help="whitespace or utf8-bytes")] = "whitespace",
    z_threshold: Annotated[float, typer.Option(help="z-score from which text is marked")] = 4.0,
    system: System = None,
    as_json: Json = False,
) -> None:
    """Detect a declared green-list watermark (Kirchenbauer et al. 2023): z-score and p-value."""
    from gaio.services.evaluation import provenance

    state: State = ctx.obj
    scheme = provenance.parse_scheme(
        {"key": key, "gamma": gamma, "tokenizer": tokenizer, "z_threshold": z_threshold}
    )
    verdict, evidence = provenance.check_watermark(
        state.gaio(), state.actor, path, scheme, system=system
    )
    if as_json:
        emit_json(verdict)
        return
    shown = "marked" if verdict.detected else "not shown to be marked"
    typer.echo(
        f"{shown}: z = {verdict.z_score}, p = {verdict.p_value}, {verdict.green} green of "
        f"{verdict.tokens_scored} token pairs"
    )
    for note in verdict.notes:
        typer.echo(f"  note: {note}")
    if evidence is not None:
        typer.echo(f"  recorded as evidence {evidence.id}")
