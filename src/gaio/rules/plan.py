"""The response plan: the concrete steps that follow from the obligations, with their deadlines.

Contract: :func:`plan` maps each obligation to a step and takes the deadline from the obligation
(which took it from the catalog), so no date is written twice. Event-driven duties (serious-incident
reports, urgent-use authorisations, the Commission notification) carry ``window_days`` from the
catalog item's ``deadline_days`` instead of a date. The conformity-assessment route and the
registration section are spelled out, since they are what a provider acts on first.
"""

from __future__ import annotations

import datetime as dt

from gaio.rules._context import Run
from gaio.rules.model import Obligation, PlanStep

_STEPS: dict[str, str] = {
    "art-4": "Take measures for the AI literacy of the staff who operate or use the system",
    "art-5-2": "Before each use, complete a fundamental rights impact assessment (Art. 27) and "
    "register the system in the EU database (Art. 49)",
    "art-5-4": "Notify each use to the market surveillance authority and the national data "
    "protection authority",
    "art-5-5": "Check that the law of the Member State of use provides for such use",
    "art-9": "Establish and maintain a risk management system over the whole lifecycle",
    "art-10": "Put training, validation and test data under data governance; examine and "
    "mitigate bias",
    "art-11": "Draw up the technical documentation (Annex IV) before placing on the market",
    "art-12": "Build automatic event logging into the system",
    "art-13": "Write instructions for use that let deployers interpret and use the output",
    "art-14": "Design the system for effective human oversight (understand, override, stop)",
    "art-15": "Achieve and declare accuracy; ensure robustness and cybersecurity",
    "art-16-d": "Keep the documentation for ten years after placing on the market",
    "art-16-g": "Draw up the EU declaration of conformity (Art. 47)",
    "art-16-h": "Affix the CE marking (Art. 48)",
    "art-16-j": "Take corrective actions and inform authorities when the system does not conform",
    "art-17": "Set up a documented quality management system",
    "art-43-2": "Conformity assessment based on internal control (Annex VI), without a notified "
    "body",
    "art-43-3": "Conformity assessment under the product legislation (Annex I Section A), which "
    "also checks the requirements of Arts. 8-15",
    "art-49-5": "Register the system at national level (critical infrastructure)",
    "art-72": "Establish a post-market monitoring system and plan (part of the technical "
    "documentation)",
    "art-26-2": "Assign human oversight to persons with the competence, training and authority "
    "it needs",
    "art-26-5": "Monitor operation; inform the provider and authorities of risks, and of serious "
    "incidents immediately",
    "art-26-6": "Keep the system's logs for at least six months",
    "art-26-7": "Inform workers' representatives and affected workers before use at the workplace",
    "art-26-11": "Inform the persons concerned that they are subject to the system",
    "art-27": "Carry out a fundamental rights impact assessment before first use and notify the "
    "market surveillance authority of its results",
    "art-49-3": "Register the use of the system in the EU database before using it",
    "art-86": "Be ready to explain the system's role in individual decisions on request",
    "art-6-4": "Document the Art. 6(3) assessment before placing on the market",
    "art-49-2": "Register the provider and the system in the EU database as an Art. 6(3) system",
    "art-50-1": "Tell people they are interacting with an AI system, at the latest at the first "
    "interaction",
    "art-50-2": "Mark synthetic outputs in a machine-readable, detectable format",
    "art-50-3": "Inform the persons exposed of the emotion recognition or biometric categorisation",
    "art-50-4-1": "Disclose that deep-fake content is artificially generated or manipulated",
    "art-50-4-2": "Disclose that text on matters of public interest is artificially generated",
    "art-53-1-a": "Draw up and maintain the model's technical documentation (Annex XI)",
    "art-53-1-b": "Give downstream providers the information and documentation of Annex XII",
    "art-53-1-c": "Adopt a copyright policy that respects text-and-data-mining opt-outs",
    "art-53-1-d": "Publish a summary of the training content (AI Office template)",
    "art-54-1": "Appoint an authorised representative in the Union by written mandate before "
    "placing the model on the market",
    "art-55-1-a": "Evaluate the model with state-of-the-art protocols, including adversarial "
    "testing",
    "art-55-1-b": "Assess and mitigate systemic risks at Union level",
    "art-55-1-c": "Track, document and report serious incidents to the AI Office without undue "
    "delay",
    "art-55-1-d": "Protect the model and its physical infrastructure with adequate cybersecurity",
}

_WINDOWS: dict[str, str] = {
    "art-5-3": "Obtain prior judicial or independent administrative authorisation for each use; "
    "in duly justified urgency request it within {days} day(s), and stop and delete the data if "
    "it is refused",
    "art-26-10": "Request authorisation for each post-remote biometric identification, ex ante "
    "or within {days} days",
    "art-52-1": "Notify the Commission within {days} days of meeting the threshold (or knowing it "
    "will be met)",
}

_INCIDENTS = (
    (
        "art-73-2",
        "Report a serious incident to the market surveillance authority within {days} "
        "days of becoming aware",
    ),
    (
        "art-73-4",
        "Report a serious incident involving a death within {days} days of becoming aware",
    ),
    (
        "art-73-3",
        "Report a widespread infringement or a critical-infrastructure disruption within "
        "{days} days of becoming aware",
    ),
)


def plan(run: Run, obligations: list[Obligation]) -> list[PlanStep]:
    """The steps for ``obligations``, earliest first, each with its deadline or window."""
    steps: list[PlanStep] = []
    for ob in obligations:
        local = ob.item_id.split(":", 1)[1]
        if local in _WINDOWS or local == "art-73":
            steps.extend(_windowed(run, ob, local))
            continue
        text = _STEPS.get(local)
        if local.startswith("art-5-1-"):
            text = (
                "Do not place on the market, put into service or use the system in the Union"
                if ob.role == "provider"
                else "Do not use the system in the Union"
            ) + f" ({ob.title.lower()})"
        elif local == "art-43-1":
            text = _biometric_route(run)
        elif local == "art-49-1":
            secure = any(o.item_id.endswith(":art-49-4") for o in obligations)
            text = (
                "Register the provider and the system in the secure non-public section of the EU "
                "database (Art. 49(4)) before placing on the market"
                if secure
                else "Register the provider and the system in the public section of the EU "
                "database before placing on the market"
            )
        if text is None:
            continue
        steps.append(
            PlanStep(
                step=text,
                item_id=ob.item_id,
                citation=ob.citation,
                role=ob.role,
                deadline=ob.applies_from,
                applies_from=ob.applies_from,
                due=ob.status,
            )
        )
    return sorted(steps, key=lambda s: s.applies_from or dt.date.min)


def _windowed(run: Run, ob: Obligation, local: str) -> list[PlanStep]:
    pairs = _INCIDENTS if local == "art-73" else ((local, _WINDOWS[local]),)
    out: list[PlanStep] = []
    for item_id, template in pairs:
        item = run.item(item_id)
        if item is None or item.deadline_days is None:
            continue
        out.append(
            PlanStep(
                step=template.format(days=item.deadline_days),
                item_id=item.id,
                citation=item.citation,
                role=ob.role,
                window_days=item.deadline_days,
                applies_from=ob.applies_from,
                due=ob.status,
            )
        )
    return out


def _biometric_route(run: Run) -> str:
    applied = run.card.harmonised_standards_applied
    if applied is True:
        return (
            "Conformity assessment: harmonised standards applied in full, so choose internal "
            "control (Annex VI) or a notified body (Annex VII)"
        )
    if applied is False:
        return (
            "Conformity assessment with a notified body (Annex VII): harmonised standards or "
            "common specifications were not applied in full"
        )
    run.ask(
        "harmonised_standards_applied",
        "Were harmonised standards or common specifications applied in full?",
        "For biometric systems they decide between internal control (Annex VI) and a notified "
        "body (Annex VII) (Art. 43(1)).",
        ["art-43-1"],
        decides="obligations",
    )
    return (
        "Conformity assessment: internal control (Annex VI) if harmonised standards are applied "
        "in full, otherwise a notified body (Annex VII)"
    )
