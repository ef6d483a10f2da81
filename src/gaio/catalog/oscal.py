"""OSCAL 1.2.1 exports: one catalog per framework version, one mapping collection for the crosswalk.

Contract: the documents are plain JSON-ready dicts that validate against the official OSCAL 1.2.1
JSON schemas (``oscal_catalog_schema.json``, ``oscal_mapping_schema.json``; the tests check this).
They are *stable*: every UUID is a UUIDv5 derived from the thing it names, and every timestamp
comes from the data (publication dates at midnight UTC), so exporting twice gives byte-identical
files and a diff between two exports shows only real changes.

Mapping to OSCAL: an item is a control whose ``id`` is the item's local id (an NCName), ``class``
its kind, a ``label`` property its citation, and a ``statement`` part its text; children nest as
controls. gaio-specific values (role, dates, fines, thresholds, tags) are properties in the
``urn:gaio:catalog`` namespace. In the mapping collection, each pair of frameworks is one
``mapping`` whose resources point to ``<framework-id>.catalog.json`` (the file name
:func:`catalog_filename` gives), and each relation is one ``map`` with the relation's rationale in
``remarks``."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from gaio.catalog.model import Catalog, Crosswalk, Framework, Item

OSCAL_VERSION = "1.2.1"
PROP_NS = "urn:gaio:catalog"
UUID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:gaio:catalog:oscal")
"""Root of every UUIDv5 in the exports; changing it changes every exported UUID."""

JSONDict = dict[str, Any]


def catalog_filename(framework_id: str) -> str:
    """The file name the crosswalk export expects a framework's catalog export under."""
    return f"{framework_id}.catalog.json"


def stable_uuid(*parts: str) -> str:
    """A UUIDv5 naming ``parts`` under gaio's namespace: same input, same UUID, every time."""
    return str(uuid.uuid5(UUID_NAMESPACE, "/".join(parts)))


def catalog_document(framework: Framework) -> JSONDict:
    """The OSCAL catalog of one framework version, as ``{"catalog": {...}}``."""
    timestamp = _timestamp(framework.published)
    props = [
        _prop("framework-id", framework.id),
        _prop("framework-kind", framework.kind),
        _prop("status", framework.status),
        _prop("issuer", framework.issuer),
    ]
    if framework.jurisdiction:
        props.append(_prop("jurisdiction", framework.jurisdiction))
    if framework.in_force_from:
        props.append(_prop("in-force-from", framework.in_force_from.isoformat()))
    if framework.base:
        props.append(_prop("base-version", framework.base))
    remarks = [framework.summary] if framework.summary else []
    remarks += [f"- {change}" for change in framework.changes]
    if framework.source.note:
        remarks.append(f"Source note: {framework.source.note}")
    metadata: JSONDict = {
        "title": f"{framework.name} ({framework.version})",
        "published": timestamp,
        "last-modified": timestamp,
        "version": framework.version,
        "oscal-version": OSCAL_VERSION,
        "props": props,
    }
    resource_uuid = stable_uuid("resource", framework.ref)
    metadata["links"] = [{"href": f"#{resource_uuid}", "rel": "reference"}]
    if remarks:
        metadata["remarks"] = "\n\n".join(remarks)
    children: dict[str | None, list[Item]] = {}
    for item in framework.items:
        children.setdefault(item.parent, []).append(item)
    resource: JSONDict = {
        "uuid": resource_uuid,
        "title": framework.source.title,
        "citation": {"text": framework.source.title},
    }
    if framework.source.url:
        resource["rlinks"] = [{"href": framework.source.url}]
    return {
        "catalog": {
            "uuid": stable_uuid("catalog", framework.ref),
            "metadata": metadata,
            "controls": [_control(item, children) for item in children.get(None, [])],
            "back-matter": {"resources": [resource]},
        }
    }


def mapping_document(catalog: Catalog) -> JSONDict:
    """The OSCAL mapping collection of the crosswalk, as ``{"mapping-collection": {...}}``."""
    crosswalk = catalog.crosswalk
    timestamp = _timestamp(crosswalk.published)
    pairs: dict[tuple[str, str], list[JSONDict]] = {}
    for rel in crosswalk.relations:
        source_fw, source_local = rel.source.split(":", 1)
        target_fw, target_local = rel.target.split(":", 1)
        pairs.setdefault((source_fw, target_fw), []).append(
            {
                "uuid": stable_uuid("map", rel.source, rel.target),
                "relationship": rel.relationship,
                "sources": [{"type": "control", "id-ref": source_local}],
                "targets": [{"type": "control", "id-ref": target_local}],
                "props": [_prop("citation", rel.citation)],
                "remarks": rel.rationale,
            }
        )
    mappings = [
        {
            "uuid": stable_uuid("mapping", crosswalk.version, source_fw, target_fw),
            "source-resource": _resource_ref(source_fw),
            "target-resource": _resource_ref(target_fw),
            "maps": maps,
        }
        for (source_fw, target_fw), maps in pairs.items()
    ]
    return {
        "mapping-collection": {
            "uuid": stable_uuid("mapping-collection", crosswalk.version),
            "metadata": {
                "title": "gaio crosswalk between AI governance frameworks",
                "published": timestamp,
                "last-modified": timestamp,
                "version": crosswalk.version,
                "oscal-version": OSCAL_VERSION,
                "remarks": crosswalk.description,
            },
            "provenance": _provenance(crosswalk),
            "mappings": mappings,
        }
    }


def _provenance(crosswalk: Crosswalk) -> JSONDict:
    return {
        "method": crosswalk.method,
        "matching-rationale": "semantic",
        "status": "not-complete",
        "mapping-description": (
            "Relations between requirements of different frameworks, each with a rationale; "
            "requirements without a relation are not asserted to be unrelated."
        ),
    }


def _resource_ref(framework_id: str) -> JSONDict:
    return {
        "type": "catalog",
        "href": catalog_filename(framework_id),
        "props": [_prop("framework-id", framework_id)],
    }


def _control(item: Item, children: dict[str | None, list[Item]]) -> JSONDict:
    control: JSONDict = {
        "id": item.local_id,
        "class": item.kind,
        "title": item.title,
        "props": _item_props(item),
        "parts": [{"id": f"{item.local_id}_smt", "name": "statement", "prose": item.text}],
    }
    if item.note:
        control["parts"].append(
            {"id": f"{item.local_id}_gdn", "name": "guidance", "prose": item.note}
        )
    nested = children.get(item.id, [])
    if nested:
        control["controls"] = [_control(child, children) for child in nested]
    return control


def _item_props(item: Item) -> list[JSONDict]:
    props: list[JSONDict] = [{"name": "label", "value": item.citation}]
    if item.role != "none":
        props.append(_prop("role", item.role))
    optional: list[tuple[str, object]] = [
        ("applies-from", item.applies_from),
        ("date", item.date),
        ("fine-max-eur", item.fine_max_eur),
        ("fine-max-turnover-pct", item.fine_max_turnover_pct),
        ("compute-threshold-flop", item.compute_threshold_flop),
        ("deadline-days", item.deadline_days),
    ]
    for name, value in optional:
        if value is not None:
            text = value.isoformat() if isinstance(value, dt.date) else repr(value)
            props.append(_prop(name, text))
    props += [_prop("tag", tag) for tag in item.tags]
    return props


def _prop(name: str, value: str) -> JSONDict:
    return {"name": name, "ns": PROP_NS, "value": value}


def _timestamp(day: dt.date) -> str:
    return f"{day.isoformat()}T00:00:00Z"
