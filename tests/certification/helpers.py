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


def certification_world(g: Gaio, **card_overrides: object) -> None:
    """Regulator, providers acme and globex, certification body assure; acme's CV ranker."""
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


def submitted(g: Gaio) -> int:
    certification_world(g)
    aid = assessments.start_assessment(g, PROVIDER, SYSTEM)
    complete(g, aid)
    assessments.submit(g, PROVIDER, aid)
    return aid


def approved(g: Gaio) -> int:
    aid = submitted(g)
    review.take_review(g, AUDITOR, aid)
    review.decide(g, AUDITOR, aid, Decision.APPROVE, "All requirements are met with evidence.")
    return aid


def issued(g: Gaio) -> int:
    return certification.issue_certificate(g, AUDITOR, approved(g))
