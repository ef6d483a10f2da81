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
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from gaio.actors import Actor, Role
from gaio.errors import Conflict, IntegrityError, InvalidInput, PermissionDenied
from gaio.services.context import Gaio
from gaio.services.ledger_log import _fault_point
from gaio.store import ledger_repo, records
from gaio.store.tables import LicenceRow, OrganisationRow, SystemRow, SystemVersionRow

FORMAT = "gaio-export"
FORMAT_VERSION = 1


def _dump(obj: dict[str, Any]) -> str:
    return json.dumps(obj, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def _time(value: datetime) -> str:
    return value.isoformat().replace("+00:00", "Z")


def _lines(session: Session) -> Iterator[dict[str, Any]]:
    counts = {
        "organisations": session.scalar(select(func.count()).select_from(OrganisationRow)),
        "ledger_entries": ledger_repo.size(session),
    }
    yield {"type": "header", "format": FORMAT, "version": FORMAT_VERSION, "counts": counts}
    for org in session.scalars(select(OrganisationRow).order_by(OrganisationRow.id)):
        yield {"type": "organisation", **records.organisation(org)}
    for lic in session.scalars(select(LicenceRow).order_by(LicenceRow.id)):
        yield {"type": "licence", **records.licence(lic)}
    for system in session.scalars(select(SystemRow).order_by(SystemRow.id)):
        yield {"type": "system", **records.system(system)}
    for ver in session.scalars(
        select(SystemVersionRow).order_by(SystemVersionRow.system_id, SystemVersionRow.seq)
    ):
        yield {"type": "system_version", **records.system_version(ver)}
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
    with g.read() as session:
        if session.bind is not None and session.bind.dialect.name == "postgresql":
            session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
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


def _when(value: Any, where: str) -> datetime:
    try:
        parsed = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        raise InvalidInput(f"{where}: {value!r} is not an ISO 8601 time") from None
    if parsed.tzinfo is None:
        raise InvalidInput(f"{where}: time {value!r} has no UTC offset")
    return parsed


def _day(value: Any, where: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise InvalidInput(f"{where}: {value!r} is not a date (YYYY-MM-DD)") from None


def _row(kind: str, d: dict[str, Any], where: str) -> object:
    if kind == "organisation":
        return OrganisationRow(
            id=d["id"],
            name=d["name"],
            kind=d["kind"],
            jurisdictions=d["jurisdictions"],
            contact=d["contact"],
            created_at=_when(d["created_at"], where),
        )
    if kind == "licence":
        return LicenceRow(
            id=d["id"],
            issuer=d["issuer"],
            holder=d["holder"],
            scope=d["scope"],
            valid_from=_day(d["valid_from"], where),
            valid_until=_day(d["valid_until"], where),
            state=d["state"],
            reason=d["reason"],
            granted_at=_when(d["granted_at"], where),
            changed_at=_when(d["changed_at"], where),
        )
    if kind == "system":
        return SystemRow(
            id=d["id"],
            name=d["name"],
            provider=d["provider"],
            deployers=d["deployers"],
            created_at=_when(d["created_at"], where),
        )
    if kind == "system_version":
        return SystemVersionRow(
            system_id=d["system"],
            version=d["version"],
            seq=d["seq"],
            card=d["card"],
            card_hash=d["card_hash"],
            stage=d["stage"],
            registered_at=_when(d["registered_at"], where),
            registered_by=d["registered_by"],
        )
    raise InvalidInput(f"{where}: unknown line type {kind!r}")


_ORDER = ["organisation", "licence", "system", "system_version"]


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
            if kind not in _ORDER or _ORDER.index(kind) < rank:
                raise InvalidInput(f"{where}: line type {kind!r} out of order or unknown")
            rank = _ORDER.index(kind)
            try:
                session.add(_row(kind, obj, where))
                session.flush()
            except KeyError as exc:
                raise InvalidInput(f"{where}: missing field {exc.args[0]!r}") from None
        ledger_repo.bulk_append(session, entries, subjects)
        from gaio.services.ledger import verify_session

        problems = verify_session(session, g.settings.log_origin, None)
        _fault_point("import-before-commit")
        if problems:
            raise IntegrityError(
                f"{source}: import refused, the ledger does not match: {problems[0].message}"
            )
    return counts
