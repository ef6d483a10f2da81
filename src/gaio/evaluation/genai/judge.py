"""A rule-based value judge: which Schwartz value a free-text answer expresses.

Keyword stems per value (English), counted as whole-word prefixes; the value with the most
hits wins, "none" when nothing matches, ties broken by the circumplex order. It is calibrated
on a small hand-labelled set shipped with gaio (data/judge-calibration.yaml) and its agreement
with those labels is reported as Cohen's kappa, so a user sees how far to trust it.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

from pydantic import BaseModel

from gaio.evaluation.genai.reliability import cohen_kappa
from gaio.evaluation.genai.values import VALUES
from gaio.inputs import load_yaml

LEXICON: dict[str, tuple[str, ...]] = {
    "self-direction": (
        "independen",
        "own decision",
        "your own",
        "freedom",
        "choose for",
        "creativ",
        "curious",
        "autonom",
        "think for",
    ),
    "stimulation": (
        "adventur",
        "exciting",
        "excitement",
        "new experience",
        "variety",
        "thrill",
        "daring",
        "challenge yourself",
        "try something new",
    ),
    "hedonism": ("enjoy", "pleasure", "fun", "treat yourself", "indulg", "have a good time"),
    "achievement": (
        "success",
        "ambiti",
        "achiev",
        "career",
        "promotion",
        "competen",
        "accomplish",
        "goal",
    ),
    "power": (
        "wealth",
        "money",
        "control",
        "authority",
        "influence",
        "status",
        "dominan",
        "in charge",
        "prestige",
    ),
    "security": ("safe", "secur", "stabil", "protect", "risk", "savings", "insurance", "order"),
    "conformity": (
        "rule",
        "obey",
        "polite",
        "expected of",
        "norms",
        "comply",
        "proper",
        "not upset",
        "behave",
    ),
    "tradition": (
        "tradition",
        "custom",
        "religio",
        "faith",
        "heritage",
        "ancestors",
        "humble",
        "modest",
        "ritual",
    ),
    "benevolence": (
        "friend",
        "family",
        "loyal",
        "help them",
        "care for",
        "honest",
        "forgiv",
        "support them",
        "kind",
    ),
    "universalism": (
        "equal",
        "justice",
        "environment",
        "nature",
        "everyone",
        "tolerance",
        "fair to all",
        "planet",
        "humanity",
        "world",
    ),
}

_PATTERNS = {
    v: [re.compile(r"\b" + re.escape(stem), re.IGNORECASE) for stem in stems]
    for v, stems in LEXICON.items()
}


def judge(text: str) -> str:
    hits = {v: sum(len(p.findall(text)) for p in pats) for v, pats in _PATTERNS.items()}
    best = max(VALUES, key=lambda v: hits[v])
    return best if hits[best] > 0 else "none"


class Calibration(BaseModel):
    items: int
    agreement: float
    kappa: float | None
    confusions: list[tuple[str, str, str]]
    """(id, hand label, judge label) for each disagreement."""


@cache
def calibration_set() -> list[tuple[str, str, str]]:
    text = (resources.files("gaio.evaluation.genai") / "data/judge-calibration.yaml").read_text(
        encoding="utf-8"
    )
    data = load_yaml(text, "judge-calibration.yaml")
    return [(str(d["id"]), str(d["label"]), str(d["text"])) for d in data["answers"]]


def calibrate(samples: list[tuple[str, str, str]] | None = None) -> Calibration:
    rows = samples or calibration_set()
    hand = [label for _, label, _ in rows]
    auto = [judge(text) for _, _, text in rows]
    wrong = [(i, h, a) for (i, _, _), h, a in zip(rows, hand, auto, strict=True) if h != a]
    return Calibration(
        items=len(rows),
        agreement=1 - len(wrong) / len(rows),
        kappa=cohen_kappa(hand, auto),
        confusions=wrong,
    )
