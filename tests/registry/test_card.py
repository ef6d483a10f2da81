"""The system card: validation, unknown-vs-false, hashing, Hugging Face cards, schema drift."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gaio.errors import InvalidInput
from gaio.registry.card import card_schema, load_card, parse_card
from tests.factories import card

ROOT = Path(__file__).resolve().parents[2]


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_valid_yaml_card_loads(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "c.yaml",
        "id: acme-bot\nname: Bot\nsystem_version: 1.0.0\nprovider: acme\n"
        "intended_purpose: Answers questions.\ninteracts_with_people: true\nmarkets: [eu, de]\n",
    )
    c = load_card(path)
    assert c.id == "acme-bot"
    assert c.markets == ["EU", "DE"]
    assert c.interacts_with_people is True


def test_unknown_is_not_false() -> None:
    unknown = card(profiling=None)
    declared = card(profiling=False)
    assert "profiling" in unknown.unknown_facts()
    assert "profiling" not in declared.unknown_facts()
    assert unknown.content_hash() != declared.content_hash()


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("id: a-b\nname: x\n: : :\n", "malformed YAML at line"),
        ("- just\n- a list\n", "expected a mapping"),
    ],
)
def test_malformed_yaml_names_file_and_line(tmp_path: Path, text: str, fragment: str) -> None:
    path = write(tmp_path, "bad.yaml", text)
    with pytest.raises(InvalidInput) as err:
        load_card(path)
    assert str(path) in err.value.message
    assert fragment in err.value.message


def test_unknown_field_names_path(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput) as err:
        parse_card(card().model_dump(mode="json") | {"colour": "red"}, "c.yaml")
    assert err.value.message.startswith("c.yaml: colour: unknown field")


def test_nested_unknown_field_names_path() -> None:
    data = card().model_dump(mode="json") | {"model": {"general_purpose": True, "flops": 1}}
    with pytest.raises(InvalidInput) as err:
        parse_card(data, "c.yaml")
    assert "model.flops" in err.value.message


def test_wrong_type_quotes_value() -> None:
    data = card().model_dump(mode="json") | {"profiling": "sometimes"}
    with pytest.raises(InvalidInput) as err:
        parse_card(data, "c.yaml")
    assert "profiling" in err.value.message and "'sometimes'" in err.value.message


def test_unknown_domain_suggests_closest() -> None:
    data = card().model_dump(mode="json") | {"domains": ["employment-recruitmnt"]}
    with pytest.raises(InvalidInput) as err:
        parse_card(data, "c.yaml")
    msg = err.value.message
    assert "domains[0]" in msg and "employment-recruitment" in msg
    assert len(msg) < 300


def test_bad_jurisdiction_and_missing_field() -> None:
    with pytest.raises(InvalidInput) as err:
        parse_card(card().model_dump(mode="json") | {"markets": ["XX"]}, "c")
    assert "markets[0]" in err.value.message and "ISO 3166" in err.value.message
    data = card().model_dump(mode="json")
    del data["intended_purpose"]
    with pytest.raises(InvalidInput) as err:
        parse_card(data, "c")
    assert "intended_purpose" in err.value.message and "required" in err.value.message.lower()


def test_json_card_and_unknown_suffix(tmp_path: Path) -> None:
    path = write(tmp_path, "c.json", json.dumps(card().model_dump(mode="json")))
    assert load_card(path) == card()
    with pytest.raises(InvalidInput, match="unknown card format"):
        load_card(write(tmp_path, "c.txt", "x"))
    with pytest.raises(InvalidInput, match="no such file"):
        load_card(tmp_path / "missing.yaml")


def test_hugging_face_model_card(tmp_path: Path) -> None:
    text = (
        "---\nlicense: apache-2.0\nbase_model: mistralai/Mistral-7B-v0.1\nlanguage: [en]\n"
        "gaio:\n  id: acme-chat\n  system_version: 1.0.0\n  provider: acme\n"
        "  intended_purpose: A chat assistant.\n  interacts_with_people: true\n"
        "  model:\n    general_purpose: true\n    training_compute_flop: 2.0e+23\n"
        "---\n\n# ACME Chat\n\nSome prose.\n"
    )
    c = load_card(write(tmp_path, "README.md", text))
    assert c.name == "ACME Chat"
    assert c.model is not None
    assert c.model.licence == "apache-2.0"
    assert c.model.base_model == "mistralai/Mistral-7B-v0.1"
    assert c.model.training_compute_flop == 2.0e23
    assert c.subject == "model"  # no use declared: a model card is decided as a model


def test_hugging_face_card_carries_version_2_facts(tmp_path: Path) -> None:
    text = (
        "---\nlicense: mit\n"
        "gaio:\n  id: acme-screen\n  version: 2\n  system_version: 1.0.0\n  provider: acme\n"
        "  intended_purpose: Screens applicants.\n  domains: [employment-recruitment]\n"
        "  placed_on_market: 2026-03-01\n  subnational_markets: [US-NY-NYC]\n"
        "  content_published_by: []\n"
        "  derogation:\n    assessment:\n      condition: d\n      assessed_by: compliance\n"
        "      assessed_on: 2026-02-01\n      document_sha256: sha256:" + "0" * 64 + "\n"
        "  model:\n    third_party: {provider: Example Labs, model: example-large, via_api: true}\n"
        "---\n\n# ACME Screen\n"
    )
    c = load_card(write(tmp_path, "README.md", text))
    assert c.subject is None and c.version == 2
    assert c.placed_on_market is not None and c.placed_on_market.isoformat() == "2026-03-01"
    assert c.derogation is not None and c.derogation.assessment is not None
    assert c.model is not None and c.model.third_party is not None
    assert c.model.licence == "mit"


def test_version_1_cards_still_load_and_hash_unchanged() -> None:
    v1 = card().model_dump(mode="json", exclude_none=True)
    v1["version"] = 1
    loaded = parse_card(v1)
    assert loaded.version == 1
    assert loaded.content_hash() == parse_card(v1).content_hash()
    with pytest.raises(InvalidInput, match="version"):
        parse_card({**v1, "version": 3})


def test_bad_derogation_record_is_one_clear_line() -> None:
    data = card().model_dump(mode="json", exclude_none=True)
    data["derogation"] = {
        "assessment": {
            "condition": "e",
            "assessed_by": "x",
            "assessed_on": "2026-01-01",
            "document_sha256": "sha256:abc",
        }
    }
    with pytest.raises(InvalidInput, match=r"derogation\.assessment\.condition"):
        parse_card(data)


def test_hugging_face_card_needs_front_matter(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="front matter"):
        load_card(write(tmp_path, "README.md", "# no front matter\n"))


def test_is_frontier_boundaries() -> None:
    def gp(flop: float, general: bool = True) -> bool:
        return card(model={"general_purpose": general, "training_compute_flop": flop}).is_frontier

    assert not gp(1e25)
    assert gp(1.0000001e25)
    assert not gp(5e25, general=False)
    assert card(model={"frontier_capabilities": ["cyber-offence"]}).is_frontier
    assert not card().is_frontier


@given(st.sampled_from(["profiling", "public_facing", "interacts_with_people", "description"]))
def test_explicit_null_hashes_like_absent(field: str) -> None:
    data = card().model_dump(mode="json", exclude_none=True)
    data.pop(field, None)
    assert parse_card(data).content_hash() == parse_card(data | {field: None}).content_hash()


@given(st.text(min_size=1, max_size=50).filter(lambda s: s.strip() == s and s))
def test_any_change_changes_hash(purpose: str) -> None:
    base = card()
    changed = card(intended_purpose=purpose)
    assert (base.content_hash() == changed.content_hash()) == (purpose == base.intended_purpose)


def test_committed_schema_matches_model() -> None:
    committed = json.loads((ROOT / "schemas" / "system-card.schema.json").read_text("utf-8"))
    assert committed == card_schema(), (
        "schemas/system-card.schema.json drifted: run 'python -m scripts.schemas'"
    )


def test_schema_validates_cards_with_jsonschema() -> None:
    import jsonschema

    jsonschema.validate(card().model_dump(mode="json", exclude_none=True), card_schema())
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"id": "x"}, card_schema())
