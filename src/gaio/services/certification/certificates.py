"""Use cases of certificates: issue on approval, seal with the ledger proof, export, suspend,
reinstate, revoke, list, publish the status lists, and react to a new system version.

Issuing is two logged steps. ``certificate.issue`` stores the credential as issued and logs the
SHA-256 of each of its fields; ``certificate.seal`` adds the inclusion proof of that entry and the
issuer's ``eddsa-jcs-2022`` signature. If the process stops in between, ``export`` seals it.

Each certification body issues under its own identifier and key (``did:web`` under the public
base URL, :mod:`gaio.services.keys.issuers`), so a signature says who certified; certificates of
before per-body keys keep verifying with the legacy key, which also signs their status lists.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from gaio.actors import Actor
from gaio.canonical import content_hash
from gaio.certification import integrity, keys, statuslist
from gaio.certification.credential import (
    CERTIFICATE_TYPE,
    VC_V2,
    field_digests,
    ledger_evidence,
)
from gaio.certification.model import CertificateInfo, Plan, State
from gaio.certification.verify import Verdict, verify_certificate
from gaio.clock import today, utc_text
from gaio.errors import Conflict, InvalidInput, NotFound
from gaio.ledger.entries import LedgerEntry
from gaio.services import permissions
from gaio.services.certification.assessments import open_in_session, provider_of, require_row
from gaio.services.certification.review import require_certification_body
from gaio.services.context import Gaio
from gaio.services.keys import issuers as issuer_keys
from gaio.services.keys import ledger as ledger_keys
from gaio.services.ledger import audit as ledger
from gaio.services.ledger.record import record_change
from gaio.store import counters
from gaio.store import ledger as ledger_repo
from gaio.store.tables.certification import AssessmentOverrideRow, AssessmentRow, CertificateRow
from gaio.store.tables.keys import SigningKeyRow
from gaio.store.tables.registry import OrganisationRow, SystemRow, SystemVersionRow

DEFAULT_VALIDITY = timedelta(days=3 * 365)
_NEXT = {
    "suspend": ({"active"}, "suspended"),
    "reinstate": ({"suspended"}, "active"),
    "revoke": ({"active", "suspended"}, "revoked"),
}


def _override(override: AssessmentOverrideRow | None) -> dict[str, Any]:
    """The credential subject's ``approvalOverride``: present only when the approval overrode
    open major findings or requirements the report marked not satisfied."""
    if override is None:
        return {}
    return {
        "approvalOverride": {
            "reason": override.reason,
            "openMajorFindings": list(override.open_findings),
            "unmetRequirements": list(override.unmet),
            "by": override.decided_by,
        }
    }


def _body(
    g: Gaio,
    issuer: str,
    row: AssessmentRow,
    system: SystemRow,
    number: int,
    valid_from: datetime,
    valid_until: datetime,
    certification_body: str,
    override: AssessmentOverrideRow | None,
) -> dict[str, Any]:
    plan = Plan.model_validate(row.plan)
    version = row.version
    urn = f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'{issuer}/certificates/{number}')}"
    return {
        "@context": [VC_V2],
        "id": urn,
        "type": ["VerifiableCredential", CERTIFICATE_TYPE],
        "name": f"Conformity certificate of {system.name} {version}",
        "issuer": issuer,
        "validFrom": utc_text(valid_from, seconds=True),
        "validUntil": utc_text(valid_until, seconds=True),
        "credentialSubject": {
            "id": f"urn:gaio:system:{system.id}@{version}",
            "type": "AISystem",
            "system": system.id,
            "name": system.name,
            "provider": system.provider,
            "version": version,
            "cardHash": row.card_hash,
            "frameworks": [f"{f.framework}@{f.version}" for f in plan.frameworks],
            "ruleSet": plan.rules,
            "tiers": plan.tiers,
            "scope": row.scope,
            "assessment": row.id,
            "certificationBody": certification_body,
            "decision": row.decision,
            "decidedBy": row.decided_by,
            **_override(override),
        },
        "credentialStatus": [
            statuslist.entry(issuer_keys.status_list_url(g, certification_body, p), p, number)
            for p in statuslist.PURPOSES
        ],
    }


def issue_certificate(
    g: Gaio, actor: Actor, assessment_id: int, *, validity: timedelta = DEFAULT_VALIDITY
) -> int:
    """Issue the certificate of an approved assessment; returns the certificate id."""
    if validity <= timedelta(0) or validity > timedelta(days=5 * 366):
        raise InvalidInput("validity: between one day and five years")
    created: list[Path] = []
    try:
        entry = _issue(g, actor, assessment_id, validity, created)
    except BaseException:
        for path in created:
            path.unlink(missing_ok=True)
        raise
    number = int(entry.subject.removeprefix("certificate:"))
    _seal(g, actor, number, entry.seq)
    return number


def _issue(
    g: Gaio, actor: Actor, assessment_id: int, validity: timedelta, created: list[Path]
) -> LedgerEntry:
    """Store the credential as issued and log it (a new body key's file goes in ``created``)."""
    with g.write() as session:
        row = require_row(session, assessment_id)
        system = provider_of(session, row)
        org = require_certification_body(
            session, actor, system, today(g.clock), "issue certificates", "certificate.issue"
        )
        if row.auditor_org != org or State(row.state) is not State.APPROVED:
            raise Conflict(
                f"assessment {assessment_id} is {row.state} (reviewed by {row.auditor_org!r}); "
                f"only the body that approved it can issue its certificate"
            )
        existing = session.scalar(
            select(CertificateRow.id).where(CertificateRow.assessment_id == assessment_id)
        )
        if existing is not None:
            raise Conflict(f"assessment {assessment_id} already has certificate {existing}")
        number = counters.reserve(
            session, "certificate", seed=lambda: session.scalar(select(func.max(CertificateRow.id)))
        )
        issuer_keys.signing_key(g, session, actor, org, created)
        now = g.clock.now().replace(microsecond=0)
        override = session.get(AssessmentOverrideRow, assessment_id)
        issuer = issuer_keys.issuer_id(g, org)
        body = _body(g, issuer, row, system, number, now, now + validity, org, override)
        cert = CertificateRow(
            id=number,
            urn=body["id"],
            assessment_id=assessment_id,
            system_id=row.system_id,
            version=row.version,
            certification_body=org,
            status_index=number,
            state="active",
            reason=None,
            body=body,
            credential=None,
            not_covering=[],
            valid_from=now,
            valid_until=now + validity,
            issued_by=actor.label,
            issued_at=now,
            changed_at=now,
        )
        session.add(cert)
        details = {"credential_hash": content_hash(body), "fields": field_digests(body)}
        return record_change(g, session, actor, "certificate.issue", cert, details)


def _seal(g: Gaio, actor: Actor, cert_id: int, seq: int) -> dict[str, Any]:
    proof = ledger.prove(g, seq)
    with g.write() as session:
        cert = session.get(CertificateRow, cert_id)
        assert cert is not None
        if cert.credential is not None:
            return dict(cert.credential)
        issuer = str(cert.body["issuer"])
        key, method = issuer_keys.key_for_issuer(g, session, issuer, cert.certification_body)
        created = cert.issued_at
        current = issuer_keys.current_row(session, cert.certification_body)
        if current is not None and not issuer.startswith("did:key:"):
            created = max(created, current.valid_from)
        document = {**cert.body, "evidence": [ledger_evidence(proof)]}
        signed = integrity.add_proof(
            document,
            key.private,
            verification_method=method,
            created=utc_text(created, seconds=True),
        )
        cert.credential = signed
        record_change(
            g, session, actor, "certificate.seal", cert, {"credential": content_hash(signed)}
        )
        return signed


def _require(session: Session, cert_id: int) -> CertificateRow:
    cert = session.get(CertificateRow, cert_id)
    if cert is None:
        raise NotFound(f"no certificate {cert_id} (run 'gaio certificate list')")
    return cert


def export_certificate(g: Gaio, actor: Actor, cert_id: int) -> dict[str, Any]:
    """The signed credential (sealing it first if issuance was interrupted)."""
    with g.read() as session:
        cert = _require(session, cert_id)
        if cert.credential is not None:
            return dict(cert.credential)
        issued = [
            e.seq
            for e in ledger_repo.entries(session, subject_prefix=f"certificate:{cert_id}")
            if e.action == "certificate.issue" and e.subject == f"certificate:{cert_id}"
        ]
    return _seal(g, actor, cert_id, issued[-1])


def _info(cert: CertificateRow, now: datetime) -> CertificateInfo:
    status = cert.state if cert.state != "active" or now <= cert.valid_until else "expired"
    return CertificateInfo(
        id=cert.id,
        urn=cert.urn,
        assessment=cert.assessment_id,
        system=cert.system_id,
        system_version=cert.version,
        certification_body=cert.certification_body,
        state=cert.state,
        status=status,
        reason=cert.reason,
        valid_from=cert.valid_from,
        valid_until=cert.valid_until,
        not_covering=list(cert.not_covering),
        issued_by=cert.issued_by,
        issued_at=cert.issued_at,
        sealed=cert.credential is not None,
    )


def _suspended_by_regulator(session: Session, cert_id: int) -> bool:
    """Whether the certificate's current suspension was made by a regulator (from the ledger)."""
    subject = f"certificate:{cert_id}"
    for entry in reversed(ledger_repo.entries(session, subject_prefix=subject)):
        if entry.subject == subject and entry.action == "certificate.suspend":
            authority = entry.details.get("authority")
            return (authority or entry.role) == "regulator"
    return False


def change_certificate(
    g: Gaio, actor: Actor, cert_id: int, action: str, reason: str
) -> CertificateInfo:
    """Suspend, reinstate or revoke: the issuing body's auditor, or a regulator of the
    certificate's jurisdiction (see :func:`permissions.require_certificate_authority`)."""
    if action not in _NEXT:
        raise InvalidInput(f"unknown action {action!r}; expected {', '.join(_NEXT)}")
    if not reason.strip():
        raise InvalidInput(f"reason: to {action} a certificate needs a reason")
    with g.write() as session:
        cert = _require(session, cert_id)
        version = session.get(SystemVersionRow, (cert.system_id, cert.version))
        markets = list((version.card if version else {}).get("markets") or [])
        org = session.get(OrganisationRow, actor.organisation) if actor.organisation else None
        authority = permissions.require_certificate_authority(
            actor,
            action,
            body=cert.certification_body,
            markets=markets,
            actor_jurisdictions=list(org.jurisdictions) if org else [],
            suspended_by_regulator=_suspended_by_regulator(session, cert_id),
        )
        allowed, target = _NEXT[action]
        if cert.state not in allowed:
            raise Conflict(f"certificate {cert_id} is {cert.state}; cannot {action} it")
        cert.state = target
        cert.reason = reason
        cert.changed_at = g.clock.now()
        details = {"state": target, "reason": reason, "authority": authority}
        record_change(g, session, actor, f"certificate.{action}", cert, details)
        return _info(cert, g.clock.now())


def list_certificates(g: Gaio, actor: Actor, *, system: str | None = None) -> list[CertificateInfo]:
    with g.read() as session:
        query = select(CertificateRow).order_by(CertificateRow.id)
        if system is not None:
            query = query.where(CertificateRow.system_id == system)
        now = g.clock.now()
        return [_info(c, now) for c in session.scalars(query)]


def get_certificate(g: Gaio, actor: Actor, cert_id: int) -> CertificateInfo:
    with g.read() as session:
        return _info(_require(session, cert_id), g.clock.now())


def status_list(g: Gaio, actor: Actor, purpose: str, org: str | None = None) -> dict[str, Any]:
    """The signed status list of ``purpose`` of a body's certificates, as of now (valid for a
    day); ``org=None``: the legacy list of the certificates signed by the legacy key."""
    if purpose not in statuslist.PURPOSES:
        raise InvalidInput(f"purpose: {purpose!r} is not one of {', '.join(statuslist.PURPOSES)}")
    state = "revoked" if purpose == "revocation" else "suspended"
    with g.read() as session:
        if org is None:
            legacy = keys.load_legacy_key(g.settings.home)
            if legacy is None:
                raise NotFound("this observatory has no legacy issuer key and no legacy list")
            key, issuer, method = legacy, legacy.did, legacy.verification_method
        else:
            row = issuer_keys.current_row(session, org)
            if row is None:
                raise NotFound(f"no status list of {org!r}: it has issued no certificate")
            key = issuer_keys.load_org_key(g, org, row.id)
            issuer = issuer_keys.issuer_id(g, org)
            method = key.method_for(issuer)
        query = select(CertificateRow).where(CertificateRow.state == state)
        if org is not None:
            query = query.where(CertificateRow.certification_body == org)
        legacy_list = org is None
        indexes = [
            c.status_index
            for c in session.scalars(query)
            if str(c.body.get("issuer", "")).startswith("did:key:") == legacy_list
        ]
    now = g.clock.now()
    unsigned = statuslist.list_credential(
        issuer_keys.status_list_url(g, org, purpose),
        purpose,
        issuer,
        utc_text(now, seconds=True),
        indexes,
        valid_until=utc_text(now + timedelta(seconds=statuslist.TTL), seconds=True),
    )
    return integrity.add_proof(
        unsigned, key.private, verification_method=method, created=utc_text(now, seconds=True)
    )


def verify_credential(g: Gaio, actor: Actor, doc: dict[str, Any]) -> Verdict:
    """Verify a credential as this observatory: against every issuer key it has published,
    the current status lists of the certificate's issuer, and every ledger key."""
    trust = issuer_keys.trusted_keys(g, actor)
    issuer = doc.get("issuer") if isinstance(doc, dict) else None
    lists: list[dict[str, Any]] = []
    if isinstance(issuer, str):
        owner = _owner_of(g, issuer)
        if owner is not None:
            lists = [status_list(g, actor, p, owner or None) for p in statuslist.PURPOSES]
    return verify_certificate(
        doc,
        trust,
        now=g.clock.now(),
        status_lists=lists,
        ledger_keys=ledger_keys.verifier_keys(g),
    )


def _owner_of(g: Gaio, issuer: str) -> str | None:
    """The body whose issuer id is ``issuer`` ("" for the legacy key), or None if unknown."""
    if issuer.startswith("did:key:"):
        legacy = keys.load_legacy_key(g.settings.home)
        return "" if legacy is not None and legacy.did == issuer else None
    with g.read() as session:
        for org in session.scalars(
            select(SigningKeyRow.organisation).where(SigningKeyRow.purpose == issuer_keys.ISSUER)
        ):
            if org is not None and issuer_keys.issuer_id(g, org) == issuer:
                return org
    return None


def _substance(card: dict[str, Any]) -> tuple[str, str]:
    """(hash of the card without its version number, hash of its model section)."""
    rest = {k: v for k, v in card.items() if k != "system_version"}
    return content_hash(rest), content_hash(card.get("model"))


def on_new_version(
    g: Gaio, session: Session, actor: Actor, system_id: str, new_version: str
) -> list[int]:
    """After a new version is registered (inside that transaction): certificates of earlier
    versions whose card or model changed are marked as not covering it, and a re-assessment of
    the new version is opened. Returns the ids of the certificates marked."""
    new = session.get(SystemVersionRow, (system_id, new_version))
    if new is None:
        raise NotFound(f"system {system_id!r} has no version {new_version!r}")
    new_sub, new_model = _substance(new.card)
    marked: list[int] = []
    changes: list[str] = []
    last_assessment: int | None = None
    for cert in session.scalars(
        select(CertificateRow)
        .where(CertificateRow.system_id == system_id, CertificateRow.state != "revoked")
        .order_by(CertificateRow.id)
    ):
        if cert.version == new_version or new_version in cert.not_covering:
            continue
        old = session.get(SystemVersionRow, (system_id, cert.version))
        assert old is not None
        old_sub, old_model = _substance(old.card)
        what = [
            n for n, a, b in (("card", old_sub, new_sub), ("model", old_model, new_model)) if a != b
        ]
        if not what:
            continue
        cert.not_covering = [*cert.not_covering, new_version]
        cert.changed_at = g.clock.now()
        details = {"version": new_version, "changed": what}
        record_change(g, session, actor, "certificate.not-covering", cert, details)
        marked.append(cert.id)
        changes = sorted(set(changes) | set(what))
        last_assessment = cert.assessment_id
    if marked:
        reason = (
            f"re-assessment: substantial modification ({' and '.join(changes)} changed) in "
            f"version {new_version}; certificates {', '.join(map(str, marked))} do not cover it"
        )
        system = session.get(SystemRow, system_id)
        assert system is not None
        scope = f"{system.name} ({system_id}) version {new_version} as registered"
        open_in_session(
            g, session, actor, new, scope=scope, reason=reason, supersedes=last_assessment
        )
    return marked
