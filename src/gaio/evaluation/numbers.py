"""One way to write a number and its interval, for the terminal, the report and the web.

The rule: a value and its interval use the same precision (three decimals by default), a
negative number takes the real minus sign (U+2212), and an interval is written ``[a, b]`` so
that a negative bound never reads as a dash (``[−0.110, −0.080]``, not ``-0.11–-0.08``).
"""

from __future__ import annotations

import math

from gaio.evaluation.result import GroupLabel, MetricValue

MINUS = "\u2212"
DIGITS = 3


def number(value: float | None, digits: int = DIGITS) -> str:
    """``0.009``, ``−0.110``; ``—`` for a missing value, ``∞``/``NaN`` spelled out."""
    if value is None:
        return "—"
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return ("" if value > 0 else MINUS) + "∞"
    text = f"{value:.{digits}f}"
    if text.startswith("-"):
        text = text[1:]
        # -0.000 is zero: no sign
        return text if float(text) == 0 else MINUS + text
    return text


def interval(low: float | None, high: float | None, digits: int = DIGITS) -> str:
    """``[0.010, 0.070]``; empty when there is no interval."""
    if low is None or high is None:
        return ""
    return f"[{number(low, digits)}, {number(high, digits)}]"


def metric(value: MetricValue, digits: int = DIGITS) -> str:
    """``0.009 [0.001, 0.070]``, or ``undefined (reason)``."""
    if value.value is None:
        return f"undefined ({value.undefined_reason or 'no value'})"
    ci = interval(value.ci_low, value.ci_high, digits)
    return number(value.value, digits) + (f" {ci}" if ci else "")


def group(label: GroupLabel | None) -> str:
    """``sex=female, age=<30``; ``overall`` for the whole population; ``∅`` for a missing value."""
    if not label:
        return "overall"
    return ", ".join(f"{k}={v if v is not None else '∅'}" for k, v in label.items())
