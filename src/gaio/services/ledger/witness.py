"""This instance as a witness of other gaio logs (C2SP tlog-witness, pull model).

``follow`` records a log to watch (its origin, its API base URL and its ledger verifier key);
``poll`` fetches the log's latest checkpoint and a consistency proof from the last checkpoint
the witness accepted, over the log's public API; ``observe`` applies the witness's rule
(:func:`gaio.ledger.witness.accept`) and cosigns. The witness key lives in
``GAIO_HOME/keys/witness.key`` (owner-only), separate from the ledger's own key.
"""

from __future__ import annotations

import base64
import json
import os
import stat
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from pydantic import BaseModel
from sqlalchemy import select

from gaio.actors import Actor
from gaio.errors import IntegrityError, InvalidInput, NotFound
from gaio.ledger import witness as rule
from gaio.ledger.note import Verifier, open_checkpoint
from gaio.services import permissions
from gaio.services.context import Gaio
from gaio.store.tables.ledger import WitnessedLogRow

MAX_RESPONSE = 1024 * 1024
TIMEOUT = 10.0


class Witnessed(BaseModel):
    version: int = 1
    origin: str
    url: str
    verifier_key: str
    size: int
    cosigned: str | None


def _key_path(g: Gaio) -> Path:
    return g.settings.home / "keys" / "witness.key"


def _witness_key(g: Gaio) -> Ed25519PrivateKey:
    path = _key_path(g)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        os.chmod(path.parent, 0o700)
        seed = Ed25519PrivateKey.generate().private_bytes_raw()
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            return _witness_key(g)
        with os.fdopen(fd, "w", encoding="ascii") as fh:
            fh.write(base64.b64encode(seed).decode("ascii") + "\n")
    mode = path.stat().st_mode
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise IntegrityError(f"the witness key {path} is readable by others; chmod 600 it")
    seed = base64.b64decode(path.read_text(encoding="ascii").strip())
    return Ed25519PrivateKey.from_private_bytes(seed)


def witness_key(g: Gaio) -> str:
    """This witness's public key as a verifier key (signature type 0x04, C2SP vkey)."""
    public = _witness_key(g).public_key().public_bytes_raw()
    name = g.settings.witness_name
    key_id = rule.cosigner_key_id(name, public).hex()
    blob = base64.b64encode(bytes([rule.COSIGNATURE_ALGORITHM]) + public).decode("ascii")
    return f"{name}+{key_id}+{blob}"


def _out(row: WitnessedLogRow) -> Witnessed:
    return Witnessed(
        origin=row.origin,
        url=row.url,
        verifier_key=row.verifier_key,
        size=row.size,
        cosigned=row.cosigned,
    )


def follow(g: Gaio, actor: Actor, origin: str, url: str, verifier_key: str) -> Witnessed:
    """Start witnessing the log ``origin`` served at ``url`` and signed by ``verifier_key``."""
    permissions.require_operator(actor, "follow a log as a witness")
    verifier = Verifier.from_key(verifier_key)
    if verifier.name != origin:
        raise InvalidInput(f"--key names {verifier.name!r}, not the log's origin {origin!r}")
    parsed = urllib.parse.urlsplit(url)
    if parsed.scheme not in ("http", "https") or not parsed.hostname:
        raise InvalidInput(f"url: {url!r} is not an http(s) URL of a gaio server")
    with g.write() as session:
        row = session.get(WitnessedLogRow, origin)
        if row is not None:
            raise InvalidInput(f"the log {origin!r} is already witnessed from {row.url}")
        row = WitnessedLogRow(
            origin=origin,
            url=url.rstrip("/"),
            verifier_key=verifier_key,
            size=0,
            cosigned=None,
            updated_at=g.clock.now(),
        )
        session.add(row)
        session.flush()
        return _out(row)


def observe(g: Gaio, actor: Actor, origin: str, note: str, proof: list[bytes]) -> Witnessed:
    """Accept a new checkpoint of ``origin`` if it extends the last one, and cosign it."""
    permissions.require_operator(actor, "cosign checkpoints")
    with g.write() as session:
        row = session.get(WitnessedLogRow, origin)
        if row is None:
            raise NotFound(
                f"this instance does not witness {origin!r} ('gaio ledger witness follow')"
            )
        checkpoint, _ = open_checkpoint(note, Verifier.from_key(row.verifier_key))
        if checkpoint.origin != origin:
            raise IntegrityError(f"the checkpoint is for {checkpoint.origin!r}, not {origin!r}")
        previous = None
        if row.cosigned is not None:
            old, _ = open_checkpoint(row.cosigned, Verifier.from_key(row.verifier_key))
            previous = rule.Seen(old.size, old.root_hash)
        seen = rule.accept(previous, checkpoint, proof)
        if previous is not None and seen == previous:
            return _out(row)
        row.cosigned = rule.cosign(
            note, g.settings.witness_name, _witness_key(g), int(g.clock.now().timestamp())
        )
        row.size = checkpoint.size
        row.updated_at = g.clock.now()
        return _out(row)


def _get_json(url: str) -> Any:
    request = urllib.request.Request(url, headers={"Accept": "application/json"})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310
            body = response.read(MAX_RESPONSE + 1)
    except OSError as exc:
        raise InvalidInput(f"cannot fetch {url}: {exc}") from None
    if len(body) > MAX_RESPONSE:
        raise InvalidInput(f"{url}: the response is larger than {MAX_RESPONSE} bytes")
    try:
        return json.loads(body)
    except json.JSONDecodeError:
        raise InvalidInput(f"{url}: not JSON") from None


def poll(g: Gaio, actor: Actor, origin: str) -> Witnessed:
    """Fetch the log's latest checkpoint (and the proof it extends the last one) and observe."""
    permissions.require_operator(actor, "cosign checkpoints")
    with g.read() as session:
        row = session.get(WitnessedLogRow, origin)
        if row is None:
            raise NotFound(f"this instance does not witness {origin!r}")
        base, last = row.url, row.size
    latest = _get_json(f"{base}/api/v1/ledger/checkpoint")
    note = latest.get("note") if isinstance(latest, dict) else None
    size = latest.get("size") if isinstance(latest, dict) else None
    if not isinstance(note, str) or not isinstance(size, int):
        raise InvalidInput(f"{base}: the checkpoint endpoint did not return a checkpoint")
    proof: list[bytes] = []
    if 0 < last < size:
        doc = _get_json(f"{base}/api/v1/ledger/proofs/consistency?old={last}&new={size}")
        hashes = doc.get("proof") if isinstance(doc, dict) else None
        if not isinstance(hashes, list):
            raise InvalidInput(f"{base}: no consistency proof from size {last} to {size}")
        try:
            proof = [base64.b64decode(h, validate=True) for h in hashes]
        except (ValueError, TypeError):
            raise InvalidInput(f"{base}: the consistency proof is not base64") from None
    return observe(g, actor, origin, note, proof)


def followed(g: Gaio, actor: Actor) -> list[Witnessed]:
    with g.read() as session:
        rows = session.scalars(select(WitnessedLogRow).order_by(WitnessedLogRow.origin))
        return [_out(r) for r in rows]
