"""Export and import of the whole registry and its ledger as JSON Lines.

The export is a consistent snapshot, in a fixed order with sorted keys, so exporting,
importing into an empty database and exporting again gives the same bytes. Import runs in
one transaction and verifies every record against the imported ledger before committing:
a damaged or edited file is refused and nothing is written.
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

from gaio.actors import Actor, Role
from gaio.errors import Conflict, IntegrityError, InvalidInput, PermissionDenied
from gaio.services.context import Gaio
from gaio.store import ledger as ledger_repo
from gaio.store import records
from gaio.store.tables.registry import OrganisationRow

FORMAT = "gaio-export"
FORMAT_VERSION = 1


def _dump(obj: dict[str, Any]) -> str:
    return json.dumps(obj, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def _lines(session: Session) -> Iterator[dict[str, Any]]:
    counts = {
        "organisations": session.scalar(select(func.count()).select_from(OrganisationRow)),
        "ledger_entries": ledger_repo.size(session),
    }
    yield {"type": "header", "format": FORMAT, "version": FORMAT_VERSION, "counts": counts}
    for kind in records.kinds():
        rows = [(kind.subject(r), kind.record(r)) for r in session.scalars(select(kind.table))]
        for _subject, record in sorted(rows, key=lambda item: item[0]):
            yield {"type": kind.name, **record}
    for seq, text, _subject in ledger_repo.stream_entries(session):
        yield {"type": "ledger_entry", "seq": seq, "entry": text}


def _require_operator(actor: Actor, what: str) -> None:
    if actor.role is not Role.ADMIN:
        raise PermissionDenied(
            f"{actor.label} ({actor.role.value}) may not {what}: administrators only"
        )


def export(g: Gaio, actor: Actor, path: Path | None) -> int:
    """Write the snapshot to ``path`` (atomically) or stdout; returns the number of lines."""
    _require_operator(actor, "export the database")
    with g.snapshot() as session:
        lines = [_dump(line) + "\n" for line in _lines(session)]
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


def import_(g: Gaio, actor: Actor, path: Path) -> dict[str, int]:
    """Load an export into an empty database, all or nothing; returns counts per type."""
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
    if parsed[0][1].get("version") != FORMAT_VERSION:
        raise InvalidInput(
            f"{source} line 1: export format version {parsed[0][1].get('version')!r} "
            f"is not supported (expected {FORMAT_VERSION})"
        )
    counts: dict[str, int] = {}
    with g.write() as session:
        if ledger_repo.size(session, lock=True) or session.scalar(
            select(func.count()).select_from(OrganisationRow)
        ):
            raise Conflict("import needs an empty database: this one already holds records")
        entries: list[bytes] = []
        subjects: list[str] = []
        rank = 0
        order = [k.name for k in records.kinds()]
        loaders = {k.name: k.load for k in records.kinds()}
        for kind, obj, where in parsed[1:]:
            counts[kind] = counts.get(kind, 0) + 1
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
        for rebuild in records.rebuilders():
            rebuild(session)
        from gaio.services.ledger.audit import verify_session

        problems = verify_session(session, g.settings.log_origin, None)
        if problems:
            raise IntegrityError(
                f"{source}: import refused, the ledger does not match: {problems[0].message}"
            )
    return counts
