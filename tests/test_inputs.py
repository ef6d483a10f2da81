"""Bounded reading of user files (issue 14, item 6): size, nesting, alias bombs, duplicate keys.

Each case is a file a stranger would try first; before, the deep ones ended in a
RecursionError traceback, the alias bomb expanded to ~100 MB, and duplicates passed silently.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gaio.errors import InvalidInput
from gaio.inputs import MAX_BYTES, MAX_DEPTH, load_json, load_yaml, read_text


def test_a_file_larger_than_the_limit_is_refused_before_it_is_read(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    with big.open("wb") as fh:
        fh.seek(MAX_BYTES + 10)
        fh.write(b"\n")
    with pytest.raises(InvalidInput, match="larger than"):
        read_text(big, "card")


@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 1000, 100_000])
def test_deep_json_is_refused_with_its_line(depth: int) -> None:
    text = "[" * depth + "]" * depth
    with pytest.raises(InvalidInput, match=f"nested deeper than {MAX_DEPTH}"):
        load_json(text, "doc.json")


@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 600, 1500])
def test_deep_yaml_is_refused_not_a_recursion_error(depth: int) -> None:
    text = "a:\n" + "".join(" " * (i + 1) + f"b{i}:\n" for i in range(depth)) + " " * depth + "c"
    with pytest.raises(InvalidInput, match=r"nested deeper than \d+ levels"):
        load_yaml(text, "card.yaml")
    flow = "[" * (depth * 40) + "]" * (depth * 40)
    with pytest.raises(InvalidInput, match=r"nested deeper than \d+ levels"):
        load_yaml(flow, "card.yaml")


def test_a_billion_laughs_is_refused() -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 9):
        prev, name = chr(ord("a") + i - 1), chr(ord("a") + i)
        lines.append(f"{name}: &{name} [" + ",".join(f"*{prev}" for _ in range(10)) + "]")
    text = "\n".join(lines) + "\n"
    assert len(text) < 1000
    with pytest.raises(InvalidInput, match="aliases expand"):
        load_yaml(text, "card.yaml")


def test_small_anchors_are_still_allowed() -> None:
    assert load_yaml("base: &b {x: 1}\nother: *b\n", "f") == {"base": {"x": 1}, "other": {"x": 1}}


def test_duplicate_keys_are_refused_with_the_line() -> None:
    with pytest.raises(InvalidInput, match="line 3: duplicate key 'name'"):
        load_yaml("name: a\nid: x\nname: b\n", "card.yaml")
    with pytest.raises(InvalidInput, match="line 3: duplicate key 'name'"):
        load_json('{"name": "a",\n "id": "x",\n "name": "b"}', "card.json")


# printable, within the Basic Multilingual Plane: what YAML itself accepts
bmp = st.characters(max_codepoint=0xFFFF, exclude_categories=["Cs", "Cc", "Co", "Cn"])
documents = st.recursive(
    st.none() | st.integers() | st.text(bmp, max_size=5),
    lambda c: (
        st.lists(c, max_size=3)
        | st.dictionaries(st.text(bmp, min_size=1, max_size=5), c, max_size=3)
    ),
    max_leaves=20,
)


@given(documents)
def test_well_formed_documents_round_trip(value: object) -> None:
    text = json.dumps(value, ensure_ascii=False)
    assert load_json(text, "doc") == value
    assert load_yaml(text, "doc") == value


def test_control_characters_in_yaml_are_a_clear_error() -> None:
    with pytest.raises(InvalidInput, match=r"card\.yaml: not valid YAML \(unacceptable character"):
        load_yaml("name: a\x7f\n", "card.yaml")
