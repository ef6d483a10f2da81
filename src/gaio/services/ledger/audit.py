"""Use cases of the ledger: checkpoints, proofs, history, and full verification."""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import Any

from pydantic import BaseModel, Field
from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from gaio.actors import Actor
from gaio.canonical import canonical_json, content_hash
from gaio.errors import GaioError, InvalidInput, NotFound
from gaio.ledger import merkle
from gaio.ledger.entries import LedgerEntry
from gaio.ledger.note import Verifier, open_checkpoint
from gaio.ledger.proofs import ConsistencyProofDocument, InclusionProofDocument
from gaio.services import permissions
from gaio.services.context import Gaio
from gaio.services.keys.ledger import LedgerKeyPeriod, ledger_keys, period_problem
from gaio.services.ledger import checkpoints
from gaio.store import ledger as ledger_repo
from gaio.store import records
from gaio.store.tables.ledger import LedgerCheckpointRow, LedgerNodeRow


class CheckpointInfo(BaseModel):
    version: int = 1
    origin: str
    size: int
    root_hash: str = Field(description="base64, as in the checkpoint")
    note: str


def _info(note: str, verifier: Verifier | Sequence[Verifier]) -> CheckpointInfo:
    cp, _ = open_checkpoint(note, verifier)
    return CheckpointInfo(
        origin=cp.origin, size=cp.size, root_hash=base64.b64encode(cp.root_hash).decode(), note=note
    )


def verifier_key(g: Gaio) -> str:
    """The observatory's public key in the C2SP note verifier-key format."""
    return g.signer().verifier_key()


def _verifier(g: Gaio) -> list[Verifier]:
    """Every ledger key, current and rotated (with their periods: ``ledger_keys``)."""
    return [p.verifier for p in ledger_keys(g)]


def key_periods(g: Gaio, session: Session) -> list[LedgerKeyPeriod]:
    """Every key whose checkpoints this log accepts, with the period it may have signed in:
    the instance's own and rotated keys (``gaio keys``), and keys the log was signed with
    before it was imported here (any time)."""
    periods = ledger_keys(g)
    known = {p.verifier.verifier_key() for p in periods}
    for vkey in ledger_repo.known_verifier_keys(session):
        if vkey not in known:
            periods.append(LedgerKeyPeriod(Verifier.from_key(vkey)))
    return periods


def verifiers(g: Gaio, session: Session) -> list[Verifier]:
    """The verifier keys of :func:`key_periods`, without their periods."""
    return [p.verifier for p in key_periods(g, session)]


def checkpoint(g: Gaio, *, covering: int | None = None) -> CheckpointInfo:
    """A signed checkpoint of the log as it stands: the latest one when it covers every
    entry (or the first ``covering`` entries), else a new one. Signing a different root for a
    size already signed is refused (see :mod:`gaio.services.ledger.checkpoints`)."""
    with g.write() as session:
        size = ledger_repo.size(session, lock=True)
        wanted = size if covering is None else covering
        latest = ledger_repo.latest_checkpoint(session)
        only_its_entry = latest is not None and size == latest.size + 1 and covering is None
        if only_its_entry and latest is not None:
            last = ledger_repo.entry(session, size - 1)
            if last is not None and last.action == checkpoints.ACTION:
                wanted = latest.size
        if latest is not None and latest.size >= wanted:
            checkpoints.sign_in_for(g, session, latest)
            return _info(latest.note, _verifier(g))
        row = checkpoints.sign_in(g, session)
        return _info(row.note, _verifier(g))


def sign_checkpoint(g: Gaio, actor: Actor) -> CheckpointInfo:
    """The ``gaio ledger checkpoint`` use case: administrators and regulators ask for one (gaio
    also signs on its own as the log grows)."""
    permissions.require_checkpoint_signer(actor)
    return checkpoint(g)


class AgainstReport(BaseModel):
    """The log checked against a checkpoint obtained elsewhere (a witness, an auditor)."""

    version: int = 1
    ok: bool
    size: int
    log_size: int
    message: str
    witnesses: list[str] = Field(default_factory=list, description="cosigners that verified")


def verify_against(
    g: Gaio, note: str, *, key: str | None = None, witnesses: list[str] | None = None
) -> AgainstReport:
    """Is ``note`` (a signed checkpoint) a view of this log? Its signature must verify with
    this log's keys (or ``key``), each named witness must have cosigned it, and this log's
    root at that size must be the checkpoint's."""
    from gaio.ledger import witness as rule

    with g.read() as session:
        keys = [Verifier.from_key(key)] if key is not None else verifiers(g, session)
        log_size = ledger_repo.size(session)
        cp, _ = open_checkpoint(note, keys)
        cosigned = []
        for vkey in witnesses or []:
            name, _, rest = vkey.partition("+")
            blob = base64.b64decode(rest.partition("+")[2], validate=True)
            if len(blob) != 33 or blob[0] != rule.COSIGNATURE_ALGORITHM:
                raise InvalidInput(f"--witness {vkey!r} is not an Ed25519 cosigner key")
            rule.verify_cosignature(note, name, blob[1:])
            cosigned.append(name)
        if cp.origin != g.settings.log_origin:
            message = f"the checkpoint is for {cp.origin!r}, not this log ({g.settings.log_origin})"
            return AgainstReport(ok=False, size=cp.size, log_size=log_size, message=message)
        if cp.size > log_size:
            message = f"this log has {log_size} entries, fewer than the checkpoint's {cp.size}"
            return AgainstReport(ok=False, size=cp.size, log_size=log_size, message=message)
        root = merkle.root(cp.size, ledger_repo.SqlNodes(session))
    if root != cp.root_hash:
        message = f"this log's root at size {cp.size} is not the checkpoint's: history rewritten"
        return AgainstReport(ok=False, size=cp.size, log_size=log_size, message=message)
    return AgainstReport(
        ok=True,
        size=cp.size,
        log_size=log_size,
        message=f"the first {cp.size} entries of this log are the checkpoint's",
        witnesses=cosigned,
    )


def latest_checkpoint(g: Gaio) -> CheckpointInfo | None:
    with g.read() as session:
        row = ledger_repo.latest_checkpoint(session)
        return None if row is None else _info(row.note, _verifier(g))


def show(g: Gaio, *, start: int = 0, limit: int = 100) -> list[LedgerEntry]:
    if start < 0 or limit < 1:
        raise InvalidInput("--from must be ≥ 0 and --limit ≥ 1")
    with g.read() as session:
        return ledger_repo.entries(session, start=start, limit=limit)


def _covering_checkpoint(g: Gaio, min_size: int) -> CheckpointInfo:
    latest = latest_checkpoint(g)
    if latest is not None and latest.size >= min_size:
        return latest
    return checkpoint(g, covering=min_size)


def prove(g: Gaio, seq: int) -> InclusionProofDocument:
    """An inclusion proof of entry ``seq`` against the latest checkpoint (made if needed)."""
    with g.read() as session:
        size = ledger_repo.size(session)
    if not 0 <= seq < size:
        raise NotFound(f"no ledger entry {seq}: the log has {size} entries (0..{size - 1})")
    cp = _covering_checkpoint(g, seq + 1)
    with g.read() as session:
        text = ledger_repo.entry_text(session, seq)
        assert text is not None
        proof = merkle.inclusion_proof(seq, cp.size, ledger_repo.SqlNodes(session))
    return InclusionProofDocument.build(
        origin=cp.origin,
        leaf_index=seq,
        tree_size=cp.size,
        entry=text,
        proof=proof,
        checkpoint=cp.note,
    )


def consistency(g: Gaio, old_size: int, new_size: int | None = None) -> ConsistencyProofDocument:
    """A consistency proof between two checkpoints (new: one of the log as it stands now)."""
    with g.read() as session:
        old_row = ledger_repo.checkpoint(session, old_size)
        old_note = old_row.note if old_row is not None else None
        sizes = [c.size for c in ledger_repo.checkpoints(session)]
    if old_note is None:
        raise NotFound(
            f"no checkpoint of size {old_size}; checkpoints exist for sizes {sizes or 'none'}"
        )
    if new_size is None:
        new = checkpoint(g)
        new_note, new_size = new.note, new.size
    else:
        with g.read() as session:
            row = ledger_repo.checkpoint(session, new_size)
            found = row.note if row is not None else None
        if found is None:
            raise NotFound(f"no checkpoint of size {new_size}; checkpoints exist for {sizes}")
        new_note = found
    if new_size < old_size:
        raise InvalidInput(f"NEW_SIZE {new_size} is smaller than OLD_SIZE {old_size}")
    with g.read() as session:
        proof = merkle.consistency_proof(old_size, new_size, ledger_repo.SqlNodes(session))
    return ConsistencyProofDocument.build(
        origin=g.settings.log_origin,
        old_size=old_size,
        new_size=new_size,
        proof=proof,
        old_checkpoint=old_note,
        new_checkpoint=new_note,
    )


class Problem(BaseModel):
    seq: int | None = Field(description="the first sequence number concerned, if any")
    subject: str | None = None
    message: str


class VerifyReport(BaseModel):
    version: int = 1
    ok: bool
    size: int
    checkpoints: int
    records: int
    nodes: int
    problems: list[Problem]
    seconds: float
    entries_per_second: float

    @property
    def first(self) -> Problem | None:
        return self.problems[0] if self.problems else None


Progress = Callable[[int, int], None]
_MAX_PROBLEMS = 1000


def verify(g: Gaio, *, progress: Progress | None = None) -> VerifyReport:
    """Recompute the tree, check every checkpoint and every record against the log.

    Problems are reported in log order, so the first names the first bad sequence number.
    """
    started = time.perf_counter()
    with g.read() as session:
        size = ledger_repo.size(session)
        result = _verify(session, _Policy.of(g), key_periods(g, session), progress)
    seconds = time.perf_counter() - started
    return VerifyReport(
        ok=not result.problems,
        size=size,
        checkpoints=result.checkpoints,
        records=result.records,
        nodes=result.nodes,
        problems=result.problems,
        seconds=round(seconds, 3),
        entries_per_second=round(result.entries / seconds, 1) if seconds > 0 else 0.0,
    )


def verify_session(
    g: Gaio, session: Session, keys: Sequence[LedgerKeyPeriod] | None
) -> list[Problem]:
    """The checks of :func:`verify` inside a caller's transaction (used by import)."""
    return _verify(session, _Policy.of(g), keys, None).problems


class _Policy(BaseModel):
    """What a log of this instance must satisfy beyond its hashes."""

    origin: str
    every: int
    interval: int

    @classmethod
    def of(cls, g: Gaio) -> _Policy:
        s = g.settings
        return cls(origin=s.log_origin, every=s.checkpoint_every, interval=s.checkpoint_interval)


class _Result(BaseModel):
    problems: list[Problem]
    entries: int
    checkpoints: int
    records: int
    nodes: int


def _verify(
    session: Session,
    policy: _Policy,
    verifier: Sequence[LedgerKeyPeriod] | None,
    progress: Progress | None,
) -> _Result:
    problems: list[Problem] = []

    def bad(seq: int | None, message: str, subject: str | None = None) -> None:
        if len(problems) < _MAX_PROBLEMS:
            problems.append(Problem(seq=seq, subject=subject, message=message))

    size = ledger_repo.size(session)
    cps = ledger_repo.checkpoints(session) if verifier is not None else []
    wanted = {c.size for c in cps}
    signed_size = max(wanted, default=0)
    logged: list[tuple[int, int, str]] = []
    waiting: list[tuple[int, datetime, str]] = []
    roots: dict[int, bytes] = {}
    compact = merkle.CompactRange()
    if 0 in wanted:
        roots[0] = compact.root()
    latest: dict[str, Committed] = {}
    superseded: set[str] = set()
    expected = 0
    for batch in _batches(session):
        stored = _leaves(session, batch[0][0], batch[-1][0])
        for seq, text, subject in batch:
            if seq != expected:
                bad(expected, f"entry {expected} is missing (the next stored entry is {seq})")
                expected = seq
            fields = _check_entry(seq, text, subject, bad)
            leaf = merkle.leaf_hash(text.encode("utf-8"))
            if stored.get(seq) != leaf:
                bad(seq, f"entry {seq}: its stored Merkle leaf does not match its text")
            compact.append(leaf)
            if compact.size in wanted:
                roots[compact.size] = compact.root()
            if fields is not None:
                latest[fields[0]] = fields[1]
                was = fields[2].get("was") if fields[1][1] == 2 else None
                if isinstance(was, str):
                    superseded.add(was)
                _note_checkpoint_entry(seq, text, signed_size, logged, waiting)
            expected += 1
        if progress is not None:
            progress(expected, size)
    if expected != size:
        bad(expected, f"the log head says {size} entries but {expected} are stored")
    if verifier is not None:
        _check_checkpoints(policy.origin, session, cps, roots, verifier, bad)
        _check_logged_checkpoints(cps, logged, [p.verifier for p in verifier], bad)
        _check_waiting(policy, waiting, bad)
    nodes = _check_nodes(session, expected, bad)
    count = _check_records(session, latest, superseded, bad)
    problems.sort(key=lambda p: (p.seq is None, p.seq if p.seq is not None else 0))
    return _Result(
        problems=problems, entries=expected, checkpoints=len(cps), records=count, nodes=nodes
    )


def _batches(session: Session) -> Any:
    batch: list[tuple[int, str, str]] = []
    for row in ledger_repo.stream_entries(session):
        batch.append(row)
        if len(batch) >= 5000:
            yield batch
            batch = []
    if batch:
        yield batch


def _leaves(session: Session, first: int, last: int) -> dict[int, bytes]:
    rows = session.execute(
        select(LedgerNodeRow.idx, LedgerNodeRow.hash).where(
            LedgerNodeRow.level == 0, LedgerNodeRow.idx >= first, LedgerNodeRow.idx <= last
        )
    )
    return {idx: bytes(h) for idx, h in rows}


Committed = tuple[int, int, str | None, str | None]
"""(seq, version, hash or public hash, private commitment) of a subject's latest entry."""


def _check_entry(
    seq: int, text: str, subject: str, bad: Callable[..., None]
) -> tuple[str, Committed, dict[str, Any]] | None:
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        bad(seq, f"entry {seq} is not valid JSON (edited outside gaio?)")
        return None
    if not isinstance(data, dict):
        bad(seq, f"entry {seq} is not a JSON object")
        return None
    if canonical_json(data) != text.encode("utf-8"):
        bad(seq, f"entry {seq} is not in canonical form (edited outside gaio?)")
    if data.get("seq") != seq:
        bad(seq, f"entry {seq} records sequence number {data.get('seq')!r} (entries reordered?)")
    if data.get("subject") != subject:
        bad(
            seq,
            f"entry {seq}: its subject column says {subject!r}, its text {data.get('subject')!r}",
        )
    entry_subject = data.get("subject")
    if not isinstance(entry_subject, str):
        bad(seq, f"entry {seq} has no subject")
        return None
    version = data.get("version")
    if version == 1:
        first, second = data.get("record_hash"), None
    elif version == 2:
        first, second = data.get("public_hash"), data.get("private_commitment")
    else:
        bad(seq, f"entry {seq} has an unknown format version {version!r}")
        return None
    details = data.get("details")
    return (
        entry_subject,
        (
            seq,
            version,
            first if isinstance(first, str) else None,
            second if isinstance(second, str) else None,
        ),
        details if isinstance(details, dict) else {},
    )


def _note_checkpoint_entry(
    seq: int,
    text: str,
    signed_size: int,
    logged: list[tuple[int, int, str]],
    waiting: list[tuple[int, datetime, str]],
) -> None:
    """Collect the ``ledger.checkpoint`` entries, and the entries no checkpoint covers yet."""
    data = json.loads(text)
    action = data.get("action")
    details = data.get("details") or {}
    if action == checkpoints.ACTION and isinstance(details, dict):
        size, root = details.get("size"), details.get("root_hash")
        if isinstance(size, int) and isinstance(root, str):
            logged.append((seq, size, root))
    if seq >= signed_size:
        try:
            when = datetime.fromisoformat(str(data.get("time", "")).replace("Z", "+00:00"))
        except ValueError:
            return
        waiting.append((seq, when, str(action)))


def _check_logged_checkpoints(
    cps: list[LedgerCheckpointRow],
    logged: list[tuple[int, int, str]],
    verifier: list[Verifier],
    bad: Callable[..., None],
) -> None:
    """Every checkpoint the log says was signed must still be there, with the logged root."""
    notes = {c.size: c.note for c in cps}
    for seq, size, root in logged:
        note = notes.get(size)
        if note is None:
            bad(seq, f"entry {seq} logs a signed checkpoint of size {size}, which is missing")
            continue
        try:
            cp, _ = open_checkpoint(note, verifier)
        except GaioError:
            continue  # reported by _check_checkpoints
        if base64.b64encode(cp.root_hash).decode("ascii") != root:
            bad(seq, f"the checkpoint of size {size} is not the one entry {seq} logged")


def _check_waiting(
    policy: _Policy, waiting: list[tuple[int, datetime, str]], bad: Callable[..., None]
) -> None:
    """Entries no checkpoint covers: gaio signs before more than ``every`` wait, or before
    any waits longer than ``interval`` while the log grows; more means checkpoints were
    dropped or signing was bypassed."""
    pending = [w for w in waiting if w[2] != checkpoints.ACTION]
    if not pending:
        return
    first, last = pending[0], waiting[-1]
    if len(pending) > policy.every:
        bad(
            first[0],
            f"{len(pending)} entries from {first[0]} on wait for a signed checkpoint; gaio "
            f"signs at most every {policy.every} (checkpoints dropped?)",
        )
    elif last[1] - first[1] > timedelta(seconds=policy.interval):
        bad(
            first[0],
            f"entries from {first[0]} to {last[0]} span {last[1] - first[1]} without a signed "
            f"checkpoint; gaio signs every {policy.interval} s (checkpoints dropped?)",
        )


def _check_checkpoints(
    origin: str,
    session: Session,
    cps: list[LedgerCheckpointRow],
    roots: dict[int, bytes],
    periods: Sequence[LedgerKeyPeriod],
    bad: Callable[..., None],
) -> None:
    previous: tuple[int, bytes] | None = None
    for row in cps:
        where = f"checkpoint of size {row.size}"
        try:
            cp, opened = open_checkpoint(row.note, [p.verifier for p in periods])
        except GaioError as exc:
            bad(row.size - 1 if row.size else 0, f"{where}: {exc.message}")
            continue
        outside = period_problem(opened, row.created_at, periods)
        if outside is not None:
            bad(row.size - 1 if row.size else 0, f"{where}: {outside}")
        if cp.size != row.size:
            bad(row.size - 1 if row.size else 0, f"{where}: its signed size is {cp.size}")
            continue
        if cp.origin != origin:
            bad(row.size - 1 if row.size else 0, f"{where}: origin {cp.origin!r} is not this log's")
        recomputed = roots.get(cp.size)
        if recomputed is None:
            bad(cp.size - 1, f"{where}: the log is shorter than the checkpoint (entries deleted?)")
        elif recomputed != cp.root_hash:
            bad(cp.size - 1, f"{where}: its root does not match the log (history rewritten?)")
        if previous is not None and previous[0] > 0:
            try:
                proof = merkle.consistency_proof(
                    previous[0], cp.size, ledger_repo.SqlNodes(session)
                )
                merkle.verify_consistency(previous[0], cp.size, previous[1], cp.root_hash, proof)
            except GaioError as exc:
                bad(
                    previous[0],
                    f"checkpoints of sizes {previous[0]} and {cp.size} are not consistent: "
                    f"{exc.message}",
                )
        previous = (cp.size, cp.root_hash)


def _check_nodes(session: Session, size: int, bad: Callable[..., None]) -> int:
    """Every stored inner node must hash its two stored children; every level complete."""
    counts = dict(
        session.execute(
            select(LedgerNodeRow.level, func.count()).group_by(LedgerNodeRow.level)
        ).all()
    )
    level = 0
    while (size >> level) > 0:
        want = size >> level
        if counts.get(level, 0) != want:
            bad(None, f"Merkle level {level} stores {counts.get(level, 0)} nodes, expected {want}")
        level += 1
    for extra in sorted(k for k in counts if (size >> k) == 0):
        bad(None, f"Merkle level {extra} stores {counts[extra]} nodes for a log of {size}")
    left, right = aliased(LedgerNodeRow), aliased(LedgerNodeRow)
    parent = LedgerNodeRow
    rows = session.execute(
        select(parent.level, parent.idx, parent.hash, left.hash, right.hash)
        .join(left, (left.level == parent.level - 1) & (left.idx == parent.idx * 2))
        .join(right, (right.level == parent.level - 1) & (right.idx == parent.idx * 2 + 1))
        .where(parent.level > 0)
        .execution_options(yield_per=5000)
    )
    for lvl, idx, digest, lh, rh in rows:
        if bytes(digest) != merkle.node_hash(bytes(lh), bytes(rh)):
            bad(idx << lvl, f"Merkle node ({lvl}, {idx}) does not hash its children")
    return sum(counts.values())


def _check_records(
    session: Session,
    latest: dict[str, Committed],
    superseded: set[str],
    bad: Callable[..., None],
) -> int:
    """Every current record against the latest entry for its subject, in that entry's format:
    version 1 by the hash of the whole record, version 2 by the public hash and the salted
    commitment to the private fields (the salt kept in ``record_salts``)."""
    count = 0
    seen: set[str] = set()
    salts = ledger_repo.all_salts(session)
    for kind, subject, record in records.all_records(session):
        count += 1
        seen.add(subject)
        committed = latest.get(subject)
        if committed is None:
            bad(None, f"record {subject} has no ledger entry (written outside gaio?)", subject)
            continue
        seq, version, first, second = committed
        if version == 1:
            matches = first == content_hash(record)
        else:
            salt = salts.get(subject)
            if kind.private and salt is None:
                bad(seq, f"record {subject}: the salt of its commitment is missing", subject)
                continue
            expected = records.commitment(kind, record, salt)
            matches = (first, second) == (expected.public_hash, expected.private_commitment)
        if not matches:
            bad(
                seq,
                f"record {subject} differs from what entry {seq} committed to "
                "(edited outside gaio?)",
                subject,
            )
    for subject, (seq, _version, first, _second) in latest.items():
        gone = subject not in seen and subject not in superseded
        if gone and first is not None and records.is_record_subject(subject):
            bad(
                seq,
                f"record {subject} is gone, but entry {seq} committed to it (deleted?)",
                subject,
            )
    return count
