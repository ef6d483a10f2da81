"""The item bank: the shipped pack is complete, the validator names each problem in one line,
and prompts/answers map back to the pack's coding."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from gaio.cli.genai import app
from gaio.errors import InvalidInput
from gaio.evaluation.genai.items import (
    MIN_ITEMS_PER_VALUE,
    builtin_pack,
    coverage,
    parse_pack,
    thin_values,
)
from gaio.evaluation.genai.prompts import likert_prompt, parse_choice, parse_likert, scenario_prompt
from gaio.evaluation.genai.values import VALUES


def _raw() -> dict[str, Any]:
    return builtin_pack().model_dump(mode="json")


def test_builtin_pack_covers_every_value_and_form_in_three_languages() -> None:
    pack = builtin_pack()
    assert pack.licence and len(pack.languages) >= 3
    table = coverage(pack)
    for value in VALUES:
        for form in ("A", "B", "S"):
            assert table[value][form] >= MIN_ITEMS_PER_VALUE, (value, form)
    assert thin_values(pack) == []
    assert any(i.reverse_keyed for i in pack.likert("A"))
    for item in pack.likert("B"):
        original = pack.item(item.paraphrase_of or "")
        assert original.value == item.value and original.reverse_keyed == item.reverse_keyed


def _mutate(fn: Any) -> dict[str, Any]:
    data = copy.deepcopy(_raw())
    fn(data)
    return data


@pytest.mark.parametrize(
    ("mutation", "fragment"),
    [
        (lambda d: d.pop("licence"), "no 'licence'"),
        (lambda d: d["items"][0].pop("id"), "items[0] has no 'id'"),
        (lambda d: d["items"][1].update(id=d["items"][0]["id"]), "duplicate item id 'sd-a1'"),
        (lambda d: d["items"][0].update(value="greed"), "unknown value 'greed'"),
        (lambda d: d["items"][0]["text"].pop("fr"), "no text in language 'fr'"),
        (lambda d: d["items"][1].update(paraphrase_of="nope"), "paraphrase_of 'nope'"),
        (
            lambda d: d["items"][-1]["options"].update(B=d["items"][-1]["options"]["A"]),
            "options A and B",
        ),
        (lambda d: d["items"][0].update(colour="red"), "Extra inputs are not permitted"),
    ],
)
def test_malformed_packs_are_refused_in_one_line(mutation: Any, fragment: str) -> None:
    with pytest.raises(InvalidInput) as err:
        parse_pack(_mutate(mutation), "pack.yaml")
    assert fragment in err.value.message
    assert "\n" not in err.value.message and err.value.message.startswith("pack.yaml")


def test_cli_validate_and_list(tmp_path: Path) -> None:
    good = tmp_path / "good.yaml"
    good.write_text(yaml.safe_dump(_raw(), allow_unicode=True), encoding="utf-8")
    result = CliRunner().invoke(app, ["items", "validate", str(good), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["valid"] is True
    bad = tmp_path / "bad.yaml"
    bad.write_text(yaml.safe_dump(_mutate(lambda d: d.pop("licence"))), encoding="utf-8")
    result = CliRunner().invoke(app, ["items", "validate", str(bad)])
    assert isinstance(result.exception, InvalidInput) and result.exception.exit_code == 2
    listed = CliRunner().invoke(app, ["items", "list", "--json", "-l", "es"])
    rows = json.loads(listed.output)["items"]
    assert len(rows) == len(builtin_pack().items) and "persona" in rows[0]["text"]


def test_prompts_carry_the_scale_in_the_presentation_direction() -> None:
    pack = builtin_pack()
    item = pack.item("sd-a1")
    normal = likert_prompt(pack, item, "en", "normal")
    flipped = likert_prompt(pack, item, "en", "reversed")
    assert normal.index("not like me at all") < normal.index("very much like me")
    assert flipped.index("very much like me") < flipped.index("not like me at all")
    sc = pack.item("sc-01")
    assert "Come up with" in scenario_prompt(pack, sc, "en", False).split("\nB:")[0]
    assert "Come up with" in scenario_prompt(pack, sc, "en", True).split("\nB:")[1]


@pytest.mark.parametrize(
    ("answer", "status", "value"),
    [
        ("5", "ok", 5),
        ("I would say 4.", "ok", 4),
        ("2 - not much like me", "ok", 2),
        ("As an AI, I do not have personal values.", "refusal", None),
        ("", "unparseable", None),
        ("somewhere between 2 and 5", "unparseable", None),
        ("9", "unparseable", None),
        ("3.5", "unparseable", None),
    ],
)
def test_parse_likert(answer: str, status: str, value: int | None) -> None:
    parsed = parse_likert(answer, builtin_pack(), "normal")
    assert (parsed.status, parsed.value) == (status, value)


@given(st.integers(1, 6))
def test_reversed_scale_maps_back(raw: int) -> None:
    parsed = parse_likert(str(raw), builtin_pack(), "reversed")
    assert parsed.value == 7 - raw


def test_parse_choice_maps_swapped_options_back() -> None:
    assert parse_choice("A", swapped=False).choice == "A"
    assert parse_choice("Option B.", swapped=True).choice == "A"
    assert parse_choice("I cannot choose.", swapped=False).status == "refusal"
    assert parse_choice("Both have merit", swapped=False).status == "unparseable"
