"""Builders for the certification tests: a world with a certification body, through the services."""

from __future__ import annotations

from gaio.actors import Actor, Role
from gaio.certification.model import Answer, Decision
from gaio.services.certification import assessments, review
from gaio.services.certification import certificates as certification
from gaio.services.context import Gaio
from gaio.services.registry import licences, systems
from tests.conftest import PROVIDER, REGULATOR
from tests.factories import card, world

AUDITOR = Actor(name="alice", role=Role.AUDITOR, organisation="assure")
SYSTEM = "acme-cv-ranker"
OVERRIDE = (
    "Robustness and explainability results are pending; certified on the checklist, the "
    "documents and the provider's commitments."
)
"""The plans of the test systems ask for evidence the tests do not attach (documents, model
tests), so approving them is an approval with a recorded override."""


def certification_world(g: Gaio, *, orgs: bool = True, **card_overrides: object) -> None:
    """Regulator, providers acme and globex, certification body assure; acme's CV ranker.
    ``orgs=False`` when the organisations exist already (the API fixtures make them)."""
    if orgs:
        world(g)
    licences.grant_licence(
        g,
        REGULATOR,
        {"holder": "assure", "scope": "certification-body", "reason": "accredited"},
    )
    systems.register_system(g, PROVIDER, card(deployers=["globex"], **card_overrides))


def complete(g: Gaio, assessment_id: int, answer: Answer = Answer.YES) -> None:
    plan = assessments.get_assessment(g, PROVIDER, assessment_id).plan
    for check_id in plan.check_ids():
        assessments.answer_check(
            g, PROVIDER, assessment_id, check_id, answer, f"done for {check_id}"
        )
    for principle in plan.principles:
        assessments.justify_principle(
            g, PROVIDER, assessment_id, principle.id, f"{principle.title}: all checks met."
        )


def submitted(g: Gaio, *, orgs: bool = True) -> int:
    certification_world(g, orgs=orgs)
    aid = assessments.start_assessment(g, PROVIDER, SYSTEM)
    complete(g, aid)
    assessments.submit(g, PROVIDER, aid)
    return aid


def approved(g: Gaio, *, orgs: bool = True) -> int:
    aid = submitted(g, orgs=orgs)
    review.take_review(g, AUDITOR, aid)
    review.decide(
        g,
        AUDITOR,
        aid,
        Decision.APPROVE,
        "All requirements are met with evidence.",
        override_reason=OVERRIDE,
    )
    return aid


def issued(g: Gaio, *, orgs: bool = True) -> int:
    return certification.issue_certificate(g, AUDITOR, approved(g, orgs=orgs))
