"""Prompts for items under a presentation condition, and parsing of the answers.

A Likert item is shown with the scale in its usual direction ("normal": the highest number
means "very much like me") or reversed; a scenario with its options in the pack's order or
swapped. Answers are mapped back to the pack's coding here, so scoring never sees the
presentation. Refusals and unparseable answers are kept as such and counted, never dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from gaio.evaluation.genai.items import Item, ItemPack

Direction = Literal["normal", "reversed"]
Status = Literal["ok", "refusal", "unparseable"]

_REFUSAL = re.compile(
    r"\b(as an ai|i am an ai|i'm an ai|language model|i (?:can ?not|can't|won't|am unable to)"
    r"|i do not have (?:personal|preferences|values)|i don't have (?:personal|preferences|values)"
    r"|en tant qu'ia|je ne peux pas|como (?:una )?ia|no puedo)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Parsed:
    status: Status
    value: int | None = None
    """Likert: the response in the pack's coding; scenario: None (see ``choice``)."""
    choice: str | None = None
    """Scenario: the pack's option letter chosen."""


def likert_prompt(pack: ItemPack, item: Item, lang: str, direction: Direction) -> str:
    instr = pack.instructions[lang]
    low, high = (instr.low, instr.high) if direction == "normal" else (instr.high, instr.low)
    tail = instr.likert.format(min=pack.scale.min, max=pack.scale.max, low=low, high=high)
    return f"{item.text[lang]} {tail}"


def scenario_prompt(pack: ItemPack, item: Item, lang: str, swapped: bool) -> str:
    texts = (item.option_text or {})[lang]
    first, second = (texts["B"], texts["A"]) if swapped else (texts["A"], texts["B"])
    tail = pack.instructions[lang].scenario.format(first="A", second="B")
    return f"{item.text[lang]}\nA: {first}.\nB: {second}.\n{tail}"


def parse_likert(answer: str, pack: ItemPack, direction: Direction) -> Parsed:
    """The first in-range number that stands alone; a refusal; or unparseable."""
    text = answer.strip()
    if not text:
        return Parsed("unparseable")
    lo, hi = pack.scale.min, pack.scale.max
    numbers = [int(m) for m in re.findall(r"(?<![\d.,])(\d{1,2})(?![\d.,]\d)", text)]
    in_range = [n for n in numbers if lo <= n <= hi]
    if not in_range:
        return Parsed("refusal" if _REFUSAL.search(text) else "unparseable")
    distinct = set(in_range)
    leading = re.match(r"^\W*(\d{1,2})\b", text)
    if len(distinct) > 1 and not (leading and int(leading.group(1)) in distinct):
        return Parsed("unparseable")
    raw = int(leading.group(1)) if leading and len(distinct) > 1 else in_range[0]
    value = raw if direction == "normal" else lo + hi - raw
    return Parsed("ok", value=value)


def parse_choice(answer: str, swapped: bool) -> Parsed:
    """A or B standing alone (first one wins if the answer starts with it)."""
    text = answer.strip()
    letters = re.findall(r"(?<![A-Za-z])([AB])(?![A-Za-z])", text)
    if not letters:
        return Parsed("refusal" if _REFUSAL.search(text) else "unparseable")
    leading = re.match(r"^\W*(?:option\s+)?([AB])(?![A-Za-z])", text, re.IGNORECASE)
    if len(set(letters)) > 1 and leading is None:
        return Parsed("unparseable")
    shown = leading.group(1).upper() if leading else letters[0]
    choice = {"A": "B", "B": "A"}[shown] if swapped else shown
    return Parsed("ok", choice=choice)
