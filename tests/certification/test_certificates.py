"""Certificates: issued on approval, sealed with the ledger proof, verified offline; revocation,
suspension and expiry through the status lists; tampering named by field."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from gaio.certification import integrity, multibase, statuslist
from gaio.certification.keys import IssuerKey
from gaio.certification.trust import TrustedKey
from gaio.certification.verify import verify_certificate
from gaio.clock import FixedClock
from gaio.errors import Conflict, InvalidInput, PermissionDenied
from gaio.services.certification import certificates as certification
from gaio.services.context import Gaio
from gaio.services.keys import issuers
from gaio.services.ledger import audit as ledger
from tests.certification.helpers import AUDITOR, SYSTEM, approved, issued
from tests.conftest import PROVIDER, PUBLIC, REGULATOR


def trust(g: Gaio) -> list[TrustedKey]:
    return issuers.trusted_keys(g, PUBLIC)


def verify(g: Gaio, doc: dict[str, Any], **kw: Any) -> Any:
    return verify_certificate(doc, trust(g), now=g.clock.now(), **kw)


def lists(g: Gaio, org: str = "assure") -> list[dict[str, Any]]:
    return [certification.status_list(g, PUBLIC, p, org) for p in ("revocation", "suspension")]


def test_issued_certificate_verifies_with_its_ledger_proof(g: Gaio) -> None:
    cert_id = issued(g)
    doc = certification.export_certificate(g, PUBLIC_ACTOR, cert_id)
    subject = doc["credentialSubject"]
    assert subject["system"] == SYSTEM and subject["version"] == "2.3.0"
    assert subject["cardHash"].startswith("sha256:")
    assert "eu-ai-act@2026-1744" in subject["frameworks"] or subject["ruleSet"].startswith(
        "eu-ai-act@"
    )
    assert doc["issuer"] == "did:web:gaio.local:credentials:issuers:assure"
    assert doc["proof"]["verificationMethod"].startswith(doc["issuer"] + "#z6Mk")
    assert doc["proof"]["cryptosuite"] == "eddsa-jcs-2022"
    verdict = verify(g, doc, status_lists=lists(g), ledger_keys=ledger.verifier_key(g))
    assert verdict.outcome == "valid", verdict
    assert any("bit" in c for c in verdict.checks)
    assert any("signed by" in c for c in verdict.checks)
    assert ledger.verify(g).ok
    actions = [e.action for e in ledger.show(g, limit=1000) if e.action != "ledger.checkpoint"]
    assert actions[-2:] == ["certificate.issue", "certificate.seal"]


PUBLIC_ACTOR = PROVIDER


@pytest.mark.parametrize(
    ("path", "value", "field"),
    [
        (("credentialSubject", "version"), "2.4.0", "credentialSubject.version"),
        (("validUntil",), "2099-01-01T00:00:00Z", "validUntil"),
        (("credentialSubject", "scope"), "everything", "credentialSubject.scope"),
        (("proof", "created"), "2020-01-01T00:00:00Z", "proof"),
    ],
)
def test_a_changed_field_is_named(g: Gaio, path: tuple[str, ...], value: str, field: str) -> None:
    doc = certification.export_certificate(g, PROVIDER, issued(g))
    target = doc
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = value
    verdict = verify(g, doc)
    assert verdict.outcome == "tampered"
    assert verdict.field == field


def test_changed_ledger_evidence_is_named(g: Gaio) -> None:
    doc = certification.export_certificate(g, PROVIDER, issued(g))
    doc["evidence"][0]["leafIndex"] = 0
    verdict = verify(g, doc)
    assert (verdict.outcome, verdict.field) == ("tampered", "evidence")


def test_wrong_key_is_an_unknown_issuer(g: Gaio) -> None:
    doc = certification.export_certificate(g, PROVIDER, issued(g))
    other = IssuerKey.generate().public
    verdict = verify_certificate(doc, other, now=g.clock.now())
    assert verdict.outcome == "unknown-issuer"
    assert multibase.did_key(other) in verdict.message


def test_expired_and_not_yet_valid(g: Gaio, clock: FixedClock) -> None:
    doc = certification.export_certificate(g, PROVIDER, issued(g))
    later = clock.now() + timedelta(days=3 * 365 + 1)
    assert verify_certificate(doc, trust(g), now=later).outcome == "expired"
    earlier = clock.now() - timedelta(days=1)
    assert verify_certificate(doc, trust(g), now=earlier).outcome == "not-yet-valid"


def test_suspend_reinstate_revoke_through_status_lists(g: Gaio) -> None:
    cert_id = issued(g)
    doc = certification.export_certificate(g, PROVIDER, cert_id)
    certification.change_certificate(g, AUDITOR, cert_id, "suspend", "evidence under review")
    assert verify(g, doc, status_lists=lists(g)).outcome == "suspended"
    assert verify(g, doc).outcome == "status-unknown"  # no list given: fails closed
    assert verify(g, doc, check_status=False).outcome == "valid"  # explicitly not checked
    certification.change_certificate(g, AUDITOR, cert_id, "reinstate", "evidence confirmed")
    assert verify(g, doc, status_lists=lists(g)).outcome == "valid"
    certification.change_certificate(g, REGULATOR, cert_id, "revoke", "market withdrawal")
    assert verify(g, doc, status_lists=lists(g)).outcome == "revoked"
    with pytest.raises(Conflict, match="revoked"):
        certification.change_certificate(g, AUDITOR, cert_id, "suspend", "again")
    assert [c.status for c in certification.list_certificates(g, PROVIDER)] == ["revoked"]
    assert ledger.verify(g).ok


def test_a_forged_status_list_is_refused(g: Gaio) -> None:
    doc = certification.export_certificate(g, PROVIDER, issued(g))
    url = doc["credentialStatus"][0]["statusListCredential"]
    forger = IssuerKey.generate()
    unsigned = statuslist.list_credential(url, "revocation", doc["issuer"], doc["validFrom"], [])
    forged = integrity.add_proof(
        unsigned,
        forger.private,
        verification_method=forger.method_for(doc["issuer"]),
        created=doc["validFrom"],
    )
    with pytest.raises(InvalidInput, match="not signed by the issuer"):
        verify(g, doc, status_lists=[forged])


def test_only_the_issuing_body_or_a_regulator_changes_a_certificate(g: Gaio) -> None:
    cert_id = issued(g)
    with pytest.raises(PermissionDenied):
        certification.change_certificate(g, PROVIDER, cert_id, "revoke", "we want out")
    with pytest.raises(InvalidInput, match="reason"):
        certification.change_certificate(g, AUDITOR, cert_id, "revoke", "  ")


def test_issue_needs_an_approved_assessment_and_only_once(g: Gaio) -> None:
    aid = approved(g)
    with pytest.raises(PermissionDenied):
        certification.issue_certificate(g, PROVIDER, aid)
    certification.issue_certificate(g, AUDITOR, aid)
    with pytest.raises(Conflict, match="already has certificate"):
        certification.issue_certificate(g, AUDITOR, aid)


def test_issuer_key_is_owner_only(g: Gaio) -> None:
    doc = certification.export_certificate(g, PROVIDER, issued(g))
    method = doc["proof"]["verificationMethod"]
    path = g.settings.home / "keys" / "issuers" / "assure" / f"{method.split('#')[1]}.key"
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    assert oct(path.parent.stat().st_mode & 0o777) == "0o700"
    assert oct(path.parent.parent.stat().st_mode & 0o777) == "0o700"


def test_verify_offline_in_a_fresh_environment(g: Gaio, tmp_path: Path) -> None:
    """A subprocess with an empty GAIO_HOME, the certificate, the issuer's DID document and
    the lists: no database, no network."""
    cert_id = issued(g)
    fresh = tmp_path / "fresh"
    fresh.mkdir()
    cert = fresh / "cert.json"
    cert.write_text(json.dumps(certification.export_certificate(g, PROVIDER, cert_id)))
    did = fresh / "did.json"
    did.write_text(json.dumps(issuers.issuer_document(g, PUBLIC, "assure")))
    env = {
        "PATH": os.environ.get("PATH", ""),
        "GAIO_HOME": str(fresh / "home"),
        "PYTHONPATH": os.pathsep.join(p for p in sys.path if p),
    }
    at = g.clock.now().isoformat()

    def publish() -> list[str]:
        files = []
        for purpose in ("revocation", "suspension"):
            path = fresh / f"{purpose}.json"
            path.write_text(json.dumps(certification.status_list(g, PUBLIC, purpose, "assure")))
            files += ["--status", str(path)]
        return files

    def run(*extra: str) -> subprocess.CompletedProcess[str]:
        args = [sys.executable, "-m", "gaio", "certificate", "verify", str(cert), "--offline"]
        return subprocess.run(
            [*args, "--key", str(did), "--at", at, *extra],
            env=env,
            cwd=fresh,
            capture_output=True,
            text=True,
            timeout=60,
        )

    ok = run(*publish(), "--json")
    assert ok.returncode == 0, ok.stderr
    assert json.loads(ok.stdout)["outcome"] == "valid"
    assert not (fresh / "home").exists()
    unknown = run()
    assert unknown.returncode == 3 and unknown.stdout.startswith("valid-signature, status unknown")
    certification.change_certificate(g, AUDITOR, cert_id, "revoke", "withdrawn")
    revoked = run(*publish())
    assert revoked.returncode == 1
    assert "revoked" in revoked.stdout
    doc = json.loads(cert.read_text())
    doc["credentialSubject"]["name"] = "Another system"
    cert.write_text(json.dumps(doc))
    tampered = run("--no-status-check")
    assert tampered.returncode == 1 and "credentialSubject.name" in tampered.stdout
