"""Every catalog id the rules use exists: a typo is an error at load time, never a silent drop."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from gaio.catalog import load_catalog, select_version
from gaio.errors import InvalidInput
from gaio.registry.vocab import ANNEX_III, Practice, ProductLegislation
from gaio.rules._context import Run, known_ids
from gaio.rules.eu_high_risk import legislation_item, point_id
from gaio.rules.eu_prohibitions import simple_prohibitions
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


@pytest.mark.parametrize("version", ["2024-1689", "2025-omnibus-proposal", "2026-1744"])
def test_trigger_tables_are_catalog_data(version: str) -> None:
    """Annex I acts and the simple Art. 5 prohibitions are found by tag in every version."""
    fw = select_version("eu-ai-act", version)
    run = Run(fw=fw, card=make_card(), on=dt.date(2026, 9, 1))
    for act in ProductLegislation:
        found = [i for i in fw.items if f"legislation:{act.value}" in i.tags]
        assert len(found) == 1, (version, act)
        assert legislation_item(run, act) == found[0].local_id
    pairs = dict(simple_prohibitions(run))
    assert pairs[Practice.SOCIAL_SCORING] == "art-5-1-c"
    moved = legislation_item(run, ProductLegislation.MACHINERY)
    assert moved == ("annex-i-b-21" if version == "2026-1744" else "annex-i-a-1")
    new = pairs[Practice.CHILD_SEXUAL_ABUSE_MATERIAL]
    assert new == ("art-5-1-bb" if version == "2026-1744" else None)


def test_every_practice_tag_is_a_vocabulary_value() -> None:
    values = {p.value for p in Practice}
    for fw in load_catalog().frameworks["eu-ai-act"]:
        for item in fw.items:
            for tag in item.tags:
                if tag.startswith("practice:"):
                    assert tag.split(":", 1)[1] in values, (fw.ref, item.local_id, tag)


@pytest.mark.parametrize("version", ["2024-1689", "2025-omnibus-proposal", "2026-1744"])
def test_the_vocabulary_annex_iii_table_agrees_with_the_catalog(version: str) -> None:
    """The rules read Annex III points from the catalog's domain tags; the vocabulary's table
    only documents the domain values, and must say the same."""
    from gaio.rules.eu_high_risk import annex_iii_points

    fw = select_version("eu-ai-act", version)
    run = Run(fw=fw, card=make_card(), on=dt.date(2026, 9, 1))
    for domain, point in ANNEX_III.items():
        assert annex_iii_points(run, [domain]) == [point_id(point)], (version, domain)
