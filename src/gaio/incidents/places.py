"""Countries and dates as reporters write them: names or codes, whole or partial dates.

A country may be given as an ISO 3166-1 alpha-2 or alpha-3 code, its English short or
official name ("France", "Denmark", "United Kingdom of Great Britain and Northern
Ireland"), a common name ("Bolivia", "Taiwan") or ``EU``; names are mapped to ISO 3166-1
alpha-2 with the maintained ``pycountry`` tables. A date may be ``YYYY``, ``YYYY-MM`` or
``YYYY-MM-DD``; a partial date stands for the first day of its year or month. A bare number
is a year only when it has four digits (never a Unix timestamp).
"""

from __future__ import annotations

import re
from datetime import date, datetime
from functools import cache
from typing import Any

from gaio.registry.vocab import JURISDICTIONS

_ALIASES = {"UK": "GB", "EUROPEAN UNION": "EU", "USA": "US", "U.S.": "US", "U.S.A.": "US"}
_YEAR = re.compile(r"^\d{4}$")
_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")


@cache
def _lookup(name: str) -> str | None:
    try:
        import pycountry
    except ImportError:  # pragma: no cover - pycountry is a core dependency
        return None
    try:
        found: Any = pycountry.countries.lookup(name)
    except LookupError:
        return None
    code = getattr(found, "alpha_2", None)
    return str(code) if code else None


def country_code(value: str) -> str:
    """ISO 3166-1 alpha-2 (or ``EU``) for a code or a country name; raises ``ValueError``."""
    text = " ".join(str(value).split())
    upper = text.upper()
    if upper in JURISDICTIONS:
        return upper
    if upper in _ALIASES:
        return _ALIASES[upper]
    if 0 < len(text) <= 100:
        code = _lookup(text)
        if code and code in JURISDICTIONS:
            return code
    raise ValueError(
        f"{value!r} is not a country: expected a country name (e.g. France), an ISO 3166-1 "
        "code (e.g. FR, FRA) or EU"
    )


def partial_date(value: Any) -> Any:
    """``YYYY`` / ``YYYY-MM`` → the first day of that year / month; other values unchanged
    (pydantic then parses full ISO dates). Numbers other than a four-digit year are refused."""
    if isinstance(value, bool):
        raise ValueError("expected a date: YYYY, YYYY-MM or YYYY-MM-DD")
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, int | float):
        if isinstance(value, int) and 1000 <= value <= 9999:
            return date(value, 1, 1)
        raise ValueError(f"{value!r} is not a date: expected YYYY, YYYY-MM or YYYY-MM-DD")
    if isinstance(value, str):
        text = value.strip()
        if _YEAR.match(text):
            return date(int(text), 1, 1)
        month = _MONTH.match(text)
        if month:
            year, mon = int(month.group(1)), int(month.group(2))
            if not 1 <= mon <= 12:
                raise ValueError(f"{value!r}: month {mon} is not 1..12")
            return date(year, mon, 1)
        if text and not re.match(r"^\d{4}-\d{2}-\d{2}$", text):
            raise ValueError(f"{value!r} is not a date: expected YYYY, YYYY-MM or YYYY-MM-DD")
        return text or None
    return value
