"""CycloneDX 1.6 ML-BOMs: a system version as a bill of materials of its models, and an ML-BOM
read back into a system card draft.

Export: the system (an ``application``) is the BOM's subject, with its card's SHA-256 as its
hash; its model is a ``machine-learning-model`` component with the card's model facts as a
model card (task, approach, use cases, users, limitations) and its licence; a declared base
model is a component of its own, named in the model's pedigree and in the dependency graph.
Import: the first machine-learning model of a BOM becomes a card draft (the provider is given
by whoever imports it, since a BOM's supplier is a name, not a registry id). A malformed BOM is
an :class:`InvalidInput` naming where, never a crash.
"""

from __future__ import annotations

import re
import uuid
from typing import Any

from gaio.errors import InvalidInput

SPEC_VERSION = "1.6"
READABLE = ("1.5", "1.6")
_NAMESPACE = uuid.UUID("6f1c1f3e-6d5a-4e0c-9a53-0a1d7e4b2c11")


def _ref(kind: str, system: str, version: str) -> str:
    return f"{kind}:{system}@{version}"


def export_bom(
    card: dict[str, Any],
    *,
    card_hash: str,
    registered_at: str,
    provider_name: str,
    base: dict[str, str] | None,
    tool_version: str,
) -> dict[str, Any]:
    """The ML-BOM of one system version. ``base``: the base model as {id, name, version,
    provider} when the card names one (``version`` may be empty for an external model)."""
    system, version = card["id"], card["system_version"]
    model = dict(card.get("model") or {})
    app_ref, model_ref = _ref("system", system, version), _ref("model", system, version)
    digest = card_hash.split(":", 1)[-1]
    model_card: dict[str, Any] = {
        "modelParameters": {},
        "considerations": {"useCases": [card["intended_purpose"]]},
    }
    if model.get("modality"):
        model_card["modelParameters"]["inputs"] = [{"format": m} for m in model["modality"]]
    if model.get("general_purpose"):
        model_card["modelParameters"]["task"] = "general-purpose"
    if card.get("affected_persons"):
        model_card["considerations"]["users"] = list(card["affected_persons"])
    properties = [
        {"name": f"gaio:model:{k}", "value": str(v)}
        for k, v in sorted(model.items())
        if k not in ("licence", "base_model", "modality") and v is not None
    ]
    model_component: dict[str, Any] = {
        "type": "machine-learning-model",
        "bom-ref": model_ref,
        "name": card["name"],
        "version": version,
        "supplier": {"name": provider_name},
        "modelCard": model_card,
    }
    if model.get("licence"):
        model_component["licenses"] = [{"license": {"name": model["licence"]}}]
    if properties:
        model_component["properties"] = properties
    components = [model_component]
    dependencies = [
        {"ref": app_ref, "dependsOn": [model_ref]},
    ]
    if base is not None:
        base_ref = f"model:{base['id']}" + (f"@{base['version']}" if base.get("version") else "")
        base_component: dict[str, Any] = {
            "type": "machine-learning-model",
            "bom-ref": base_ref,
            "name": base["name"],
        }
        if base.get("version"):
            base_component["version"] = base["version"]
        if base.get("provider"):
            base_component["supplier"] = {"name": base["provider"]}
        model_component["pedigree"] = {"ancestors": [dict(base_component)]}
        model_component["pedigree"]["ancestors"][0]["bom-ref"] = base_ref + "#ancestor"
        components.append(base_component)
        dependencies.append({"ref": model_ref, "dependsOn": [base_ref]})
        dependencies.append({"ref": base_ref, "dependsOn": []})
    else:
        dependencies.append({"ref": model_ref, "dependsOn": []})
    return {
        "bomFormat": "CycloneDX",
        "specVersion": SPEC_VERSION,
        "serialNumber": f"urn:uuid:{uuid.uuid5(_NAMESPACE, card_hash)}",
        "version": 1,
        "metadata": {
            "timestamp": registered_at,
            "tools": {
                "components": [{"type": "application", "name": "gaio", "version": tool_version}]
            },
            "component": {
                "type": "application",
                "bom-ref": app_ref,
                "name": card["name"],
                "version": version,
                "description": card["intended_purpose"],
                "supplier": {"name": provider_name},
                "hashes": [{"alg": "SHA-256", "content": digest}],
                "properties": [{"name": "gaio:system", "value": system}],
            },
        },
        "components": components,
        "dependencies": dependencies,
    }


def _need(cond: bool, where: str, expected: str, got: Any) -> None:
    if not cond:
        shown = repr(got)[:80]
        raise InvalidInput(f"ML-BOM: {where}: expected {expected} (got {shown})")


def _slug(text: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug[:64] or "imported-model"


def card_from_bom(bom: Any, provider: str) -> dict[str, Any]:
    """A card draft (a mapping for :func:`gaio.registry.card.parse_card`) from an ML-BOM."""
    _need(isinstance(bom, dict), "document", "a JSON object", type(bom).__name__)
    _need(bom.get("bomFormat") == "CycloneDX", "bomFormat", '"CycloneDX"', bom.get("bomFormat"))
    spec = bom.get("specVersion")
    _need(spec in READABLE, "specVersion", " or ".join(READABLE), spec)
    metadata = bom.get("metadata") or {}
    _need(isinstance(metadata, dict), "metadata", "an object", metadata)
    listed = bom.get("components") or []
    _need(isinstance(listed, list), "components", "a list", listed)
    candidates = [("metadata.component", metadata.get("component"))] + [
        (f"components[{i}]", c) for i, c in enumerate(listed)
    ]
    found = None
    for where, comp in candidates:
        if comp is None:
            continue
        _need(isinstance(comp, dict), where, "an object", comp)
        if comp.get("type") == "machine-learning-model":
            found = (where, comp)
            break
    _need(found is not None, "components", "a component of type machine-learning-model", None)
    assert found is not None
    where, comp = found
    name = comp.get("name")
    _need(isinstance(name, str) and bool(name.strip()), f"{where}.name", "a name", name)
    version = comp.get("version") or "1.0.0"
    _need(isinstance(version, str), f"{where}.version", "text", version)
    model_card = comp.get("modelCard") or {}
    _need(isinstance(model_card, dict), f"{where}.modelCard", "an object", model_card)
    considerations = model_card.get("considerations") or {}
    uses = considerations.get("useCases") or []
    purpose = (uses[0] if uses and isinstance(uses[0], str) else None) or comp.get("description")
    _need(
        isinstance(purpose, str) and bool(purpose.strip()),
        f"{where}.modelCard.considerations.useCases",
        "an intended use (or a description)",
        purpose,
    )
    model: dict[str, Any] = {}
    licences = comp.get("licenses") or []
    if licences and isinstance(licences[0], dict):
        lic = licences[0].get("license") or {}
        model["licence"] = lic.get("id") or lic.get("name") or licences[0].get("expression")
    ancestors = ((comp.get("pedigree") or {}).get("ancestors")) or []
    if ancestors and isinstance(ancestors[0], dict) and ancestors[0].get("name"):
        ref = str(ancestors[0].get("bom-ref") or "")
        base = ref[len("model:") :].split("#")[0].split("@")[0] if ref.startswith("model:") else ""
        base = base or str(ancestors[0]["name"])
        model["base_model"] = base + (
            f"@{ancestors[0]['version']}" if ancestors[0].get("version") else ""
        )
    if (model_card.get("modelParameters") or {}).get("task") == "general-purpose":
        model["general_purpose"] = True
    ref = str(comp.get("bom-ref") or "")
    card: dict[str, Any] = {
        "id": ref[len("model:") :].split("@")[0] if ref.startswith("model:") else _slug(name),
        "name": name.strip()[:200],
        "system_version": version,
        "provider": provider,
        "intended_purpose": purpose.strip(),
    }
    if model:
        card["model"] = {k: v for k, v in model.items() if v is not None}
    return card


def card_from_spdx3(doc: Any, provider: str) -> dict[str, Any]:
    """A card draft from the first ``ai_AIPackage`` of an SPDX 3 JSON-LD document (AI profile):
    name, ``software_packageVersion``, and the intended use from
    ``ai_informationAboutApplication`` (else ``description`` or ``summary``)."""
    _need(isinstance(doc, dict), "document", "a JSON object", type(doc).__name__)
    graph = doc.get("@graph")
    _need(isinstance(graph, list), "@graph", "a list of SPDX 3 elements", graph)
    found = next(
        (
            (i, e)
            for i, e in enumerate(graph)
            if isinstance(e, dict) and e.get("type") in ("ai_AIPackage", "AIPackage")
        ),
        None,
    )
    _need(found is not None, "@graph", "an element of type ai_AIPackage", None)
    assert found is not None
    i, pkg = found
    where = f"@graph[{i}]"
    name = pkg.get("name")
    _need(isinstance(name, str) and bool(name.strip()), f"{where}.name", "a name", name)
    purpose = next(
        (
            pkg[k]
            for k in ("ai_informationAboutApplication", "description", "summary")
            if isinstance(pkg.get(k), str) and pkg[k].strip()
        ),
        None,
    )
    _need(purpose is not None, f"{where}.ai_informationAboutApplication", "an intended use", None)
    assert purpose is not None
    version = pkg.get("software_packageVersion") or "1.0.0"
    _need(isinstance(version, str), f"{where}.software_packageVersion", "text", version)
    assert isinstance(name, str)
    card: dict[str, Any] = {
        "id": _slug(name),
        "name": name.strip()[:200],
        "system_version": version,
        "provider": provider,
        "intended_purpose": purpose.strip(),
    }
    if pkg.get("ai_domain") and isinstance(pkg["ai_domain"], list):
        card["description"] = "SPDX AI domain: " + ", ".join(str(d) for d in pkg["ai_domain"])[:500]
    return card


def card_from_document(doc: Any, provider: str) -> dict[str, Any]:
    """A CycloneDX ML-BOM or an SPDX 3 AI-profile document, told apart by their shape."""
    if isinstance(doc, dict) and "@graph" in doc:
        return card_from_spdx3(doc, provider)
    return card_from_bom(doc, provider)
