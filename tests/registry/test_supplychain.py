"""Supply chain: lineage with duties and upstream flags; CycloneDX 1.6 ML-BOM export and import."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from gaio.actors import Actor, Role
from gaio.errors import InvalidInput, NotFound
from gaio.registry import mlbom
from gaio.services.context import Gaio
from gaio.services.incidents import intake
from gaio.services.registry import deployers, licences, organisations, supplychain
from gaio.services.registry.systems import register_system
from tests.conftest import ADMIN, OTHER_PROVIDER, PROVIDER, PUBLIC, REGULATOR, reference_data
from tests.factories import card, frontier_licence, world

SCHEMAS = reference_data() / "cyclonedx"


def _validator() -> Any:
    from jsonschema import Draft7Validator
    from referencing import Registry, Resource

    docs = [json.loads(p.read_text()) for p in SCHEMAS.glob("*.schema.json")]
    registry: Registry[Any] = Registry().with_resources(
        (d["$id"], Resource.from_contents(d)) for d in docs
    )
    bom = next(d for d in docs if d["$id"].endswith("bom-1.6.schema.json"))
    return Draft7Validator(bom, registry=registry)


def _chain(g: Gaio) -> str:
    """acme's general-purpose model, globex's system on it, deployed by initech."""
    world(g)
    organisations.add_organisation(
        g, ADMIN, {"id": "initech", "name": "Initech", "kind": "deployer", "jurisdictions": ["US"]}
    )
    lic = frontier_licence(g)
    register_system(
        g,
        PROVIDER,
        card(
            id="acme-gpm",
            name="ACME GPM",
            system_version="1.0.0",
            intended_purpose="A general-purpose language model.",
            domains=["general-purpose"],
            profiling=None,
            model={"general_purpose": True, "licence": "Apache-2.0", "modality": ["text"]},
        ),
    )
    register_system(
        g,
        OTHER_PROVIDER,
        card(
            id="globex-helpdesk",
            name="Globex Helpdesk",
            provider="globex",
            deployers=["initech"],
            system_version="1.0.0",
            intended_purpose="Answers customer questions.",
            domains=None,
            profiling=None,
            model={"base_model": "acme-gpm@1.0.0"},
        ),
    )
    initech = Actor(name="ivy", role=Role.DEPLOYER, organisation="initech")
    deployers.decide(g, initech, "globex-helpdesk", accept=True)
    return lic


def test_lineage_duties_and_flags_from_upstream(g: Gaio) -> None:
    lic = _chain(g)
    found = supplychain.lineage(g, PUBLIC, "globex-helpdesk")
    assert [u.system for u in found.upstream] == ["acme-gpm"] and found.upstream[
        0
    ].pinned == "1.0.0"
    assert found.deployers == ["initech"]
    assert any("Art. 53(1)(b)" in d and d.startswith("acme") for d in found.duties)
    assert any("Art. 25" in d for d in found.duties)
    assert found.flags == []
    down = supplychain.lineage(g, PUBLIC, "acme-gpm")
    assert [d.system for d in down.downstream] == ["globex-helpdesk"]
    assert down.deployers == ["initech"]

    register_system(
        g,
        PROVIDER,
        card(
            id="acme-gpm",
            name="ACME GPM",
            system_version="1.1.0",
            intended_purpose="A general-purpose language model.",
            domains=["general-purpose"],
            profiling=None,
            model={"general_purpose": True},
        ),
    )
    licences.change_licence(g, REGULATOR, lic, "suspend", "investigation")
    intake.report_incident(
        g,
        PROVIDER,
        {
            "title": "Model leaked data",
            "aware": "2026-03-01",
            "systems": ["acme-gpm"],
            "serious": ["fundamental-rights"],
        },
        check_duplicates=False,
    )
    kinds = {f.kind for f in supplychain.lineage(g, PUBLIC, "globex-helpdesk").flags}
    assert kinds == {"new-version", "licence-suspended", "serious-incident"}
    assert set(supplychain.flagged(g, PUBLIC)) == {"globex-helpdesk"}
    with pytest.raises(NotFound):
        supplychain.lineage(g, PUBLIC, "nope")


def test_mlbom_validates_against_cyclonedx_1_6_and_round_trips(g: Gaio) -> None:
    _chain(g)
    validator = _validator()
    for system in ("acme-gpm", "globex-helpdesk"):
        bom = supplychain.export_mlbom(g, PUBLIC, system)
        errors = sorted(validator.iter_errors(bom), key=str)
        assert not errors, errors[0].message
    bom = supplychain.export_mlbom(g, PUBLIC, "globex-helpdesk", "1.0.0")
    types = [c["type"] for c in bom["components"]]
    assert types == ["machine-learning-model", "machine-learning-model"]
    assert bom["metadata"]["component"]["hashes"][0]["alg"] == "SHA-256"
    back = supplychain.card_from_mlbom(PUBLIC, json.dumps(bom), "bom.json", "globex")
    assert back.id == "globex-helpdesk" and back.model is not None
    assert back.model.base_model == "acme-gpm@1.0.0"
    gpm = supplychain.export_mlbom(g, PUBLIC, "acme-gpm")
    assert gpm["components"][0]["licenses"] == [{"license": {"name": "Apache-2.0"}}]
    # the schema itself rejects what gaio must never write
    assert list(validator.iter_errors({**gpm, "specVersion": 1.6}))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("not json", "bom.json"),
        ("[]", "document: expected a JSON object"),
        ('{"bomFormat": "SPDX"}', 'bomFormat: expected "CycloneDX"'),
        ('{"bomFormat": "CycloneDX", "specVersion": "1.2"}', "specVersion: expected 1.5 or 1.6"),
        (
            '{"bomFormat": "CycloneDX", "specVersion": "1.6", "components": [{"type": "library"}]}',
            "a component of type machine-learning-model",
        ),
        (
            '{"bomFormat": "CycloneDX", "specVersion": "1.6", '
            '"components": [{"type": "machine-learning-model", "name": "m"}]}',
            "an intended use",
        ),
        ('{"bomFormat": "CycloneDX", "specVersion": "1.6", "components": 5}', "components"),
    ],
)
def test_malformed_mlboms_get_one_clear_line(text: str, message: str) -> None:
    with pytest.raises(InvalidInput, match=message.replace("(", r"\(")):
        supplychain.card_from_mlbom(PUBLIC, text, "bom.json", "acme")


def test_cli(g: Gaio, cli: Any, tmp_path: Path) -> None:
    _chain(g)
    r = cli("system", "lineage", "globex-helpdesk")
    assert r.code == 0 and "built on acme-gpm" in r.out and "no flags" in r.out
    out = tmp_path / "bom.json"
    assert cli("system", "mlbom", "globex-helpdesk@1.0.0", "-o", str(out)).code == 0
    r = cli("system", "mlbom-import", str(out), "--provider", "globex")
    assert r.code == 0 and json.loads(r.out)["id"] == "globex-helpdesk"
    bad = tmp_path / "bad.json"
    bad.write_text('{"bomFormat": "CycloneDX", "specVersion": "9"}')
    r = cli("system", "mlbom-import", str(bad), "--provider", "globex")
    assert r.code == 2 and "specVersion" in r.err and "Traceback" not in r.err


def test_export_names_an_unregistered_base_model(g: Gaio) -> None:
    world(g)
    register_system(g, PROVIDER, card(model={"base_model": "llama-3-8b"}))
    bom = supplychain.export_mlbom(g, PUBLIC, "acme-cv-ranker")
    assert bom["components"][1]["name"] == "llama-3-8b"
    assert not list(_validator().iter_errors(bom))
    assert mlbom.card_from_bom(bom, "acme")["model"]["base_model"] == "llama-3-8b"


def test_spdx3_ai_profile_import() -> None:
    doc = {
        "@context": "https://spdx.org/rdf/3.0.1/spdx-context.jsonld",
        "@graph": [
            {"type": "CreationInfo", "@id": "_:creationinfo", "specVersion": "3.0.1"},
            {
                "type": "ai_AIPackage",
                "spdxId": "https://example.org/spdx/ai-1",
                "name": "Triage Helper",
                "software_packageVersion": "2.1.0",
                "ai_informationAboutApplication": "Suggests a triage level to nurses.",
                "ai_domain": ["healthcare"],
            },
        ],
    }
    got = supplychain.card_from_mlbom(PUBLIC, json.dumps(doc), "ai.spdx.json", "acme")
    assert (got.id, got.system_version) == ("triage-helper", "2.1.0")
    assert got.intended_purpose == "Suggests a triage level to nurses."
    doc["@graph"] = [{"type": "software_Package", "name": "x"}]
    with pytest.raises(InvalidInput, match="ai_AIPackage"):
        supplychain.card_from_mlbom(PUBLIC, json.dumps(doc), "ai.spdx.json", "acme")
