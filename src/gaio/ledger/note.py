"""C2SP signed notes (c2sp.org/signed-note) with Ed25519 keys, and tlog checkpoints.

A signed note is a text followed by a blank line and one signature line per key::

    <text ending in a newline>

    — <key name> base64(4-byte key id ‖ Ed25519 signature of the text)

Keys are named and carry a 4-byte id, ``SHA-256(name ‖ 0x0A ‖ 0x01 ‖ public key)[:4]``, so a
verifier finds the right key without trying them all. Key strings use the encodings of
golang.org/x/mod/sumdb/note, so gaio's checkpoints open with Go tooling and vice versa:
``<name>+<8 hex id>+base64(0x01 ‖ public key)`` to verify, and
``PRIVATE+KEY+<name>+<8 hex id>+base64(0x01 ‖ 32-byte seed)`` to sign.

A checkpoint (c2sp.org/tlog-checkpoint) is a note whose text is exactly ``origin``, tree size and
base64 root hash, one per line, then optional extension lines. The text means nothing until a
trusted key's signature over it has verified, so :func:`open_note` fails closed.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from gaio.errors import IntegrityError, InvalidInput

ED25519 = 0x01
"""Signature type byte of Ed25519 in key ids and key strings (c2sp.org/signed-note)."""
EM_DASH = "\u2014"
"""Every signature line starts with an em dash and a space."""
MAX_SIGNATURES = 100
"""Notes with more signature lines are refused unread (the spec requires accepting 16)."""

_SIG_PREFIX = EM_DASH + " "
_HEX8 = re.compile(r"[0-9a-f]{8}")
_DECIMAL = re.compile(r"0|[1-9][0-9]*")


def key_id(name: str, public_key: bytes) -> int:
    """The 32-bit id of an Ed25519 key: ``SHA-256(name ‖ 0x0A ‖ 0x01 ‖ public key)[:4]``."""
    digest = hashlib.sha256(name.encode() + b"\n" + bytes([ED25519]) + public_key).digest()
    return int.from_bytes(digest[:4], "big")


@dataclass(frozen=True)
class Verifier:
    """A named Ed25519 public key that checks note signatures."""

    name: str
    public_key: bytes
    key_id: int = field(init=False)

    def __post_init__(self) -> None:
        _check_name(self.name, "key name")
        if len(self.public_key) != 32:
            raise InvalidInput(f"Ed25519 public key must be 32 bytes, got {len(self.public_key)}")
        object.__setattr__(self, "key_id", key_id(self.name, self.public_key))

    @classmethod
    def from_key(cls, vkey: str) -> Verifier:
        """Parse ``<name>+<8 hex key id>+base64(0x01 ‖ 32-byte public key)``."""
        parts = vkey.strip().split("+", 2)  # base64 may itself contain "+"
        if len(parts) != 3:
            raise InvalidInput(
                f"verifier key must be <name>+<key id>+<base64 key>, "
                f"got {len(parts)} '+'-separated parts in {vkey!r}"
            )
        name, hex_id, b64 = parts
        key = _typed_key(b64, "verifier key")
        verifier = cls(name, key)
        _check_key_id(hex_id, verifier.key_id, f"verifier key {name!r}")
        return verifier

    def verifier_key(self) -> str:
        """This key as a verifier-key string, for configuration files and proof documents."""
        encoded = base64.b64encode(bytes([ED25519]) + self.public_key).decode()
        return f"{self.name}+{self.key_id:08x}+{encoded}"

    def verify(self, text: bytes, signature: bytes) -> bool:
        """Whether ``signature`` is this key's Ed25519 signature of ``text``."""
        try:
            Ed25519PublicKey.from_public_bytes(self.public_key).verify(signature, text)
        except InvalidSignature:
            return False
        return True


class Signer:
    """A named Ed25519 private key that signs notes. Its repr never shows the key."""

    def __init__(self, name: str, seed: bytes) -> None:
        if len(seed) != 32:
            raise InvalidInput(f"Ed25519 private key seed must be 32 bytes, got {len(seed)}")
        self._private = Ed25519PrivateKey.from_private_bytes(seed)
        self.verifier = Verifier(name, self._private.public_key().public_bytes_raw())
        self.name = name
        self.key_id = self.verifier.key_id

    @classmethod
    def generate(cls, name: str) -> Signer:
        """A fresh random key for ``name``."""
        return cls(name, Ed25519PrivateKey.generate().private_bytes_raw())

    @classmethod
    def from_key(cls, skey: str) -> Signer:
        """Parse ``PRIVATE+KEY+<name>+<8 hex key id>+base64(0x01 ‖ 32-byte seed)``."""
        parts = skey.strip().split("+", 4)
        if len(parts) != 5 or parts[:2] != ["PRIVATE", "KEY"]:
            raise InvalidInput(
                "signer key must be PRIVATE+KEY+<name>+<key id>+<base64 seed> "
                f"({len(parts)} '+'-separated parts found; the key itself is not shown)"
            )
        _, _, name, hex_id, b64 = parts
        signer = cls(name, _typed_key(b64, "signer key"))
        _check_key_id(hex_id, signer.key_id, f"signer key {name!r}")
        return signer

    def signer_key(self) -> str:
        """The private key string. Secret: store it like a password."""
        seed = self._private.private_bytes_raw()
        encoded = base64.b64encode(bytes([ED25519]) + seed).decode()
        return f"PRIVATE+KEY+{self.name}+{self.key_id:08x}+{encoded}"

    def verifier_key(self) -> str:
        """The matching public verifier-key string, safe to publish."""
        return self.verifier.verifier_key()

    def sign(self, text: bytes) -> bytes:
        """The raw Ed25519 signature of ``text``."""
        return self._private.sign(text)

    def __repr__(self) -> str:
        return f"Signer({self.name!r}, key_id={self.key_id:08x})"


@dataclass(frozen=True)
class NoteSignature:
    """One signature line of a note: key name, key id and the signature without the id."""

    name: str
    key_id: int
    signature: bytes

    def __str__(self) -> str:
        return f"{self.name}+{self.key_id:08x}"


@dataclass(frozen=True)
class OpenedNote:
    """A note whose signatures by known keys all verified (at least one did).

    ``unverified`` holds signatures by keys the caller did not pass, e.g. witnesses.
    """

    text: str
    verified: tuple[NoteSignature, ...]
    unverified: tuple[NoteSignature, ...]


def sign_note(text: str, signers: Signer | Sequence[Signer]) -> str:
    """The signed note of ``text`` (which must end with a newline) by each of ``signers``."""
    signer_list = [signers] if isinstance(signers, Signer) else list(signers)
    if not signer_list:
        raise InvalidInput("a note needs at least one signer")
    if not text.endswith("\n"):
        raise InvalidInput("note text must end with a newline")
    _check_characters(text, "note text")
    raw = _utf8(text, "note text")
    lines = []
    for s in signer_list:
        sig = base64.b64encode(s.key_id.to_bytes(4, "big") + s.sign(raw)).decode()
        lines.append(f"{_SIG_PREFIX}{s.name} {sig}\n")
    return text + "\n" + "".join(lines)


def open_note(note: str | bytes, verifiers: Verifier | Iterable[Verifier]) -> OpenedNote:
    """Parse ``note`` and check its signatures against ``verifiers``.

    Raises :class:`InvalidInput` for a malformed note and :class:`IntegrityError` when a
    signature by a known key (same name and id) fails, or when no known key signed it.
    Signatures by other keys are returned unverified, as the spec requires.
    """
    known = _index_verifiers(verifiers)
    if isinstance(note, bytes):
        try:
            note = note.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise InvalidInput(f"note is not valid UTF-8: {exc}") from exc
    _utf8(note, "note")
    _check_characters(note, "note")
    split = note.rfind("\n\n")
    if split < 0:
        raise InvalidInput("note has no blank line before its signatures")
    text, block = note[: split + 1], note[split + 2 :]
    if not block.endswith("\n"):
        raise InvalidInput("note must end with a newline after its last signature line")
    sig_lines = block[:-1].split("\n")
    if len(sig_lines) > MAX_SIGNATURES:
        raise InvalidInput(f"note has {len(sig_lines)} signatures, more than {MAX_SIGNATURES}")
    verified: dict[tuple[str, int], NoteSignature] = {}
    unverified: dict[tuple[str, int, bytes], NoteSignature] = {}
    raw_text = text.encode("utf-8")
    for number, line in enumerate(sig_lines, start=1):
        sig = _parse_signature_line(line, number)
        verifier = known.get((sig.name, sig.key_id))
        if verifier is None:
            unverified.setdefault((sig.name, sig.key_id, sig.signature), sig)
        elif (sig.name, sig.key_id) not in verified:
            if not verifier.verify(raw_text, sig.signature):
                raise IntegrityError(f"signature by {sig} does not verify")
            verified[(sig.name, sig.key_id)] = sig
    if not verified:
        saw = ", ".join(str(s) for s in unverified.values())
        raise IntegrityError(f"note is not signed by any known key (saw: {saw})")
    return OpenedNote(text, tuple(verified.values()), tuple(unverified.values()))


@dataclass(frozen=True)
class Checkpoint:
    """A log's signed tree head: origin, tree size and RFC 9162 root (c2sp.org/tlog-checkpoint)."""

    origin: str
    size: int
    root_hash: bytes
    extensions: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not self.origin:
            raise InvalidInput("checkpoint origin must not be empty")
        _check_characters(self.origin, "checkpoint origin", newline=False)
        if not 0 <= self.size < 2**64:
            raise InvalidInput(f"checkpoint tree size must be in [0, 2^64), got {self.size}")
        if len(self.root_hash) != 32:
            raise InvalidInput(f"checkpoint root hash must be 32 bytes, got {len(self.root_hash)}")
        for i, line in enumerate(self.extensions, start=1):
            if not line:
                raise InvalidInput(f"checkpoint extension line {i} is empty")
            _check_characters(line, f"checkpoint extension line {i}", newline=False)

    def to_text(self) -> str:
        """The note text to sign: one field per line, ending with a newline."""
        root = base64.b64encode(self.root_hash).decode()
        return "".join(
            f"{line}\n" for line in (self.origin, str(self.size), root, *self.extensions)
        )

    @classmethod
    def parse(cls, text: str) -> Checkpoint:
        """Parse checkpoint note text strictly (no leading zeros, canonical base64, 32 bytes)."""
        if not text.endswith("\n"):
            raise InvalidInput("checkpoint text must end with a newline")
        lines = text[:-1].split("\n")
        if len(lines) < 3:
            raise InvalidInput(f"checkpoint text needs at least 3 lines, got {len(lines)}")
        origin, size_line, root_line, *extensions = lines
        if not _DECIMAL.fullmatch(size_line):
            raise InvalidInput(
                f"checkpoint tree size {size_line!r} must be a decimal number without leading zeros"
            )
        root = _b64decode(root_line, "checkpoint root hash")
        return cls(origin, int(size_line), root, tuple(extensions))


def sign_checkpoint(checkpoint: Checkpoint, signers: Signer | Sequence[Signer]) -> str:
    """The signed note of ``checkpoint``."""
    return sign_note(checkpoint.to_text(), signers)


def open_checkpoint(
    note: str | bytes, verifiers: Verifier | Iterable[Verifier]
) -> tuple[Checkpoint, OpenedNote]:
    """Open a signed checkpoint note (see :func:`open_note`) and parse its text."""
    opened = open_note(note, verifiers)
    return Checkpoint.parse(opened.text), opened


def _index_verifiers(verifiers: Verifier | Iterable[Verifier]) -> dict[tuple[str, int], Verifier]:
    known: dict[tuple[str, int], Verifier] = {}
    for v in [verifiers] if isinstance(verifiers, Verifier) else verifiers:
        other = known.setdefault((v.name, v.key_id), v)
        if other.public_key != v.public_key:
            raise InvalidInput(f"two different verifier keys share the name and id {v.name}")
    if not known:
        raise InvalidInput("opening a note needs at least one verifier key")
    return known


def _parse_signature_line(line: str, number: int) -> NoteSignature:
    if not line.startswith(_SIG_PREFIX):
        raise InvalidInput(
            f"note signature line {number} must start with an em dash (U+2014) and a space"
        )
    name, space, b64 = line[len(_SIG_PREFIX) :].partition(" ")
    if not space:
        raise InvalidInput(f"note signature line {number} has no space between name and signature")
    _check_name(name, f"key name on signature line {number}")
    raw = _b64decode(b64, f"signature on line {number}")
    if len(raw) < 5:
        raise InvalidInput(f"signature on line {number} is {len(raw)} bytes, too short")
    return NoteSignature(name, int.from_bytes(raw[:4], "big"), raw[4:])


def _check_name(name: str, what: str) -> None:
    if not name:
        raise InvalidInput(f"{what} must not be empty")
    if "+" in name or any(c.isspace() for c in name):
        raise InvalidInput(f"{what} {name!r} must not contain spaces or '+'")
    _check_characters(name, what, newline=False)


def _utf8(value: str, what: str) -> bytes:
    try:
        return value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise InvalidInput(f"{what} is not valid UTF-8: {exc}") from exc


def _check_characters(value: str, what: str, *, newline: bool = True) -> None:
    """Signed notes allow no ASCII control character except (where allowed) newline."""
    for i, c in enumerate(value):
        if c < " " and not (newline and c == "\n"):
            raise InvalidInput(f"{what} contains the control character {c!r} at position {i}")


def _b64decode(value: str, what: str) -> bytes:
    """Strict standard base64: alphabet, padding, and the one canonical spelling."""
    try:
        raw = base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise InvalidInput(f"{what} is not valid base64: {value!r}") from exc
    if base64.b64encode(raw).decode() != value:
        raise InvalidInput(f"{what} is not canonical base64: {value!r}")
    return raw


def _typed_key(b64: str, what: str) -> bytes:
    """The 32 key bytes of base64(type ‖ key), refusing any type but Ed25519."""
    try:
        raw = base64.b64decode(b64, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise InvalidInput(f"{what}: key material is not valid base64") from exc
    if not raw:
        raise InvalidInput(f"{what}: key material is empty")
    if raw[0] != ED25519:
        raise InvalidInput(f"{what}: signature type 0x{raw[0]:02x} is not supported (Ed25519 0x01)")
    if len(raw) != 33:
        raise InvalidInput(f"{what}: Ed25519 key must be 32 bytes, got {len(raw) - 1}")
    return raw[1:]


def _check_key_id(hex_id: str, actual: int, what: str) -> None:
    if not _HEX8.fullmatch(hex_id):
        raise InvalidInput(f"{what}: key id {hex_id!r} must be 8 lowercase hex digits")
    if int(hex_id, 16) != actual:
        raise InvalidInput(
            f"{what}: key id {hex_id} does not match the key (it should be {actual:08x})"
        )
