"""Column mappings that turn another incident database's rows into gaio incident drafts.

A mapping is YAML (``version: 1``)::

    source: aiaaic              # a short name; recorded as the incidents' source
    id: "AIAAIC ID#"            # the column holding the row's id in that database
    fields:                     # gaio field: column
      title: Headline
      description: Description
      occurred: Occurred        # YYYY, YYYY-MM, YYYY-MM-DD (a time part is dropped)
      countries: Country(ies)   # names or codes
      sectors: Sector(s)
      deployers: Deployer(s)
      developers: Developer(s)
      url: Link
    lists: ";"                  # separator of list columns (default ";")
    kind: incident              # or kind_column + kinds: {their value: gaio kind}

Presets for the AIAAIC repository export and OECD AIM-style records ship in
``data/mappings/``.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from gaio.incidents.model import Kind
from gaio.incidents.sources import clean_title

FIELDS = (
    "title",
    "description",
    "occurred",
    "countries",
    "sectors",
    "deployers",
    "developers",
    "harmed",
    "url",
    "report_text",
)
LISTS = ("countries", "sectors", "deployers", "developers", "harmed")
_TIME = re.compile(r"^(\d{4}(?:-\d{1,2}(?:-\d{1,2})?)?)[T ].*$")
_DMY = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


class Mapping(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: int = 1
    source: str = Field(pattern=r"^[a-z][a-z0-9-]{1,15}$")
    id: str
    fields: dict[str, str]
    lists: str = Field(";", min_length=1, max_length=3)
    kind: Kind = Kind.INCIDENT
    kind_column: str | None = None
    kinds: dict[str, Kind] = Field(default_factory=dict)

    @field_validator("fields")
    @classmethod
    def _known(cls, value: dict[str, str]) -> dict[str, str]:
        unknown = sorted(set(value) - set(FIELDS))
        if unknown:
            raise ValueError(f"unknown gaio field(s) {unknown}; known: {', '.join(FIELDS)}")
        if "title" not in value:
            raise ValueError("fields: a mapping must name the title column")
        return value

    def columns(self) -> list[str]:
        return [self.id, *self.fields.values(), *([self.kind_column] if self.kind_column else [])]


def _date(value: str) -> str | None:
    text = value.strip()
    if not text:
        return None
    found = _TIME.match(text)
    if found:
        return found.group(1)
    dmy = _DMY.match(text)
    if dmy:
        day, month, year = (int(g) for g in dmy.groups())
        return date(year, month, day).isoformat()
    return text


def to_draft(mapping: Mapping, row: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """(external id, draft dict) of one row; raises ValueError with the column at fault."""
    ident = str(row.get(mapping.id) or "").strip()
    if not ident:
        raise ValueError(f"column {mapping.id!r}: empty id")
    draft: dict[str, Any] = {"kind": mapping.kind.value}
    for name, column in mapping.fields.items():
        raw = row.get(column)
        value = "" if raw is None else str(raw)
        if name in LISTS:
            items = [v.strip() for v in re.split(re.escape(mapping.lists), value) if v.strip()]
            if items:
                draft[name] = items
        elif name == "occurred":
            when = _date(value)
            if when:
                draft[name] = when
        elif name == "title":
            draft[name] = clean_title(value)
        elif value.strip():
            draft[name] = value.strip() if name != "url" else value.strip().split()[0]
    if mapping.kind_column:
        theirs = str(row.get(mapping.kind_column) or "").strip()
        if theirs in mapping.kinds:
            draft["kind"] = mapping.kinds[theirs].value
    return ident[:200], draft
