"""Content provenance: C2PA credentials signed in the test by a local test CA (trusted, unknown
signer, tampered, unsigned, malformed), and green-list text watermarks."""

from __future__ import annotations

import datetime as dt
import io
import json
import random
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.conftest import PROVIDER, PUBLIC
from tests.factories import card, world

from gaio.errors import InvalidInput
from gaio.evaluation.watermark import WatermarkScheme, detect, generate
from gaio.services.context import Gaio
from gaio.services.evaluation import provenance
from gaio.services.evaluation.evidence import list_evidence
from gaio.services.registry.systems import register_system

c2pa = pytest.importorskip("c2pa")

AI = "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia"


def _ca(name: str) -> tuple[Any, Any]:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    now = dt.datetime.now(dt.UTC)
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=365))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(False, False, False, False, False, True, True, False, False),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    return key, cert


def _signer(ca_key: Any, ca: Any, name: str) -> Any:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    now = dt.datetime.now(dt.UTC)
    key = ec.generate_private_key(ec.SECP256R1())
    leaf = (
        x509.CertificateBuilder()
        .subject_name(
            x509.Name(
                [
                    x509.NameAttribute(NameOID.COMMON_NAME, name),
                    x509.NameAttribute(NameOID.ORGANIZATION_NAME, "gaio tests"),
                ]
            )
        )
        .issuer_name(ca.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(True, False, False, False, False, False, False, False, False),
            critical=True,
        )
        .add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False
        )
        .sign(ca_key, hashes.SHA256())
    )
    pem = serialization.Encoding.PEM
    chain = leaf.public_bytes(pem) + ca.public_bytes(pem)
    private = key.private_bytes(
        pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return c2pa.Signer.from_info(
        c2pa.C2paSignerInfo(c2pa.C2paSigningAlg.ES256, chain, private, None)
    )


def _png() -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (32, 32), (200, 30, 30)).save(buf, "PNG")
    return buf.getvalue()


def _sign(signer: Any, data: bytes, *, ai: bool = True) -> bytes:
    source = AI if ai else "http://cv.iptc.org/newscodes/digitalsourcetype/digitalCapture"
    action: dict[str, Any] = {"action": "c2pa.created", "digitalSourceType": source}
    manifest = {
        "claim_generator_info": [{"name": "test-generator", "version": "1.0"}],
        "title": "picture.png",
        "assertions": [{"label": "c2pa.actions", "data": {"actions": [action]}}],
    }
    out = io.BytesIO()
    c2pa.Builder(manifest).sign(signer, "image/png", io.BytesIO(data), out)
    return out.getvalue()


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    from cryptography.hazmat.primitives import serialization

    root = tmp_path_factory.mktemp("c2pa")
    ca_key, ca = _ca("gaio test root")
    stranger_key, stranger = _ca("unknown root")
    png = _png()
    signed = _sign(_signer(ca_key, ca, "gaio test signer"), png)
    out = {
        "trust": root / "trust.pem",
        "signed": root / "signed.png",
        "stranger": root / "stranger.png",
        "tampered": root / "tampered.png",
        "unsigned": root / "unsigned.png",
        "garbage": root / "garbage.png",
        "text": root / "notes.txt",
    }
    out["trust"].write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    out["signed"].write_bytes(signed)
    out["stranger"].write_bytes(_sign(_signer(stranger_key, stranger, "someone"), png, ai=False))
    from PIL import Image

    img = Image.open(io.BytesIO(signed))
    img.load()
    assert img.getpixel((3, 3)) == (200, 30, 30)
    tampered = bytearray(signed)
    idat = tampered.rfind(b"IDAT")
    tampered[idat + 8] ^= 0x01  # one bit of the image data, after signing
    out["tampered"].write_bytes(bytes(tampered))
    out["unsigned"].write_bytes(png)
    out["garbage"].write_bytes(b"\x89PNG\r\n\x1a\nnot really")
    out["text"].write_text("hello")
    return out


def test_trusted_untrusted_tampered_unsigned_and_malformed(g: Gaio, files: dict[str, Path]) -> None:
    trust = files["trust"]
    good, _ = provenance.verify_file(g, PUBLIC, files["signed"], trust=trust)
    assert good.verdict == "trusted", good.message
    assert good.signer == "gaio test signer" and good.claim_generator == "test-generator 1.0"
    assert good.ai_generated is True and good.actions == ["c2pa.created"]
    stranger, _ = provenance.verify_file(g, PUBLIC, files["stranger"], trust=trust)
    assert stranger.verdict == "untrusted" and stranger.ai_generated is False
    tampered, _ = provenance.verify_file(g, PUBLIC, files["tampered"], trust=trust)
    assert tampered.verdict == "invalid" and tampered.failures
    assert provenance.verify_file(g, PUBLIC, files["unsigned"], trust=trust)[0].verdict == "none"
    assert provenance.verify_file(g, PUBLIC, files["garbage"], trust=trust)[0].verdict in (
        "none",
        "unreadable",
    )
    assert provenance.verify_file(g, PUBLIC, files["text"])[0].verdict == "unreadable"
    no_list, _ = provenance.verify_file(g, PUBLIC, files["signed"])
    assert no_list.verdict == "untrusted"
    with pytest.raises(InvalidInput, match="no PEM certificate"):
        provenance.verify_file(g, PUBLIC, files["signed"], trust=files["text"])


def test_verdict_is_recorded_as_art_50_2_evidence(
    g: Gaio, files: dict[str, Path], cli: Any
) -> None:
    world(g)
    register_system(g, PROVIDER, card())
    _verdict, evidence = provenance.verify_file(
        g, PROVIDER, files["signed"], trust=files["trust"], system="acme-cv-ranker"
    )
    assert evidence is not None and evidence.kind == "art50-2-marking"
    assert [e.kind for e in list_evidence(g, PROVIDER, "acme-cv-ranker")] == ["art50-2-marking"]
    r = cli("provenance", "verify", str(files["tampered"]), "--trust", str(files["trust"]))
    assert r.code == 1 and r.out.startswith("invalid:")
    r = cli("provenance", "verify", str(files["signed"]), "--trust", str(files["trust"]), "--json")
    assert r.code == 0 and json.loads(r.out)["verdict"] == "trusted"


WORDS = [f"w{i}" for i in range(400)]


def test_watermark_detects_marked_text_and_flags_public_keys(tmp_path: Path, g: Gaio) -> None:
    scheme = WatermarkScheme(key="provider-secret-7", gamma=0.25)
    rng = random.Random(1)
    marked = generate(scheme, WORDS, 200, rng.randrange)
    plain = " ".join(rng.choice(WORDS) for _ in range(200))
    hit = detect(marked, scheme)
    assert hit.detected and hit.z_score is not None and hit.z_score > 8
    assert hit.p_value is not None and hit.p_value < 1e-10 and not hit.public_default_key
    miss = detect(plain, scheme)
    assert not miss.detected and miss.z_score is not None and abs(miss.z_score) < 4
    assert not detect(marked, WatermarkScheme(key="another-key")).detected
    public = detect(
        generate(WatermarkScheme(key="15485863"), WORDS, 200, rng.randrange),
        WatermarkScheme(key="15485863"),
    )
    assert public.detected and public.public_default_key and "public default" in public.notes[0]
    short = detect("too short", scheme)
    assert short.z_score is None and not short.detected
    path = tmp_path / "t.txt"
    path.write_text(marked)
    with pytest.raises(InvalidInput, match="gamma"):
        provenance.parse_scheme({"key": "k", "gamma": 1.5})


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 10_000))
def test_unmarked_text_is_rarely_flagged(seed: int) -> None:
    rng = random.Random(seed)
    text = " ".join(rng.choice(WORDS) for _ in range(150))
    verdict = detect(text, WatermarkScheme(key="k-" + str(seed)))
    assert verdict.z_score is not None and verdict.z_score < 4.0
