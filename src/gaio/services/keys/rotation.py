"""Listing and rotating signing keys. A rotation is itself logged: the old key's row gets the end
of its validity (``key.retire``) and the new key's row is added (``key.rotate``), in one
transaction; the old public key stays listed, so what it signed keeps verifying.

Ledger key: the old key first signs a checkpoint of the log as it stands, the new key is staged
in ``ledger.key.next``, the rotation is committed, the staged key replaces the old one, and the
new key signs a checkpoint that covers the rotation. If the process stops between the commit
and the rename, :func:`recover` finishes the rotation (or discards one that never committed).
Issuer key: a body's new key gets its own file; the old private key is deleted after the commit
(nothing needs it: its certificates verify with its public key, and their status lists are
signed by the body's current key).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from pydantic import BaseModel, Field
from sqlalchemy import func, select

from gaio.actors import Actor
from gaio.certification import keys, multibase
from gaio.certification.keys import IssuerKey
from gaio.errors import InvalidInput, NotFound
from gaio.ledger import keys as ledger_key_files
from gaio.ledger.note import Signer
from gaio.services import permissions
from gaio.services.context import Gaio
from gaio.services.keys import issuers
from gaio.services.keys.ledger import LEDGER
from gaio.services.ledger.record import record_change
from gaio.store.tables.keys import SigningKeyRow
from gaio.store.tables.ledger import LedgerCheckpointRow


class KeyInfo(BaseModel):
    """One signing key as listed: its public half, purpose and validity period."""

    version: int = 1
    id: str = Field(description="the public key, multibase (z6Mk…)")
    purpose: str = Field(description="ledger, issuer or legacy-issuer")
    organisation: str | None
    verifier: str | None = Field(description="C2SP verifier key of a ledger key")
    valid_from: datetime | None
    valid_until: datetime | None
    reason: str
    current: bool
    private_key_here: bool = Field(description="whether this installation holds the private key")


def _info(g: Gaio, row: SigningKeyRow) -> KeyInfo:
    if row.purpose == LEDGER:
        here = g.signer().verifier_key() == row.verifier
    elif row.purpose == issuers.LEGACY:
        legacy = keys.load_legacy_key(g.settings.home)
        here = legacy is not None and legacy.public_multibase == row.id
    else:
        assert row.organisation is not None
        here = keys.org_key_path(g.settings.home, row.organisation, row.id).exists()
    return KeyInfo(
        id=row.id,
        purpose=row.purpose,
        organisation=row.organisation,
        verifier=row.verifier,
        valid_from=row.valid_from,
        valid_until=row.valid_until,
        reason=row.reason,
        current=row.valid_until is None,
        private_key_here=here,
    )


def list_keys(g: Gaio, actor: Actor) -> list[KeyInfo]:
    """Every key listed (public), and the ledger key in use if no rotation has listed it."""
    with g.read() as session:
        found = [
            _info(g, r)
            for r in session.scalars(
                select(SigningKeyRow).order_by(
                    SigningKeyRow.purpose, SigningKeyRow.organisation, SigningKeyRow.valid_from
                )
            )
        ]
    current = g.signer()
    current_id = multibase.public_key_multibase(current.verifier.public_key)
    if all(k.id != current_id for k in found):
        found.insert(
            0,
            KeyInfo(
                id=current_id,
                purpose=LEDGER,
                organisation=None,
                verifier=current.verifier_key(),
                valid_from=None,
                valid_until=None,
                reason="the ledger key in use (not rotated yet)",
                current=True,
                private_key_here=True,
            ),
        )
    legacy = keys.load_legacy_key(g.settings.home)
    if legacy is not None and all(k.id != legacy.public_multibase for k in found):
        found.append(
            KeyInfo(
                id=legacy.public_multibase,
                purpose=issuers.LEGACY,
                organisation=None,
                verifier=None,
                valid_from=None,
                valid_until=None,
                reason="the single issuer key of before per-body keys",
                current=True,
                private_key_here=True,
            )
        )
    return found


def _reason(reason: str) -> str:
    text = reason.strip()
    if not text:
        raise InvalidInput("reason: a rotation needs a reason (it is recorded in the ledger)")
    if len(text) > 2000:
        raise InvalidInput("reason: at most 2000 characters")
    return text


def rotate_issuer(g: Gaio, actor: Actor, org: str, reason: str) -> KeyInfo:
    """Retire a certification body's current key for a new one."""
    permissions.require_issuer_key_holder(actor, org, f"rotate the issuer key of {org!r}")
    why = _reason(reason)
    new = IssuerKey.generate()
    path = keys.org_key_path(g.settings.home, org, new.public_multibase)
    keys.write_key_file(path, g.settings.home, new)
    try:
        with g.write() as session:
            old = issuers.current_row(session, org)
            if old is None:
                raise NotFound(
                    f"{org!r} has no issuer key to rotate: a body gets one at its first issuance"
                )
            now = g.clock.now()
            old.valid_until = now
            details = {"purpose": issuers.ISSUER, "replaced_by": new.public_multibase}
            record_change(g, session, actor, "key.retire", old, details | {"reason": why})
            row = SigningKeyRow(
                id=new.public_multibase,
                purpose=issuers.ISSUER,
                organisation=org,
                verifier=None,
                valid_from=now.replace(microsecond=0),
                valid_until=None,
                reason=why,
            )
            session.add(row)
            record_change(
                g,
                session,
                actor,
                "key.rotate",
                row,
                {"purpose": issuers.ISSUER, "organisation": org, "replaces": old.id},
            )
            retired = keys.org_key_path(g.settings.home, org, old.id)
            info = _info(g, row)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    retired.unlink(missing_ok=True)
    return info


def recover(g: Gaio) -> str | None:
    """Finish a ledger key rotation interrupted after its commit, or discard one that never
    committed; returns what was done, or None when nothing was pending."""
    path = g.settings.key_path
    staged = ledger_key_files.next_key_path(path)
    if not staged.exists():
        return None
    signer = ledger_key_files.load_key(staged)
    staged_id = multibase.public_key_multibase(signer.verifier.public_key)
    with g.read() as session:
        row = session.get(SigningKeyRow, staged_id)
        committed = row is not None and row.purpose == LEDGER and row.valid_until is None
    if committed:
        ledger_key_files.promote_next_key(path)
        g.reload_keys()
        return f"finished the rotation to ledger key {signer.verifier_key()}"
    staged.unlink()
    return "discarded a ledger key rotation that was never committed"


def rotate_ledger(g: Gaio, actor: Actor, reason: str) -> KeyInfo:
    """Retire the ledger key for a new one; checkpoints before and after stay verifiable."""
    from gaio.services.ledger import audit

    permissions.require_key_operator(actor, "rotate the ledger key")
    why = _reason(reason)
    recover(g)
    audit.checkpoint(g)
    old = g.signer()
    old_id = multibase.public_key_multibase(old.verifier.public_key)
    new = Signer.generate(old.name)
    new_id = multibase.public_key_multibase(new.verifier.public_key)
    staged = ledger_key_files.write_next_key(g.settings.key_path, new)
    try:
        with g.write() as session:
            now = g.clock.now()
            row = session.get(SigningKeyRow, old_id)
            if row is None:
                first = session.scalar(select(func.min(LedgerCheckpointRow.created_at)))
                row = SigningKeyRow(
                    id=old_id,
                    purpose=LEDGER,
                    organisation=None,
                    verifier=old.verifier_key(),
                    valid_from=first or now,
                    valid_until=now,
                    reason="the ledger key before the first rotation",
                )
                session.add(row)
            else:
                row.valid_until = now
            details = {"purpose": LEDGER, "replaced_by": new_id, "reason": why}
            record_change(g, session, actor, "key.retire", row, details)
            added = SigningKeyRow(
                id=new_id,
                purpose=LEDGER,
                organisation=None,
                verifier=new.verifier_key(),
                valid_from=now.replace(microsecond=0),
                valid_until=None,
                reason=why,
            )
            session.add(added)
            record_change(
                g, session, actor, "key.rotate", added, {"purpose": LEDGER, "replaces": old_id}
            )
    except BaseException:
        staged.unlink(missing_ok=True)
        raise
    ledger_key_files.promote_next_key(g.settings.key_path)
    g.reload_keys()
    audit.checkpoint(g)
    with g.read() as session:
        current = session.get(SigningKeyRow, new_id)
        assert current is not None
        return _info(g, current)


def key_file_paths(g: Gaio) -> list[Path]:
    """Every private key file of this installation (for doctor-style checks and exports)."""
    home = g.settings.home
    found = [g.settings.key_path]
    legacy = keys.legacy_key_path(home)
    if legacy.exists():
        found.append(legacy)
    found += sorted((keys.keys_dir(home) / "issuers").glob("*/*.key"))
    return found
