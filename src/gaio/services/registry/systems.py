"""Use cases for AI systems: register (a system or a new version), change stage, read."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from gaio.actors import Actor
from gaio.clock import today
from gaio.errors import Conflict, InvalidInput, LicenceRequired, NotFound
from gaio.ledger.entries import LedgerEntry
from gaio.registry import rules
from gaio.registry.card import SystemCard
from gaio.registry.models import AISystem, StageChange, SystemFlag, SystemVersion
from gaio.registry.vocab import LicenceScope, LicenceStatus, OrgKind, Stage
from gaio.services import permissions
from gaio.services.context import Gaio
from gaio.services.ledger.record import check_if_match, current_hash, record_change
from gaio.services.registry import deployers
from gaio.services.registry.licences import licences_of
from gaio.services.registry.organisations import require_organisation
from gaio.store import ledger as ledger_repo
from gaio.store.queries.registry import version_or_latest
from gaio.store.tables.registry import LicenceRow, SystemRow, SystemVersionRow

_STAGE_ACTIONS = {"version.register", "version.stage"}
_PROVIDER_KINDS = {OrgKind.PROVIDER.value, OrgKind.RESEARCH.value}
_NEEDS_LICENCE = {Stage.DEPLOYMENT, Stage.MONITORING}


def _frontier_reason(card: SystemCard) -> str:
    m = card.model
    assert m is not None
    if m.frontier_capabilities:
        caps = ", ".join(c.value for c in m.frontier_capabilities)
        return f"it declares frontier capabilities ({caps})"
    return f"it is a general-purpose model trained with {m.training_compute_flop:.3g} FLOP (> 1e25)"


def _licence_problem(rows: list[LicenceRow], on: date) -> str:
    if not rows:
        return "it holds none"
    row = rows[-1]
    status = rules.licence_status(LicenceStatus(row.state), row.valid_from, row.valid_until, on)
    if status is LicenceStatus.EXPIRED:
        return f"licence {row.id} expired on {row.valid_until}"
    if status is LicenceStatus.NOT_YET_VALID:
        return f"licence {row.id} is valid only from {row.valid_from}"
    return f"licence {row.id} is {status.value} ({row.reason})"


def require_frontier_licence(session: Session, card: SystemCard, on: date, doing: str) -> None:
    """Refuse ``doing`` unless the provider holds an active frontier-model-development licence."""
    if not card.is_frontier:
        return
    scope = LicenceScope.FRONTIER_MODEL_DEVELOPMENT
    rows = licences_of(session, card.provider, scope)
    for row in rows:
        state = LicenceStatus(row.state)
        if rules.licence_status(state, row.valid_from, row.valid_until, on) is LicenceStatus.ACTIVE:
            return
    raise LicenceRequired(
        f"{card.provider!r} needs an active {scope.value!r} licence to {doing} {card.id!r}, "
        f"because {_frontier_reason(card)}; {_licence_problem(rows, on)}"
    )


def register_system(
    g: Gaio,
    actor: Actor,
    card: SystemCard,
    *,
    stage: Stage = Stage.DESIGN,
    reason: str = "registered",
) -> AISystem:
    """Register a system with its first version, or a new version of an existing system."""
    permissions.require_provider_of(actor, card.provider, f"register systems of {card.provider!r}")
    with g.write() as session:
        provider = require_organisation(session, card.provider, "provider")
        if provider.kind not in _PROVIDER_KINDS:
            raise InvalidInput(
                f"provider: {card.provider!r} is a {provider.kind} organisation; a system's "
                "provider must be a provider or research organisation"
            )
        for i, deployer in enumerate(card.deployers):
            require_organisation(session, deployer, f"deployers[{i}]")
        on = today(g.clock)
        doing = "put into deployment" if stage in _NEEDS_LICENCE else "register"
        require_frontier_licence(session, card, on, doing)
        system = session.get(SystemRow, card.id)
        now = g.clock.now()
        if system is None:
            system = SystemRow(
                id=card.id, name=card.name, provider=card.provider, deployers=[], created_at=now
            )
            session.add(system)
            session.flush()
            system.deployers = deployers.request_links(
                session, actor, system, list(card.deployers), now
            )
            record_change(g, session, actor, "system.register", system, {"name": card.name})
        else:
            if system.provider != card.provider:
                permissions.require_provider_of(
                    actor, system.provider, f"register versions of {card.id!r}"
                )
                raise InvalidInput(
                    f"provider: system {card.id!r} belongs to {system.provider!r}, "
                    f"not {card.provider!r}"
                )
            if session.get(SystemVersionRow, (card.id, card.system_version)) is not None:
                raise Conflict(
                    f"version {card.system_version!r} of {card.id!r} is already registered; "
                    "a changed card needs a new system_version"
                )
            linked = deployers.request_links(session, actor, system, list(card.deployers), now)
            if system.name != card.name or system.deployers != linked:
                system.name = card.name
                system.deployers = linked
                record_change(g, session, actor, "system.update", system, {"name": card.name})
        seq = session.scalar(select(func.count()).where(SystemVersionRow.system_id == card.id))
        version = SystemVersionRow(
            system_id=card.id,
            version=card.system_version,
            seq=seq or 0,
            card=card.model_dump(mode="json", exclude_none=True),
            card_hash=card.content_hash(),
            stage=stage.value,
            registered_at=now,
            registered_by=actor.label,
        )
        session.add(version)
        record_change(
            g,
            session,
            actor,
            "version.register",
            version,
            {"stage": stage.value, "card_hash": version.card_hash, "reason": reason},
        )
        from gaio.services.registry.classifications import classify_version

        classify_version(g, session, actor, version, "classification.add")
        if version.seq:
            from gaio.services.certification.certificates import on_new_version

            on_new_version(g, session, actor, card.id, card.system_version)
        return _load(session, card.id, on)


def change_stage(
    g: Gaio,
    actor: Actor,
    system_id: str,
    stage: Stage,
    reason: str,
    *,
    version: str | None = None,
    if_match: str | None = None,
) -> AISystem:
    """Move a version (default: the latest) to ``stage``, recording who, when and why.

    ``if_match`` is the version's ETag as the caller last read it; a stale one is refused.
    """
    if not reason.strip():
        raise InvalidInput("reason: a stage change needs a reason (--reason)")
    with g.write() as session:
        system = session.get(SystemRow, system_id)
        if system is None:
            raise NotFound(f"no system {system_id!r}")
        permissions.require_provider_of(
            actor, system.provider, f"change the stage of {system_id!r}", "system.stage"
        )
        row = _version_row(session, system_id, version)
        check_if_match(session, row, if_match)
        current = Stage(row.stage)
        problem = rules.transition_error(current, stage)
        if problem:
            raise Conflict(f"{system_id}@{row.version}: {problem}")
        on = today(g.clock)
        if stage in _NEEDS_LICENCE:
            card = SystemCard.model_validate(row.card)
            require_frontier_licence(session, card, on, f"move to {stage.value}")
        row.stage = stage.value
        record_change(
            g,
            session,
            actor,
            "version.stage",
            row,
            {"stage": stage.value, "from": current.value, "reason": reason},
        )
        return _load(session, system_id, on)


def _version_row(session: Session, system_id: str, version: str | None) -> SystemVersionRow:
    return version_or_latest(session, system_id, version)


def split_ref(ref: str) -> tuple[str, str | None]:
    """``ID`` or ``ID@VERSION`` → (id, version or None)."""
    system_id, _, version = ref.partition("@")
    return system_id, version or None


def _flags(
    session: Session, system: SystemRow, latest: SystemVersionRow, on: date
) -> list[SystemFlag]:
    rows = licences_of(session, system.provider, LicenceScope.FRONTIER_MODEL_DEVELOPMENT)
    return frontier_flags(latest, rows, on)


def _load(session: Session, system_id: str, on: date) -> AISystem:
    system = session.get(SystemRow, system_id)
    if system is None:
        raise NotFound(f"no system {system_id!r} (run 'gaio system list')")
    versions = list(
        session.scalars(
            select(SystemVersionRow)
            .where(SystemVersionRow.system_id == system_id)
            .order_by(SystemVersionRow.seq)
        )
    )
    changes = [
        e
        for e in ledger_repo.entries(session, subject_prefix=f"system:{system_id}")
        if e.action in _STAGE_ACTIONS
    ]
    flags = _flags(session, system, versions[-1], on) if versions else []
    return _build(system, versions, changes, flags)


def _build(
    system: SystemRow,
    versions: list[SystemVersionRow],
    changes: list[LedgerEntry],
    flags: list[SystemFlag],
) -> AISystem:
    return AISystem(
        id=system.id,
        name=system.name,
        provider=system.provider,
        deployers=list(system.deployers),
        created_at=system.created_at,
        versions=[
            SystemVersion(
                version=v.version,
                seq=v.seq,
                card=SystemCard.model_validate(v.card),
                card_hash=v.card_hash,
                stage=Stage(v.stage),
                registered_at=v.registered_at,
                registered_by=v.registered_by,
            )
            for v in versions
        ],
        stage_changes=[
            StageChange(
                version=c.subject.partition("@")[2],
                from_stage=Stage(str(c.details["from"])) if "from" in c.details else None,
                to_stage=Stage(str(c.details["stage"])),
                at=c.time,
                actor=c.actor,
                reason=str(c.details.get("reason", "")),
            )
            for c in changes
        ],
        flags=flags,
    )


def get_system(g: Gaio, actor: Actor, system_id: str) -> AISystem:
    with g.read() as session:
        return _load(session, system_id, today(g.clock))


def frontier_flags(latest: SystemVersionRow, rows: list[LicenceRow], on: date) -> list[SystemFlag]:
    """A frontier model's flag when its provider holds no active frontier licence on ``on``."""
    card = SystemCard.model_validate(latest.card)
    if not card.is_frontier:
        return []
    for row in rows:
        status = rules.licence_status(LicenceStatus(row.state), row.valid_from, row.valid_until, on)
        if status is LicenceStatus.ACTIVE:
            return []
    return [
        SystemFlag(
            code="licence-missing",
            message="provider lacks an active frontier-model-development licence: "
            f"{_licence_problem(rows, on)}",
        )
    ]


def system_history(g: Gaio, actor: Actor, system_id: str) -> list[LedgerEntry]:
    """The chain of responsibility of a system: its ledger entries, oldest first."""
    with g.read() as session:
        if session.get(SystemRow, system_id) is None:
            raise NotFound(f"no system {system_id!r}")
        return ledger_repo.entries(session, subject_prefix=f"system:{system_id}")


def version_etag(g: Gaio, system_id: str, version: str | None = None) -> str:
    """The ETag of a system's version (default: the latest): its record hash."""
    with g.read() as session:
        if session.get(SystemRow, system_id) is None:
            raise NotFound(f"no system {system_id!r}")
        return current_hash(session, _version_row(session, system_id, version))
