"""Refusal thresholds shared by the engines and the CLI (kept import-light on purpose)."""

from __future__ import annotations

#: A sensitive attribute with more distinct values is refused: an id column by mistake.
DEFAULT_MAX_GROUPS = 250
#: A label with more distinct values is not a class label (use regression).
DEFAULT_MAX_CLASSES = 50
