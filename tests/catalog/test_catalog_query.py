"""Looking up, mapping across frameworks, coverage, adoption."""

from __future__ import annotations

import datetime as dt

import pytest

from gaio.catalog import Catalog
from gaio.catalog.query import (
    adoptions,
    coverage,
    get_item,
    list_frameworks,
    map_requirement,
    show_framework,
)
from gaio.errors import InvalidInput, NotFound


def test_list_frameworks_reports_versions_and_current(catalog: Catalog) -> None:
    summaries = {s.id: s for s in list_frameworks(catalog)}
    eu = summaries["eu-ai-act"]
    assert [v.version for v in eu.versions] == ["2024-1689", "2025-omnibus-proposal", "2026-1744"]
    assert eu.current_version in {"2024-1689", "2026-1744"}
    assert "EU" in eu.adopted_by
    assert summaries["nist-ai-rmf"].versions[0].items == 95


def test_show_accepts_a_ref_with_version(catalog: Catalog) -> None:
    assert show_framework("eu-ai-act@2024-1689", catalog=catalog).version == "2024-1689"
    with pytest.raises(InvalidInput, match="names version"):
        show_framework("eu-ai-act@2024-1689", "2026-1744", catalog=catalog)


def test_get_item_in_a_version(catalog: Catalog) -> None:
    item = get_item("eu-ai-act:art-5-1-f", "2024-1689", catalog=catalog)
    assert item.citation == "Art. 5(1)(f)"
    with pytest.raises(
        NotFound, match=r"'eu-ai-act:art-5-1-ba'.*2024-1689.*\(it is in version 2026-1744\)"
    ):
        get_item("eu-ai-act:art-5-1-ba", "2024-1689", catalog=catalog)
    with pytest.raises(InvalidInput, match="'art-5'"):
        get_item("art-5", catalog=catalog)


def test_map_follows_relations_both_ways_with_inverted_types(catalog: Catalog) -> None:
    forward = {m.related: m for m in map_requirement("eu-ai-act:art-50-1", catalog)}
    assert forward["oecd-ai-principles:p-1-3"].relationship == "subset-of"
    assert forward["oecd-ai-principles:p-1-3"].direction == "forward"
    assert forward["coe-ai-convention:art-15"].relationship == "subset-of"

    inverse = {m.related: m for m in map_requirement("oecd-ai-principles:p-1-3", catalog)}
    assert inverse["eu-ai-act:art-50-1"].relationship == "superset-of"
    assert inverse["eu-ai-act:art-50-1"].direction == "inverse"
    assert inverse["sg-ai-verify:transparency"].relationship == "superset-of"  # as written
    assert inverse["eu-ai-act:art-13"].relationship == "intersects-with"

    verify = {
        m.related: m.relationship for m in map_requirement("sg-ai-verify:robustness", catalog)
    }
    assert verify["oecd-ai-principles:p-1-4"] == "subset-of"
    assert verify["eu-ai-act:art-15"] == "subset-of"  # written: art-15 superset-of robustness
    equivalent = map_requirement("oecd-ai-principles:p-1-1", catalog)
    assert [(m.related, m.relationship) for m in equivalent] == [
        ("sg-ai-verify:inclusive-growth", "equivalent-to")
    ]
    for mapping in forward.values():
        assert mapping.rationale and mapping.citation and mapping.related_citation


def test_map_unknown_requirement_or_framework(catalog: Catalog) -> None:
    with pytest.raises(NotFound, match="'eu-ai-act:art-999'"):
        map_requirement("eu-ai-act:art-999", catalog)
    with pytest.raises(NotFound, match="'iso-42001'"):
        map_requirement("iso-42001:6-1", catalog)


def test_map_of_an_item_only_in_a_later_version(catalog: Catalog) -> None:
    assert map_requirement("eu-ai-act:art-5-1-ba", catalog) == []


def test_coverage_counts_by_relationship(catalog: Catalog) -> None:
    report = coverage("sg-ai-verify", "oecd-ai-principles", catalog=catalog)
    assert (report.total, report.covered, report.fully_covered) == (11, 7, 6)
    assert report.percentage == 63.6
    assert report.by_relationship == {
        "equivalent-to": 1,
        "subset-of": 5,
        "superset-of": 0,
        "intersects-with": 1,
        "none": 4,
    }
    rows = {r.item: r for r in report.rows}
    assert rows["sg-ai-verify:robustness"].relationship == "subset-of"
    assert rows["sg-ai-verify:fairness"].relationship is None


def test_coverage_the_other_way_round(catalog: Catalog) -> None:
    report = coverage("oecd-ai-principles", "sg-ai-verify", catalog=catalog)
    rows = {r.item: r for r in report.rows}
    # OECD 1.3 is a superset of two AI Verify principles: both are listed as covering it
    assert rows["oecd-ai-principles:p-1-3"].relationship == "superset-of"
    assert set(rows["oecd-ai-principles:p-1-3"].targets) == {
        "sg-ai-verify:transparency",
        "sg-ai-verify:explainability",
    }
    assert report.total == 10  # 5 principles + 5 recommendations


def test_coverage_of_nist_counts_the_72_subcategories(catalog: Catalog) -> None:
    report = coverage("nist-ai-rmf", "eu-ai-act", target_version="2024-1689", catalog=catalog)
    assert report.total == 72
    assert report.target == "eu-ai-act@2024-1689"
    rows = {r.item: r for r in report.rows}
    assert rows["nist-ai-rmf:mg-4.1"].targets == ("eu-ai-act:art-72",)
    assert 0 < report.percentage < 100


def test_coverage_uses_the_versions_asked_for(catalog: Catalog) -> None:
    on_2024 = coverage("eu-ai-act", "nist-ai-rmf", on=dt.date(2025, 1, 1), catalog=catalog)
    assert on_2024.source == "eu-ai-act@2024-1689"
    proposal = coverage(
        "eu-ai-act", "nist-ai-rmf", source_version="2025-omnibus-proposal", catalog=catalog
    )
    assert proposal.source == "eu-ai-act@2025-omnibus-proposal"
    # Art. 4 is a recommendation in the proposal but still maps to NIST GOVERN 2.2
    assert "eu-ai-act:art-4" in {r.item for r in proposal.rows if r.relationship}


def test_coverage_refuses_bad_input(catalog: Catalog) -> None:
    with pytest.raises(InvalidInput, match="two different frameworks"):
        coverage("nist-ai-rmf", "nist-ai-rmf", catalog=catalog)
    with pytest.raises(NotFound, match="'nist-csf'"):
        coverage("nist-csf", "eu-ai-act", catalog=catalog)
    with pytest.raises(InvalidInput, match=r"'9\.9'"):
        coverage("nist-ai-rmf", "eu-ai-act", target_version="9.9", catalog=catalog)


def test_adoption_for_a_member_state_includes_the_eu(catalog: Catalog) -> None:
    belgium = {
        (a.jurisdiction, a.framework, a.status)
        for a in adoptions(jurisdiction="BE", catalog=catalog)
    }
    assert ("EU", "eu-ai-act", "enforces") in belgium
    assert ("BE", "oecd-ai-principles", "adopted") in belgium
    china = {(a.framework, a.status) for a in adoptions(jurisdiction="CN", catalog=catalog)}
    assert ("cn-genai-measures", "enforces") in china
    assert ("eu-ai-act", "enforces") not in china
    singapore = {a.framework for a in adoptions(jurisdiction="SG", catalog=catalog)}
    assert {"sg-ai-verify", "sg-model-ai-gov-framework"} <= singapore
    us = {a.framework for a in adoptions(jurisdiction="US", catalog=catalog)}
    assert {"nist-ai-rmf", "coe-ai-convention", "g7-hiroshima-code"} <= us


def test_adoption_filters_by_framework_and_date(catalog: Catalog) -> None:
    signed = adoptions("coe-ai-convention", catalog=catalog)
    assert signed and {a.status for a in signed} == {"signed"}
    assert adoptions("eu-ai-act", on=dt.date(2024, 7, 1), catalog=catalog) == []
    with pytest.raises(InvalidInput, match="'Belgium'"):
        adoptions(jurisdiction="Belgium", catalog=catalog)
    with pytest.raises(NotFound, match="'gdpr'"):
        adoptions("gdpr", catalog=catalog)
