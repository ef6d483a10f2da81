"""EU AI Act Art. 50: transparency duties, which apply whether or not a system is high-risk.

Contract: :func:`transparency` appends each duty that applies to ``decision.transparency`` and
records one ``transparency`` conclusion listing them; each trigger that is unknown becomes a
question. Art. 50(1) and (2) are provider duties, Art. 50(3) and (4) deployer duties; the role is
the catalog item's.
"""

from __future__ import annotations

from gaio.registry.vocab import Modality, Practice
from gaio.rules._context import Run
from gaio.rules.eu_prohibitions import biometric_categorisation, emotion_recognition
from gaio.rules.model import Tier

_MARKED = {Modality.TEXT, Modality.IMAGE, Modality.AUDIO, Modality.VIDEO, Modality.CODE}
_MARKED |= {Modality.MULTIMODAL}


def transparency(run: Run) -> None:
    """Art. 50(1)-(4)."""
    reasons: list[str] = []
    duties: list[str] = []
    _interaction(run, duties, reasons)
    _synthetic_content(run, duties, reasons)
    _exposure(run, duties, reasons)
    _deep_fakes(run, duties, reasons)
    if duties:
        run.decision.transparency = duties
        reasons.append(
            "Timing: the information is given clearly and distinguishably at the latest at the "
            "time of the first interaction or exposure, and meets accessibility requirements "
            "(Art. 50(5))."
        )
        run.conclude(
            Tier.TRANSPARENCY,
            "Transparency duties: " + ", ".join(run.citation(d) for d in duties),
            ["art-50", *duties, "art-50-5"],
            reasons,
        )


def _interaction(run: Run, duties: list[str], reasons: list[str]) -> None:
    interacts = run.card.interacts_with_people
    if interacts is None:
        run.ask(
            "interacts_with_people",
            "Does the system interact directly with natural persons (e.g. a chatbot or voice "
            "assistant)?",
            "People must be told they are interacting with an AI system (Art. 50(1)).",
            ["art-50-1"],
        )
    elif interacts:
        duties.append("art-50-1")
        reasons.append(
            "It interacts directly with natural persons, who must be informed that they are "
            "interacting with an AI system unless that is obvious (Art. 50(1))."
        )


def _synthetic_content(run: Run, duties: list[str], reasons: list[str]) -> None:
    generates = run.card.generates_synthetic_content
    if generates is None:
        run.ask(
            "generates_synthetic_content",
            "Does the system generate synthetic audio, image, video or text content?",
            "Providers must mark such outputs in a machine-readable format (Art. 50(2)).",
            ["art-50-2"],
        )
        return
    if not generates:
        return
    types = run.card.synthetic_content_types
    if types is None:
        run.ask(
            "synthetic_content_types",
            "Which types of content does it generate?",
            "Art. 50(2) covers synthetic audio, image, video and text.",
            ["art-50-2"],
            answer="some-of",
            choices=[m.value for m in Modality],
        )
        return
    covered = sorted(m.value for m in types if m in _MARKED)
    if covered:
        duties.append("art-50-2")
        reasons.append(
            f"It generates synthetic content ({', '.join(covered)}), which the provider marks "
            "in a machine-readable format detectable as artificially generated (Art. 50(2)); "
            "assistive editing functions that do not substantially alter the input are exempt "
            "(Art. 50(2), third sentence)."
        )


def _exposure(run: Run, duties: list[str], reasons: list[str]) -> None:
    er, bc = emotion_recognition(run), biometric_categorisation(run)
    if not (er or bc):
        return  # unknown practices are already asked by Art. 5
    if run.bio.law_enforcement is None:
        run.ask(
            "biometrics.law_enforcement",
            "Is the system used by or for law enforcement authorities for law enforcement "
            "purposes?",
            "Emotion recognition and biometric categorisation permitted by law to detect or "
            "investigate criminal offences are exempt from the Art. 50(3) duty.",
            ["art-50-3"],
        )
        return
    if run.bio.law_enforcement is True:
        run.conclude(
            None,
            "Art. 50(3) does not apply: permitted by law to detect or investigate offences",
            ["art-50-3"],
            [
                "Emotion recognition and biometric categorisation systems permitted by law to "
                "detect, prevent or investigate criminal offences are exempt from Art. 50(3)."
            ],
        )
        return
    duties.append("art-50-3")
    what = " and ".join(
        w for w, on in (("emotion recognition", er), ("biometric categorisation", bc)) if on
    )
    reasons.append(
        f"It performs {what}: deployers inform the persons exposed to it of its operation "
        "(Art. 50(3))."
    )


def _deep_fakes(run: Run, duties: list[str], reasons: list[str]) -> None:
    publishers = run.card.content_published_by or []
    if publishers:
        who = " and ".join(publishers)
        reasons.append(
            f"The generated content is published by the {who}; whoever publishes it does so as "
            "deployer and carries the Art. 50(4) disclosure."
        )
    if run.performs(Practice.DEEP_FAKE_GENERATION):
        duties.append("art-50-4-1")
        reasons.append(
            "It generates or manipulates image, audio or video content that can be a deep fake: "
            "deployers disclose that it is artificially generated, in a limited way for "
            "evidently artistic, creative, satirical or fictional works (Art. 50(4), first "
            "subparagraph)."
        )
    if not run.performs(Practice.PUBLIC_INTEREST_TEXT_GENERATION):
        return
    if run.card.content_published_by == []:
        run.conclude(
            None,
            "No disclosure of public-interest text: nobody publishes it",
            ["art-50-4-2"],
            [
                "Art. 50(4), second subparagraph, concerns text published with the purpose of "
                "informing the public; the card records that the generated text is not published "
                "(content_published_by: [])."
            ],
        )
        return
    control = run.card.human_editorial_control
    if control is True:
        run.conclude(
            None,
            "No disclosure of public-interest text: human editorial control",
            ["art-50-4-2"],
            [
                "Generated text published on matters of public interest undergoes human review "
                "or editorial control under editorial responsibility, which Art. 50(4), second "
                "subparagraph, exempts."
            ],
        )
    elif control is False:
        duties.append("art-50-4-2")
        reasons.append(
            "It generates text published to inform the public on matters of public interest "
            "without human editorial control: deployers disclose that it is artificially "
            "generated (Art. 50(4), second subparagraph)."
        )
    else:
        run.ask(
            "human_editorial_control",
            "Does the generated text on matters of public interest undergo human review or "
            "editorial control, with someone holding editorial responsibility?",
            "Without it, deployers must disclose that the text is AI-generated (Art. 50(4)).",
            ["art-50-4-2"],
        )
