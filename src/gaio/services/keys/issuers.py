"""Issuer keys of certification bodies: created at a body's first issuance, found for signing,
and published (DID documents, the issuers' directory, the keys a verifier should trust).

The public half of every key is a :class:`SigningKeyRow` (a ledger record), so the published
documents, the server's own verification and a moved installation all read the same list; the
private half is a file under ``GAIO_HOME/keys`` (:mod:`gaio.certification.keys`).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from gaio.actors import Actor
from gaio.certification import issuers, keys, multibase
from gaio.certification.keys import IssuerKey
from gaio.certification.trust import TrustedKey
from gaio.errors import ConfigurationError, NotFound
from gaio.services.context import Gaio
from gaio.services.ledger.record import record_change
from gaio.store.tables.certification import CertificateRow
from gaio.store.tables.keys import SigningKeyRow
from gaio.store.tables.registry import OrganisationRow

ISSUER = "issuer"
LEGACY = "legacy-issuer"
LEDGER = "ledger"


def public_base(g: Gaio) -> str:
    """The observatory's public base URL (``GAIO_PUBLIC_URL``, else ``https://<origin host>``)."""
    configured = g.settings.public_url
    if configured:
        return issuers.check_base_url(configured)
    return "https://" + g.settings.log_origin.split("/", 1)[0]


def issuer_id(g: Gaio, org: str) -> str:
    return issuers.issuer_did(public_base(g), org)


def status_list_url(g: Gaio, org: str | None, purpose: str) -> str:
    return issuers.status_list_url(public_base(g), org, purpose)


def current_row(session: Session, org: str) -> SigningKeyRow | None:
    return session.scalars(
        select(SigningKeyRow).where(
            SigningKeyRow.purpose == ISSUER,
            SigningKeyRow.organisation == org,
            SigningKeyRow.valid_until.is_(None),
        )
    ).first()


def load_org_key(g: Gaio, org: str, public_multibase: str) -> IssuerKey:
    path = keys.org_key_path(g.settings.home, org, public_multibase)
    key = keys.read_key_file(path, f"issuer key of {org!r}")
    if key.public_multibase != public_multibase:
        raise ConfigurationError(f"{path} holds another key than its name says")
    return key


def signing_key(
    g: Gaio, session: Session, actor: Actor, org: str, created: list[Path]
) -> IssuerKey:
    """The body's current key, made on its first issuance (inside the caller's transaction).

    A new key's file is written before its row and ledger entry; its path is appended to
    ``created`` so that the caller removes it if the transaction does not commit.
    """
    row = current_row(session, org)
    if row is not None:
        return load_org_key(g, org, row.id)
    key = IssuerKey.generate()
    path = keys.org_key_path(g.settings.home, org, key.public_multibase)
    keys.write_key_file(path, g.settings.home, key)
    created.append(path)
    row = SigningKeyRow(
        id=key.public_multibase,
        purpose=ISSUER,
        organisation=org,
        verifier=None,
        valid_from=g.clock.now().replace(microsecond=0),
        valid_until=None,
        reason="first certificate issued by this body",
    )
    session.add(row)
    record_change(g, session, actor, "key.create", row, {"purpose": ISSUER, "organisation": org})
    register_legacy(g, session, actor)
    return key


def register_legacy(g: Gaio, session: Session, actor: Actor) -> None:
    """List the installation's single pre-per-body issuer key, once, as a legacy key."""
    legacy = keys.load_legacy_key(g.settings.home)
    if legacy is None or session.get(SigningKeyRow, legacy.public_multibase) is not None:
        return
    first = session.scalar(select(func.min(CertificateRow.issued_at)))
    row = SigningKeyRow(
        id=legacy.public_multibase,
        purpose=LEGACY,
        organisation=None,
        verifier=None,
        valid_from=first or g.clock.now().replace(microsecond=0),
        valid_until=None,
        reason="the single issuer key of before per-body keys; verifies what it signed",
    )
    session.add(row)
    record_change(g, session, actor, "key.register", row, {"purpose": LEGACY})


def key_for_issuer(g: Gaio, session: Session, issuer: str, org: str) -> tuple[IssuerKey, str]:
    """(private key, verification method) to sign for ``issuer``: the legacy key for a
    ``did:key`` issuer, else the body's current key."""
    if issuer.startswith("did:key:"):
        legacy = keys.load_legacy_key(g.settings.home)
        if legacy is None or legacy.did != issuer:
            raise ConfigurationError(
                f"the legacy issuer key of {issuer} is missing: restore it with 'gaio keys import'"
            )
        return legacy, legacy.verification_method
    row = current_row(session, org)
    if row is None:
        raise ConfigurationError(f"{org!r} has no issuer key: restore it with 'gaio keys import'")
    key = load_org_key(g, org, row.id)
    return key, key.method_for(issuer)


def _legacy_public(g: Gaio, session: Session) -> tuple[bytes, datetime | None] | None:
    row = session.scalars(select(SigningKeyRow).where(SigningKeyRow.purpose == LEGACY)).first()
    if row is not None:
        return multibase.parse_public_key(row.id), row.valid_from
    legacy = keys.load_legacy_key(g.settings.home)
    return None if legacy is None else (legacy.public, None)


def trusted_keys(g: Gaio, actor: Actor) -> list[TrustedKey]:
    """Every issuer key this observatory has published, as a verifier should trust them."""
    trust = []
    with g.read() as session:
        for row in session.scalars(select(SigningKeyRow).where(SigningKeyRow.purpose == ISSUER)):
            assert row.organisation is not None
            did = issuer_id(g, row.organisation)
            trust.append(
                TrustedKey(
                    public=multibase.parse_public_key(row.id),
                    issuer=did,
                    method=f"{did}#{row.id}",
                    valid_from=row.valid_from,
                    valid_until=row.valid_until,
                )
            )
        legacy = _legacy_public(g, session)
    if legacy is not None:
        public = legacy[0]
        did = multibase.did_key(public)
        trust.append(
            TrustedKey(public=public, issuer=did, method=multibase.verification_method(public))
        )
    return trust


def issuer_document(g: Gaio, actor: Actor, org: str) -> dict[str, Any]:
    """The DID document of a certification body: every key it has signed with."""
    with g.read() as session:
        body = session.get(OrganisationRow, org)
        name = body.name if body is not None else None
        periods = [
            issuers.KeyPeriod(multibase.parse_public_key(r.id), r.valid_from, r.valid_until)
            for r in session.scalars(
                select(SigningKeyRow)
                .where(SigningKeyRow.purpose == ISSUER, SigningKeyRow.organisation == org)
                .order_by(SigningKeyRow.valid_from)
            )
        ]
    if name is None or not periods:
        raise NotFound(f"no issuer {org!r}: it has issued no certificate")
    return issuers.did_document(issuer_id(g, org), periods, name=name)


def directory(g: Gaio, actor: Actor) -> dict[str, Any]:
    """Every issuer of this observatory, where its keys and status lists are published."""
    base = public_base(g)
    with g.read() as session:
        orgs = sorted(
            {
                org
                for org in session.scalars(
                    select(SigningKeyRow.organisation).where(SigningKeyRow.purpose == ISSUER)
                )
                if org is not None
            }
        )
        legacy = _legacy_public(g, session)
    entries: list[dict[str, Any]] = [
        {
            "organisation": org,
            "id": issuers.issuer_did(base, org),
            "document": issuers.issuer_document_url(base, org),
            "statusLists": {
                p: issuers.status_list_url(base, org, p) for p in ("revocation", "suspension")
            },
        }
        for org in orgs
    ]
    out: dict[str, Any] = {"version": 1, "publicUrl": base, "issuers": entries}
    if legacy is not None:
        out["legacyIssuer"] = {
            "id": multibase.did_key(legacy[0]),
            "document": issuers.legacy_document(*legacy),
            "statusLists": {
                p: issuers.status_list_url(base, None, p) for p in ("revocation", "suspension")
            },
        }
    return out
