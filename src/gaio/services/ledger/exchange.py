"""Export and import of the whole registry and its ledger as JSON Lines.

The export is a consistent snapshot, in a fixed order with sorted keys, so exporting,
importing into an empty database and exporting again gives the same bytes. It carries the
records, the salts of their private commitments, the ledger entries and the signed
checkpoints, and names the keys that signed them. Import runs in one transaction and verifies
every record and every checkpoint against the imported ledger before committing: a damaged or
edited file is refused and nothing is written.

A checkpoint proves nothing if whoever edited the file could also re-sign it, so import accepts
checkpoints only from a key this instance already trusts (its own, after ``gaio keys import``)
or one the operator names (``--key``), and records that key for later verifications.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from gaio.actors import Actor
from gaio.clock import utc_text
from gaio.errors import Conflict, GaioError, IntegrityError, InvalidInput
from gaio.ledger.note import Verifier, open_checkpoint
from gaio.services import permissions
from gaio.services.context import Gaio
from gaio.store import ledger as ledger_repo
from gaio.store import records
from gaio.store.records import when
from gaio.store.tables.base import new_ledger_ref
from gaio.store.tables.ledger import LedgerCheckpointRow
from gaio.store.tables.registry import OrganisationRow

FORMAT = "gaio-export"
FORMAT_VERSION = 2
READABLE_VERSIONS = (1, 2)
"""Version 1 (before ledger entries version 2) carries no salts, checkpoints or signers; its
records of hidden kinds get a fresh pseudonymous reference and are recommitted on import,
exactly as an upgraded database is."""


def _dump(obj: dict[str, Any]) -> str:
    return json.dumps(obj, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def _lines(session: Session, signers: list[str]) -> Iterator[dict[str, Any]]:
    counts = {
        "organisations": session.scalar(select(func.count()).select_from(OrganisationRow)),
        "ledger_entries": ledger_repo.size(session),
    }
    yield {
        "type": "header",
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "counts": counts,
        "signers": signers,
    }
    for kind in records.kinds():
        rows = [(kind.subject(r), kind.record(r)) for r in session.scalars(select(kind.table))]
        for _subject, record in sorted(rows, key=lambda item: item[0]):
            yield {"type": kind.name, **record}
    for subject, salt in sorted(ledger_repo.all_salts(session).items()):
        yield {"type": "salt", "subject": subject, "salt": salt}
    for seq, text, _subject in ledger_repo.stream_entries(session):
        yield {"type": "ledger_entry", "seq": seq, "entry": text}
    for row in ledger_repo.checkpoints(session):
        yield {
            "type": "checkpoint",
            "size": row.size,
            "note": row.note,
            "at": utc_text(row.created_at),
        }


def _signers(g: Gaio, session: Session) -> list[str]:
    """The verifier keys of the log's checkpoints, in the order they first signed one."""
    from gaio.services.ledger.audit import verifiers

    found: list[str] = []
    for row in ledger_repo.checkpoints(session):
        for v in verifiers(g, session):
            try:
                open_checkpoint(row.note, v)
            except GaioError:
                continue
            if v.verifier_key() not in found:
                found.append(v.verifier_key())
            break
    return found


def _require_operator(actor: Actor, what: str) -> None:
    permissions.require_operator(actor, what)


def export(g: Gaio, actor: Actor, path: Path | None) -> int:
    """Write the snapshot to ``path`` (atomically) or stdout; returns the number of lines."""
    _require_operator(actor, "export the database")
    with g.snapshot() as session:
        lines = [_dump(line) + "\n" for line in _lines(session, _signers(g, session))]
    if path is None:
        import sys

        sys.stdout.write("".join(lines))
        return len(lines)
    directory = path.resolve().parent
    fd, tmp = tempfile.mkstemp(prefix=".gaio-export-", dir=directory)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.writelines(lines)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return len(lines)


def import_(g: Gaio, actor: Actor, path: Path, *, trust: list[str] | None = None) -> dict[str, int]:
    """Load an export into an empty database, all or nothing; returns counts per type.

    ``trust``: verifier keys of the source log the operator vouches for (needed unless the
    export was signed with this instance's own key)."""
    _require_operator(actor, "import a database")
    source = str(path)
    try:
        raw_lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise InvalidInput(f"{source}: no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidInput(f"{source}: cannot read ({exc.__class__.__name__})") from None
    parsed: list[tuple[str, dict[str, Any], str]] = []
    for number, line in enumerate(raw_lines, start=1):
        where = f"{source} line {number}"
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InvalidInput(f"{where}: malformed JSON ({exc.msg})") from None
        if not isinstance(obj, dict) or not isinstance(obj.get("type"), str):
            raise InvalidInput(f"{where}: expected a JSON object with a 'type'")
        parsed.append((obj.pop("type"), obj, where))
    if not parsed or parsed[0][0] != "header" or parsed[0][1].get("format") != FORMAT:
        raise InvalidInput(f"{source} line 1: not a gaio export (no '{FORMAT}' header)")
    version = parsed[0][1].get("version")
    if version not in READABLE_VERSIONS:
        raise InvalidInput(
            f"{source} line 1: export format version {version!r} is not supported "
            f"(expected one of {', '.join(map(str, READABLE_VERSIONS))})"
        )
    if version == 1:
        parsed = [_from_v1(kind, obj, where) for kind, obj, where in parsed]
    counts: dict[str, int] = {}
    with g.write() as session:
        if ledger_repo.size(session, lock=True) or session.scalar(
            select(func.count()).select_from(OrganisationRow)
        ):
            raise Conflict("import needs an empty database: this one already holds records")
        entries: list[bytes] = []
        subjects: list[str] = []
        cps: list[LedgerCheckpointRow] = []
        rank = 0
        order = [k.name for k in records.kinds()]
        loaders = {k.name: k.load for k in records.kinds()}
        for kind, obj, where in parsed[1:]:
            counts[kind] = counts.get(kind, 0) + 1
            if kind == "salt":
                subject, salt = obj.get("subject"), obj.get("salt")
                if not isinstance(subject, str) or not isinstance(salt, str):
                    raise InvalidInput(f"{where}: a salt line needs 'subject' and 'salt'")
                ledger_repo.store_salt(session, subject, salt)
                continue
            if kind == "checkpoint":
                try:
                    cps.append(
                        LedgerCheckpointRow(
                            size=int(obj["size"]), note=str(obj["note"]), created_at=when(obj["at"])
                        )
                    )
                except (KeyError, TypeError, ValueError):
                    raise InvalidInput(f"{where}: a checkpoint line needs size, note, at") from None
                continue
            if kind == "ledger_entry":
                if obj.get("seq") != len(entries) or not isinstance(obj.get("entry"), str):
                    raise InvalidInput(f"{where}: ledger entries must be in order from 0")
                entries.append(obj["entry"].encode("utf-8"))
                try:
                    subjects.append(str(json.loads(obj["entry"])["subject"]))
                except (json.JSONDecodeError, KeyError, TypeError):
                    raise InvalidInput(f"{where}: ledger entry has no subject") from None
                continue
            if kind not in order or order.index(kind) < rank:
                raise InvalidInput(f"{where}: line type {kind!r} out of order or unknown")
            rank = order.index(kind)
            try:
                session.add(loaders[kind](obj))
                session.flush()
            except KeyError as exc:
                raise InvalidInput(f"{where}: missing field {exc.args[0]!r}") from None
            except (ValueError, TypeError) as exc:
                raise InvalidInput(f"{where}: {exc}") from None
        ledger_repo.bulk_append(session, entries, subjects)
        keys = _trusted(g, parsed[0][1], trust or [], source)
        now = g.clock.now()
        for vkey in keys:
            ledger_repo.add_verifier_key(
                session, vkey, now, f"signed the log imported from {source}"
            )
        for row in cps:
            ledger_repo.add_checkpoint(session, row)
        for rebuild in records.rebuilders():
            rebuild(session)
        if version == 1:
            from gaio.services.ledger.upgrade import recommit_due

            recommit_due(g, session)
        from gaio.services.ledger.audit import key_periods, verify_session

        problems = verify_session(g, session, key_periods(g, session))
        if problems:
            raise IntegrityError(
                f"{source}: import refused, the ledger does not match: {problems[0].message}"
            )
    return counts


def _from_v1(kind: str, obj: dict[str, Any], where: str) -> tuple[str, dict[str, Any], str]:
    """A version-1 line as version 2 reads it: records of kinds that are now pseudonymous get
    the random reference they would have had from the upgrade migration."""
    hidden = {k.name for k in records.kinds() if k.hidden}
    if kind in hidden and "ledger_ref" not in obj:
        obj = {**obj, "ledger_ref": new_ledger_ref()}
    return kind, obj, where


def _trusted(g: Gaio, header: dict[str, Any], trust: list[str], source: str) -> list[str]:
    """The signer keys of the export that this instance may accept: each must be its own key
    or one the operator named; anything else is refused before anything is written."""
    signers = header.get("signers") or []
    if not isinstance(signers, list) or not all(isinstance(k, str) for k in signers):
        raise InvalidInput(f"{source} line 1: 'signers' must be a list of verifier keys")
    own = g.signer().verifier_key()
    named = {Verifier.from_key(k).verifier_key() for k in trust}
    unknown = [k for k in signers if k != own and k not in named]
    if unknown:
        raise InvalidInput(
            f"{source}: its checkpoints are signed with {unknown[0]!r}, a key this instance does "
            "not trust; import its keys first ('gaio keys import') or name it with --key"
        )
    return [k for k in signers if k != own]
