"""``gaio keys``: the signing keys — list them, rotate one, move them to another installation.

Moving or restoring an instance: ``gaio export`` the database and ``gaio keys export`` the keys
(a passphrase-protected bundle); on the new machine ``gaio init``, ``gaio keys import --replace``
(the key ``init`` made is kept aside in ``keys/replaced/``), then ``gaio import``. See
docs/certificates.md.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Any

import typer

from gaio.cli.output import emit_json, note, table
from gaio.cli.state import State
from gaio.errors import InvalidInput

app = typer.Typer(
    help="Signing keys: list, rotate, export and import (passphrase-protected).",
    no_args_is_help=True,
)
Json = Annotated[bool, typer.Option("--json", help="print JSON")]
PassphraseFile = Annotated[
    Path | None,
    typer.Option(
        help="read the passphrase from this file (else GAIO_KEYS_PASSPHRASE, else a prompt)"
    ),
]
ENV = "GAIO_KEYS_PASSPHRASE"


def _passphrase(path: Path | None, *, confirm: bool) -> str:
    if path is not None:
        try:
            return path.read_text(encoding="utf-8").rstrip("\r\n")
        except OSError as exc:
            raise InvalidInput(f"{path}: cannot read the passphrase ({exc.strerror})") from None
    if os.environ.get(ENV):
        return os.environ[ENV]
    value: Any = typer.prompt("passphrase", hide_input=True, confirmation_prompt=confirm)
    return str(value)


@app.command("list")
def list_cmd(ctx: typer.Context, as_json: Json = False) -> None:
    """List the signing keys: purpose, body, validity period, and whether the private key is
    here (finishes a ledger key rotation that was interrupted)."""
    from gaio.services.keys import rotation

    state: State = ctx.obj
    g = state.gaio()
    done = rotation.recover(g)
    if done:
        note(done)
    found = rotation.list_keys(g, state.actor)
    if as_json:
        emit_json(found)
        return
    table(
        f"{len(found)} signing keys",
        ["purpose", "body", "key", "valid from", "valid until", "private key here"],
        [
            (
                k.purpose,
                k.organisation or "",
                k.verifier or k.id,
                k.valid_from or "",
                k.valid_until or ("current" if k.current else ""),
                "yes" if k.private_key_here else "no",
            )
            for k in found
        ],
    )


@app.command("rotate")
def rotate_cmd(
    ctx: typer.Context,
    target: Annotated[str, typer.Argument(help="ledger, or issuer")],
    org: Annotated[str | None, typer.Argument(help="the certification body (issuer)")] = None,
    reason: Annotated[str, typer.Option(help="why (recorded in the ledger)")] = "",
    as_json: Json = False,
) -> None:
    """Retire a key for a new one: 'ledger', or 'issuer ORG'. The old public key stays listed
    with its validity period, so what it signed keeps verifying; the rotation is a ledger
    entry."""
    from gaio.services.keys import rotation

    state: State = ctx.obj
    if target == "ledger" and org is None:
        info = rotation.rotate_ledger(state.gaio(), state.actor, reason)
    elif target == "issuer" and org is not None:
        info = rotation.rotate_issuer(state.gaio(), state.actor, org, reason)
    else:
        raise InvalidInput(
            "rotate what: 'gaio keys rotate ledger' or 'gaio keys rotate issuer ORG'"
        )
    if as_json:
        emit_json(info)
    else:
        typer.echo(f"rotated the {info.purpose} key: now {info.verifier or info.id}")


@app.command("export")
def export_cmd(
    ctx: typer.Context,
    output: Annotated[Path, typer.Option("-o", "--output", help="write the bundle to FILE")],
    passphrase_file: PassphraseFile = None,
    as_json: Json = False,
) -> None:
    """Write every private key (ledger, issuers, legacy) to one passphrase-protected file
    (scrypt + AES-256-GCM, owner-only)."""
    from gaio.services.keys import bundle

    state: State = ctx.obj
    summary = bundle.export_keys(
        state.gaio(), state.actor, output, _passphrase(passphrase_file, confirm=True)
    )
    if as_json:
        emit_json(summary)
    else:
        typer.echo(f"wrote {len(summary.keys)} keys to {output}; keep it and its passphrase apart")


@app.command("import")
def import_cmd(
    ctx: typer.Context,
    bundle_file: Annotated[Path, typer.Argument(metavar="BUNDLE")],
    passphrase_file: PassphraseFile = None,
    replace: Annotated[
        bool,
        typer.Option(
            "--replace", help="replace different keys already here (kept in keys/replaced/)"
        ),
    ] = False,
    as_json: Json = False,
) -> None:
    """Install the keys of a bundle made by 'gaio keys export'."""
    from gaio.services.keys import bundle

    state: State = ctx.obj
    summary = bundle.import_keys(
        state.gaio(),
        state.actor,
        bundle_file,
        _passphrase(passphrase_file, confirm=False),
        replace=replace,
    )
    if as_json:
        emit_json(summary)
    else:
        typer.echo(
            f"installed {len(summary.installed)} keys, {len(summary.already_here)} already here"
            + (
                f"; kept the replaced ones: {', '.join(summary.replaced)}"
                if summary.replaced
                else ""
            )
        )
