"""Signed checkpoints that keep up with the log, and that cannot be dropped or re-signed.

A checkpoint (C2SP tlog-checkpoint, signed note) fixes the root of the first N entries. gaio
signs one automatically, inside the write that would otherwise leave entries waiting too long:
when ``checkpoint_every`` entries wait, or the oldest waiting entry is older than
``checkpoint_interval`` seconds (settings), and at the end of every bulk operation and CLI
command. Each signature is itself logged: a ``ledger.checkpoint`` entry right after the
entries it covers records the size and root, so deleting a checkpoint row is caught by
verification, and a checkpoint can never be signed again for a size with a different root.
"""

from __future__ import annotations

import base64
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from gaio.errors import IntegrityError
from gaio.ledger import merkle
from gaio.ledger.entries import ENTRY_VERSION, LedgerEntry
from gaio.ledger.note import Checkpoint, Verifier, open_checkpoint, sign_checkpoint
from gaio.services.context import Gaio
from gaio.store import ledger as ledger_repo
from gaio.store.tables.ledger import LedgerCheckpointRow

ACTION = "ledger.checkpoint"
SUBJECT = "ledger:checkpoint"
SIGNER = "gaio"


def _root_of(note: str, verifier: Verifier) -> bytes:
    cp, _ = open_checkpoint(note, verifier)
    return cp.root_hash


def sign_in(g: Gaio, session: Session) -> LedgerCheckpointRow:
    """Sign a checkpoint of the log as it stands in this (write) transaction.

    If one exists for this size already, its root must be the log's: a different root means
    the history was rewritten, and gaio refuses to sign it again.
    """
    size = ledger_repo.size(session, lock=True)
    nodes = ledger_repo.SqlNodes(session)
    root = merkle.root(size, nodes)
    _refuse_rewritten_history(session, nodes)
    existing = ledger_repo.checkpoint(session, size)
    if existing is not None:
        signed = _root_of(existing.note, Verifier.from_key(g.signer().verifier_key()))
        if signed != root:
            raise IntegrityError(
                f"a checkpoint of size {size} was signed with another root: the log was "
                "rewritten after it was signed; refusing to sign a different history"
            )
        return existing
    now = g.clock.now()
    note = sign_checkpoint(Checkpoint(g.settings.log_origin, size, root), g.signer())
    row = LedgerCheckpointRow(size=size, note=note, created_at=now)
    ledger_repo.add_checkpoint(session, row)
    ledger_repo.append(
        session,
        lambda seq: LedgerEntry(
            version=ENTRY_VERSION,
            seq=seq,
            time=now,
            actor=SIGNER,
            role="system",
            organisation=None,
            action=ACTION,
            subject=SUBJECT,
            details={"size": size, "root_hash": base64.b64encode(root).decode("ascii")},
        ),
    )
    return row


def _refuse_rewritten_history(session: Session, nodes: ledger_repo.SqlNodes) -> None:
    """Before signing, the log must still have the roots it had when the latest checkpoint
    was signed and when the latest one was logged: otherwise signing now would certify a
    rewritten history."""
    latest = ledger_repo.latest_checkpoint(session)
    if latest is not None:
        signed = Checkpoint.parse(latest.note.split("\n\n", 1)[0] + "\n").root_hash
        if merkle.root(latest.size, nodes) != signed:
            raise IntegrityError(
                f"the log no longer has the root of its checkpoint of size {latest.size}: it was "
                "rewritten after it was signed; refusing to sign ('gaio ledger verify' shows where)"
            )
    logged = ledger_repo.latest_entry_for(session, SUBJECT)
    if logged is not None:
        size, root = logged.details.get("size"), logged.details.get("root_hash")
        logged_root_ok = (
            not isinstance(size, int)
            or not isinstance(root, str)
            or base64.b64encode(merkle.root(size, nodes)).decode("ascii") == root
        )
        if not logged_root_ok:
            raise IntegrityError(
                f"the log no longer has the root that entry {logged.seq} logged for size "
                f"{size}: it was rewritten; refusing to sign"
            )


def sign_in_for(g: Gaio, session: Session, row: LedgerCheckpointRow) -> None:
    """Check that an existing checkpoint still matches the log (no rewritten history)."""
    root = merkle.root(row.size, ledger_repo.SqlNodes(session))
    if _root_of(row.note, Verifier.from_key(g.signer().verifier_key())) != root:
        raise IntegrityError(
            f"the checkpoint of size {row.size} does not match the log: it was rewritten after "
            "it was signed ('gaio ledger verify' shows where)"
        )


def due(g: Gaio, session: Session, now: datetime) -> bool:
    """Whether the entries waiting for a checkpoint have waited long enough to sign one."""
    size = ledger_repo.size(session)
    latest = ledger_repo.latest_checkpoint(session)
    signed = latest.size if latest is not None else 0
    waiting = size - signed
    if waiting <= 0 or (waiting == 1 and _is_checkpoint_entry(session, signed)):
        return False
    if waiting >= g.settings.checkpoint_every:
        return True
    first = ledger_repo.entry_time(session, signed)
    return first is not None and now - first >= timedelta(seconds=g.settings.checkpoint_interval)


def _is_checkpoint_entry(session: Session, seq: int) -> bool:
    entry = ledger_repo.entry(session, seq)
    return entry is not None and entry.action == ACTION


def sign_if_stale(g: Gaio) -> bool:
    """For a long-running server: sign when the waiting entries are due (called on a timer,
    so a quiet server does not leave its last writes unsigned). Returns whether it signed."""
    with g.write() as session:
        if not due(g, session, g.clock.now()):
            return False
        sign_in(g, session)
        return True


def sign_if_due(g: Gaio, session: Session) -> None:
    """Called before each append: sign the waiting entries if they are due."""
    if due(g, session, g.clock.now()):
        sign_in(g, session)


def sign_waiting(g: Gaio) -> LedgerCheckpointRow | None:
    """Sign the entries waiting for a checkpoint, if any (end of a command or a bulk job)."""
    with g.write() as session:
        latest = ledger_repo.latest_checkpoint(session)
        size = ledger_repo.size(session, lock=True)
        if latest is not None and latest.size >= size:
            return None
        if (
            latest is not None
            and size == latest.size + 1
            and _is_checkpoint_entry(session, size - 1)
        ):
            return None  # only the checkpoint's own entry waits: nothing new to sign
        return sign_in(g, session)
