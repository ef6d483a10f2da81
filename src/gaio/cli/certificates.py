"""``gaio certificate``: issue, export, list, revoke and suspend certificates, and verify one.

``certificate verify`` opens no database (so it runs where gaio was never set up): it reads the
certificate, fetches the issuer's keys and status lists from the URLs the certificate names, or
takes them from files offline (``--key``, ``--status``), and fails closed.
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
    help="Certificates: issue, export, verify (online or offline), revoke, suspend.",
    no_args_is_help=True,
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


def _trusted(values: list[str]) -> list[Any]:
    """Keys from ``--key``: a did:key / multibase key, or a file holding one or a DID document."""
    from gaio.certification.issuers import trusted_keys
    from gaio.certification.multibase import parse_public_key
    from gaio.certification.trust import TrustedKey

    found: list[TrustedKey] = []
    for value in values:
        path = Path(value)
        if not value.startswith(("did:", "z")) and path.is_file():
            text = read_text(path, "issuer key").strip()
            if text.startswith("{"):
                found += trusted_keys(_read_json(path, "issuer document"))
                continue
            value = text
        found.append(TrustedKey.bare(parse_public_key(value)))
    return found


def _issuer_keys(doc: dict[str, Any], timeout: float) -> list[Any]:
    """The issuer's published keys, fetched from where its did:web says."""
    from gaio.certification.issuers import did_web_url, trusted_keys
    from gaio.cli.remote import fetch_json

    issuer = doc.get("issuer")
    issuer = issuer.get("id") if isinstance(issuer, dict) else issuer
    if not isinstance(issuer, str) or not issuer.startswith("did:web:"):
        raise InvalidInput(
            f"the issuer {str(issuer)[:100]!r} publishes no keys to fetch (a did:key names "
            "itself, which proves nothing): give the issuer's key with --key"
        )
    url = did_web_url(issuer)
    note(f"fetching the issuer's keys from {url}")
    return trusted_keys(fetch_json(url, timeout=timeout), expected=issuer)


def _fetch_lists(
    doc: dict[str, Any], given: list[dict[str, Any]], timeout: float
) -> list[dict[str, Any]]:
    """The status lists the certificate names and the user did not give, fetched; a list that
    cannot be fetched stays unknown (and the verdict says so)."""
    from gaio.cli.remote import fetch_json
    from gaio.errors import GaioError

    have = {lst.get("id") for lst in given}
    entries = doc.get("credentialStatus") or []
    entries = entries if isinstance(entries, list) else [entries]
    fetched = []
    for entry in entries[:4]:
        url = entry.get("statusListCredential") if isinstance(entry, dict) else None
        if not isinstance(url, str) or url in have:
            continue
        have.add(url)
        try:
            note(f"fetching the status list {url}")
            fetched.append(fetch_json(url, timeout=timeout))
        except GaioError as exc:
            note(f"could not fetch the status list: {exc.message}")
    return fetched


EXIT_CODES = {
    "valid": 0,
    "status-unknown": 3,
}
"""Exit codes of ``certificate verify``: 0 valid; 3 valid signature, status unknown; 1 every
other verdict (revoked, suspended, expired, not yet valid, tampered, unknown issuer); 2 bad
input (not a certificate, an unreadable or malformed key or status list); 4 a document that had
to be fetched could not be."""


@certificate_app.command("verify")
def verify_cmd(
    cert: Annotated[Path, typer.Argument(metavar="CERT.json")],
    key: Annotated[
        list[str] | None,
        typer.Option(
            help="a trusted issuer key: did:key:z6Mk…, z6Mk…, or a file holding one or the "
            "issuer's DID document (repeatable); without it the issuer's published keys are "
            "fetched"
        ),
    ] = None,
    status: Annotated[
        list[Path] | None,
        typer.Option(help="a status list file (repeatable); lists not given are fetched"),
    ] = None,
    offline: Annotated[
        bool, typer.Option("--offline", help="fetch nothing: use only --key and --status")
    ] = False,
    no_status_check: Annotated[
        bool,
        typer.Option(
            "--no-status-check",
            help="do not check revocation or suspension (the answer may then be valid)",
        ),
    ] = False,
    ledger_key: Annotated[
        list[str] | None,
        typer.Option(help="ledger verifier key, to check the checkpoint signature (repeatable)"),
    ] = None,
    at: Annotated[
        str | None, typer.Option(help="check validity at this UTC time (default: now)")
    ] = None,
    timeout: Annotated[float, typer.Option(help="seconds to wait for each fetch")] = 10.0,
    as_json: Json = False,
) -> None:
    """Verify a certificate: valid, revoked, suspended, expired, tampered, unknown issuer.

    Fails closed: without the issuer's status lists the answer is "valid-signature, status
    unknown" (exit 3), never valid, unless --no-status-check is given. Online (the default)
    the issuer's keys and status lists are fetched from the URLs the certificate names, within
    --timeout and 2 MiB each; --offline uses only --key and --status. Exit codes: 0 valid, 1
    not valid (revoked, suspended, expired, not yet valid, tampered, unknown issuer), 2 bad
    input, 3 valid signature but status unknown, 4 a document could not be fetched.
    """
    from gaio.certification.verify import verify_certificate

    try:
        now = datetime.fromisoformat(at.replace("Z", "+00:00")) if at else datetime.now(UTC)
    except ValueError:
        raise InvalidInput(f"--at: {at!r} is not an ISO 8601 time") from None
    if now.tzinfo is None:
        now = now.replace(tzinfo=UTC)
    if not 0 < timeout <= 120:
        raise InvalidInput("--timeout: between 0 and 120 seconds")
    doc = _read_json(cert, "certificate")
    lists = [_read_json(p, "status list") for p in status or []]
    if key:
        trust = _trusted(key)
    elif offline:
        raise InvalidInput("--offline needs the issuer's key: give --key")
    else:
        trust = _issuer_keys(doc, timeout)
    if not offline and not no_status_check:
        lists += _fetch_lists(doc, lists, timeout)
    verdict = verify_certificate(
        doc,
        trust,
        now=now,
        status_lists=lists,
        ledger_keys=ledger_key or None,
        check_status=not no_status_check,
    )
    if as_json:
        emit_json(verdict)
    else:
        typer.echo(f"{verdict.headline}: {verdict.message}")
        subject = verdict.subject or {}
        typer.echo(
            f"  certificate {verdict.certificate} "
            f"for {subject.get('system')}@{subject.get('version')}, "
            f"certified by {subject.get('certificationBody')}"
        )
        override = subject.get("approvalOverride")
        if isinstance(override, dict):
            typer.echo(f"  approved with an override: {override.get('reason')}")
        for line in verdict.checks:
            typer.echo(f"  checked {line}")
    code = EXIT_CODES.get(verdict.outcome, 1)
    if code:
        raise typer.Exit(code)


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
    org: Annotated[
        str | None,
        typer.Option(help="the certification body (omit for the legacy key's list)"),
    ] = None,
) -> None:
    """Write a body's signed Bitstring Status List credential (revocation or suspension); the
    server publishes the same at the URL certificates name."""
    state: State = ctx.obj
    _write_json(_certs().status_list(state.gaio(), state.actor, purpose, org), output)


@certificate_app.command("key")
def key_cmd(
    ctx: typer.Context,
    org: Annotated[
        str | None,
        typer.Argument(help="the certification body (omit with --legacy)"),
    ] = None,
    legacy: Annotated[
        bool, typer.Option("--legacy", help="the did:key of the legacy single issuer key")
    ] = False,
) -> None:
    """Print a body's DID document (its keys, current and rotated), to verify offline with
    --key FILE; or, with --legacy, the legacy issuer key as did:key."""
    from gaio.services.keys import issuers

    state: State = ctx.obj
    if legacy:
        doc = issuers.directory(state.gaio(), state.actor).get("legacyIssuer")
        if doc is None:
            raise InvalidInput("this observatory has no legacy issuer key")
        typer.echo(doc["id"])
        return
    if org is None:
        raise InvalidInput("name the certification body: gaio certificate key ORG")
    _write_json(issuers.issuer_document(state.gaio(), state.actor, org), None)
