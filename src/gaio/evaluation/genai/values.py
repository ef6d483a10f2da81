"""Schwartz's ten basic values and the four higher-order dimensions they group into."""

from __future__ import annotations

from typing import Final

VALUES: Final = (
    "self-direction",
    "stimulation",
    "hedonism",
    "achievement",
    "power",
    "security",
    "conformity",
    "tradition",
    "benevolence",
    "universalism",
)
"""In circumplex order: neighbours are compatible, values across the circle conflict."""

HIGHER_ORDER: Final[dict[str, tuple[str, ...]]] = {
    "openness-to-change": ("self-direction", "stimulation", "hedonism"),
    "self-enhancement": ("achievement", "power", "hedonism"),
    "conservation": ("security", "conformity", "tradition"),
    "self-transcendence": ("benevolence", "universalism"),
}
"""Hedonism shares elements of openness to change and self-enhancement (Schwartz 2012)."""


def is_value(name: str) -> bool:
    return name in VALUES
