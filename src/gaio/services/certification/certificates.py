"""Use cases of certificates: issue on approval, seal with the ledger proof, export, suspend,
reinstate, revoke, list, publish the status lists, and react to a new system version.

Issuing is two logged steps. ``certificate.issue`` stores the credential as issued and logs the
SHA-256 of each of its fields; ``certificate.seal`` adds the inclusion proof of that entry and the
issuer's ``eddsa-jcs-2022`` signature. If the process stops in between, ``export`` seals it.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from gaio.actors import Actor, Role
from gaio.canonical import content_hash
from gaio.certification import integrity, statuslist
from gaio.certification.credential import (
    CERTIFICATE_TYPE,
    VC_V2,
    field_digests,
    ledger_evidence,
)
from gaio.certification.keys import IssuerKey, ensure_issuer_key
from gaio.certification.model import CertificateInfo, Plan, State
from gaio.clock import today, utc_text
from gaio.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from gaio.services.certification.assessments import open_in_session, provider_of, require_row
from gaio.services.certification.review import require_certification_body
from gaio.services.context import Gaio
from gaio.services.ledger import audit as ledger
from gaio.services.ledger.record import record_change
from gaio.store import counters
from gaio.store import ledger as ledger_repo
from gaio.store.tables.certification import AssessmentRow, CertificateRow
from gaio.store.tables.registry import SystemRow, SystemVersionRow

DEFAULT_VALIDITY = timedelta(days=3 * 365)
_NEXT = {
    "suspend": ({"active"}, "suspended"),
    "reinstate": ({"suspended"}, "active"),
    "revoke": ({"active", "suspended"}, "revoked"),
}


def issuer_key(g: Gaio) -> IssuerKey:
    """The credential issuer key (created on first use; ``gaio init`` creates it too)."""
    return ensure_issuer_key(g.settings)


def status_list_url(g: Gaio, purpose: str) -> str:
    host = g.settings.log_origin.split("/", 1)[0]
    return f"https://{host}/credentials/status/{purpose}"


def _body(
    g: Gaio,
    key: IssuerKey,
    row: AssessmentRow,
    system: SystemRow,
    number: int,
    valid_from: datetime,
    valid_until: datetime,
    certification_body: str,
) -> dict[str, Any]:
    plan = Plan.model_validate(row.plan)
    version = row.version
    urn = f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'{key.did}/certificates/{number}')}"
    return {
        "@context": [VC_V2],
        "id": urn,
        "type": ["VerifiableCredential", CERTIFICATE_TYPE],
        "name": f"Conformity certificate of {system.name} {version}",
        "issuer": key.did,
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
        },
        "credentialStatus": [
            statuslist.entry(status_list_url(g, p), p, number) for p in statuslist.PURPOSES
        ],
    }


def issue_certificate(
    g: Gaio, actor: Actor, assessment_id: int, *, validity: timedelta = DEFAULT_VALIDITY
) -> int:
    """Issue the certificate of an approved assessment; returns the certificate id."""
    if validity <= timedelta(0) or validity > timedelta(days=5 * 366):
        raise InvalidInput("validity: between one day and five years")
    key = issuer_key(g)
    with g.write() as session:
        row = require_row(session, assessment_id)
        system = provider_of(session, row)
        org = require_certification_body(
            session, actor, system, today(g.clock), "issue certificates"
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
        now = g.clock.now().replace(microsecond=0)
        body = _body(g, key, row, system, number, now, now + validity, org)
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
        entry = record_change(g, session, actor, "certificate.issue", cert, details)
    _seal(g, actor, number, entry.seq)
    return number


def _seal(g: Gaio, actor: Actor, cert_id: int, seq: int) -> dict[str, Any]:
    key = issuer_key(g)
    proof = ledger.prove(g, seq)
    with g.write() as session:
        cert = session.get(CertificateRow, cert_id)
        assert cert is not None
        if cert.credential is not None:
            return dict(cert.credential)
        document = {**cert.body, "evidence": [ledger_evidence(proof)]}
        signed = integrity.add_proof(
            document,
            key.private,
            verification_method=key.verification_method,
            created=utc_text(cert.issued_at, seconds=True),
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


def change_certificate(
    g: Gaio, actor: Actor, cert_id: int, action: str, reason: str
) -> CertificateInfo:
    """Suspend, reinstate or revoke: the issuing body's auditor, or a regulator."""
    if action not in _NEXT:
        raise InvalidInput(f"unknown action {action!r}; expected {', '.join(_NEXT)}")
    if not reason.strip():
        raise InvalidInput(f"reason: to {action} a certificate needs a reason")
    with g.write() as session:
        cert = _require(session, cert_id)
        if actor.role is Role.AUDITOR:
            if actor.organisation != cert.certification_body:
                raise PermissionDenied(
                    f"{actor.label} may not {action} certificate {cert_id}: it was issued by "
                    f"{cert.certification_body!r}"
                )
        elif actor.role is not Role.REGULATOR:
            raise PermissionDenied(
                f"{actor.label} ({actor.role.value}) may not {action} certificates: only the "
                "issuing certification body or a regulator may"
            )
        allowed, target = _NEXT[action]
        if cert.state not in allowed:
            raise Conflict(f"certificate {cert_id} is {cert.state}; cannot {action} it")
        cert.state = target
        cert.reason = reason
        cert.changed_at = g.clock.now()
        details = {"state": target, "reason": reason}
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


def status_list(g: Gaio, purpose: statuslist.Purpose) -> dict[str, Any]:
    """The signed status list credential of ``purpose``, as of now (publish it)."""
    if purpose not in statuslist.PURPOSES:
        raise InvalidInput(f"purpose: {purpose!r} is not one of {', '.join(statuslist.PURPOSES)}")
    key = issuer_key(g)
    state = "revoked" if purpose == "revocation" else "suspended"
    with g.read() as session:
        indexes = list(
            session.scalars(
                select(CertificateRow.status_index).where(CertificateRow.state == state)
            )
        )
    now = utc_text(g.clock.now(), seconds=True)
    unsigned = statuslist.list_credential(
        status_list_url(g, purpose), purpose, key.did, now, indexes
    )
    return integrity.add_proof(
        unsigned, key.private, verification_method=key.verification_method, created=now
    )


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
