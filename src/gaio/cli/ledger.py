"""``gaio ledger``: the transparency log — entries, checkpoints, proofs, verification."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from gaio.cli.output import console, emit_json, note, progress_bar, table, text
from gaio.cli.state import State
from gaio.inputs import read_text
from gaio.ledger.proofs import verify_proof_document

app = typer.Typer(
    help="The ledger: an RFC 9162 transparency log of every change.", no_args_is_help=True
)

Json = Annotated[bool, typer.Option("--json", help="print JSON")]
Out = Annotated[Path | None, typer.Option("--output", "-o", help="write the proof to this file")]


@app.command("show")
def show(
    ctx: typer.Context,
    start: Annotated[int, typer.Option("--from", help="first sequence number")] = 0,
    limit: Annotated[int, typer.Option(help="at most this many entries")] = 100,
    as_json: Json = False,
) -> None:
    """List log entries."""
    from gaio.services.ledger import audit as svc

    state: State = ctx.obj
    entries = svc.show(state.gaio(), start=start, limit=limit)
    if as_json:
        emit_json(entries)
        return
    table(
        f"ledger entries from {start}",
        ["seq", "time", "actor", "role", "action", "subject", "record hash"],
        [
            (
                e.seq,
                e.time,
                e.actor,
                e.role,
                e.action,
                e.subject,
                (e.public_hash or e.record_hash or "")[:23],
            )
            for e in entries
        ],
    )


@app.command("checkpoint")
def checkpoint(ctx: typer.Context, as_json: Json = False) -> None:
    """Sign a checkpoint (C2SP tlog-checkpoint) of the log as it stands and print it."""
    from gaio.services.ledger import audit as svc

    state: State = ctx.obj
    info = svc.sign_checkpoint(state.gaio(), state.actor)
    if as_json:
        emit_json(info)
    else:
        typer.echo(info.note, nl=False)


def _write(doc_json: str, output: Path | None) -> None:
    if output is None:
        typer.echo(doc_json)
    else:
        output.write_text(doc_json + "\n", encoding="utf-8")
        note(f"wrote {output}")


@app.command("prove")
def prove(
    ctx: typer.Context,
    seq: Annotated[int, typer.Argument(metavar="SEQ", help="sequence number of the entry")],
    output: Out = None,
    as_json: Json = False,
) -> None:
    """An inclusion proof of one entry against a signed checkpoint (JSON)."""
    from gaio.services.ledger import audit as svc

    state: State = ctx.obj
    _write(svc.prove(state.gaio(), seq).to_json(), output)


@app.command("consistency")
def consistency(
    ctx: typer.Context,
    old_size: Annotated[int, typer.Argument(metavar="OLD_SIZE")],
    new_size: Annotated[int | None, typer.Argument(metavar="[NEW_SIZE]")] = None,
    output: Out = None,
    as_json: Json = False,
) -> None:
    """A consistency proof between two checkpoints (JSON)."""
    from gaio.services.ledger import audit as svc

    state: State = ctx.obj
    _write(svc.consistency(state.gaio(), old_size, new_size).to_json(), output)


Against = Annotated[
    Path | None,
    typer.Option(
        "--against",
        metavar="CHECKPOINT",
        help="also check the log against a signed checkpoint obtained elsewhere (a file)",
    ),
]
KeyOpt = Annotated[
    str | None, typer.Option("--key", help="verifier key of that checkpoint (default: this log's)")
]
WitnessOpt = Annotated[
    list[str] | None,
    typer.Option("--witness", metavar="VKEY", help="require this witness's cosignature"),
]


DeepOpt = Annotated[
    bool,
    typer.Option(
        "--deep", help="also rebuild the search tables and hash every stored file, and compare"
    ),
]
RepairOpt = Annotated[
    bool, typer.Option("--repair", help="with --deep: rebuild search tables that differ")
]


@app.command("verify")
def verify(
    ctx: typer.Context,
    against: Against = None,
    key: KeyOpt = None,
    witness: WitnessOpt = None,
    deep: DeepOpt = False,
    repair: RepairOpt = False,
    as_json: Json = False,
) -> None:
    """Recompute the tree and check checkpoints and every record against the log."""
    from gaio.services.ledger import audit as svc

    state: State = ctx.obj
    g = state.gaio()
    if against is not None:
        note_text = read_text(against, "checkpoint", limit=64 * 1024)
        checked = svc.verify_against(g, note_text, key=key, witnesses=witness or [])
        if as_json:
            emit_json(checked)
        elif checked.ok:
            typer.echo(f"checkpoint OK: {checked.message}")
        else:
            note(f"checkpoint FAILED: {checked.message}")
        if not checked.ok:
            raise typer.Exit(1)
        return
    with progress_bar("verifying entries", enabled=not as_json) as update:
        report = svc.verify(g, progress=update)
    deep_ok = True
    deep_report = None
    if deep:
        from gaio.services.ledger import deep as deep_svc

        deep_report = deep_svc.verify_deep(g)
        if repair and not deep_report.ok:
            deep_svc.repair_derived(g, state.actor)
            deep_report = deep_svc.verify_deep(g)
        deep_ok = deep_report.ok
    if as_json:
        emit_json({"ledger": report, "deep": deep_report} if deep else report)
    elif report.ok:
        typer.echo(
            f"ledger OK: {report.size} entries, {report.checkpoints} checkpoints, "
            f"{report.records} records checked in {report.seconds:.2f} s "
            f"({report.entries_per_second:,.0f} entries/s)"
        )
    else:
        first = report.problems[0]
        where = f"sequence number {first.seq}" if first.seq is not None else "the records"
        note(f"ledger FAILED at {where}: {first.message}")
        for problem in report.problems[1:20]:
            note(f"  also: {problem.message}")
    if deep_report is not None and not as_json:
        if deep_report.ok:
            typer.echo(
                f"deep OK: {deep_report.derived_tables} derived tables rebuilt and equal, "
                f"{deep_report.files} stored files match their records"
            )
        for deep_problem in deep_report.problems[:20]:
            note(f"deep FAILED: {deep_problem.message}")
    if not report.ok or not deep_ok:
        raise typer.Exit(1)


witness_app = typer.Typer(
    help="Witness other gaio logs: check each new checkpoint extends the last, and cosign it.",
    no_args_is_help=True,
)
app.add_typer(witness_app, name="witness")


@witness_app.command("follow")
def witness_follow(
    ctx: typer.Context,
    origin: Annotated[str, typer.Argument(metavar="ORIGIN", help="the log's origin line")],
    url: Annotated[str, typer.Argument(metavar="URL", help="the gaio server's base URL")],
    key: Annotated[str, typer.Option("--key", help="the log's verifier key")],
    as_json: Json = False,
) -> None:
    """Start witnessing a log."""
    from gaio.services.ledger import witness as svc

    state: State = ctx.obj
    done = svc.follow(state.gaio(), state.actor, origin, url, key)
    if as_json:
        emit_json(done)
    else:
        typer.echo(f"witnessing {done.origin} at {done.url}")


@witness_app.command("poll")
def witness_poll(
    ctx: typer.Context,
    origin: Annotated[str, typer.Argument(metavar="ORIGIN")],
    as_json: Json = False,
) -> None:
    """Fetch the log's latest checkpoint, check it extends the last one, and cosign it."""
    from gaio.services.ledger import witness as svc

    state: State = ctx.obj
    done = svc.poll(state.gaio(), state.actor, origin)
    if as_json:
        emit_json(done)
    else:
        typer.echo(done.cosigned or "", nl=False)


@witness_app.command("list")
def witness_list(ctx: typer.Context, as_json: Json = False) -> None:
    """The logs this instance witnesses, with the size of the last cosigned checkpoint."""
    from gaio.services.ledger import witness as svc

    state: State = ctx.obj
    found = svc.followed(state.gaio(), state.actor)
    if as_json:
        emit_json(found)
        return
    table("witnessed logs", ["origin", "url", "size"], [(w.origin, w.url, w.size) for w in found])


@witness_app.command("key")
def witness_key(ctx: typer.Context) -> None:
    """Print this witness's cosigner key (C2SP vkey, signature type 0x04)."""
    from gaio.services.ledger import witness as svc

    state: State = ctx.obj
    typer.echo(svc.witness_key(state.gaio()))


@app.command("verify-proof")
def verify_proof(
    proof: Annotated[Path, typer.Argument(metavar="PROOF.json")],
    key: Annotated[str, typer.Option("--key", help="verifier key, or a file holding it")],
    as_json: Json = False,
) -> None:
    """Check an inclusion or consistency proof offline, with only the public key."""
    doc = read_text(proof, "proof")
    key_path = Path(key)
    if "+" not in key and key_path.exists():
        key = key_path.read_text(encoding="utf-8").strip()
    verdict = verify_proof_document(doc, key)
    if as_json:
        emit_json(verdict)
    else:
        console.print(f"proof OK: {text(verdict.statement)}")


@app.command("key")
def key(ctx: typer.Context, as_json: Json = False) -> None:
    """Print the observatory's public key (C2SP note verifier key)."""
    from gaio.services.ledger import audit as svc

    state: State = ctx.obj
    vkey = svc.verifier_key(state.gaio())
    if as_json:
        emit_json({"verifier_key": vkey, "origin": state.settings.log_origin})
    else:
        typer.echo(vkey)
