"""Reports as sources: the metadata of news reports about incidents (title, URL, outlet,
authors, date), read from the AIID's reports export (CSV or JSON) and validated row by row.

Columns (CSV) or keys (JSON objects): ``report_number``, ``incident_ids`` (a JSON list or
one number), ``title``, ``url``; optional ``source_domain`` (the outlet), ``authors`` (a
JSON list or a comma-separated string), ``date_published`` / ``date_submitted`` (``YYYY``,
``YYYY-MM`` or ``YYYY-MM-DD``, optionally with a time), ``text``. Titles lose HTML tags and
entities. A URL must be http(s) with a host; the outlet defaults to the URL's host.
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from gaio.errors import InvalidUrl
from gaio.incidents.places import partial_date
from gaio.incidents.urls import canonical_url

REQUIRED = ("report_number", "incident_ids", "title", "url")
_TAG = re.compile(r"<[^>]{0,500}>")
_MAX_TITLE = 500


@dataclass(frozen=True)
class ReportSource:
    number: int
    incident_ids: tuple[int, ...]
    title: str
    url: str
    url_canonical: str
    outlet: str
    authors: tuple[str, ...]
    published: date | None
    text: str | None


class RowError(ValueError):
    """One bad row: ``row`` is its number in the file (the header is row 1)."""

    def __init__(self, row: int, message: str) -> None:
        super().__init__(f"row {row}: {message}")
        self.row = row


def clean_title(value: str) -> str:
    text = html.unescape(_TAG.sub(" ", value))
    return " ".join(text.split())[:_MAX_TITLE]


def _ids(value: Any) -> tuple[int, ...]:
    if isinstance(value, int) and not isinstance(value, bool):
        items: list[Any] = [value]
    elif isinstance(value, list):
        items = value
    else:
        text = str(value or "").strip()
        if not text:
            raise ValueError("incident_ids: empty")
        try:
            parsed = json.loads(text) if text.startswith("[") else [int(t) for t in text.split(",")]
        except (ValueError, json.JSONDecodeError):
            raise ValueError(f"incident_ids: {text[:40]!r} is not a list of numbers") from None
        items = parsed if isinstance(parsed, list) else [parsed]
    out: list[int] = []
    for item in items:
        if isinstance(item, bool) or not isinstance(item, int | str):
            raise ValueError(f"incident_ids: {item!r} is not a number")
        try:
            number = int(item)
        except ValueError:
            raise ValueError(f"incident_ids: {item!r} is not a number") from None
        if not 1 <= number <= 2**31 - 1:
            raise ValueError(f"incident_ids: {number} is out of range")
        out.append(number)
    if not out or len(out) > 50:
        raise ValueError("incident_ids: expected 1 to 50 incident numbers")
    return tuple(sorted(set(out)))


def _authors(value: Any) -> tuple[str, ...]:
    if value is None or value == "":
        return ()
    if isinstance(value, str):
        text = value.strip()
        if text.startswith("["):
            try:
                value = json.loads(text)
            except json.JSONDecodeError:
                raise ValueError("authors: not a valid JSON list") from None
        else:
            value = [a for a in text.split(",")]
    if not isinstance(value, list):
        raise ValueError("authors: expected a list of names")
    names = [" ".join(str(a).split())[:200] for a in value if str(a).strip()]
    return tuple(names[:50])


def _date(value: Any) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, str) and "T" in value:
        value = value.split("T", 1)[0]
    parsed = partial_date(value)
    if parsed is None or isinstance(parsed, date):
        return parsed
    try:
        return date.fromisoformat(str(parsed))
    except ValueError:
        raise ValueError(f"{value!r} is not a date: expected YYYY, YYYY-MM or YYYY-MM-DD") from None


def parse_row(data: dict[str, Any], row: int) -> ReportSource:
    """One report from one row; raises :class:`RowError` naming the row and the column."""
    try:
        number = int(str(data.get("report_number", "")).strip())
    except ValueError:
        raise RowError(
            row, f"report_number: {data.get('report_number')!r} is not a number"
        ) from None
    if not 1 <= number <= 2**31 - 1:
        raise RowError(row, f"report_number: {number} is out of range")
    try:
        ids = _ids(data.get("incident_ids"))
        title = clean_title(str(data.get("title") or ""))
        if not title:
            raise ValueError("title: empty")
        url = str(data.get("url") or "").strip()
        if not url:
            raise ValueError("url: empty")
        try:
            canonical = canonical_url(url)
        except InvalidUrl:
            raise ValueError(f"url: {url[:80]!r} is not an http(s) URL with a host") from None
        outlet = str(data.get("source_domain") or "").strip().lower().removeprefix("www.")
        if not outlet:
            outlet = canonical.split("/", 3)[2]
        published = _date(data.get("date_published") or data.get("date_submitted"))
        text = data.get("text")
        return ReportSource(
            number=number,
            incident_ids=ids,
            title=title,
            url=url,
            url_canonical=canonical,
            outlet=outlet[:300],
            authors=_authors(data.get("authors")),
            published=published,
            text=str(text)[:1_000_000] if text else None,
        )
    except ValueError as exc:
        raise RowError(row, str(exc)) from None


def read_rows(raw: bytes, name: str) -> list[tuple[int, dict[str, Any]]]:
    """(row number, mapping) for a CSV or JSON (a list of objects) reports file."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValueError(f"{name}: not UTF-8 (byte {exc.start}); re-save it as UTF-8") from None
    if name.lower().endswith(".json"):
        data = json.loads(text)
        if not isinstance(data, list) or not all(isinstance(d, dict) for d in data):
            raise ValueError(f"{name}: expected a JSON list of report objects")
        return [(i + 1, d) for i, d in enumerate(data)]
    reader = csv.DictReader(io.StringIO(text, newline=""))
    missing = [c for c in REQUIRED if c not in (reader.fieldnames or [])]
    if missing:
        raise ValueError(f"{name}: missing column(s) {', '.join(missing)}")
    return [(i + 2, dict(r)) for i, r in enumerate(reader)]
