"""EU AI Act Art. 5: prohibited practices, each with the exceptions written into it.

Contract: each function decides one point of Art. 5(1). A point that applies with no exception
appends its item to ``decision.prohibited`` and records a ``prohibited`` conclusion; an exception
that applies records a conclusion without a tier (the exception item cited), so the reader sees
*why* the system is not prohibited; a decisive unknown records a question. The biometric points
take the practice from either the declared practices or the domain of use, since an emotion
recognition domain is an emotion recognition practice whatever the practices list says.
"""

from __future__ import annotations

from gaio.catalog import Framework, load_catalog
from gaio.registry.vocab import Domain, Practice
from gaio.rules._context import Fact, Run, any_of
from gaio.rules.model import Tier

_OBJECTIVES = {
    "victim-search": "art-5-1-h-i",
    "imminent-threat": "art-5-1-h-ii",
    "suspect-localisation": "art-5-1-h-iii",
}
_EDUCATION = {
    Domain.EDUCATION_ACCESS,
    Domain.EDUCATION_ASSESSMENT,
    Domain.EDUCATION_LEVEL,
    Domain.EDUCATION_PROCTORING,
}
_WORK = {Domain.EMPLOYMENT_RECRUITMENT, Domain.EMPLOYMENT_MANAGEMENT}


def prohibitions(run: Run) -> None:
    """Every point of Art. 5(1) in the version applied."""
    for practice, local_id in simple_prohibitions(run):
        _simple(run, practice, local_id)
    _crime_prediction(run)
    _emotion_recognition(run)
    _biometric_categorisation(run)
    _remote_identification(run)


def _prohibit(run: Run, local_id: str, extra: list[str], reasoning: list[str]) -> None:
    run.decision.prohibited.append(local_id)
    title = run.item(local_id)
    run.conclude(
        Tier.PROHIBITED,
        f"Prohibited practice: {title.title if title else local_id}",
        [local_id, *extra],
        reasoning,
    )


def simple_prohibitions(run: Run) -> list[tuple[Practice, str | None]]:
    """Practices prohibited by one point of Art. 5(1) with no exception, read from the catalog:
    the item tagged ``practice:<value>`` (``None`` when this version has no such point, e.g.
    Art. 5(1)(ba) before the 2026 amendment). An amendment adding a prohibition is a data change."""
    by_tag = {
        t.split(":", 1)[1]: i.local_id
        for i in run.fw.items
        for t in i.tags
        if t.startswith("practice:") and i.kind == "prohibition"
    }
    known = {
        t.split(":", 1)[1]
        for fw in _all_versions(run)
        for i in fw.items
        for t in i.tags
        if t.startswith("practice:")
    }
    return [(Practice(v), by_tag.get(v)) for v in sorted(known)]


def _all_versions(run: Run) -> tuple[Framework, ...]:
    return load_catalog().frameworks[run.fw.id]


def _simple(run: Run, practice: Practice, local_id: str | None) -> None:
    performs = run.performs(practice)
    if performs is None:
        if local_id is not None:
            run.ask_practices([local_id])
    elif performs:
        if local_id is None:
            run.conclude(
                None,
                f"'{practice.value}' is not a prohibited practice in {run.fw.ref}",
                [],
                [
                    f"The system performs '{practice.value}'; this version of the Regulation "
                    "has no such prohibition."
                ],
            )
            return
        item = run.item(local_id)
        what = item.text if item is not None else practice.value
        _prohibit(
            run,
            local_id,
            [],
            [
                f"The system performs '{practice.value}', which {run.citation(local_id)} "
                f"prohibits: {what}"
            ],
        )


def _crime_prediction(run: Run) -> None:
    """Art. 5(1)(d) and its exception for support to a fact-based human assessment."""
    performs = run.performs(Practice.CRIME_RISK_PROFILING)
    if performs is None:
        run.ask_practices(["art-5-1-d"])
        return
    if not performs:
        return
    support = run.card.supports_fact_based_assessment
    if support is True:
        run.conclude(
            None,
            "Not prohibited: supports a human assessment based on objective facts",
            ["art-5-1-d", "art-5-1-d-excl"],
            [
                "The system predicts the risk of a person committing a criminal offence "
                "(Art. 5(1)(d)).",
                "It only supports a human assessment of involvement in a criminal activity that "
                "is already based on objective and verifiable facts, which Art. 5(1)(d) excepts.",
            ],
        )
    elif support is False:
        _prohibit(
            run,
            "art-5-1-d",
            [],
            [
                "The system predicts the risk of a person committing a criminal offence based "
                "solely on profiling or personality traits (Art. 5(1)(d)).",
                "It does not merely support a human assessment based on objective, verifiable "
                "facts, so the exception does not apply.",
            ],
        )
    else:
        run.ask(
            "supports_fact_based_assessment",
            "Does the crime-risk prediction only support a human assessment of a person's "
            "involvement in a criminal activity that is already based on objective and "
            "verifiable facts?",
            "If so, Art. 5(1)(d) does not prohibit it; otherwise it is prohibited.",
            ["art-5-1-d", "art-5-1-d-excl"],
        )


def emotion_recognition(run: Run) -> Fact:
    return any_of(
        run.performs(Practice.EMOTION_RECOGNITION), run.in_domain(Domain.EMOTION_RECOGNITION)
    )


def biometric_categorisation(run: Run) -> Fact:
    return any_of(
        run.performs(Practice.BIOMETRIC_CATEGORISATION),
        run.in_domain(Domain.BIOMETRIC_CATEGORISATION),
    )


def remote_identification(run: Run) -> Fact:
    """Remote biometric identification: the Annex III 1(a) domain, or identification at a
    distance declared as a practice."""
    by_domain = run.in_domain(Domain.REMOTE_BIOMETRIC_IDENTIFICATION)
    identifies = run.performs(Practice.BIOMETRIC_IDENTIFICATION)
    by_practice: Fact = False if identifies is False else None
    if identifies is True:
        by_practice = run.bio.remote
    return any_of(by_domain, by_practice)


def _emotion_contexts(run: Run) -> set[str] | None:
    contexts: set[str] = set(run.bio.emotion_contexts or [])
    domains = set(run.card.domains or [])
    if domains & _EDUCATION:
        contexts.add("education")
    if domains & _WORK:
        contexts.add("workplace")
    if run.bio.emotion_contexts is None and not contexts:
        return None
    return contexts


def _emotion_recognition(run: Run) -> None:
    """Art. 5(1)(f) and its medical-or-safety exception."""
    er = emotion_recognition(run)
    if er is None:
        run.ask_use(["art-5-1-f"])
        return
    if not er:
        return
    contexts = _emotion_contexts(run)
    if contexts is None:
        run.ask(
            "biometrics.emotion_contexts",
            "Where does the system infer emotions: workplace, education, other?",
            "Emotion recognition in the workplace or in education is prohibited "
            "(Art. 5(1)(f)); elsewhere it is high-risk (Annex III point 1(c)).",
            ["art-5-1-f", "annex-iii-1-c"],
            answer="some-of",
            choices=["workplace", "education", "other"],
        )
        return
    settings = sorted(contexts & {"workplace", "education"})
    if not settings:
        return
    where = " and ".join(settings)
    reason = run.bio.medical_or_safety_reason
    if reason is True:
        run.conclude(
            None,
            "Not prohibited: emotion recognition for medical or safety reasons",
            ["art-5-1-f", "art-5-1-f-excl"],
            [
                f"The system infers emotions of natural persons in the {where} (Art. 5(1)(f)).",
                "It is put in place for medical or safety reasons, which Art. 5(1)(f) excepts.",
            ],
        )
    elif reason is False:
        _prohibit(
            run,
            "art-5-1-f",
            [],
            [
                f"The system infers emotions of natural persons in the {where} (Art. 5(1)(f)).",
                "It is not put in place for medical or safety reasons, so the exception does "
                "not apply.",
            ],
        )
    else:
        run.ask(
            "biometrics.medical_or_safety_reason",
            "Is the emotion recognition put in place for medical or safety reasons?",
            f"Emotion recognition in the {where} is prohibited unless it is for medical or "
            "safety reasons (Art. 5(1)(f)).",
            ["art-5-1-f", "art-5-1-f-excl"],
        )


def _biometric_categorisation(run: Run) -> None:
    """Art. 5(1)(g): sensitive attributes, except lawful dataset labelling and law enforcement."""
    bc = biometric_categorisation(run)
    if bc is None:
        run.ask_use(["art-5-1-g"])
        return
    if not bc:
        return
    bio = run.bio
    sensitive = bio.infers_sensitive_attributes
    if sensitive is None:
        run.ask(
            "biometrics.infers_sensitive_attributes",
            "Does the categorisation deduce or infer race, political opinions, trade union "
            "membership, religious or philosophical beliefs, sex life or sexual orientation?",
            "Biometric categorisation inferring those attributes is prohibited (Art. 5(1)(g)).",
            ["art-5-1-g"],
        )
        return
    if not sensitive:
        return
    base = (
        "The system categorises persons on their biometric data to deduce or infer sensitive "
        "attributes (Art. 5(1)(g))."
    )
    if bio.law_enforcement is True or bio.lawful_dataset_labelling is True:
        why = (
            "it categorises biometric data in the area of law enforcement"
            if bio.law_enforcement
            else "it only labels or filters lawfully acquired biometric datasets"
        )
        run.conclude(
            None,
            "Not prohibited: an exception of Art. 5(1)(g) applies",
            ["art-5-1-g", "art-5-1-g-excl"],
            [base, f"The prohibition does not cover this system because {why}."],
        )
        return
    if bio.law_enforcement is False and bio.lawful_dataset_labelling is False:
        _prohibit(
            run,
            "art-5-1-g",
            [],
            [
                base,
                "It neither only labels or filters lawfully acquired datasets nor works in the "
                "area of law enforcement, so no exception applies.",
            ],
        )
        return
    if bio.lawful_dataset_labelling is None:
        run.ask(
            "biometrics.lawful_dataset_labelling",
            "Does the system only label or filter lawfully acquired biometric datasets?",
            "Labelling or filtering lawful datasets is outside the Art. 5(1)(g) prohibition.",
            ["art-5-1-g", "art-5-1-g-excl"],
        )
    if bio.law_enforcement is None:
        _ask_law_enforcement(run, ["art-5-1-g", "art-5-1-g-excl"])


def _ask_law_enforcement(run: Run, provisions: list[str]) -> None:
    run.ask(
        "biometrics.law_enforcement",
        "Is the system used by or for law enforcement authorities for law enforcement purposes?",
        "Several biometric prohibitions and their exceptions turn on law-enforcement use.",
        provisions,
    )


def _remote_identification(run: Run) -> None:
    """Art. 5(1)(h): real-time RBI in public spaces for law enforcement, and (i)-(iii)."""
    rbi = remote_identification(run)
    provisions = ["art-5-1-h"]
    if rbi is None:
        if run.performs(Practice.BIOMETRIC_IDENTIFICATION) is True and run.bio.remote is None:
            run.ask(
                "biometrics.remote",
                "Does the system identify people at a distance, without their active "
                "involvement (remote biometric identification)?",
                "Remote identification can be prohibited (Art. 5(1)(h)) or high-risk (Annex "
                "III point 1(a)).",
                [*provisions, "annex-iii-1-a"],
            )
        run.ask_use(provisions)
        return
    if not rbi:
        return
    bio = run.bio
    if bio.law_enforcement is None:
        _ask_law_enforcement(run, provisions)
    if bio.real_time is None:
        run.ask(
            "biometrics.real_time",
            "Does the system capture, compare and identify without significant delay (real time)?",
            "Real-time remote identification for law enforcement in public spaces is "
            "prohibited save for the objectives of Art. 5(1)(h)(i)-(iii).",
            provisions,
        )
    if bio.publicly_accessible_spaces is None:
        run.ask(
            "biometrics.publicly_accessible_spaces",
            "Is the system used in publicly accessible spaces?",
            "Art. 5(1)(h) covers use in publicly accessible spaces only.",
            provisions,
        )
    facts = (bio.law_enforcement, bio.real_time, bio.publicly_accessible_spaces)
    if False in facts:
        if bio.law_enforcement is True and bio.real_time is False:
            run.decision.post_rbi_law_enforcement = True
        missing = [
            label
            for label, fact in zip(
                ("for law enforcement", "in real time", "in publicly accessible spaces"),
                facts,
                strict=True,
            )
            if fact is False
        ]
        run.conclude(
            None,
            "Art. 5(1)(h) does not apply: the remote identification is not " + " or ".join(missing),
            ["art-5-1-h"],
            [
                "Art. 5(1)(h) prohibits only real-time remote biometric identification in "
                "publicly accessible spaces for law enforcement.",
                f"This system's use is not {' or '.join(missing)}.",
            ],
        )
        return
    if None in facts:
        return
    where = (
        "Real-time remote biometric identification in publicly accessible spaces for law "
        "enforcement (Art. 5(1)(h))."
    )
    objective = bio.law_enforcement_objective
    if objective == "other":
        _prohibit(
            run,
            "art-5-1-h",
            [],
            [where, "Its objective is none of those in Art. 5(1)(h)(i)-(iii)."],
        )
        return
    if objective is None:
        _prohibit(
            run,
            "art-5-1-h",
            [*_OBJECTIVES.values()],
            [
                where,
                "The card states no objective of Art. 5(1)(h)(i)-(iii); an exception is granted "
                "only on the facts it needs, so the use is prohibited.",
                "What would change it: biometrics.law_enforcement_objective (victim-search, "
                "imminent-threat or suspect-localisation) together with every fact of Art. "
                "5(2)-(5).",
            ],
        )
        return
    point = _OBJECTIVES[objective]
    lacking = _exception_facts_missing(run, objective)
    if lacking:
        unrecorded = [m for m in lacking if m[2] is None]
        if any(path == "biometrics.authorisation" for path, _, _, _ in unrecorded):
            run.finding(
                "biometrics.law_enforcement_objective / biometrics.authorisation",
                f"The exception of {run.citation(point)} is claimed ({objective}) but the prior "
                "authorisation it needs (Art. 5(3)) is not recorded.",
                ["art-5-1-h", point, "art-5-3"],
            )
        _prohibit(
            run,
            "art-5-1-h",
            [point, *dict.fromkeys(p for _, _, _, p in lacking)],
            [
                where,
                f"Its objective ({objective}) is one of those in {run.citation(point)}, but the "
                "exception holds only when every fact of Art. 5(2)-(5) is recorded.",
                *(
                    f"{label} ({run.citation(prov)}): "
                    + ("the card says no" if state is False else "not recorded")
                    + f"; recording {path} would change this."
                    for path, label, state, prov in lacking
                ),
            ],
        )
        return
    auth = bio.authorisation
    assert auth is not None  # checked by _exception_facts_missing
    run.decision.rbi_exception = point
    run.conclude(
        None,
        f"Not prohibited: use strictly necessary for the objective of "
        f"{run.citation(point)}, under the conditions of Art. 5(2)-(5)",
        ["art-5-1-h", point, "art-5-2", "art-5-3", "art-5-4", "art-5-5"]
        + (["annex-ii"] if objective == "suspect-localisation" else []),
        [
            where,
            f"Its objective ({objective}) is one of those in {run.citation(point)}.",
            f"The card records each fact the exception needs: authorisation {auth.reference} by "
            f"{auth.authority} ({auth.authority_kind}, Art. 5(3)); a completed fundamental rights "
            "impact assessment and registration (Art. 5(2)); notification of each use (Art. "
            "5(4)); national law providing for it (Art. 5(5))"
            + (
                f"; the offence ({bio.offence.value}) is listed in Annex II."
                if objective == "suspect-localisation" and bio.offence is not None
                else "."
            ),
            "These conditions hold for every use: each use needs its own authorisation and "
            "notification.",
        ],
    )


_Need = tuple[str, str, bool | None, str]


def _exception_facts_missing(run: Run, objective: str) -> list[_Need]:
    """The facts an Art. 5(1)(h) exception needs that the card does not record as true:
    ``(card path, what, the card's value, provision)``."""
    bio = run.bio
    needs: list[_Need] = [
        (
            "biometrics.authorisation",
            "prior authorisation by a judicial or independent administrative authority",
            True if bio.authorisation is not None else None,
            "art-5-3",
        ),
        (
            "biometrics.fria_completed",
            "a completed fundamental rights impact assessment",
            bio.fria_completed,
            "art-5-2",
        ),
        (
            "biometrics.registered_in_eu_database",
            "registration in the EU database",
            bio.registered_in_eu_database,
            "art-5-2",
        ),
        (
            "biometrics.use_notified",
            "notification of each use to the market surveillance and data protection authorities",
            bio.use_notified,
            "art-5-4",
        ),
        (
            "biometrics.national_law_allows",
            "national law of the Member State providing for the use",
            bio.national_law_allows,
            "art-5-5",
        ),
    ]
    if objective == "suspect-localisation":
        needs.append(
            (
                "biometrics.offence",
                "an offence listed in Annex II punishable by at least four years",
                True if bio.offence is not None else None,
                "annex-ii",
            )
        )
    return [n for n in needs if n[2] is not True]
