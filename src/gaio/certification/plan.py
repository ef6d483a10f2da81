"""Deriving an assessment plan from a classification: what applies, and what evidence satisfies it.

Pure: the classification (from :func:`gaio.rules.classify`), the checklist and the evidence slots
(package data) go in, a :class:`Plan` comes out. Requirements come from three frameworks: the EU
AI Act obligations of the rule-set version that applies (per role), the NIST AI RMF subcategories
the classification points to, and the eleven AI Verify principles (always assessed). Each
requirement lists the process checks, documents and tests that serve as its evidence; checks map
to EU AI Act articles and NIST subcategories, and the crosswalk adds what the principles relate to.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

import yaml

from gaio.catalog import get_item, map_requirement
from gaio.certification.model import (
    Check,
    DocumentSlot,
    FrameworkRef,
    Plan,
    Principle,
    Requirement,
    TestSlot,
    Threshold,
)
from gaio.rules import Classification

CHECKLIST_FRAMEWORK = "sg-ai-verify"
CHECKLIST_VERSION = "2023"
NIST = "nist-ai-rmf"
NIST_VERSION = "1.0"


def _data(name: str) -> dict[str, Any]:
    text = (resources.files("gaio.certification") / "data" / name).read_text(encoding="utf-8")
    doc = yaml.safe_load(text)
    if not isinstance(doc, dict) or doc.get("version") != 1:
        raise ValueError(f"gaio/certification/data/{name}: not a version 1 file")
    return doc


@cache
def principles() -> tuple[Principle, ...]:
    """The checklist: the eleven AI Verify principles and their process checks."""
    out = []
    for p in _data("checklist.yaml")["principles"]:
        item_id = f"{CHECKLIST_FRAMEWORK}:{p['id']}"
        checks = [Check(principle=p["id"], **c) for c in p["checks"]]
        related = [r.related for r in map_requirement(item_id)]
        out.append(
            Principle(id=p["id"], item_id=item_id, title=p["title"], checks=checks, related=related)
        )
    return tuple(out)


@cache
def slots() -> tuple[tuple[DocumentSlot, ...], tuple[TestSlot, ...]]:
    doc = _data("evidence.yaml")
    documents = tuple(
        DocumentSlot(slot=d["slot"], title=d["title"], citation=d["citation"], for_items=d["for"])
        for d in doc["documents"]
    )
    tests = tuple(
        TestSlot(
            slot=t["slot"],
            title=t["title"],
            kind=t["kind"],
            for_items=t["for"],
            thresholds=[Threshold(**x) for x in t["thresholds"]],
        )
        for t in doc["tests"]
    )
    return documents, tests


def _serves(mapped: str, requirement: str) -> bool:
    """``eu-ai-act:art-9`` serves ``eu-ai-act:art-9`` and its points (``…:art-9-2``)."""
    return requirement == mapped or requirement.startswith(mapped + "-")


def _evidence_for(item_id: str, requirement: Requirement) -> Requirement:
    documents, tests = slots()
    checks = [
        c.id
        for p in principles()
        for c in p.checks
        if any(_serves(m, item_id) or _serves(item_id, m) for m in c.maps_to)
    ]
    if item_id.startswith(f"{CHECKLIST_FRAMEWORK}:"):
        local = item_id.split(":", 1)[1]
        checks = [c.id for p in principles() if p.id == local for c in p.checks]
    return requirement.model_copy(
        update={
            "checks": checks,
            "documents": [
                d.slot for d in documents if any(_serves(f, item_id) for f in d.for_items)
            ],
            "tests": [t.slot for t in tests if any(_serves(f, item_id) for f in t.for_items)],
        }
    )


def derive_plan(classification: Classification, system_name: str) -> Plan:
    """The plan for the system version that ``classification`` describes."""
    eu = classification.eu
    requirements: list[Requirement] = []
    for ob in eu.obligations:
        requirements.append(
            _evidence_for(
                ob.item_id,
                Requirement(
                    item_id=ob.item_id,
                    framework=eu.framework,
                    citation=ob.citation,
                    title=ob.title,
                    role=ob.role,
                    applies_from=ob.applies_from,
                    status=ob.status,
                ),
            )
        )
    for sub in classification.other.nist:
        requirements.append(
            _evidence_for(
                sub.item_id,
                Requirement(
                    item_id=sub.item_id,
                    framework=NIST,
                    citation=sub.citation,
                    title=sub.text,
                    role="both",
                ),
            )
        )
    for p in principles():
        item = get_item(p.item_id)
        requirements.append(
            _evidence_for(
                p.item_id,
                Requirement(
                    item_id=p.item_id,
                    framework=CHECKLIST_FRAMEWORK,
                    citation=item.citation,
                    title=p.title,
                    role="both",
                ),
            )
        )
    documents, tests = slots()
    needed_docs = {d for r in requirements for d in r.documents}
    needed_tests = {t for r in requirements for t in r.tests}
    frameworks = [
        FrameworkRef(
            framework=eu.framework,
            version=eu.version,
            why=f"rule-set {classification.rules}: " + ", ".join(eu.tiers),
        ),
        FrameworkRef(
            framework=NIST,
            version=NIST_VERSION,
            why="subcategories related to the obligations (crosswalk)",
        ),
        FrameworkRef(
            framework=CHECKLIST_FRAMEWORK,
            version=CHECKLIST_VERSION,
            why="process checklist of the eleven AI Verify principles",
        ),
    ]
    reasons = [
        f"{c.summary} ({'; '.join(p.citation for p in c.provisions)})" for c in eu.conclusions
    ]
    return Plan(
        system=classification.card_id,
        system_name=system_name,
        system_version=classification.system_version,
        card_hash=classification.card_hash,
        on=classification.on,
        rules=classification.rules,
        tiers=[str(t) for t in eu.tiers],
        reasons=reasons,
        undetermined=[q.question for q in eu.undetermined],
        frameworks=frameworks,
        requirements=requirements,
        principles=list(principles()),
        documents=[d for d in documents if d.slot in needed_docs],
        tests=[t for t in tests if t.slot in needed_tests],
    )
