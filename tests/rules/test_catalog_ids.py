"""Every catalog id the rules use exists: a typo is an error at load time, never a silent drop."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from gaio.catalog import select_version
from gaio.errors import InvalidInput
from gaio.registry.vocab import ANNEX_III
from gaio.rules._context import Run, known_ids
from gaio.rules.eu_high_risk import _LEGISLATION, point_id
from tests.rules.cards import make_card

RULES = Path(__file__).parents[2] / "src" / "gaio" / "rules"
_LITERAL = re.compile(r"""["']((?:art|annex|ch)-[a-z0-9]+(?:-[a-z0-9]+)*)["']""")


def _ids_in_rules() -> set[str]:
    found: set[str] = set()
    for path in sorted(RULES.glob("eu_*.py")):
        found |= set(_LITERAL.findall(path.read_text(encoding="utf-8")))
    return found


def test_every_literal_id_in_the_eu_rules_exists_in_some_version() -> None:
    ids = _ids_in_rules()
    assert len(ids) > 80, "the scan finds the ids the rules cite"
    unknown = sorted(ids - known_ids("eu-ai-act"))
    assert not unknown, f"rules cite ids no catalog version defines: {unknown}"


def test_every_generated_id_exists() -> None:
    known = known_ids("eu-ai-act")
    for point in ANNEX_III.values():
        assert point_id(point) in known, point
    for items in _LEGISLATION.values():
        assert any(i in known for i in items), items
    for n in "abcdefghijkl":
        assert f"art-16-{n}" in known


def test_an_unknown_id_is_an_error_not_a_silent_drop() -> None:
    run = Run(fw=select_version("eu-ai-act", "2024-1689"), card=make_card(), on=dt.date(2026, 9, 1))
    with pytest.raises(InvalidInput, match="art-5-1-z"):
        run.cite(["art-5", "art-5-1-z"])
    with pytest.raises(InvalidInput, match="annex-xx"):
        run.citation("annex-xx")


def test_an_id_a_version_lacks_is_not_cited() -> None:
    """Art. 49(2) is dropped by the 2025 proposal: known, so not an error, and not cited."""
    proposal = select_version("eu-ai-act", "2025-omnibus-proposal")
    run = Run(fw=proposal, card=make_card(), on=dt.date(2026, 9, 1))
    assert run.cite(["art-49-2"]) == []


def test_every_version_has_the_compute_threshold() -> None:
    from gaio.catalog import load_catalog
    from gaio.rules._context import compute_threshold

    for version in load_catalog().frameworks["eu-ai-act"]:
        assert compute_threshold(version) == 1e25
