"""Who may do what: one policy table, role × action → scope, decided in the services only.

Deny by default: an action a role is not listed for is refused, and a listed role is allowed
only within its scope — all objects, its own organisation's, the licences its organisation
issued, the markets of its jurisdiction, the assessments it is engaged on, what its
certification body issued, or its own account. Services call :func:`check` (or the named
helpers below, which read the same table) with the facts of the object at hand; faces never
decide, they only translate the error. ``docs/permissions.md`` is generated from
:data:`POLICY` (``python -m scripts.permissions``) and a test keeps it current.

The platform's administrator runs the installation (organisations, systems on behalf of their
providers) but takes no regulator's or auditor's decision.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from enum import StrEnum

from gaio.actors import Actor, Role
from gaio.errors import Conflict, InvalidInput, PermissionDenied
from gaio.registry.vocab import EU_MEMBER_STATES


class Scope(StrEnum):
    """How far a role's permission for an action reaches."""

    ALL = "all"
    """Every object."""
    OWN = "own"
    """Objects of the actor's own organisation (the provider of a system, the holder …)."""
    ISSUER = "issuer"
    """Licences the actor's organisation issued."""
    JURISDICTION = "jurisdiction"
    """Objects on a market within the actor's organisation's jurisdictions."""
    ENGAGED = "engaged"
    """Assessments (and their evidence) the actor's organisation is engaged to review."""
    BODY = "body"
    """What the actor's organisation issued as a certification body."""
    SELF = "self"
    """The actor's own account."""


@dataclass(frozen=True)
class Action:
    name: str
    does: str
    """What it is, as a phrase after "may not" ("add organisations")."""
    allowed: Mapping[Role, Scope]


A, R, P, D, U = Role.ADMIN, Role.REGULATOR, Role.PROVIDER, Role.DEPLOYER, Role.AUDITOR
EVERYONE = {role: Scope.ALL for role in Role}

_ACTIONS = [
    # registry
    Action("org.add", "add organisations", {A: Scope.ALL, R: Scope.ALL}),
    Action("licence.decide", "grant, suspend, reinstate or revoke licences", {R: Scope.ISSUER}),
    Action("system.register", "register systems or versions", {A: Scope.ALL, P: Scope.OWN}),
    Action("system.stage", "move a system between lifecycle stages", {A: Scope.ALL, P: Scope.OWN}),
    Action("system.read", "read the registry", EVERYONE),
    Action("deployer.decide", "accept or decline being named a system's deployer", {D: Scope.OWN}),
    Action("classification.refresh", "re-run classifications", {A: Scope.ALL, R: Scope.ALL}),
    # evaluation evidence
    Action(
        "evidence.add",
        "add evidence to a system",
        {A: Scope.ALL, P: Scope.OWN, U: Scope.ENGAGED},
    ),
    Action(
        "evidence.read",
        "see a system's evidence",
        {A: Scope.ALL, R: Scope.ALL, P: Scope.OWN, U: Scope.ENGAGED},
    ),
    # incidents
    Action("incident.report", "report incidents", EVERYONE),
    Action("incident.read", "read public incidents", EVERYONE),
    Action(
        "incident.publish",
        "publish reports without moderation",
        {role: Scope.ALL for role in Role if role is not Role.PUBLIC},
    ),
    Action(
        "incident.moderate",
        "approve or reject reports awaiting moderation",
        {A: Scope.ALL, R: Scope.ALL},
    ),
    Action(
        "incident.edit",
        "change an incident's assessment",
        {A: Scope.ALL, R: Scope.ALL, P: Scope.OWN},
    ),
    Action(
        "incident.confidential",
        "see an incident's confidential part",
        {A: Scope.ALL, R: Scope.ALL, P: Scope.OWN},
    ),
    Action(
        "incident.curate",
        "merge, label, import or moderate incidents",
        {A: Scope.ALL, R: Scope.ALL},
    ),
    Action(
        "obligation.list",
        "list reporting obligations",
        {A: Scope.ALL, R: Scope.ALL, P: Scope.OWN},
    ),
    Action("obligation.submit", "record a report to the authority", {A: Scope.ALL, P: Scope.OWN}),
    # certification
    Action("assessment.work", "prepare an assessment", {A: Scope.ALL, P: Scope.OWN}),
    Action(
        "assessment.read",
        "see an assessment",
        {A: Scope.ALL, R: Scope.ALL, P: Scope.OWN, U: Scope.ENGAGED},
    ),
    Action("assessment.review", "review assessments", {U: Scope.BODY}),
    Action("certificate.issue", "issue certificates", {U: Scope.BODY}),
    Action(
        "certificate.change",
        "suspend, reinstate or revoke certificates",
        {U: Scope.BODY, R: Scope.JURISDICTION},
    ),
    Action("certificate.read", "read certificates", EVERYONE),
    # ledger and operations
    Action("ledger.read", "read the ledger", EVERYONE),
    # observatory publications (public data and aggregates only)
    Action("observatory.report", "produce the observatory report", EVERYONE),
    Action("opendata.export", "export the open data", EVERYONE),
    Action("consultation.read", "read consultations and published comments", EVERYONE),
    Action("consultation.open", "open consultations", {A: Scope.ALL, R: Scope.ALL}),
    Action("consultation.comment", "comment on consultations", EVERYONE),
    Action("consultation.moderate", "moderate consultation comments", {A: Scope.ALL, R: Scope.ALL}),
    Action(
        "consultation.answer",
        "answer consultations",
        {A: Scope.ALL, R: Scope.ALL, P: Scope.OWN},
    ),
    Action("ledger.checkpoint", "sign checkpoints", {A: Scope.ALL, R: Scope.ALL}),
    Action("installation.operate", "operate the installation", {A: Scope.ALL}),
    Action("issuer.key", "use a certification body's issuer key", {A: Scope.ALL, U: Scope.BODY}),
    # accounts
    Action("user.manage", "manage users", {A: Scope.ALL}),
    Action("user.disable", "disable or re-enable users", {A: Scope.ALL}),
    Action(
        "session.end",
        "end web sessions",
        {A: Scope.ALL, R: Scope.SELF, P: Scope.SELF, D: Scope.SELF, U: Scope.SELF},
    ),
    Action("login.unthrottle", "lift a login throttle", {A: Scope.ALL}),
    Action(
        "token.manage",
        "create or revoke API tokens",
        {A: Scope.ALL, R: Scope.SELF, P: Scope.SELF, D: Scope.SELF, U: Scope.SELF},
    ),
]
POLICY: Mapping[str, Action] = {a.name: a for a in _ACTIONS}
del A, R, P, D, U


@dataclass(frozen=True)
class Facts:
    """What a service knows of the object, for the scope rules."""

    org: Collection[str] = ()
    """Organisations the object belongs to (a system's provider, a licence's holder …)."""
    issuer: str | None = None
    jurisdictions: Collection[str] = ()
    """Markets the object is on; compared with ``actor_jurisdictions``."""
    actor_jurisdictions: Collection[str] = ()
    engaged: bool = False
    body: str | None = None
    user: str | None = None


def _within(actor: Actor, scope: Scope, facts: Facts) -> bool:
    org = actor.organisation
    if scope is Scope.ALL:
        return True
    if scope is Scope.OWN:
        return org is not None and org in facts.org
    if scope is Scope.ISSUER:
        return org is not None and org == facts.issuer
    if scope is Scope.JURISDICTION:
        return regulates_market(facts.actor_jurisdictions, facts.jurisdictions)
    if scope is Scope.ENGAGED:
        return facts.engaged
    if scope is Scope.BODY:
        return org is not None and org == facts.body
    if scope is Scope.SELF:
        return facts.user is not None and actor.name == facts.user
    return False


def allows(actor: Actor, action: str, facts: Facts | None = None) -> bool:
    """Whether the table lets ``actor`` do ``action`` on an object with ``facts``."""
    rule = POLICY.get(action)
    if rule is None:
        raise KeyError(f"no action {action!r} in the policy table")
    scope = rule.allowed.get(actor.role)
    return scope is not None and _within(actor, scope, facts or Facts())


_SCOPE_TEXT = {
    Scope.ALL: "",
    Scope.OWN: " of its own organisation",
    Scope.ISSUER: " of the issuing organisation",
    Scope.JURISDICTION: " of a jurisdiction concerned",
    Scope.ENGAGED: " engaged on it",
    Scope.BODY: " of the certification body concerned",
    Scope.SELF: " for itself",
}


def who_may(action: str) -> str:
    """The roles (and scopes) the table allows, as a phrase."""
    rule = POLICY[action]
    parts = [f"{role.value}{_SCOPE_TEXT[scope]}" for role, scope in rule.allowed.items()]
    return ", ".join(parts) if parts else "nobody"


def check(actor: Actor, action: str, facts: Facts | None = None, *, what: str = "") -> None:
    """Refuse with :class:`PermissionDenied` unless the table allows it; the message says who
    may instead."""
    if allows(actor, action, facts):
        return
    rule = POLICY[action]
    raise PermissionDenied(
        f"{actor.label} ({actor.role.value}) may not {what or rule.does}: only "
        f"{who_may(action)} may"
    )


# Named helpers, each one a row of the table (the services read better with them).


def require_org_admin(actor: Actor) -> None:
    check(actor, "org.add")


def require_regulator_of(actor: Actor, issuer: str) -> None:
    if actor.role is Role.REGULATOR and not actor.belongs_to(issuer):
        raise PermissionDenied(
            f"{actor.label} is a regulator of {actor.organisation!r}, not of {issuer!r}: "
            "a regulator decides only its own organisation's licences"
        )
    if actor.role is not Role.REGULATOR:
        raise PermissionDenied(
            f"{actor.label} ({actor.role.value}) may not decide licences: only a regulator may "
            "(act as one with --as regulator:ORG or GAIO_ACTOR_ROLE=regulator GAIO_ACTOR_ORG=ORG)"
        )
    check(actor, "licence.decide", Facts(issuer=issuer))


def require_provider_of(
    actor: Actor, provider: str, what: str, action: str = "system.register"
) -> None:
    """A provider's own work (``action`` names which row: registering, staging, preparing
    an assessment, reporting to the authority); administrators act on its behalf."""
    check(actor, action, Facts(org={provider}), what=what)


def require_body_auditor(actor: Actor, action: str, what: str) -> str:
    """An auditor acting for its own certification body (``assessment.review`` or
    ``certificate.issue``); returns the body. Independence and the body's licence are checked
    by the certification service on top of this."""
    check(actor, action, Facts(body=actor.organisation), what=what)
    assert actor.organisation is not None  # the BODY scope needs an organisation
    return actor.organisation


def may_read_assessment(actor: Actor, provider: str, reviewer: str | None, open_: bool) -> bool:
    """An assessment is seen by its provider, administrators, regulators, and the auditors of
    the body reviewing it — or of any body while it waits, submitted, for one to take it."""
    org = actor.organisation
    engaged = org is not None and (org == reviewer or (reviewer is None and open_))
    return allows(actor, "assessment.read", Facts(org={provider}, engaged=engaged))


def may_see_evidence(actor: Actor, provider: str, engaged: Collection[str]) -> bool:
    """Evidence is confidential to its provider, regulators, administrators and the auditors
    of a body engaged on it: ``engaged`` names the bodies reviewing an assessment of the
    system (or the one assessment concerned); an auditor of any other body sees nothing."""
    is_engaged = actor.organisation is not None and actor.organisation in engaged
    return allows(actor, "evidence.read", Facts(org={provider}, engaged=is_engaged))


def is_incident_editor(actor: Actor) -> bool:
    return allows(actor, "incident.curate")


def may_publish_incident(actor: Actor) -> bool:
    """Whether the actor's reports appear at once (else they wait for a moderator)."""
    return allows(actor, "incident.publish")


def may_moderate_incidents(actor: Actor) -> bool:
    return allows(actor, "incident.moderate")


def require_incident_editor(actor: Actor, what: str) -> None:
    check(actor, "incident.curate", what=what)


def may_see_confidential_incident(actor: Actor, providers: set[str]) -> bool:
    """Confidential parts: editors and the providers of the linked systems, nobody else."""
    return allows(actor, "incident.confidential", Facts(org=providers))


def require_operator(actor: Actor, what: str) -> None:
    """Running the installation itself (keys, witnessing, export/import): administrators."""
    check(actor, "installation.operate", what=what)


def require_checkpoint_signer(actor: Actor) -> None:
    """Asking for a checkpoint on demand (gaio also signs on its own as the log grows)."""
    check(actor, "ledger.checkpoint")


def require_key_operator(actor: Actor, what: str) -> None:
    """The installation's signing keys (the ledger key, export and import of every key) are
    the operator's: administrators only."""
    check(actor, "installation.operate", what=what)


def require_issuer_key_holder(actor: Actor, org: str, what: str) -> None:
    """A certification body's issuer key: its own auditors, or an administrator."""
    check(actor, "issuer.key", Facts(body=org), what=what)


def regulates_market(jurisdictions: Collection[str], markets: Collection[str]) -> bool:
    """Whether a regulator of ``jurisdictions`` has jurisdiction where a system is on the
    market: the same code, or the Union and one of its member states either way round."""

    def expand(codes: Collection[str]) -> set[str]:
        out = set(codes)
        if "EU" in out:
            out |= EU_MEMBER_STATES
        if out & EU_MEMBER_STATES:
            out.add("EU")
        return out

    return bool(expand(jurisdictions) & expand(markets))


def require_certificate_authority(
    actor: Actor,
    action: str,
    *,
    body: str,
    markets: Collection[str],
    actor_jurisdictions: Collection[str],
    suspended_by_regulator: bool,
) -> str:
    """Who may suspend, reinstate or revoke a certificate; returns the authority acting
    (``certification-body`` or ``regulator``).

    The issuing body's auditors; or a regulator whose jurisdictions cover a market of the
    certified system version. A suspension made by a regulator is lifted only by a regulator
    of the certificate's jurisdiction, never by the body alone; one made by the body, by the
    body.
    """
    facts = Facts(body=body, jurisdictions=markets, actor_jurisdictions=actor_jurisdictions)
    allowed = allows(actor, "certificate.change", facts)
    if actor.role is Role.AUDITOR and allowed:
        if action == "reinstate" and suspended_by_regulator:
            raise PermissionDenied(
                f"{actor.label} may not reinstate this certificate: a regulator suspended it, "
                "and only a regulator of its jurisdiction may lift that"
            )
        return "certification-body"
    if actor.role is Role.REGULATOR:
        if not markets:
            raise PermissionDenied(
                f"{actor.label} may not {action} this certificate: the certified version "
                "names no market, so no regulator's jurisdiction is established"
            )
        if not regulates_market(actor_jurisdictions, markets):
            raise PermissionDenied(
                f"{actor.label} may not {action} this certificate: {actor.organisation!r} "
                f"regulates {', '.join(sorted(actor_jurisdictions)) or 'nowhere'}, the system "
                f"is on the market in {', '.join(sorted(markets))}"
            )
        if action == "reinstate" and not suspended_by_regulator:
            raise PermissionDenied(
                f"{actor.label} may not reinstate this certificate: its issuing body "
                f"{body!r} suspended it, and lifts its own suspensions"
            )
        assert allowed  # the table's jurisdiction rule is the one tested just above
        return "regulator"
    raise PermissionDenied(
        f"{actor.label} ({actor.role.value}) may not {action} certificates: only the issuing "
        "certification body or a regulator of the certificate's jurisdiction may"
    )


def require_override_reason(reason: str | None, problems: list[str]) -> str | None:
    """An approval despite open major findings or unmet requirements needs a written,
    recorded override; without such problems there is nothing to override."""
    text = (reason or "").strip()
    if problems and len(text) < 10:
        raise Conflict(
            "approval needs an explicit override: "
            + "; ".join(problems)
            + " (approve with --override-reason 'why it may be certified anyway', at least a "
            "sentence; the certificate will say so)"
        )
    if not problems and text:
        raise InvalidInput(
            "override reason: there is nothing to override (no open major finding and every "
            "requirement is satisfied); approve without it"
        )
    return text or None
