"""Rule-set versions: by name or date, amendments beside their base, broken data refused."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from gaio.catalog import Catalog, load_catalog, select_version
from gaio.catalog.loader import DATA_DIR
from gaio.errors import InvalidInput, NotFound


def test_select_by_name_gives_each_complete_version(catalog: Catalog) -> None:
    base = select_version("eu-ai-act", "2024-1689", catalog=catalog)
    proposal = select_version("eu-ai-act", "2025-omnibus-proposal", catalog=catalog)
    amended = select_version("eu-ai-act", "2026-1744", catalog=catalog)
    assert (base.status, proposal.status, amended.status) == ("adopted", "proposal", "adopted")
    assert proposal.base == amended.base == "2024-1689"
    for version in (base, proposal, amended):  # each is complete, not a fragment
        assert version.item("art-5-1-a") is not None
        assert version.item("annex-iii-8-b") is not None
        assert version.item("art-99-3") is not None


def test_select_by_date_picks_the_adopted_version_in_force(catalog: Catalog) -> None:
    assert (
        select_version("eu-ai-act", on=dt.date(2024, 8, 1), catalog=catalog).version == "2024-1689"
    )
    assert (
        select_version("eu-ai-act", on=dt.date(2026, 7, 26), catalog=catalog).version == "2024-1689"
    )
    assert (
        select_version("eu-ai-act", on=dt.date(2026, 7, 27), catalog=catalog).version == "2026-1744"
    )
    # a proposal is never in force, whatever the date
    for year in range(2025, 2031):
        chosen = select_version("eu-ai-act", on=dt.date(year, 12, 31), catalog=catalog)
        assert chosen.status == "adopted"
    # frameworks with one version: from its publication
    assert select_version("nist-ai-rmf", on=dt.date(2025, 1, 1), catalog=catalog).version == "1.0"


def test_default_is_the_version_in_force_today(catalog: Catalog) -> None:
    today = dt.datetime.now(dt.UTC).date()
    assert select_version("eu-ai-act", catalog=catalog) == select_version(
        "eu-ai-act", on=today, catalog=catalog
    )


def test_date_before_any_version_is_refused(catalog: Catalog) -> None:
    with pytest.raises(InvalidInput, match=r"no version of eu-ai-act .* 2024-01-01"):
        select_version("eu-ai-act", on=dt.date(2024, 1, 1), catalog=catalog)


def test_unknown_version_names_it_and_lists_the_known_ones(catalog: Catalog) -> None:
    with pytest.raises(InvalidInput) as err:
        select_version("eu-ai-act", "2099-1", catalog=catalog)
    message = str(err.value)
    assert "'2099-1'" in message
    assert "2024-1689" in message and "2025-omnibus-proposal" in message and "2026-1744" in message


def test_unknown_framework_is_not_found(catalog: Catalog) -> None:
    with pytest.raises(NotFound, match="'eu-ai-law'"):
        select_version("eu-ai-law", catalog=catalog)


def test_version_and_date_together_are_refused(catalog: Catalog) -> None:
    with pytest.raises(InvalidInput, match="not both"):
        select_version("eu-ai-act", "2024-1689", dt.date(2025, 1, 1), catalog=catalog)


def test_amendment_moves_dates_without_losing_the_old(catalog: Catalog) -> None:
    base = select_version("eu-ai-act", "2024-1689", catalog=catalog)
    amended = select_version("eu-ai-act", "2026-1744", catalog=catalog)
    proposal = select_version("eu-ai-act", "2025-omnibus-proposal", catalog=catalog)
    days = {
        v.version: (
            v.item("annex-iii-4-a").applies_from,  # type: ignore[union-attr]
            v.item("art-6-1").applies_from,  # type: ignore[union-attr]
            v.item("art-9").applies_from,  # type: ignore[union-attr]
            v.item("art-5-1-a").applies_from,  # type: ignore[union-attr]
        )
        for v in (base, proposal, amended)
    }
    d = dt.date
    assert days["2024-1689"] == (d(2026, 8, 2), d(2027, 8, 2), d(2026, 8, 2), d(2025, 2, 2))
    assert days["2025-omnibus-proposal"] == (
        d(2027, 12, 2),
        d(2028, 8, 2),
        d(2027, 12, 2),
        d(2025, 2, 2),
    )
    assert days["2026-1744"] == (d(2027, 12, 2), d(2028, 8, 2), d(2027, 12, 2), d(2025, 2, 2))
    # the base is untouched by the versions built on it
    assert base.item("art-113-3-c") is not None and base.item("art-113-3-c-i") is None


def test_amendment_changes_prohibitions_and_lists(catalog: Catalog) -> None:
    base = select_version("eu-ai-act", "2024-1689", catalog=catalog)
    amended = select_version("eu-ai-act", "2026-1744", catalog=catalog)
    proposal = select_version("eu-ai-act", "2025-omnibus-proposal", catalog=catalog)
    new = amended.item("art-5-1-ba")
    assert new is not None and new.kind == "prohibition"
    assert new.applies_from == dt.date(2026, 12, 2)
    assert base.item("art-5-1-ba") is None and proposal.item("art-5-1-ba") is None
    order = [c.local_id for c in amended.children("eu-ai-act:art-5")]
    assert order.index("art-5-1-b") + 1 == order.index("art-5-1-ba")
    assert amended.item("annex-i-a-1") is None and amended.item("annex-i-b-21") is not None
    assert base.item("annex-i-a-1") is not None
    assert proposal.item("art-49-2") is None and base.item("art-49-2") is not None
    assert proposal.item("art-4").kind == "recommendation"  # type: ignore[union-attr]
    assert base.item("art-4").kind == "obligation"  # type: ignore[union-attr]


def test_proposal_metadata_says_it_is_a_proposal(catalog: Catalog) -> None:
    proposal = select_version("eu-ai-act", "2025-omnibus-proposal", catalog=catalog)
    assert proposal.in_force_from is None
    assert "Proposal" in proposal.source.title and "COM(2025)" in proposal.source.title
    assert "not adopted" in (proposal.source.note or "")
    assert proposal.changes and any("2 Dec 2027" in c for c in proposal.changes)
    long_stop = proposal.item("art-113-3-c-i")
    assert long_stop is not None and long_stop.date == dt.date(2027, 12, 2)
    assert proposal.item("art-113-3-c-ii").date == dt.date(2028, 8, 2)  # type: ignore[union-attr]


# --- broken data is refused with the file and field named --------------------------------------


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target)
    return target


def _edit(path: Path, change: Callable[[str], str]) -> None:
    before = path.read_text("utf-8")
    after = change(before)
    assert after != before, "the edit did not apply"
    path.write_text(after, "utf-8")


def test_a_copy_of_the_data_loads(data_copy: Path) -> None:
    assert load_catalog(data_copy).frameworks.keys() == load_catalog().frameworks.keys()


def test_missing_field_names_file_and_field(data_copy: Path) -> None:
    _edit(
        data_copy / "g7-hiroshima-code@2023.yaml",
        lambda s: s.replace("    citation: Code of Conduct, action 3\n", "", 1),
    )
    with pytest.raises(InvalidInput) as err:
        load_catalog(data_copy)
    assert "g7-hiroshima-code@2023.yaml" in str(err.value)
    assert "items[2].citation" in str(err.value)
    assert err.value.errors and err.value.errors[0].path.endswith("items[2].citation")


def test_duplicate_id_is_refused(data_copy: Path) -> None:
    _edit(
        data_copy / "g7-hiroshima-code@2023.yaml",
        lambda s: s.replace("- id: action-2\n", "- id: action-1\n", 1),
    )
    with pytest.raises(InvalidInput, match="duplicate item id 'action-1'"):
        load_catalog(data_copy)


def test_crosswalk_with_unknown_item_is_refused(data_copy: Path) -> None:
    _edit(
        data_copy / "crosswalk.yaml",
        lambda s: s.replace("target: nist-ai-rmf:mg-1.3", "target: nist-ai-rmf:mg-9.9", 1),
    )
    with pytest.raises(InvalidInput, match=r"crosswalk\.yaml.*'nist-ai-rmf:mg-9\.9'"):
        load_catalog(data_copy)


def test_adoption_of_unknown_framework_is_refused(data_copy: Path) -> None:
    _edit(
        data_copy / "adoption.yaml",
        lambda s: s.replace("framework: nist-ai-rmf", "framework: nist-csf", 1),
    )
    with pytest.raises(InvalidInput, match=r"adoption\.yaml.*'nist-csf'"):
        load_catalog(data_copy)


def test_delta_adding_under_unknown_parent_is_refused(data_copy: Path) -> None:
    _edit(
        data_copy / "eu-ai-act@2026-1744.yaml",
        lambda s: s.replace("      parent: art-5\n", "      parent: art-55-9\n", 1),
    )
    with pytest.raises(InvalidInput, match=r"eu-ai-act@2026-1744\.yaml.*'art-55-9'"):
        load_catalog(data_copy)


def test_reference_to_a_date_that_is_not_a_date_item_is_refused(data_copy: Path) -> None:
    _edit(
        data_copy / "eu-ai-act@2024-1689.yaml",
        lambda s: s.replace("default_applies_via: art-113-2", "default_applies_via: art-9", 1),
    )
    with pytest.raises(InvalidInput, match="'art-9' is not a date item"):
        load_catalog(data_copy)


def test_file_name_must_match_id_and_version(data_copy: Path) -> None:
    (data_copy / "g7-hiroshima-code@2023.yaml").rename(data_copy / "g7@2023.yaml")
    with pytest.raises(InvalidInput, match=r"g7@2023\.yaml: file name must be"):
        load_catalog(data_copy)


def test_missing_data_directory_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="does not exist"):
        load_catalog(tmp_path / "nowhere")
