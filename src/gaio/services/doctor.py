"""``gaio doctor``: a cheap health check of an installation, one line per check.

Checks the database schema version, the data directory's and the keys' permissions, that the
keys load, and how long the newest ledger entries have waited for a signed checkpoint. Each
check says what to do when it fails. Nothing is changed.
"""

from __future__ import annotations

import stat
from datetime import timedelta
from pathlib import Path
from typing import Literal

from pydantic import BaseModel

from gaio.errors import GaioError
from gaio.services.context import Gaio
from gaio.store import ledger as ledger_repo
from gaio.store import migrate

Status = Literal["ok", "warn", "fail"]


class Check(BaseModel):
    name: str
    status: Status
    message: str


class DoctorReport(BaseModel):
    version: int = 1
    ok: bool
    checks: list[Check]


def _private(path: Path, what: str, directory: bool = False) -> Check:
    if not path.exists():
        return Check(name=what, status="warn", message=f"{path} does not exist yet")
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        fix = "700" if directory else "600"
        return Check(
            name=what,
            status="fail",
            message=f"{path} is open to others (mode {mode:o}); run 'chmod {fix} {path}'",
        )
    return Check(name=what, status="ok", message=f"{path} is owner-only")


def diagnose(g: Gaio) -> DoctorReport:
    checks: list[Check] = []
    current, heads = migrate.current_revisions(g.engine), migrate.head_revisions()
    if current == heads:
        checks.append(
            Check(name="schema", status="ok", message=f"revision {migrate.describe(current)}")
        )
    else:
        checks.append(
            Check(
                name="schema",
                status="fail",
                message=f"revision {migrate.describe(current)}, expected "
                f"{migrate.describe(heads)}: run 'gaio init' to upgrade",
            )
        )
    home = g.settings.home
    checks.append(_private(home, "data directory", directory=True))
    checks.append(_private(home / "keys", "keys directory", directory=True))
    checks.append(_private(g.settings.key_path, "ledger key"))
    try:
        g.signer()
        checks.append(Check(name="ledger key loads", status="ok", message="it signs"))
    except GaioError as exc:
        checks.append(Check(name="ledger key loads", status="fail", message=exc.message))
    with g.read() as session:
        size = ledger_repo.size(session)
        latest = ledger_repo.latest_checkpoint(session)
        signed = latest.size if latest is not None else 0
        waiting = size - signed
        first = ledger_repo.entry_time(session, signed) if waiting > 0 else None
    limit = timedelta(seconds=g.settings.checkpoint_interval)
    if waiting <= 1 or first is None:
        checks.append(
            Check(name="checkpoint", status="ok", message=f"the log of {size} entries is signed")
        )
    else:
        age = g.clock.now() - first
        status: Status = "warn" if age > limit else "ok"
        checks.append(
            Check(
                name="checkpoint",
                status=status,
                message=f"{waiting} entries wait for a signed checkpoint, the oldest for "
                f"{str(age).split('.')[0]}"
                + ("; run 'gaio ledger checkpoint'" if status == "warn" else ""),
            )
        )
    return DoctorReport(ok=all(c.status != "fail" for c in checks), checks=checks)
