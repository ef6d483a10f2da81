"""Pure rules of the registry: licence status on a date, lifecycle transitions, licensing."""

from __future__ import annotations

from datetime import date

from gaio.registry.vocab import LicenceStatus, Stage

ALLOWED_TRANSITIONS: dict[Stage, frozenset[Stage]] = {
    Stage.DESIGN: frozenset({Stage.DATA, Stage.TRAINING, Stage.RETIRED}),
    Stage.DATA: frozenset({Stage.DESIGN, Stage.TRAINING, Stage.RETIRED}),
    Stage.TRAINING: frozenset({Stage.DATA, Stage.EVALUATION, Stage.RETIRED}),
    Stage.EVALUATION: frozenset({Stage.DATA, Stage.TRAINING, Stage.DEPLOYMENT, Stage.RETIRED}),
    Stage.DEPLOYMENT: frozenset({Stage.EVALUATION, Stage.MONITORING, Stage.RETIRED}),
    Stage.MONITORING: frozenset({Stage.EVALUATION, Stage.DEPLOYMENT, Stage.RETIRED}),
    Stage.RETIRED: frozenset(),
}


def transition_error(current: Stage, target: Stage) -> str | None:
    """Why ``current -> target`` is not allowed, or ``None`` when it is."""
    if current == target:
        return f"the version is already in stage {target.value!r}"
    allowed = ALLOWED_TRANSITIONS[current]
    if target in allowed:
        return None
    if not allowed:
        return f"a {current.value!r} version cannot change stage (retirement is final)"
    names = ", ".join(sorted(s.value for s in allowed))
    return f"cannot move from {current.value!r} to {target.value!r}; allowed next stages: {names}"


def licence_status(
    state: LicenceStatus, valid_from: date, valid_until: date | None, on: date
) -> LicenceStatus:
    """Status on ``on``: a revocation or suspension wins; otherwise dates decide."""
    if state in (LicenceStatus.REVOKED, LicenceStatus.SUSPENDED):
        return state
    if on < valid_from:
        return LicenceStatus.NOT_YET_VALID
    if valid_until is not None and on > valid_until:
        return LicenceStatus.EXPIRED
    return LicenceStatus.ACTIVE
