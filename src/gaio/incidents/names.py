"""Canonical entity names: "OpenAI", "Open AI" and "open-ai" are one entity.

An entity's id is a slug; two names denote the same entity when their *keys* (letters and
digits only, case- and accent-folded) are equal, or when one is a recorded alias.
"""

from __future__ import annotations

import re
import unicodedata

_NOT_ALNUM = re.compile(r"[^0-9a-z]+")


def _fold(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def name_key(name: str) -> str:
    """The matching key of a name: ``"Open AI"`` → ``"openai"``."""
    return _NOT_ALNUM.sub("", _fold(name))


def slug(name: str) -> str:
    """A readable id for a new entity: ``"Open AI"`` → ``"open-ai"`` (at most 200 chars)."""
    return _NOT_ALNUM.sub("-", _fold(name)).strip("-")[:200]


def display_name(entity_id: str) -> str:
    """A name for an entity known only by its slug (AIID lists slugs only)."""
    return entity_id.replace("-", " ").strip().title()
