"""Listings that fit a terminal: ids are never cut at 80 columns; tsv, csv and json for programs."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console

from gaio.cli import output
from gaio.services.context import Gaio
from tests.factories import frontier_licence, world

ident = st.text("abcdefghijklmnopqrstuvwxyz0123456789-", min_size=8, max_size=24)
prose = st.text("abcdefghij klmnopqrstuvwxyz", min_size=0, max_size=120)


@settings(max_examples=40, deadline=None)
@given(rows=st.lists(st.tuples(ident, prose, prose, ident), min_size=1, max_size=6))
def test_ids_survive_a_narrow_terminal(rows: list[tuple[str, str, str, str]]) -> None:
    buffer = io.StringIO()
    narrow = Console(file=buffer, width=80, highlight=False, soft_wrap=False)
    original = output.console
    output.console = narrow
    try:
        output.table("t", ["id", "holder", "reason", "system"], rows)
    finally:
        output.console = original
    printed = buffer.getvalue()
    assert "…" not in printed
    for line in printed.splitlines():
        assert len(line) <= 80
    for row in rows:
        assert row[0] in printed and row[3] in printed


def test_licence_list_formats(cli: Any, g: Gaio) -> None:
    world(g)
    frontier_licence(g)
    as_json = json.loads(cli("licence", "list", "--format", "json").out)
    assert as_json and all("id" in item for item in as_json)
    ids = {item["id"] for item in as_json}
    tsv = cli("licence", "list", "--format", "tsv").out.splitlines()
    assert tsv[0].split("\t")[0] == "id"
    assert {line.split("\t")[0] for line in tsv[1:]} == ids
    rows = list(csv.reader(io.StringIO(cli("licence", "list", "--format", "csv").out)))
    assert rows[0][:2] == ["id", "holder"] and {r[0] for r in rows[1:]} == ids
    assert json.loads(cli("licence", "list", "--json").out) == as_json


@pytest.mark.parametrize("command", [["system", "list"], ["incident", "due"]])
def test_other_listings_take_a_format(cli: Any, g: Gaio, command: list[str]) -> None:
    world(g)
    tsv = cli(*command, "--format", "tsv")
    assert tsv.code == 0, tsv.err
    bad = cli(*command, "--format", "xml")
    assert bad.code == 2 and "--format must be one of" in bad.err
