"""``gaio certificate``: issue, export, list, revoke and suspend certificates, and verify one.

``certificate verify`` works offline: it reads the certificate, the issuer's public key and the
published status lists, and opens no database (so it runs where gaio was never set up).
"""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Annotated, Any

import typer

from gaio.cli.assess import AssessmentId, Json
from gaio.cli.output import emit_json, note, table
from gaio.cli.state import State
from gaio.errors import InvalidInput
from gaio.inputs import load_json, read_text

certificate_app = typer.Typer(
    help="Certificates: issue, export, verify offline, revoke, suspend.", no_args_is_help=True
)


def _certs() -> Any:
    from gaio.services.certification import certificates as certification

    return certification


@certificate_app.command("issue")
def issue_cmd(
    ctx: typer.Context,
    assessment_id: AssessmentId,
    days: Annotated[int, typer.Option(help="validity in days")] = 3 * 365,
    as_json: Json = False,
) -> None:
    """Issue the signed certificate of an approved assessment (the approving body)."""
    state: State = ctx.obj
    certs = _certs()
    cert_id = certs.issue_certificate(
        state.gaio(), state.actor, assessment_id, validity=timedelta(days=days)
    )
    info = certs.get_certificate(state.gaio(), state.actor, cert_id)
    if as_json:
        emit_json(info)
    else:
        typer.echo(
            f"issued certificate {cert_id} ({info.urn}) valid until {info.valid_until:%Y-%m-%d}"
        )


@certificate_app.command("export")
def export_cmd(
    ctx: typer.Context,
    cert_id: Annotated[int, typer.Argument(metavar="ID")],
    output: Annotated[Path | None, typer.Option("-o", "--output", help="write to FILE")] = None,
) -> None:
    """Write the certificate (a W3C Verifiable Credential) as JSON."""
    state: State = ctx.obj
    doc = _certs().export_certificate(state.gaio(), state.actor, cert_id)
    _write_json(doc, output)


def _write_json(doc: dict[str, Any], output: Path | None) -> None:
    body = json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
    if output is None:
        sys.stdout.write(body)
    else:
        output.write_text(body, encoding="utf-8")
        note(f"wrote {output}")


def _read_json(path: Path, what: str) -> dict[str, Any]:
    data = load_json(read_text(path, what), str(path))
    if not isinstance(data, dict):
        raise InvalidInput(f"{path}: {what} must be a JSON object")
    return data


def _public_key(value: str) -> bytes:
    from gaio.certification.multibase import parse_public_key

    path = Path(value)
    if not value.startswith(("did:", "z")) and path.exists():
        value = path.read_text(encoding="utf-8").strip()
    return parse_public_key(value)


@certificate_app.command("verify")
def verify_cmd(
    cert: Annotated[Path, typer.Argument(metavar="CERT.json")],
    key: Annotated[
        str, typer.Option(help="issuer public key: did:key:z6Mk…, z6Mk… or a file holding it")
    ],
    status: Annotated[
        list[Path] | None, typer.Option(help="a published status list (repeatable)")
    ] = None,
    ledger_key: Annotated[
        str | None, typer.Option(help="ledger verifier key, to check the checkpoint signature")
    ] = None,
    at: Annotated[
        str | None, typer.Option(help="check validity at this UTC time (default: now)")
    ] = None,
    as_json: Json = False,
) -> None:
    """Verify a certificate offline: valid, expired, revoked, suspended, tampered, unknown key."""
    from gaio.certification.credential import verify_certificate

    try:
        now = datetime.fromisoformat(at.replace("Z", "+00:00")) if at else datetime.now(UTC)
    except ValueError:
        raise InvalidInput(f"--at: {at!r} is not an ISO 8601 time") from None
    if now.tzinfo is None:
        now = now.replace(tzinfo=UTC)
    lists = [_read_json(p, "status list") for p in status or []]
    verdict = verify_certificate(
        _read_json(cert, "certificate"),
        _public_key(key),
        now=now,
        status_lists=lists,
        ledger_key=ledger_key,
    )
    if as_json:
        emit_json(verdict)
    else:
        typer.echo(f"{verdict.outcome}: {verdict.message}")
        subject = verdict.subject or {}
        typer.echo(
            f"  certificate {verdict.certificate} "
            f"for {subject.get('system')}@{subject.get('version')}"
        )
        for line in verdict.checks:
            typer.echo(f"  checked {line}")
    if not verdict.ok:
        raise typer.Exit(1)


def _change(action: str) -> Any:
    def command(
        ctx: typer.Context,
        cert_id: Annotated[int, typer.Argument(metavar="ID")],
        reason: Annotated[str, typer.Option(help="why (recorded in the ledger)")],
    ) -> None:
        state: State = ctx.obj
        info = _certs().change_certificate(state.gaio(), state.actor, cert_id, action, reason)
        typer.echo(f"certificate {cert_id} is now {info.state}; publish the status lists again")

    command.__doc__ = f"{action.capitalize()} a certificate (the issuing body, or a regulator)."
    return command


for _action in ("revoke", "suspend", "reinstate"):
    certificate_app.command(_action)(_change(_action))


@certificate_app.command("list")
def list_cmd(
    ctx: typer.Context,
    system: Annotated[str | None, typer.Option(help="only this system's")] = None,
    as_json: Json = False,
) -> None:
    """List certificates with their status today."""
    state: State = ctx.obj
    found = _certs().list_certificates(state.gaio(), state.actor, system=system)
    if as_json:
        emit_json(found)
        return
    table(
        f"{len(found)} certificates",
        ["id", "system", "version", "body", "status", "valid until", "not covering"],
        [
            (
                c.id,
                c.system,
                c.system_version,
                c.certification_body,
                c.status,
                c.valid_until,
                c.not_covering,
            )
            for c in found
        ],
    )


@certificate_app.command("status-list")
def status_list_cmd(
    ctx: typer.Context,
    output: Annotated[Path | None, typer.Option("-o", "--output", help="write to FILE")] = None,
    purpose: Annotated[str, typer.Option(help="revocation or suspension")] = "revocation",
) -> None:
    """Publish the signed Bitstring Status List credential (revocation or suspension)."""
    state: State = ctx.obj
    _write_json(_certs().status_list(state.gaio(), purpose), output)


@certificate_app.command("key")
def key_cmd(ctx: typer.Context) -> None:
    """Print the issuer's public key as did:key (all a verifier needs)."""
    state: State = ctx.obj
    typer.echo(_certs().issuer_key(state.gaio()).did)
