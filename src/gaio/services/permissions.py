"""Who may do what. Deny by default: each check allows an explicit case and refuses the rest.

The platform's administrator runs the installation (organisations, systems on behalf of their
providers) but does not take regulators' decisions: only a regulator grants, suspends or
revokes licences, and only for its own organisation.
"""

from __future__ import annotations

from gaio.actors import Actor, Role
from gaio.errors import PermissionDenied


def require_org_admin(actor: Actor) -> None:
    if actor.role in (Role.ADMIN, Role.REGULATOR):
        return
    raise PermissionDenied(
        f"{actor.label} ({actor.role.value}) may not add organisations: "
        "only an administrator or a regulator may"
    )


def require_regulator_of(actor: Actor, issuer: str) -> None:
    if actor.role is Role.REGULATOR and actor.belongs_to(issuer):
        return
    if actor.role is Role.REGULATOR:
        raise PermissionDenied(
            f"{actor.label} is a regulator of {actor.organisation!r}, not of {issuer!r}: "
            "a regulator decides only its own organisation's licences"
        )
    raise PermissionDenied(
        f"{actor.label} ({actor.role.value}) may not decide licences: only a regulator may "
        "(act as one with --as regulator:ORG or GAIO_ACTOR_ROLE=regulator GAIO_ACTOR_ORG=ORG)"
    )


def require_provider_of(actor: Actor, provider: str, what: str) -> None:
    if actor.role is Role.ADMIN:
        return
    if actor.role is Role.PROVIDER and actor.belongs_to(provider):
        return
    raise PermissionDenied(
        f"{actor.label} ({actor.role.value}) may not {what}: only a provider user of "
        f"{provider!r} (or an administrator) may"
    )


def may_see_evidence(actor: Actor, provider: str) -> bool:
    """Evidence is confidential to the provider, auditors, regulators and administrators."""
    return actor.role in (Role.ADMIN, Role.REGULATOR, Role.AUDITOR) or (
        actor.role is Role.PROVIDER and actor.belongs_to(provider)
    )


INCIDENT_EDITORS = (Role.ADMIN, Role.REGULATOR)


def is_incident_editor(actor: Actor) -> bool:
    return actor.role in INCIDENT_EDITORS


def require_incident_editor(actor: Actor, what: str) -> None:
    if not is_incident_editor(actor):
        raise PermissionDenied(
            f"{actor.label} ({actor.role.value}) may not {what}: only an editor "
            "(an administrator or a regulator) may"
        )


def may_see_confidential_incident(actor: Actor, providers: set[str]) -> bool:
    """Confidential parts: editors and the providers of the linked systems, nobody else."""
    if is_incident_editor(actor):
        return True
    return actor.role is Role.PROVIDER and actor.organisation in providers
