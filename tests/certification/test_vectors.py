"""The W3C vc-di-eddsa test vectors for eddsa-jcs-2022, and base58btc / did:key encodings."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from gaio.canonical import canonical_json
from gaio.certification import integrity, multibase
from gaio.errors import InvalidInput
from tests.conftest import reference_data


def vectors() -> Path:
    return reference_data() / "vc" / "vc-di-eddsa-TestVectors"


def load(name: str) -> Any:
    return json.loads((vectors() / name).read_text(encoding="utf-8"))


def text(name: str) -> str:
    return (vectors() / "eddsa-jcs-2022" / name).read_text(encoding="utf-8").strip()


def key() -> tuple[Ed25519PrivateKey, bytes]:
    pair = load("keyPair.json")
    seed = multibase.parse_private_key(pair["privateKeyMultibase"])
    public = multibase.parse_public_key(pair["publicKeyMultibase"])
    return Ed25519PrivateKey.from_private_bytes(seed), public


def test_key_pair_decodes_and_matches() -> None:
    private, public = key()
    assert private.public_key().public_bytes_raw() == public
    pair = load("keyPair.json")
    assert multibase.public_key_multibase(public) == pair["publicKeyMultibase"]
    assert (
        multibase.private_key_multibase(private.private_bytes_raw()) == pair["privateKeyMultibase"]
    )


def test_every_intermediate_value_of_the_jcs_vector() -> None:
    private, _ = key()
    unsigned = load("unsigned.json")
    config = load("eddsa-jcs-2022/proofConfigJCS.json")
    assert canonical_json(unsigned).decode() == text("canonDocJCS.txt")
    assert canonical_json(config).decode() == text("proofCanonJCS.txt")
    assert hashlib.sha256(canonical_json(unsigned)).hexdigest() == text("docHashJCS.txt")
    assert hashlib.sha256(canonical_json(config)).hexdigest() == text("proofHashJCS.txt")
    assert integrity.hash_data(unsigned, config).hex() == text("combinedHashJCS.txt")
    signature = private.sign(integrity.hash_data(unsigned, config))
    assert signature.hex() == text("sigHexJCS.txt")
    assert "z" + multibase.b58encode(signature) == text("sigBTC58JCS.txt")


def test_signing_reproduces_the_signed_vector_exactly() -> None:
    private, _ = key()
    config = load("eddsa-jcs-2022/proofConfigJCS.json")
    signed = integrity.add_proof(
        load("unsigned.json"),
        private,
        verification_method=config["verificationMethod"],
        created=config["created"],
    )
    assert signed == load("eddsa-jcs-2022/signedJCS.json")


def test_signed_vector_verifies_and_any_change_breaks_it() -> None:
    _, public = key()
    signed = load("eddsa-jcs-2022/signedJCS.json")
    assert integrity.verify_proof(signed, public).ok
    changed = json.loads(json.dumps(signed))
    changed["credentialSubject"]["alumniOf"] = "The School of Forgeries"
    check = integrity.verify_proof(changed, public)
    assert not check.ok and "signature" in check.problem
    other = Ed25519PrivateKey.generate().public_key().public_bytes_raw()
    assert not integrity.verify_proof(signed, other).ok
    no_context = json.loads(json.dumps(signed))
    no_context["@context"] = ["https://www.w3.org/ns/credentials/v2"]
    assert "@context" in integrity.verify_proof(no_context, public).problem


def test_did_key_round_trip_and_rejects() -> None:
    _, public = key()
    did = multibase.did_key(public)
    assert did == "did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"
    assert multibase.parse_public_key(did) == public
    assert multibase.parse_public_key(multibase.verification_method(public)) == public
    with pytest.raises(InvalidInput, match="base58"):
        multibase.parse_public_key("z0OIl")
    with pytest.raises(InvalidInput, match="multicodec"):
        multibase.parse_public_key("z" + multibase.b58encode(b"\x12\x20" + public))


@pytest.mark.parametrize("data", [b"", b"\0", b"\0\0\1", bytes(range(256))])
def test_base58_round_trip(data: bytes) -> None:
    assert multibase.b58decode(multibase.b58encode(data), max_chars=400) == data
