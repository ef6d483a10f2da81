"""Incident taxonomies as versioned data: MIT (causal + domain), GMF, CSETv1 and OECD harms.

Each taxonomy is a JSON file under ``data/taxonomies`` with an ``id``, a ``version`` and its
fields; a field lists its allowed values (``values``) or is open (``values: null``, e.g. a
country or a count). The GMF and CSETv1 vocabularies are the values the AIID snapshot uses.
``mappings.json`` holds crosswalks between taxonomies where one exists.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from gaio.errors import InvalidInput


@dataclass(frozen=True)
class TaxonomyField:
    name: str
    multi: bool
    values: dict[str, str] | None
    column: str | None = None

    def check(self, taxonomy: str, value: str) -> str:
        """The value as stored; raises InvalidInput naming the allowed values when unknown."""
        value = value.strip()
        if not value:
            raise InvalidInput(f"{taxonomy}:{self.name}: empty value")
        if self.values is None or value in self.values:
            return value
        folded = {k.casefold(): k for k in self.values}
        if value.casefold() in folded:
            return folded[value.casefold()]
        shown = ", ".join(list(self.values)[:12])
        more = f" (and {len(self.values) - 12} more)" if len(self.values) > 12 else ""
        raise InvalidInput(
            f"{taxonomy}:{self.name}: unknown value {value!r}; expected one of {shown}{more}"
        )


@dataclass(frozen=True)
class Taxonomy:
    id: str
    version: str
    title: str
    source: str
    fields: dict[str, TaxonomyField]

    def field(self, name: str) -> TaxonomyField:
        if name not in self.fields:
            raise InvalidInput(
                f"taxonomy {self.id!r} has no field {name!r}; fields: {', '.join(self.fields)}"
            )
        return self.fields[name]


def _read(name: str) -> Any:
    path = resources.files("gaio.incidents") / "data" / "taxonomies" / name
    return json.loads(path.read_text(encoding="utf-8"))


@cache
def taxonomies() -> dict[str, Taxonomy]:
    out: dict[str, Taxonomy] = {}
    for name in ("mit.json", "gmf.json", "csetv1.json", "oecd.json"):
        raw = _read(name)
        fields = {
            key: TaxonomyField(key, bool(f.get("multi")), f.get("values"), f.get("column"))
            for key, f in raw["fields"].items()
        }
        out[raw["id"]] = Taxonomy(raw["id"], raw["version"], raw["title"], raw["source"], fields)
    return out


def taxonomy(name: str) -> Taxonomy:
    found = taxonomies().get(name)
    if found is None:
        raise InvalidInput(f"unknown taxonomy {name!r}; expected one of {', '.join(taxonomies())}")
    return found


def check_label(name: str, field: str, value: str) -> tuple[Taxonomy, str]:
    """Validate ``name:field=value``; returns the taxonomy and the value as stored."""
    tax = taxonomy(name)
    return tax, tax.field(field).check(name, value)


def parse_label(spec: str) -> tuple[str, str, str]:
    """``TAXONOMY:FIELD=VALUE`` → its three parts."""
    head, sep, value = spec.partition("=")
    name, colon, field = head.partition(":")
    if not sep or not colon or not name or not field:
        raise InvalidInput(f"label {spec!r}: expected TAXONOMY:FIELD=VALUE, e.g. mit:domain=7")
    return name.strip(), field.strip(), value.strip()


@cache
def mappings() -> list[dict[str, Any]]:
    data: list[dict[str, Any]] = _read("mappings.json")["mappings"]
    return data


def mapped(source: str, value: str) -> dict[str, list[str]]:
    """Values in other taxonomies that ``source`` (``taxonomy:field``) = ``value`` maps to."""
    out: dict[str, list[str]] = {}
    for m in mappings():
        if m["from"] == source and value in m["pairs"]:
            out[m["to"]] = list(m["pairs"][value])
    return out
