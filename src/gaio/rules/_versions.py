"""Choosing a framework version by date without reading the clock."""

from __future__ import annotations

import datetime as dt

from gaio.catalog import Framework, load_catalog, select_version
from gaio.errors import InvalidInput


def version_on(framework_id: str, on: dt.date) -> tuple[Framework, str | None]:
    """The adopted version in force on ``on``; before any was, the first adopted one and a note.

    ``select_version`` without a date would read today's clock; the core never does, so the
    fallback is computed here from the versions' own start dates.
    """
    try:
        return select_version(framework_id, on=on), None
    except InvalidInput:
        versions = load_catalog().frameworks[framework_id]
        adopted = [v for v in versions if v.status == "adopted"] or list(versions)
        first = min(adopted, key=lambda v: v.in_force_from or v.published)
        return first, (
            f"No version of {framework_id} was in force on {on.isoformat()}; {first.ref} is "
            "applied, so every obligation starts later."
        )
