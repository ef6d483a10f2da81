"""The sample observatory that ``gaio demo`` loads, idempotently, through the services."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel
from sqlalchemy import select

from gaio.actors import Actor, Role
from gaio.clock import today
from gaio.errors import InvalidInput
from gaio.registry.card import load_card
from gaio.registry.vocab import LicenceScope, Stage
from gaio.services.context import Gaio
from gaio.services.ledger import audit as ledger
from gaio.services.registry import deployers, licences, listing, organisations, systems
from gaio.store.tables.registry import LicenceRow, SystemVersionRow

LOADER = Actor(name="demo-loader", role=Role.ADMIN)


class DemoSummary(BaseModel):
    version: int = 1
    organisations: dict[str, int]
    jurisdictions: list[str]
    licences: dict[str, int]
    systems: dict[str, int]
    added: dict[str, int]
    ledger_size: int
    checkpoint: str
    accounts: list[str] = []


def data_dir() -> Path:
    return Path(str(resources.files("gaio.demo") / "data"))


def _find_licence(g: Gaio, spec: dict[str, Any]) -> str | None:
    with g.read() as session:
        return session.scalars(
            select(LicenceRow.id).where(
                LicenceRow.holder == spec["holder"],
                LicenceRow.scope == spec["scope"],
                LicenceRow.issuer == spec["issuer"],
                LicenceRow.valid_from == spec["valid_from"],
            )
        ).first()


def _has_event(g: Gaio, licence_id: str, action: str, reason: str) -> bool:
    events = licences.get_licence(g, LOADER, licence_id).events
    return any(e.action == action and e.reason == reason for e in events)


def _moves_done(g: Gaio, system_id: str, stages: list[str]) -> int:
    """How many of the demo's stage moves the system has made (a run cut short resumes)."""
    changes = systems.get_system(g, LOADER, system_id).stage_changes
    made = [c.to_stage.value for c in changes if c.from_stage is not None]
    done = 0
    while done < len(stages) and done < len(made) and made[done] == stages[done]:
        done += 1
    return done


def _registered(g: Gaio, system_id: str, version: str) -> bool:
    with g.read() as session:
        return session.get(SystemVersionRow, (system_id, version)) is not None


def _no_progress(done: int, total: int | None) -> None:
    return None


def load_demo(
    g: Gaio,
    directory: Path | None = None,
    *,
    progress: Callable[[int, int | None], None] = _no_progress,
) -> DemoSummary:
    """Load the sample observatory; what is already there is left alone.

    ``progress(done, total)`` counts organisations, licences and systems one by one, then
    the later licence decisions, incidents, assessments and the checkpoint as one step each.
    """
    base = directory or data_dir()
    source = base / "observatory.yaml"
    doc = yaml.safe_load(source.read_text(encoding="utf-8"))
    if not isinstance(doc, dict) or doc.get("version") != 1:
        raise InvalidInput(f"{source}: not a version 1 demo file")
    total = sum(len(doc.get(k, []) or []) for k in ("organisations", "licences", "systems")) + 4
    done = 0

    def step() -> None:
        nonlocal done
        done += 1
        progress(done, total)

    progress(0, total)
    added: Counter[str] = Counter()
    known = {o.id for o in organisations.list_organisations(g, LOADER)}
    for org in doc.get("organisations", []):
        if org["id"] not in known:
            organisations.add_organisation(g, LOADER, org)
            added["organisations"] += 1
        step()
    on = today(g.clock)
    pending: list[tuple[str, dict[str, Any], Actor]] = []
    for spec in doc.get("licences", []):
        regulator = Actor(
            name="licensing-officer", role=Role.REGULATOR, organisation=spec["issuer"]
        )
        licence_id = _find_licence(g, spec)
        if licence_id is None:
            until = spec.get("valid_until")
            lic = licences.grant_licence(
                g,
                regulator,
                licences.LicenceGrant(
                    issuer=spec["issuer"],
                    holder=spec["holder"],
                    scope=LicenceScope(spec["scope"]),
                    valid_from=spec["valid_from"],
                    valid_until=until,
                    reason=spec["reason"],
                    historical=until is not None and until < on,
                ),
            )
            licence_id = lic.id
            added["licences"] += 1
        for later in spec.get("later", []) or []:
            pending.append((licence_id, later, regulator))
        step()
    for item in doc.get("systems", []):
        card = load_card(base / item["card"])
        provider = Actor(name="registry-officer", role=Role.PROVIDER, organisation=card.provider)
        if not _registered(g, card.id, card.system_version):
            systems.register_system(g, provider, card, reason="registered by the provider")
            added["systems"] += 1
        for org in card.deployers:  # each named deployer consents, as it would in the world
            officer = Actor(name="deployment-officer", role=Role.DEPLOYER, organisation=org)
            deployers.decide(g, officer, card.id, accept=True)
        moves = list(zip(item.get("stages", []), item.get("reasons", []), strict=True))
        for stage, reason in moves[_moves_done(g, card.id, [m[0] for m in moves]) :]:
            systems.change_stage(g, provider, card.id, Stage(stage), reason)
        step()
    for licence_id, later, regulator in pending:
        if not _has_event(g, licence_id, later["action"], later["reason"]):
            licences.change_licence(g, regulator, licence_id, later["action"], later["reason"])
    step()
    from gaio.services.demo.assessments import load_demo_assessments
    from gaio.services.incidents.intake import load_demo_incidents

    for key, count in load_demo_incidents(g).items():
        if count:
            added[key] += count
    step()

    for key, count in load_demo_assessments(g).items():
        if count:
            added[key] += count
    step()
    accounts = demo_accounts(g, added)
    cp = ledger.checkpoint(g)
    step()
    summary = summarise(g, dict(added), cp.note)
    return summary.model_copy(update={"accounts": accounts})


DEMO_USERS = [
    ("demo-admin", "admin", None),
    ("demo-regulator", "regulator", "eu-ai-office"),
    ("demo-provider", "provider", "talentwise"),
    ("demo-auditor", "auditor", None),
]


def demo_accounts(g: Gaio, added: Counter[str]) -> list[str]:
    """Demo users with random passwords kept in ``GAIO_HOME/demo-accounts.txt`` (mode 0600).

    A password is written to the file before its user is created, so a run cut short in
    between leaves a password that the next run uses, never a user nobody can log in as."""
    import os
    import secrets

    from gaio.services.accounts import users as accounts

    path = g.settings.home / "demo-accounts.txt"
    kept: dict[str, str] = {}
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            name, sep, password = line.partition(" password: ")
            if sep:
                kept[name.split(" ", 1)[0]] = password
    existing = {u.username for u in accounts.list_users(g, LOADER)}
    auditor_org = next(
        (o.id for o in organisations.list_organisations(g, LOADER) if o.kind.value == "auditor"),
        None,
    )
    for username, role, org in DEMO_USERS:
        if username in existing:
            continue
        password = kept.get(username, "")
        if not password:
            password = secrets.token_urlsafe(12)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
            with os.fdopen(fd, "a", encoding="utf-8") as fh:
                fh.write(f"{username} ({role}) password: {password}\n")
                fh.flush()
                os.fsync(fh.fileno())
        accounts.add_user(
            g,
            LOADER,
            {
                "username": username,
                "role": role,
                "organisation": org or (auditor_org if role == "auditor" else None),
                "password": password,
            },
        )
        added["users"] += 1
    return [f"demo web accounts (passwords in {path}):"] + [
        f"  {u} ({r})" for u, r, _ in DEMO_USERS
    ]


def summarise(g: Gaio, added: dict[str, int], checkpoint: str) -> DemoSummary:
    orgs = organisations.list_organisations(g, LOADER)
    lics = licences.list_licences(g, LOADER)
    registry = listing.counts(g, LOADER)
    with g.read() as session:
        from gaio.store import ledger as ledger_repo

        size = ledger_repo.size(session)
    return DemoSummary(
        organisations=dict(Counter(o.kind.value for o in orgs)),
        jurisdictions=sorted({j for o in orgs for j in o.jurisdictions}),
        licences=dict(Counter(lic.status.value for lic in lics)),
        systems=registry.by_stage,
        added=added,
        ledger_size=size,
        checkpoint=checkpoint,
    )
