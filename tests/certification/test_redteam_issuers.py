"""Red team, issue 13 item 2: who certified, and where the keys and status lists are.

Before: one issuer key for the whole observatory (a signature did not say which body
certified), and certificates named ``https://<host>/credentials/status/<purpose>``, a URL the
server did not serve; verification could not fetch what it needed. Each test fails on that code.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import json
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import uvicorn
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from gaio.actors import Actor, Role
from gaio.certification import integrity
from gaio.certification.issuers import did_web_url, trusted_keys
from gaio.certification.keys import IssuerKey
from gaio.certification.model import Decision
from gaio.certification.verify import verify_certificate
from gaio.http import create_app
from gaio.services.certification import assessments, review
from gaio.services.certification import certificates as certification
from gaio.services.context import Gaio
from gaio.services.keys import issuers, rotation
from gaio.services.ledger import audit as ledger
from gaio.services.ledger import exchange
from gaio.services.registry import licences, organisations
from tests.certification.helpers import AUDITOR, OVERRIDE, SYSTEM, complete, issued
from tests.conftest import ADMIN, PROVIDER, PUBLIC, REGULATOR, reference_data

OTHER_BODY = Actor(name="bob", role=Role.AUDITOR, organisation="certify-co")
LEGACY = reference_data() / "legacy-issuer"


def _second_body(g: Gaio) -> int:
    """A second licensed body certifies a new version of the same system."""
    organisations.add_organisation(
        g,
        ADMIN,
        {"id": "certify-co", "name": "Certify Co", "kind": "auditor", "jurisdictions": ["DE"]},
    )
    licences.grant_licence(
        g, REGULATOR, {"holder": "certify-co", "scope": "certification-body", "reason": "ok"}
    )
    return _certify_new_version(g, OTHER_BODY, "2.4.0")


def _certify_new_version(g: Gaio, auditor: Actor, version: str) -> int:
    from gaio.services.registry import systems
    from tests.factories import card

    systems.register_system(g, PROVIDER, card(deployers=["globex"], system_version=version))
    aid = assessments.start_assessment(g, PROVIDER, SYSTEM, version)
    complete(g, aid)
    assessments.submit(g, PROVIDER, aid)
    review.take_review(g, auditor, aid)
    review.decide(g, auditor, aid, Decision.APPROVE, "Checked it all.", override_reason=OVERRIDE)
    return certification.issue_certificate(g, auditor, aid)


def test_each_body_signs_with_its_own_key(g: Gaio) -> None:
    first = certification.export_certificate(g, PROVIDER, issued(g))
    second = certification.export_certificate(g, PROVIDER, _second_body(g))
    assert first["issuer"].endswith(":issuers:assure")
    assert second["issuer"].endswith(":issuers:certify-co")
    assert (
        first["proof"]["verificationMethod"].split("#")[1]
        != (second["proof"]["verificationMethod"].split("#")[1])
    )
    assure = trusted_keys(issuers.issuer_document(g, PUBLIC, "assure"))
    certify = trusted_keys(issuers.issuer_document(g, PUBLIC, "certify-co"))
    now = g.clock.now()
    assert verify_certificate(first, assure, now=now, check_status=False).outcome == "valid"
    assert verify_certificate(second, certify, now=now, check_status=False).outcome == "valid"
    assert verify_certificate(first, certify, now=now, check_status=False).outcome == (
        "unknown-issuer"
    )
    # assure's status lists cannot speak for certify-co's certificates
    with pytest.raises(Exception, match="issued by"):
        verify_certificate(
            second,
            assure + certify,
            now=now,
            status_lists=[
                {**certification.status_list(g, PUBLIC, "revocation", "assure"),
                 "id": second["credentialStatus"][0]["statusListCredential"]}
            ],
        )  # fmt: skip


def test_a_body_cannot_sign_in_another_bodys_name(g: Gaio) -> None:
    """certify-co's key signs a certificate that names assure as its issuer."""
    doc = certification.export_certificate(g, PROVIDER, issued(g))
    _second_body(g)
    from gaio.certification import keys

    row_key = next(
        k for k in issuers.trusted_keys(g, PUBLIC) if k.issuer and k.issuer.endswith("certify-co")
    )
    path = keys.org_key_path(g.settings.home, "certify-co", row_key.multibase)
    thief = keys.read_key_file(path, "key")
    forged = {k: v for k, v in doc.items() if k != "proof"}
    trust = issuers.trusted_keys(g, PUBLIC)
    for method in (thief.method_for(row_key.issuer or ""), thief.method_for(doc["issuer"])):
        signed = integrity.add_proof(
            forged, thief.private, verification_method=method, created=doc["validFrom"]
        )
        verdict = verify_certificate(signed, trust, now=g.clock.now(), check_status=False)
        assert verdict.outcome == "unknown-issuer", verdict


def test_the_urls_certificates_name_are_served(g: Gaio, client: Any) -> None:
    g.settings.public_url = "https://observatory.example.org/gaio"
    doc = certification.export_certificate(g, PROVIDER, issued(g, orgs=False))
    assert doc["issuer"] == "did:web:observatory.example.org:gaio:credentials:issuers:assure"
    did_url = did_web_url(doc["issuer"])
    assert did_url == "https://observatory.example.org/gaio/credentials/issuers/assure/did.json"
    served: dict[str, Any] = {}
    for url in [did_url, *(s["statusListCredential"] for s in doc["credentialStatus"])]:
        path = urlsplit(url).path.removeprefix("/gaio")
        r = client.get(path)
        assert r.status_code == 200, (url, r.text)
        served[url] = r.json()
    keys = trusted_keys(served[did_url], expected=doc["issuer"])
    lists = [v for k, v in served.items() if k != did_url]
    assert [lst["id"] for lst in lists] == [
        s["statusListCredential"] for s in doc["credentialStatus"]
    ]
    verdict = verify_certificate(doc, keys, now=g.clock.now(), status_lists=lists)
    assert verdict.outcome == "valid", verdict
    directory = client.get("/.well-known/gaio/issuers.json").json()
    assert directory["issuers"][0]["document"] == did_url
    missing = client.get("/credentials/status/nobody/revocation")
    assert missing.status_code == 404 and missing.json()["code"] == "not_found"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _serve(app: Any, port: int, **ssl: str) -> Iterator[None]:
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", **ssl)  # type: ignore[arg-type]
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline:
            pytest.fail("the test server did not start")
        time.sleep(0.05)
    yield
    server.should_exit = True
    thread.join(10)


def test_verify_fetches_fresh_status_lists_from_a_local_server(
    g: Gaio, cli: Any, tmp_path: Path
) -> None:
    port = _free_port()
    g.settings.public_url = f"http://127.0.0.1:{port}"
    cert_id = issued(g)
    cert = tmp_path / "cert.json"
    cert.write_text(json.dumps(certification.export_certificate(g, PROVIDER, cert_id)))
    did = tmp_path / "did.json"
    did.write_text(json.dumps(issuers.issuer_document(g, PUBLIC, "assure")))
    at = g.clock.now().isoformat()
    for _ in _serve(create_app(gaio=g), port):
        ok = cli("certificate", "verify", str(cert), "--key", str(did), "--at", at)
        assert ok.code == 0, ok.out + ok.err
        assert "fetching the status list" in ok.err
        certification.change_certificate(g, AUDITOR, cert_id, "suspend", "under review")
        suspended = cli("certificate", "verify", str(cert), "--key", str(did), "--at", at)
        assert suspended.code == 1 and suspended.out.startswith("suspended")


def _self_signed(directory: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(hours=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = directory / "tls.pem", directory / "tls.key"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


def test_verify_online_resolves_the_did_web_issuer(
    g: Gaio, cli: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Everything fetched over HTTPS from a local server: keys by did:web, then the lists."""
    port = _free_port()
    g.settings.public_url = f"https://127.0.0.1:{port}"
    cert_id = issued(g)
    cert = tmp_path / "cert.json"
    cert.write_text(json.dumps(certification.export_certificate(g, PROVIDER, cert_id)))
    tls_cert, tls_key = _self_signed(tmp_path)
    monkeypatch.setenv("SSL_CERT_FILE", str(tls_cert))
    at = g.clock.now().isoformat()
    app = create_app(gaio=g)
    for _ in _serve(app, port, ssl_certfile=str(tls_cert), ssl_keyfile=str(tls_key)):
        ok = cli("certificate", "verify", str(cert), "--at", at)
        assert ok.code == 0, ok.out + ok.err
        assert "fetching the issuer's keys from https://127.0.0.1" in ok.err
        certification.change_certificate(g, AUDITOR, cert_id, "revoke", "withdrawn")
        revoked = cli("certificate", "verify", str(cert), "--at", at, "--json")
        assert revoked.code == 1 and json.loads(revoked.out)["outcome"] == "revoked"
    down = cli("certificate", "verify", str(cert), "--at", at, "--timeout", "2")
    assert down.code == 4 and "could not" not in down.out


def test_verify_refuses_plain_http_off_this_machine(tmp_path: Path) -> None:
    from gaio.cli.remote import check_url
    from gaio.errors import InvalidInput

    for url in ("http://observatory.example.org/x", "file:///etc/passwd", "ftp://h/x"):
        with pytest.raises(InvalidInput):
            check_url(url)
    assert check_url("http://127.0.0.1:8000/x") and check_url("https://example.org/x")


def _legacy_home(g: Gaio) -> None:
    """Load the fixture made by gaio before per-body keys: its ledger key, its single issuer
    key and its export (one certificate, revoked)."""
    keys_dir = g.settings.home / "keys"
    shutil.copy(LEGACY / "ledger.key", keys_dir / "ledger.key")
    shutil.copy(LEGACY / "credentials.key", keys_dir / "credentials.key")
    for name in ("ledger.key", "credentials.key"):
        (keys_dir / name).chmod(0o600)
    g.reload_keys()
    exchange.import_(g, ADMIN, LEGACY / "export.jsonl")


def test_certificates_signed_by_the_old_single_key_still_verify(g: Gaio) -> None:
    from fastapi.testclient import TestClient

    _legacy_home(g)
    client = TestClient(create_app(gaio=g))
    old = json.loads((LEGACY / "certificate-1.json").read_text())
    assert old["issuer"].startswith("did:key:")
    verdict = certification.verify_credential(g, PUBLIC, old)
    assert verdict.outcome == "revoked", verdict
    served = client.get("/credentials/status/revocation").json()
    assert served["id"] == old["credentialStatus"][0]["statusListCredential"]
    offline = verify_certificate(
        old,
        trusted_keys(
            client.get("/.well-known/gaio/issuers.json").json()["legacyIssuer"]["document"]
        ),
        now=g.clock.now(),
        status_lists=[served, client.get("/credentials/status/suspension").json()],
    )
    assert offline.outcome == "revoked"
    # the same body certifies again: now under its own key; the old key is listed as legacy
    new = certification.export_certificate(g, PROVIDER, _certify_new_version(g, AUDITOR, "2.4.0"))
    assert new["issuer"].endswith(":issuers:assure")
    assert certification.verify_credential(g, PUBLIC, new).outcome == "valid"
    assert certification.verify_credential(g, PUBLIC, old).outcome == "revoked"
    listed = {k.purpose for k in rotation.list_keys(g, PUBLIC)}
    assert listed == {"ledger", "issuer", "legacy-issuer"}
    assert "key.register" in [e.action for e in ledger.show(g, limit=10_000)]
    assert ledger.verify(g).ok


def test_the_legacy_fixture_verifies_offline_with_the_cli(g: Gaio, cli: Any) -> None:
    old = LEGACY / "certificate-1.json"
    key = json.loads(old.read_text())["issuer"]
    at = "2026-03-02T10:00:00Z"
    result = cli(
        "certificate", "verify", str(old), "--offline", "--key", key, "--at", at,
        "--status", str(LEGACY / "status-revocation.json"),
    )  # fmt: skip
    assert result.code == 1 and result.out.startswith("revoked"), result.out + result.err


def test_a_fake_issuer_key_in_a_did_document_is_not_enough(g: Gaio) -> None:
    """A document claiming the issuer's did but listing another key verifies nothing."""
    doc = certification.export_certificate(g, PROVIDER, issued(g))
    fake = issuers.issuer_document(g, PUBLIC, "assure")
    stranger = IssuerKey.generate()
    for method in fake["verificationMethod"]:
        method["publicKeyMultibase"] = stranger.public_multibase
        method["id"] = stranger.method_for(fake["id"])
    fake["assertionMethod"] = [m["id"] for m in fake["verificationMethod"]]
    verdict = verify_certificate(doc, trusted_keys(fake), now=g.clock.now(), check_status=False)
    assert verdict.outcome == "unknown-issuer"
