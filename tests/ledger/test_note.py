"""Signed notes and checkpoints: the C2SP and Go vectors, round trips, and malformed input."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gaio.errors import IntegrityError, InvalidInput
from gaio.ledger.note import (
    Checkpoint,
    Signer,
    Verifier,
    key_id,
    open_checkpoint,
    open_note,
    sign_checkpoint,
    sign_note,
)

REFERENCE_DATA = Path(__file__).resolve().parents[1] / "data"  # see tests/data/SOURCES.md
VECTORS_FILE = REFERENCE_DATA / "c2sp" / "signed-note-vectors.json"


@pytest.fixture(scope="module")
def vectors() -> dict[str, Any]:
    assert VECTORS_FILE.is_file(), f"signed-note vectors not found at {VECTORS_FILE}"
    data: dict[str, Any] = json.loads(VECTORS_FILE.read_text(encoding="utf-8"))
    assert len(data["signedNotes"]) == 5 and len(data["checkpoints"]) == 2
    return data


def by_id(vectors: dict[str, Any], vector_id: str) -> dict[str, Any]:
    (vector,) = [v for v in vectors["signedNotes"] if v["id"] == vector_id]
    assert isinstance(vector, dict)
    return vector


def keys_of(vector: dict[str, Any]) -> list[str]:
    keys: list[str] = vector.get("verifierKeys") or [vector["verifierKey"]]
    return keys


@pytest.fixture(scope="module")
def signer() -> Signer:
    return Signer.generate("example.org/gaio-log")


def test_valid_vectors_verify(vectors: dict[str, Any]) -> None:
    valid = [v for v in vectors["signedNotes"] if v["expect"].startswith("valid")]
    assert len(valid) == 3
    for vector in valid:
        keys = keys_of(vector)
        opened = open_note(vector["signedNote"], [Verifier.from_key(k) for k in keys])
        assert opened.text == vector["text"]
        assert [str(s) for s in opened.verified] == ["+".join(k.split("+", 2)[:2]) for k in keys]
        assert opened.unverified == ()


def test_key_ids_are_rederived(vectors: dict[str, Any]) -> None:
    keys = {k for v in vectors["signedNotes"] for k in keys_of(v)}
    assert len(keys) == 3
    for vkey in keys:
        name, hex_id, b64 = vkey.split("+", 2)
        raw = base64.b64decode(b64)
        assert raw[0] == 0x01
        assert f"{key_id(name, raw[1:]):08x}" == hex_id
        assert Verifier.from_key(vkey).verifier_key() == vkey


def test_go_test_private_key_reproduces_its_signature(vectors: dict[str, Any]) -> None:
    vector = by_id(vectors, "go-sumdb-note-PeterNeumann")
    signer = Signer.from_key(vector["signerKey_TEST_ONLY"])
    assert signer.signer_key() == vector["signerKey_TEST_ONLY"]
    assert signer.verifier_key() == vector["verifierKey"]
    assert sign_note(vector["text"], signer) == vector["signedNote"]
    two = by_id(vectors, "go-sumdb-note-two-signers")
    resigned = sign_note(vector["text"], signer)
    assert two["signedNote"].startswith(resigned)


def test_misnamed_signature_is_not_from_a_known_key(vectors: dict[str, Any]) -> None:
    vector = by_id(vectors, "go-sumdb-note-misnamed-signature")
    with pytest.raises(IntegrityError) as info:
        open_note(vector["signedNote"], Verifier.from_key(vector["verifierKey"]))
    assert str(info.value) == ("note is not signed by any known key (saw: CarmenSandiego+c74f20a3)")


def test_tampered_text_fails(vectors: dict[str, Any]) -> None:
    vector = by_id(vectors, "derived-tampered-text")
    with pytest.raises(
        IntegrityError, match=r"^signature by PeterNeumann\+c74f20a3 does not verify"
    ):
        open_note(vector["signedNote"], Verifier.from_key(vector["verifierKey"]))


def test_checkpoint_examples_parse(vectors: dict[str, Any]) -> None:
    for example in vectors["checkpoints"]:
        note = example["checkpoint"]
        text = note[: note.rindex("\n\n") + 1]
        checkpoint = Checkpoint.parse(text)
        assert checkpoint.origin == "example.com/behind-the-sofa"
        assert checkpoint.size == 20852163
        assert base64.b64encode(checkpoint.root_hash).decode() == (
            "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I="
        )
        assert checkpoint.to_text() == text
    cosigned = vectors["checkpoints"][1]["checkpoint"]
    with pytest.raises(IntegrityError) as info:
        open_note(cosigned, Signer.generate("example.com/behind-the-sofa").verifier)
    assert "saw: example.com/behind-the-sofa+" in str(info.value)
    assert ", witness.example.com/w1+" in str(info.value)


def test_go_tree_note_parses(vectors: dict[str, Any]) -> None:
    tree = vectors["treeNote"]
    checkpoint = Checkpoint.parse(tree["noteText"])
    assert (checkpoint.origin, checkpoint.size) == ("go.sum database tree", tree["treeSize"])
    assert checkpoint.to_text() == tree["noteText"]


def test_generated_key_round_trip(signer: Signer) -> None:
    again = Signer.from_key(signer.signer_key())
    assert again.verifier_key() == signer.verifier_key()
    verifier = Verifier.from_key(signer.verifier_key())
    assert verifier == signer.verifier
    note = sign_note("hello\n\nworld\n", [signer])
    opened = open_note(note, verifier)
    assert opened.text == "hello\n\nworld\n"
    assert [s.name for s in opened.verified] == ["example.org/gaio-log"]
    assert "PRIVATE" not in repr(signer)


def test_unknown_signatures_are_kept_unverified(signer: Signer) -> None:
    witness = Signer.generate("witness.example/w1")
    note = sign_note("text\n", [signer, witness])
    opened = open_note(note.encode(), [signer.verifier])
    assert [str(s) for s in opened.unverified] == [f"witness.example/w1+{witness.key_id:08x}"]
    impostor = Signer.generate(signer.name)  # same name, other key: ignored, not an error
    mixed = sign_note("text\n", [impostor, signer])
    assert len(open_note(mixed, signer.verifier).unverified) == 1
    with pytest.raises(IntegrityError, match="not signed by any known key"):
        open_note(sign_note("text\n", impostor), signer.verifier)


def test_a_bad_signature_from_a_known_key_rejects_the_note(signer: Signer) -> None:
    note = sign_note("text\n", signer)
    line = note.split("\n")[2]
    raw = bytearray(base64.b64decode(line.split(" ")[2]))
    raw[-1] ^= 1
    forged = note.replace(line.split(" ")[2], base64.b64encode(bytes(raw)).decode())
    with pytest.raises(IntegrityError, match=f"signature by {signer.name}\\+"):
        open_note(forged, signer.verifier)


@pytest.mark.parametrize(
    ("note", "message"),
    [
        ("text\n— k AAAA\n", "no blank line before its signatures"),
        ("text\n\n— k QUJDREVGRw==", "must end with a newline"),
        ("text\n\n- k QUJDREVGRw==\n", "must start with an em dash"),
        ("text\n\n—k QUJDREVGRw==\n", "must start with an em dash"),
        ("text\n\n— kQUJDREVGRw==\n", "no space between name and signature"),
        ("text\n\n— k+1 QUJDREVGRw==\n", "must not contain spaces or '\\+'"),
        ("text\n\n—  QUJDREVGRw==\n", "key name on signature line 1 must not be empty"),
        ("text\n\n— k QUJDREVGRw=\n", "is not valid base64"),
        ("text\n\n— k QUJDREVGRx==\n", "is not canonical base64"),
        ("text\n\n— k QUJDRA==\n", "4 bytes, too short"),
        ("te\txt\n\n— k QUJDREVGRw==\n", "control character '\\\\t'"),
        ("text\n\n" + "— k QUJDREVGRw==\n" * 101, "101 signatures, more than 100"),
        (b"text\xff\n\n- k QUJDREVGRw==\n", "not valid UTF-8"),
    ],
)
def test_malformed_notes_are_rejected(signer: Signer, note: str | bytes, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        open_note(note, signer.verifier)


def test_sign_note_refuses_bad_text(signer: Signer) -> None:
    with pytest.raises(InvalidInput, match="must end with a newline"):
        sign_note("no newline", signer)
    with pytest.raises(InvalidInput, match="control character"):
        sign_note("bell\a\n", signer)
    with pytest.raises(InvalidInput, match="at least one signer"):
        sign_note("text\n", [])
    with pytest.raises(InvalidInput, match="not valid UTF-8"):
        sign_note("lone surrogate \ud800\n", signer)


@pytest.mark.parametrize(
    ("vkey", "message"),
    [
        ("example.com/foo+530d903a", "got 2 '\\+'-separated parts"),
        ("+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k", "key name must not be empty"),
        ("example.com/foo+530D903A+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k", "8 lowercase"),
        ("example.com/foo+530d903b+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k", "should be 530d"),
        ("example.com/bar+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k", "does not match"),
        ("example.com/foo+530d903a+AukyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k", "type 0x02"),
        ("example.com/foo+530d903a+" + base64.b64encode(b"\x01" + bytes(31)).decode(), "got 31"),
        ("example.com/foo+530d903a+not base64!", "not valid base64"),
        ("example.com/foo+530d903a+", "key material is empty"),
    ],
)
def test_malformed_verifier_keys(vkey: str, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        Verifier.from_key(vkey)


def test_malformed_signer_keys_do_not_echo_the_secret(signer: Signer) -> None:
    # PRIVATE+KEY+<name>+<hash>+<key>: the key is base64, which may itself contain '+'.
    secret = signer.signer_key().split("+", 4)[4]
    assert len(secret) > 20
    with pytest.raises(InvalidInput) as info:
        Signer.from_key(signer.signer_key().replace("PRIVATE+KEY+", "SECRET+KEY+"))
    assert secret not in str(info.value)
    wrong_id = signer.signer_key().replace(f"+{signer.key_id:08x}+", "+00000000+")
    with pytest.raises(InvalidInput, match="does not match the key") as info:
        Signer.from_key(wrong_id)
    assert secret not in str(info.value)


ROOT = bytes(range(32))
ROOT_B64 = base64.b64encode(ROOT).decode()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (f"log\n5\n{ROOT_B64}", "must end with a newline"),
        ("log\n5\n", "at least 3 lines, got 2"),
        (f"\n5\n{ROOT_B64}\n", "origin must not be empty"),
        (f"log\n007\n{ROOT_B64}\n", "without leading zeros"),
        (f"log\n+5\n{ROOT_B64}\n", "without leading zeros"),
        (f"log\n 5\n{ROOT_B64}\n", "without leading zeros"),
        (f"log\n\uff15\n{ROOT_B64}\n", "without leading zeros"),
        (f"log\n{2**64}\n{ROOT_B64}\n", "must be in \\[0, 2\\^64\\)"),
        (f"log\n5\n{ROOT_B64[:-1]}\n", "not valid base64"),
        ("log\n5\nAAEC\n", "32 bytes, got 3"),
        (f"log\n5\n{ROOT_B64}\n\n", "extension line 1 is empty"),
    ],
)
def test_checkpoint_parse_is_strict(text: str, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        Checkpoint.parse(text)


def test_checkpoint_with_extensions_round_trips(signer: Signer) -> None:
    checkpoint = Checkpoint("example.org/gaio-log", 0, ROOT, ("ext one", "ext two"))
    assert checkpoint.to_text() == f"example.org/gaio-log\n0\n{ROOT_B64}\next one\next two\n"
    parsed, opened = open_checkpoint(sign_checkpoint(checkpoint, signer), signer.verifier)
    assert parsed == checkpoint
    assert opened.verified[0].name == signer.name


@given(
    origin=st.text(st.characters(min_codepoint=0x20, exclude_characters="\n"), min_size=1),
    size=st.integers(0, 2**64 - 1),
    root=st.binary(min_size=32, max_size=32),
)
def test_checkpoint_text_round_trips(origin: str, size: int, root: bytes) -> None:
    checkpoint = Checkpoint(origin, size, root)
    assert Checkpoint.parse(checkpoint.to_text()) == checkpoint


@given(
    st.text(st.characters(min_codepoint=0x20, exclude_categories=["Cs"]) | st.just("\n")).map(
        lambda t: t + "\n"
    )
)
def test_any_valid_text_signs_and_opens(text: str) -> None:
    signer = Signer.from_key(
        "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz"
    )
    assert open_note(sign_note(text, signer), signer.verifier).text == text
