"""The rule-set extension point: a Protocol, and a registry the built-ins join like any plugin.

A rule-set is named after the catalog framework it applies (``"eu-ai-act"``) and is handed one
complete version of that framework, so one implementation serves every version the catalog holds:
the dates, items and citations differ, the procedure does not. A rule-set that cannot serve some
version should raise :class:`~gaio.errors.InvalidInput` naming it.
"""

from __future__ import annotations

import datetime as dt
from typing import Protocol

from gaio.catalog import Framework
from gaio.errors import InvalidInput
from gaio.registry.card import SystemCard
from gaio.rules.model import FrameworkResult


class RuleSet(Protocol):
    """Classifies one card under one version of one framework, purely (no I/O, no clock)."""

    @property
    def name(self) -> str:
        """The catalog framework id this rule-set applies."""
        ...

    def classify(self, card: SystemCard, framework: Framework, on: dt.date) -> FrameworkResult:
        """The tiers, conclusions, questions, obligations and plan for ``card`` on ``on``."""
        ...


_RULE_SETS: dict[str, RuleSet] = {}


def register_rule_set(rule_set: RuleSet) -> None:
    """Make ``rule_set`` available under its name; registering a name twice is an error."""
    if rule_set.name in _RULE_SETS and _RULE_SETS[rule_set.name] is not rule_set:
        raise ValueError(f"a rule-set named {rule_set.name!r} is already registered")
    _RULE_SETS[rule_set.name] = rule_set


def rule_set_names() -> list[str]:
    return sorted(_RULE_SETS)


def get_rule_set(name: str) -> RuleSet:
    """The registered rule-set ``name``; unknown names raise :class:`InvalidInput` listing all."""
    try:
        return _RULE_SETS[name]
    except KeyError:
        known = ", ".join(rule_set_names()) or "none"
        raise InvalidInput(f"unknown rule-set {name!r}; known rule-sets: {known}") from None
