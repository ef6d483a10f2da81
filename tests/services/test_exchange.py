"""Export and import: byte-identical round trip, all-or-nothing, verified before commit."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from gaio.errors import Conflict, IntegrityError, InvalidInput, PermissionDenied
from gaio.registry.vocab import Stage
from gaio.services.context import Gaio
from gaio.services.ledger import audit as ledger
from gaio.services.ledger import exchange
from gaio.services.registry import licences, organisations, systems
from tests.conftest import ADMIN, PROVIDER, REGULATOR
from tests.factories import card, frontier_card, frontier_licence, world


def populate(g: Gaio) -> None:
    world(g)
    lic = frontier_licence(g)
    systems.register_system(g, PROVIDER, card(description="Ünïcödé — “quotes”"))
    systems.register_system(g, PROVIDER, frontier_card())
    systems.change_stage(g, PROVIDER, "acme-cv-ranker", Stage.DATA, "collect")
    licences.change_licence(g, REGULATOR, lic, "suspend", "review")


def test_export_import_export_gives_the_same_bytes(
    g: Gaio, tmp_path: Path, empty_gaio: Any
) -> None:
    populate(g)
    first = tmp_path / "a.jsonl"
    exchange.export(g, ADMIN, first)
    target = empty_gaio("b")
    counts = exchange.import_(target, ADMIN, first)
    assert counts["ledger_entry"] == ledger.verify(g).size
    second = tmp_path / "b.jsonl"
    exchange.export(target, ADMIN, second)
    assert first.read_bytes() == second.read_bytes()
    report = ledger.verify(target)
    assert report.ok, report.problems
    assert systems.get_system(target, ADMIN, "acme-frontier").flags[0].code == "licence-missing"


def test_import_into_a_non_empty_database_is_refused(g: Gaio, tmp_path: Path) -> None:
    populate(g)
    dump = tmp_path / "a.jsonl"
    exchange.export(g, ADMIN, dump)
    with pytest.raises(Conflict, match="empty database"):
        exchange.import_(g, ADMIN, dump)


def _assert_empty(target: Gaio) -> None:
    assert organisations.list_organisations(target, ADMIN) == []
    assert ledger.verify(target).size == 0


@pytest.mark.parametrize(
    ("mutate", "error", "fragment"),
    [
        (lambda lines: [*lines[:-1], "{not json"], InvalidInput, "malformed JSON"),
        (lambda lines: lines[1:], InvalidInput, "not a gaio export"),
        (lambda lines: lines[:-2], IntegrityError, "import refused"),
        (
            lambda lines: [
                line.replace('"name":"ACME AI"', '"name":"ACME EVIL"') for line in lines
            ],
            IntegrityError,
            "record org:acme differs",
        ),
        (lambda lines: [*lines, '{"type":"organisation"}'], InvalidInput, "out of order"),
    ],
)
def test_a_bad_or_tampered_import_writes_nothing(
    g: Gaio, tmp_path: Path, mutate: object, error: type[Exception], fragment: str, empty_gaio: Any
) -> None:
    populate(g)
    dump = tmp_path / "a.jsonl"
    exchange.export(g, ADMIN, dump)
    lines = dump.read_text(encoding="utf-8").splitlines()
    bad = tmp_path / "bad.jsonl"
    bad.write_text("\n".join(mutate(lines)) + "\n", encoding="utf-8")  # type: ignore[operator]
    target = empty_gaio("t")
    with pytest.raises(error) as err:
        exchange.import_(target, ADMIN, bad)
    assert fragment in str(err.value)
    _assert_empty(target)


def test_missing_field_names_the_line(g: Gaio, tmp_path: Path, empty_gaio: Any) -> None:
    populate(g)
    dump = tmp_path / "a.jsonl"
    exchange.export(g, ADMIN, dump)
    lines = dump.read_text(encoding="utf-8").splitlines()
    obj = json.loads(lines[1])
    del obj["name"]
    lines[1] = json.dumps(obj)
    dump.write_text("\n".join(lines) + "\n", encoding="utf-8")
    target = empty_gaio("t")
    with pytest.raises(InvalidInput, match=r"line 2: missing field 'name'"):
        exchange.import_(target, ADMIN, dump)
    _assert_empty(target)


def test_only_administrators_export_and_import(g: Gaio, tmp_path: Path) -> None:
    with pytest.raises(PermissionDenied):
        exchange.export(g, PROVIDER, tmp_path / "x.jsonl")
    assert not (tmp_path / "x.jsonl").exists()


def _as_version_1(text: str) -> str:
    """An export as gaio wrote it before entries version 2: no salts, checkpoints or signers;
    accounts and evidence under their old, named subjects; every entry committing with
    ``record_hash`` (the latest one per subject to the record as it stands)."""
    from gaio.canonical import content_hash
    from gaio.ledger.entries import LedgerEntry
    from gaio.store import records

    kinds = {k.name: k for k in records.kinds()}
    lines = [json.loads(line) for line in text.splitlines()]
    renamed: dict[str, str] = {}
    current: dict[str, dict[str, Any]] = {}
    for line in lines:
        kind = kinds.get(line["type"])
        if kind is None:
            continue
        record = {k: v for k, v in line.items() if k != "type"}
        row = kind.load(record)
        subject = kind.subject(row)
        if kind.legacy_subject is not None:
            renamed[subject] = kind.legacy_subject(row)
            subject = renamed[subject]
            del line["ledger_ref"]
        current[subject] = record
    entries = [
        json.loads(line["entry"])
        for line in lines
        if line["type"] == "ledger_entry" and '"ledger.checkpoint"' not in line["entry"]
    ]
    last = {renamed.get(e["subject"], e["subject"]): i for i, e in enumerate(entries)}
    out: list[dict[str, Any]] = []
    for i, entry in enumerate(entries):
        subject = renamed.get(entry["subject"], entry["subject"])
        found: dict[str, Any] | None = current.get(subject)
        entry.update(version=1, seq=i, subject=subject)
        entry.pop("public_hash", None)
        entry.pop("private_commitment", None)
        entry["record_hash"] = (
            content_hash(found) if found is not None and last[subject] == i else "0" * 64
        )
        text = LedgerEntry.model_validate(entry).canonical().decode()
        out.append({"type": "ledger_entry", "seq": i, "entry": text})
    header = {"type": "header", "format": "gaio-export", "version": 1, "counts": {}}
    kept = [x for x in lines if x["type"] in kinds]
    return "\n".join(json.dumps(x, ensure_ascii=False) for x in [header, *kept, *out]) + "\n"


def test_an_export_from_before_entries_version_2_imports_and_is_recommitted(
    g: Gaio, tmp_path: Path, empty_gaio: Any
) -> None:
    from gaio.services.accounts import users

    populate(g)
    users.add_user(
        g,
        ADMIN,
        {
            "username": "zoe",
            "role": "provider",
            "organisation": "acme",
            "password": "zoe exchange quartz lantern",
        },
    )
    current = tmp_path / "v2.jsonl"
    exchange.export(g, ADMIN, current)
    old = tmp_path / "v1.jsonl"
    old.write_text(_as_version_1(current.read_text(encoding="utf-8")), encoding="utf-8")

    target = empty_gaio("old")
    exchange.import_(target, ADMIN, old)
    report = ledger.verify(target)
    assert report.ok, report.problems
    recommits = [e for e in ledger.show(target, limit=10_000) if e.action == "record.recommit"]
    assert [e.details for e in recommits if e.subject.startswith("user:")] == [{"was": "user:zoe"}]
    assert all(e.version == 2 and e.subject.startswith("user:~") for e in recommits)
    user, _sid, _csrf = users.login(target, "zoe", "zoe exchange quartz lantern")
    assert user.username == "zoe"


def test_a_version_1_export_edited_after_the_fact_is_refused(
    g: Gaio, tmp_path: Path, empty_gaio: Any
) -> None:
    populate(g)
    current = tmp_path / "v2.jsonl"
    exchange.export(g, ADMIN, current)
    text = _as_version_1(current.read_text(encoding="utf-8"))
    edited = tmp_path / "v1.jsonl"
    edited.write_text(text.replace("Ünïcödé", "Unicode", 1), encoding="utf-8")
    target = empty_gaio("edited")
    with pytest.raises(IntegrityError, match="differs from what entry"):
        exchange.import_(target, ADMIN, edited)
    _assert_empty(target)
