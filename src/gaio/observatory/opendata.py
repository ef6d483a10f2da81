"""The open-data tables: tidy (one value per cell; lists become link tables), joinable on
their ids, built from the public fields of the ledger's records only.

Each table has a Frictionless Table Schema (its columns, types, keys) and a licence. Tables
holding rows derived from the AI Incident Database keep its CC BY-SA 4.0 licence and
attribution; gaio's own records are published under CC BY 4.0. Every row names the ledger
subject it comes from, so a delta export (rows changed since a checkpoint) is a filter on the
latest entry of that subject.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

CC_BY = {
    "name": "CC-BY-4.0",
    "path": "https://creativecommons.org/licenses/by/4.0/",
    "title": "Creative Commons Attribution 4.0",
}
CC_BY_SA = {
    "name": "CC-BY-SA-4.0",
    "path": "https://creativecommons.org/licenses/by-sa/4.0/",
    "title": "Creative Commons Attribution-ShareAlike 4.0",
}
AIID_ATTRIBUTION = (
    "Contains data from the AI Incident Database (https://incidentdatabase.ai), Responsible AI "
    "Collaborative, licensed CC BY-SA 4.0; changes: normalised into tidy tables by gaio."
)

Row = dict[str, Any]
Records = Mapping[str, list[tuple[str, Row]]]
"""Record kind → (ledger subject, public fields) of every current record."""


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    """Frictionless type: string, integer, number, boolean, date, datetime."""
    description: str = ""


@dataclass(frozen=True)
class TableSpec:
    name: str
    title: str
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...]
    rows: Callable[[Records], Iterator[tuple[str, Row]]]
    """(ledger subject, row) of every row."""
    aiid: bool = False
    """Holds rows derived from the AI Incident Database (CC BY-SA 4.0)."""
    foreign_keys: tuple[tuple[str, str, str], ...] = ()
    """(column, table, column) it joins on."""

    @property
    def licence(self) -> dict[str, str]:
        return CC_BY_SA if self.aiid else CC_BY


def _c(name: str, type_: str = "string", description: str = "") -> Column:
    return Column(name, type_, description)


def _pick(kind: str, fields: tuple[str, ...]) -> Callable[[Records], Iterator[tuple[str, Row]]]:
    def rows(records: Records) -> Iterator[tuple[str, Row]]:
        for subject, r in records.get(kind, []):
            yield subject, {f: r.get(f) for f in fields}

    return rows


def _links(
    kind: str,
    keys: tuple[str, ...],
    field: str,
    as_: str,
    *,
    source: Callable[[Row], Any] | None = None,
) -> Callable[[Records], Iterator[tuple[str, Row]]]:
    """One row per element of a list field: (keys…, element)."""

    def rows(records: Records) -> Iterator[tuple[str, Row]]:
        for subject, r in records.get(kind, []):
            values = source(r) if source else r.get(field)
            for value in sorted(set(values or [])):
                yield subject, {**{k: r[k] for k in keys}, as_: value}

    return rows


def _each(
    kind: str, key: str, key_as: str, field: str, as_: str
) -> Callable[[Records], Iterator[tuple[str, Row]]]:
    """One row per element of the list ``field`` of each record: (its ``key``, the element)."""

    def rows(records: Records) -> Iterator[tuple[str, Row]]:
        for subject, r in records.get(kind, []):
            for value in sorted(set(r.get(field) or [])):
                yield subject, {key_as: r[key], as_: value}

    return rows


def _card(r: Row) -> Row:
    return dict(r.get("card") or {})


def _versions(records: Records) -> Iterator[tuple[str, Row]]:
    for subject, r in records.get("system_version", []):
        card = _card(r)
        model = dict(card.get("model") or {})
        yield (
            subject,
            {
                "system": r["system"],
                "version": r["version"],
                "seq": r["seq"],
                "stage": r["stage"],
                "card_hash": r["card_hash"],
                "registered_at": r["registered_at"],
                "name": card.get("name"),
                "intended_purpose": card.get("intended_purpose"),
                "provider_established_in": card.get("provider_established_in"),
                "public_facing": card.get("public_facing"),
                "general_purpose_model": model.get("general_purpose"),
                "base_model": model.get("base_model"),
                "model_licence": model.get("licence"),
                "open_weights": model.get("open_weights"),
            },
        )


def _classification_rows(records: Records) -> Iterator[tuple[str, Row]]:
    for subject, r in records.get("classification", []):
        yield (
            subject,
            {
                "system": r["system"],
                "version": r["version"],
                "rules": r["rules"],
                "on": r["on"],
                "classified_at": r["classified_at"],
            },
        )


def _obligations(records: Records) -> Iterator[tuple[str, Row]]:
    for subject, r in records.get("classification", []):
        eu = dict((r.get("result") or {}).get("eu") or {})
        seen = set()
        for o in eu.get("obligations") or []:
            key = (o.get("item_id"), o.get("role"))
            if key in seen:
                continue
            seen.add(key)
            yield (
                subject,
                {
                    "system": r["system"],
                    "version": r["version"],
                    "item_id": o.get("item_id"),
                    "role": o.get("role"),
                    "title": o.get("title"),
                    "citation": o.get("citation"),
                    "status": o.get("status"),
                    "applies_from": o.get("applies_from"),
                },
            )


def _incident_entities(records: Records) -> Iterator[tuple[str, Row]]:
    for subject, r in records.get("incident", []):
        for role in ("deployers", "developers", "harmed"):
            for entity in sorted(set(r.get(role) or [])):
                yield subject, {"incident": r["id"], "role": role[:-1], "entity": entity}


def _report_incidents(records: Records) -> Iterator[tuple[str, Row]]:
    for subject, r in records.get("incident_report", []):
        for incident in sorted(set(r.get("incident_ids") or [])):
            yield subject, {"report": r["id"], "incident": incident}


def _labels(records: Records) -> Iterator[tuple[str, Row]]:
    for subject, r in records.get("incident_label", []):
        yield subject, {("incident" if k == "incident_id" else k): v for k, v in r.items()}


def _incidents(records: Records) -> Iterator[tuple[str, Row]]:
    fields = [
        "id",
        "kind",
        "title",
        "description",
        "occurred",
        "aware",
        "reported",
        "severity",
        "status",
        "source",
        "created_at",
        "updated_at",
        "merged_into",
    ]
    for subject, r in records.get("incident", []):
        yield subject, {f: r.get(f) for f in fields}


_T = "datetime"
TABLES: tuple[TableSpec, ...] = (
    TableSpec(
        "organisations",
        "Organisations (providers, deployers, regulators, auditors)",
        (_c("id"), _c("name"), _c("kind"), _c("created_at", _T)),
        ("id",),
        _pick("organisation", ("id", "name", "kind", "created_at")),
    ),
    TableSpec(
        "organisation_jurisdictions",
        "Jurisdictions each organisation operates in",
        (_c("organisation"), _c("jurisdiction")),
        ("organisation", "jurisdiction"),
        _each("organisation", "id", "organisation", "jurisdictions", "jurisdiction"),
        foreign_keys=(("organisation", "organisations", "id"),),
    ),
    TableSpec(
        "licences",
        "Licences granted by regulators, with their current state",
        (
            _c("id"),
            _c("issuer"),
            _c("holder"),
            _c("scope"),
            _c("valid_from", "date"),
            _c("valid_until", "date"),
            _c("state"),
            _c("reason", description="the regulator's published reason for the latest decision"),
            _c("granted_at", _T),
            _c("changed_at", _T),
        ),
        ("id",),
        _pick(
            "licence",
            (
                "id",
                "issuer",
                "holder",
                "scope",
                "valid_from",
                "valid_until",
                "state",
                "reason",
                "granted_at",
                "changed_at",
            ),
        ),
        foreign_keys=(("issuer", "organisations", "id"), ("holder", "organisations", "id")),
    ),
    TableSpec(
        "systems",
        "Registered AI systems",
        (_c("id"), _c("name"), _c("provider"), _c("created_at", _T)),
        ("id",),
        _pick("system", ("id", "name", "provider", "created_at")),
        foreign_keys=(("provider", "organisations", "id"),),
    ),
    TableSpec(
        "system_deployers",
        "Deployers of each system",
        (_c("system"), _c("deployer")),
        ("system", "deployer"),
        _each("system", "id", "system", "deployers", "deployer"),
        foreign_keys=(("system", "systems", "id"),),
    ),
    TableSpec(
        "versions",
        "System versions with the main facts of their system card",
        (
            _c("system"),
            _c("version"),
            _c("seq", "integer"),
            _c("stage"),
            _c("card_hash"),
            _c("registered_at", _T),
            _c("name"),
            _c("intended_purpose"),
            _c("provider_established_in"),
            _c("public_facing", "boolean"),
            _c("general_purpose_model", "boolean"),
            _c("base_model"),
            _c("model_licence"),
            _c("open_weights", "boolean"),
        ),
        ("system", "version"),
        _versions,
        foreign_keys=(("system", "systems", "id"),),
    ),
    TableSpec(
        "version_markets",
        "Markets (jurisdictions) of each system version",
        (_c("system"), _c("version"), _c("market")),
        ("system", "version", "market"),
        _links(
            "system_version",
            ("system", "version"),
            "",
            "market",
            source=lambda r: _card(r).get("markets"),
        ),
    ),
    TableSpec(
        "version_domains",
        "Domains of use (sectors) of each system version",
        (_c("system"), _c("version"), _c("domain")),
        ("system", "version", "domain"),
        _links(
            "system_version",
            ("system", "version"),
            "",
            "domain",
            source=lambda r: _card(r).get("domains"),
        ),
    ),
    TableSpec(
        "classifications",
        "Classifications of system versions under gaio's rule-sets",
        (_c("system"), _c("version"), _c("rules"), _c("on", "date"), _c("classified_at", _T)),
        ("system", "version"),
        _classification_rows,
    ),
    TableSpec(
        "classification_tiers",
        "Risk tiers each classification concluded",
        (_c("system"), _c("version"), _c("tier")),
        ("system", "version", "tier"),
        _links("classification", ("system", "version"), "tiers", "tier"),
    ),
    TableSpec(
        "obligations",
        "EU AI Act obligations that follow from each classification",
        (
            _c("system"),
            _c("version"),
            _c("item_id", description="catalog item id (joins catalog_items.id)"),
            _c("role"),
            _c("title"),
            _c("citation"),
            _c("status"),
            _c("applies_from", "date"),
        ),
        ("system", "version", "item_id", "role"),
        _obligations,
    ),
    TableSpec(
        "certificates",
        "Certificates issued by certification bodies, with their current state",
        (
            _c("id", "integer"),
            _c("urn"),
            _c("assessment", "integer"),
            _c("system"),
            _c("version"),
            _c("certification_body"),
            _c("state"),
            _c("valid_from", _T),
            _c("valid_until", _T),
            _c("issued_at", _T),
            _c("changed_at", _T),
        ),
        ("id",),
        lambda recs: (
            (
                s,
                {
                    "id": r["id"],
                    "urn": r["urn"],
                    "assessment": r["assessment_id"],
                    "system": r["system_id"],
                    "version": r["version"],
                    "certification_body": r["certification_body"],
                    "state": r["state"],
                    "valid_from": r["valid_from"],
                    "valid_until": r["valid_until"],
                    "issued_at": r["issued_at"],
                    "changed_at": r["changed_at"],
                },
            )
            for s, r in recs.get("certificate", [])
        ),
        foreign_keys=(("certification_body", "organisations", "id"),),
    ),
    TableSpec(
        "incidents",
        "AI incidents and hazards (public part)",
        (
            _c("id", "integer"),
            _c("kind"),
            _c("title"),
            _c("description"),
            _c("occurred", "date"),
            _c("aware", "date"),
            _c("reported", "date"),
            _c("severity"),
            _c("status"),
            _c("source", description="aiid: imported from the AI Incident Database"),
            _c("created_at", _T),
            _c("updated_at", _T),
            _c("merged_into", "integer"),
        ),
        ("id",),
        _incidents,
        aiid=True,
    ),
    TableSpec(
        "incident_countries",
        "Countries of each incident",
        (_c("incident", "integer"), _c("country")),
        ("incident", "country"),
        _each("incident", "id", "incident", "countries", "country"),
        aiid=True,
        foreign_keys=(("incident", "incidents", "id"),),
    ),
    TableSpec(
        "incident_sectors",
        "Sectors of each incident",
        (_c("incident", "integer"), _c("sector")),
        ("incident", "sector"),
        _each("incident", "id", "incident", "sectors", "sector"),
        aiid=True,
        foreign_keys=(("incident", "incidents", "id"),),
    ),
    TableSpec(
        "incident_systems",
        "Registered systems linked to each incident",
        (_c("incident", "integer"), _c("system")),
        ("incident", "system"),
        _each("incident", "id", "incident", "systems", "system"),
        aiid=True,
        foreign_keys=(("incident", "incidents", "id"),),
    ),
    TableSpec(
        "incident_serious_grounds",
        "Why an incident is serious (EU AI Act Art. 3(49))",
        (_c("incident", "integer"), _c("ground")),
        ("incident", "ground"),
        _each("incident", "id", "incident", "serious", "ground"),
        aiid=True,
        foreign_keys=(("incident", "incidents", "id"),),
    ),
    TableSpec(
        "incident_entities",
        "Deployers, developers and harmed parties of each incident",
        (_c("incident", "integer"), _c("role"), _c("entity", description="joins entities.id")),
        ("incident", "role", "entity"),
        _incident_entities,
        aiid=True,
        foreign_keys=(("incident", "incidents", "id"),),
    ),
    TableSpec(
        "reports",
        "Reports (articles, submissions) telling of incidents",
        (
            _c("id", "integer"),
            _c("title"),
            _c("url"),
            _c("published", "date"),
            _c("source"),
            _c("created_at", _T),
        ),
        ("id",),
        _pick("incident_report", ("id", "title", "url", "published", "source", "created_at")),
        aiid=True,
    ),
    TableSpec(
        "report_incidents",
        "Which incidents each report tells of",
        (_c("report", "integer"), _c("incident", "integer")),
        ("report", "incident"),
        _report_incidents,
        aiid=True,
        foreign_keys=(("report", "reports", "id"),),
    ),
    TableSpec(
        "entities",
        "Organisations and people named in incidents",
        (_c("id"), _c("name"), _c("created_at", _T)),
        ("id",),
        _pick("incident_entity", ("id", "name", "created_at")),
        aiid=True,
    ),
    TableSpec(
        "labels",
        "Taxonomy labels of incidents, with their provenance (who or which model, when, status)",
        (
            _c("id", "integer"),
            _c("incident", "integer"),
            _c("taxonomy"),
            _c("taxonomy_version"),
            _c("field"),
            _c("value"),
            _c("origin", description="person or model"),
            _c("made_by"),
            _c("model_version"),
            _c("made_at", _T),
            _c("confidence", "number"),
            _c("status", description="suggested, accepted or rejected"),
            _c("decided_by"),
        ),
        ("id",),
        _labels,
        aiid=True,
        foreign_keys=(("incident", "incidents", "id"),),
    ),
)


CATALOG_TABLES: tuple[TableSpec, ...] = (
    TableSpec(
        "catalog_items",
        "Requirements and provisions of the governance frameworks in gaio's catalog",
        (
            _c("id"),
            _c("framework"),
            _c("framework_version"),
            _c("local_id"),
            _c("kind"),
            _c("title"),
            _c("citation"),
            _c("role"),
            _c("parent"),
            _c("applies_from", "date"),
        ),
        ("id", "framework_version"),
        lambda recs: iter(()),
    ),
    TableSpec(
        "crosswalk",
        "How requirements of one framework relate to another's",
        (_c("source"), _c("target"), _c("relationship"), _c("rationale"), _c("citation")),
        ("source", "target"),
        lambda recs: iter(()),
    ),
)
"""Tables from the catalog shipped with gaio (not ledger records; rows given by the service)."""


def table(name: str) -> TableSpec:
    for spec in (*TABLES, *CATALOG_TABLES):
        if spec.name == name:
            return spec
    raise KeyError(name)


def schema(spec: TableSpec) -> dict[str, Any]:
    """The table's Frictionless Table Schema."""
    out: dict[str, Any] = {
        "fields": [
            {
                "name": c.name,
                "type": c.type,
                **({"description": c.description} if c.description else {}),
            }
            for c in spec.columns
        ],
        "primaryKey": list(spec.primary_key),
        "missingValues": [""],
    }
    keys = [
        {"fields": [col], "reference": {"resource": ref, "fields": [refcol]}}
        for col, ref, refcol in spec.foreign_keys
    ]
    if keys:
        out["foreignKeys"] = keys
    return out
