"""Witness cosignatures (C2SP tlog-cosignature, Ed25519 ``cosignature/v1``) and the witness's
rule for accepting a new checkpoint of a log it follows.

A witness keeps the latest checkpoint it has seen of each log. It cosigns a new checkpoint only
if it is signed by the log's key, is not smaller than the one it has, and is proved consistent
with it (RFC 9162 consistency proof); the same size with another root is a fork and is refused.
A log that rewrote history can then not show the rewritten view to anyone who checks the
witness's cosignature.

The cosignature is a note signature line ``— <name> base64(key id ‖ timestamp ‖ signature)``:
key id = ``SHA-256(name ‖ "\\n" ‖ 0x04 ‖ public key)[:4]``, timestamp a big-endian u64 of POSIX
seconds, signature Ed25519 over ``"cosignature/v1\\ntime <timestamp>\\n" ‖ checkpoint body``.
"""

from __future__ import annotations

import base64
import hashlib
import struct
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from gaio.errors import IntegrityError, InvalidInput
from gaio.ledger import merkle
from gaio.ledger.note import Checkpoint

COSIGNATURE_ALGORITHM = 0x04
"""Signature type byte of Ed25519 cosignatures (key ids and verifier keys)."""
HEADER = "cosignature/v1"
MAX_NOTE = 64 * 1024


def cosigner_key_id(name: str, public_key: bytes) -> bytes:
    return hashlib.sha256(
        name.encode() + b"\n" + bytes([COSIGNATURE_ALGORITHM]) + public_key
    ).digest()[:4]


def signed_message(body: str, timestamp: int) -> bytes:
    """What a cosignature signs: the header line, the time line and the checkpoint body."""
    if not body.endswith("\n"):
        raise InvalidInput("a checkpoint body ends with a newline")
    return f"{HEADER}\ntime {timestamp}\n{body}".encode()


def body_of(note: str) -> str:
    """The checkpoint body of a signed note (its text up to the blank line)."""
    if len(note) > MAX_NOTE:
        raise InvalidInput(f"a checkpoint note is at most {MAX_NOTE} bytes")
    text, sep, _signatures = note.partition("\n\n")
    if not sep:
        raise InvalidInput("not a signed note: no blank line before the signatures")
    return text + "\n"


def cosign(note: str, name: str, key: Ed25519PrivateKey, timestamp: int) -> str:
    """``note`` with this witness's cosignature line appended."""
    if not 0 <= timestamp < 2**63:
        raise InvalidInput("a cosignature timestamp is a POSIX time below 2^63")
    body = body_of(note)
    public = key.public_key().public_bytes_raw()
    signature = key.sign(signed_message(body, timestamp))
    blob = cosigner_key_id(name, public) + struct.pack(">Q", timestamp) + signature
    return note + f"— {name} {base64.b64encode(blob).decode('ascii')}\n"


def verify_cosignature(note: str, name: str, public_key: bytes) -> int:
    """The timestamp of ``name``'s cosignature on ``note``; IntegrityError if it is missing or
    does not verify."""
    body = body_of(note)
    wanted = cosigner_key_id(name, public_key)
    for line in note.partition("\n\n")[2].splitlines():
        if not line.startswith(f"— {name} "):
            continue
        try:
            blob = base64.b64decode(line.split(" ", 2)[2], validate=True)
        except (ValueError, IndexError):
            continue
        if len(blob) != 4 + 8 + 64 or blob[:4] != wanted:
            continue
        (timestamp,) = struct.unpack(">Q", blob[4:12])
        try:
            Ed25519PublicKey.from_public_bytes(public_key).verify(
                blob[12:], signed_message(body, timestamp)
            )
        except InvalidSignature:
            raise IntegrityError(f"the cosignature of {name!r} does not verify") from None
        return int(timestamp)
    raise IntegrityError(f"the checkpoint carries no cosignature by {name!r}")


@dataclass(frozen=True)
class Seen:
    """The latest checkpoint a witness accepted for one log."""

    size: int
    root: bytes


def accept(previous: Seen | None, new: Checkpoint, proof: list[bytes]) -> Seen:
    """The witness's rule: a new checkpoint must extend what it saw (RFC 9162 §2.1.4)."""
    if previous is None or previous.size == 0:
        return Seen(new.size, new.root_hash)
    if new.size < previous.size:
        raise IntegrityError(
            f"{new.origin}: checkpoint of size {new.size} is older than the {previous.size} "
            "already witnessed (a rollback)"
        )
    if new.size == previous.size:
        if new.root_hash != previous.root:
            raise IntegrityError(
                f"{new.origin}: two different roots for size {new.size} (a fork): refusing"
            )
        return previous
    merkle.verify_consistency(previous.size, new.size, previous.root, new.root_hash, proof)
    return Seen(new.size, new.root_hash)
