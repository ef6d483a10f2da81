"""The packaged catalog data: counts, citations, and the EU AI Act content the classifier uses."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from scripts.nist_build import build

from gaio.catalog import Catalog, Framework, load_catalog, select_version
from gaio.catalog.loader import DATA_DIR

ANNEX_III = {
    "1": ["a", "b", "c"],
    "2": [],
    "3": ["a", "b", "c", "d"],
    "4": ["a", "b"],
    "5": ["a", "b", "c", "d"],
    "6": ["a", "b", "c", "d", "e"],
    "7": ["a", "b", "c", "d"],
    "8": ["a", "b"],
}


def _locals(framework: Framework, kind: str | None = None) -> set[str]:
    return {i.local_id for i in framework.items if kind is None or i.kind == kind}


@pytest.fixture(scope="module")
def eu(catalog: Catalog) -> Framework:
    return select_version("eu-ai-act", "2024-1689", catalog=catalog)


def test_a_fresh_load_reads_every_framework() -> None:
    fresh = load_catalog(DATA_DIR)  # bypasses the per-process cache
    assert len(fresh.frameworks) == 13


def test_expected_frameworks_and_versions(catalog: Catalog) -> None:
    versions = {fid: [v.version for v in vs] for fid, vs in catalog.frameworks.items()}
    assert versions == {
        "cn-genai-measures": ["2023"],
        "coe-ai-convention": ["2024"],
        "eu-ai-act": ["2024-1689", "2025-omnibus-proposal", "2026-1744"],
        "frontier-capability-levels": ["1.0"],
        "g7-hiroshima-code": ["2023"],
        "kr-ai-basic-act": ["2025"],
        "nist-ai-rmf": ["1.0"],
        "oecd-ai-principles": ["2024"],
        "sg-ai-verify": ["2023"],
        "sg-model-ai-gov-framework": ["2020"],
        "unesco-ai-ethics": ["2021"],
        "us-co-sb24-205": ["2025"],
        "us-nyc-ll144": ["2021"],
    }


def test_every_item_cites_its_source_and_ids_are_unique(catalog: Catalog) -> None:
    for versions in catalog.frameworks.values():
        for framework in versions:
            ids = [i.id for i in framework.items]
            assert len(ids) == len(set(ids)), framework.ref
            for item in framework.items:
                assert item.citation.strip(), item.id
                assert item.title.strip() and item.text.strip(), item.id
                assert item.id == f"{framework.id}:{item.local_id}"
                assert item.parent is None or framework.item(item.parent) is not None, item.id


def test_every_framework_names_its_source_document(catalog: Catalog) -> None:
    for versions in catalog.frameworks.values():
        for framework in versions:
            assert framework.source.title and framework.source.date, framework.ref


def test_nist_counts_4_19_72(catalog: Catalog) -> None:
    nist = select_version("nist-ai-rmf", catalog=catalog)
    counts = {k: len(_locals(nist, k)) for k in ("function", "category", "subcategory")}
    assert counts == {"function": 4, "category": 19, "subcategory": 72}
    assert nist.item("gv-1.1") is not None and nist.item("mg-4.3") is not None


def test_nist_data_file_is_generated_from_the_core(reference_dir: Path) -> None:
    core = json.loads((reference_dir / "nist-ai-rmf" / "ai-rmf-1.0-core.json").read_text("utf-8"))
    packaged = (DATA_DIR / "nist-ai-rmf@1.0.yaml").read_text("utf-8")
    assert packaged == build(core), "regenerate with: python -m scripts.nist_build"


def test_nist_texts_are_the_core_verbatim(catalog: Catalog, reference_dir: Path) -> None:
    core = json.loads((reference_dir / "nist-ai-rmf" / "ai-rmf-1.0-core.json").read_text("utf-8"))
    nist = select_version("nist-ai-rmf", catalog=catalog)
    for function in core["functions"]:
        for category in function["categories"]:
            for sub in [category, *category["subcategories"]]:
                item = nist.item(sub["shortId"].lower())
                assert item is not None and item.text == sub["text"], sub["id"]
                assert sub["id"] in item.citation


def test_eu_article_5_prohibitions_and_exceptions(eu: Framework) -> None:
    prohibitions = {i.local_id for i in eu.items if i.kind == "prohibition"}
    assert prohibitions == {f"art-5-1-{p}" for p in "abcdefgh"}
    for exception, parent in [
        ("art-5-1-d-excl", "art-5-1-d"),
        ("art-5-1-f-excl", "art-5-1-f"),
        ("art-5-1-g-excl", "art-5-1-g"),
        ("art-5-1-h-i", "art-5-1-h"),
        ("art-5-1-h-ii", "art-5-1-h"),
        ("art-5-1-h-iii", "art-5-1-h"),
    ]:
        item = eu.item(exception)
        assert item is not None and item.kind == "exception"
        assert item.parent == f"eu-ai-act:{parent}"
    assert {"art-5-2", "art-5-3", "art-5-4", "art-5-5"} <= _locals(eu, "condition")
    assert "medical or safety" in eu.item("art-5-1-f-excl").text  # type: ignore[union-attr]
    assert all(eu.item(f"art-5-1-{p}").applies_from.isoformat() == "2025-02-02" for p in "ah")  # type: ignore[union-attr]


def test_eu_annex_iii_every_point_and_sub_point(eu: Framework) -> None:
    for point, subs in ANNEX_III.items():
        item = eu.item(f"annex-iii-{point}")
        assert item is not None and item.kind == "annex-point", point
        assert item.citation == f"Annex III point {point}"
        children = {c.local_id for c in eu.children(item.id) if c.kind == "annex-point"}
        assert children == {f"annex-iii-{point}-{s}" for s in subs}, point
        for s in subs:
            assert eu.item(f"annex-iii-{point}-{s}").citation == f"Annex III point {point}({s})"  # type: ignore[union-attr]
    exclusions = {i.parent for i in eu.items if i.kind == "exception" and "annex-iii" in i.id}
    assert exclusions >= {
        "eu-ai-act:annex-iii-1-a",  # biometric verification (1:1)
        "eu-ai-act:annex-iii-5-b",  # financial fraud detection
        "eu-ai-act:annex-iii-7-d",  # travel documents
        "eu-ai-act:annex-iii-8-b",  # campaign logistics
    }


def test_eu_annex_i_sections_a_and_b(eu: Framework) -> None:
    section_a = [i for i in eu.children("eu-ai-act:annex-i-a") if i.kind == "legislation"]
    section_b = [i for i in eu.children("eu-ai-act:annex-i-b") if i.kind == "legislation"]
    assert [i.local_id for i in section_a] == [f"annex-i-a-{n}" for n in range(1, 13)]
    assert [i.local_id for i in section_b] == [f"annex-i-b-{n}" for n in range(13, 21)]
    assert "2017/745" in eu.item("annex-i-a-11").title  # type: ignore[union-attr]


def test_eu_article_6_conditions_derogation_and_profiling_override(eu: Framework) -> None:
    assert {c.local_id for c in eu.children("eu-ai-act:art-6-1")} == {"art-6-1-a", "art-6-1-b"}
    derogation = {c.local_id: c.kind for c in eu.children("eu-ai-act:art-6-3")}
    assert derogation == {
        "art-6-3-a": "condition",
        "art-6-3-b": "condition",
        "art-6-3-c": "condition",
        "art-6-3-d": "condition",
        "art-6-3-profiling": "override",
    }
    assert eu.item("art-6-1").applies_from.isoformat() == "2027-08-02"  # type: ignore[union-attr]
    assert eu.item("annex-iii-4-a").applies_from.isoformat() == "2026-08-02"  # type: ignore[union-attr]


def test_eu_article_50_duties_and_roles(eu: Framework) -> None:
    duties = {
        i.local_id: i.role
        for i in eu.items
        if i.kind == "duty" and i.id.startswith("eu-ai-act:art-50")
    }
    assert duties == {
        "art-50-1": "provider",
        "art-50-2": "provider",
        "art-50-3": "deployer",
        "art-50-4-1": "deployer",
        "art-50-4-2": "deployer",
    }


def test_eu_gpai_presumption_and_open_source_exemption(eu: Framework) -> None:
    presumption = eu.item("art-51-2")
    assert presumption is not None and presumption.compute_threshold_flop == 1e25
    exemption = eu.item("art-53-2")
    assert exemption is not None and exemption.kind == "exception"
    assert "does not apply to GPAI models with systemic risk" in exemption.text
    assert {c.local_id for c in eu.children("eu-ai-act:art-55")} == {
        f"art-55-1-{p}" for p in "abcd"
    }
    assert eu.item("art-53-1-a").applies_from.isoformat() == "2025-08-02"  # type: ignore[union-attr]


def test_eu_obligations_with_roles(eu: Framework) -> None:
    expected = {
        "art-9": "provider",
        "art-10": "provider",
        "art-11": "provider",
        "art-12": "provider",
        "art-13": "provider",
        "art-14": "provider",
        "art-15": "provider",
        "art-16": "provider",
        "art-17": "provider",
        "art-26": "deployer",
        "art-27": "deployer",
        "art-43": "provider",
        "art-72": "provider",
        "art-73": "provider",
        "art-86": "deployer",
    }
    for local_id, role in expected.items():
        item = eu.item(local_id)
        assert item is not None and item.role == role, local_id
    assert {c.role for c in eu.children("eu-ai-act:art-49")} == {"provider", "deployer", "both"}
    assert eu.item("art-73-4").deadline_days == 10  # type: ignore[union-attr]


def test_eu_application_dates_and_penalty_tiers(eu: Framework) -> None:
    dates = {i.local_id: i.date.isoformat() for i in eu.items if i.kind == "date" and i.date}
    assert {k: dates[k] for k in ("art-113-2", "art-113-3-a", "art-113-3-b", "art-113-3-c")} == {
        "art-113-2": "2026-08-02",
        "art-113-3-a": "2025-02-02",
        "art-113-3-b": "2025-08-02",
        "art-113-3-c": "2027-08-02",
    }
    tiers = {
        i.local_id: (i.fine_max_eur, i.fine_max_turnover_pct)
        for i in eu.items
        if i.kind == "penalty" and i.local_id.startswith("art-99")
    }
    assert tiers == {
        "art-99-3": (35_000_000, 7),
        "art-99-4": (15_000_000, 3),
        "art-99-5": (7_500_000, 1),
    }


def test_other_frameworks_item_counts(catalog: Catalog) -> None:
    def count(framework_id: str, kind: str) -> int:
        return len(_locals(select_version(framework_id, catalog=catalog), kind))

    assert count("g7-hiroshima-code", "action") == 11
    assert count("sg-ai-verify", "principle") == 11
    assert count("sg-model-ai-gov-framework", "area") == 4
    assert count("oecd-ai-principles", "principle") == 5
    assert count("oecd-ai-principles", "recommendation") == 5
    assert count("unesco-ai-ethics", "principle") == 10
    assert count("unesco-ai-ethics", "value") == 4
    assert count("unesco-ai-ethics", "policy-area") == 11
    coe = select_version("coe-ai-convention", catalog=catalog)
    assert {f"art-{n}" for n in range(4, 17)} <= _locals(coe)
    china = select_version("cn-genai-measures", catalog=catalog)
    assert {"art-4", "art-7", "art-9", "art-10", "art-12", "art-14", "art-17"} <= _locals(china)
    assert {"art-17-assessment", "art-17-filing"} <= _locals(china)
    assert china.item("art-12").applies_from.isoformat() == "2023-08-15"  # type: ignore[union-attr]


def test_ai_verify_has_the_eleven_named_principles(catalog: Catalog) -> None:
    verify = select_version("sg-ai-verify", catalog=catalog)
    titles = {i.title for i in verify.items if i.kind == "principle"}
    assert titles == {
        "Transparency",
        "Explainability",
        "Repeatability / reproducibility",
        "Safety",
        "Security",
        "Robustness",
        "Fairness",
        "Data governance",
        "Accountability",
        "Human agency and oversight",
        "Inclusive growth, societal and environmental well-being",
    }


def test_capability_levels_thresholds_trigger_levels_that_require_safeguards(
    catalog: Catalog,
) -> None:
    levels = select_version("frontier-capability-levels", catalog=catalog)
    assert [i.local_id for i in levels.items if i.kind == "level"] == [
        "cl-1",
        "cl-2",
        "cl-3",
        "cl-4",
    ]
    for item in levels.items:
        if item.kind in ("threshold", "safeguard"):
            parent = levels.item(item.parent or "")
            assert parent is not None and parent.kind == "level", item.id
    thresholds = {i.local_id for i in levels.items if i.kind == "threshold"}
    assert {t.split("-")[1] for t in thresholds} == {"cbrn", "ai", "cyber"}
    assert {c.kind for c in levels.children("frontier-capability-levels:cl-3")} == {
        "threshold",
        "safeguard",
    }


def test_crosswalk_and_adoption_refer_to_existing_things(catalog: Catalog) -> None:
    every_item = {i.id for vs in catalog.frameworks.values() for v in vs for i in v.items}
    assert len(catalog.crosswalk.relations) >= 60
    for rel in catalog.crosswalk.relations:
        assert rel.source in every_item and rel.target in every_item
        assert rel.rationale and rel.citation
    for adoption in catalog.adoption.adoptions:
        assert adoption.framework in catalog.frameworks
    assert len(catalog.adoption.groups["EU"]) == 27
    relationships = {r.relationship for r in catalog.crosswalk.relations}
    assert relationships == {"equivalent-to", "subset-of", "superset-of", "intersects-with"}
