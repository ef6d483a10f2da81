"""The CLI as a person uses it: commands, --json, and bad input (one line, exit 2, no write)."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from gaio.services.context import Gaio
from gaio.services.ledger import audit as ledger

Run = Any

CARD = """\
id: acme-cv-ranker
name: ACME CV Ranker
system_version: 2.3.0
provider: acme
intended_purpose: Ranks job applications for recruiters.
domains: [employment-recruitment]
markets: [EU, US]
profiling: true
"""


def setup_world(cli: Run, tmp_path: Path) -> Path:
    assert (
        cli(
            "org",
            "add",
            "eu-ai-office",
            "--name",
            "EU AI Office",
            "--kind",
            "regulator",
            "-j",
            "EU",
        ).code
        == 0
    )
    assert (
        cli("org", "add", "acme", "--name", "ACME", "--kind", "provider", "-j", "DE,US").code == 0
    )
    path = tmp_path / "card.yaml"
    path.write_text(CARD, encoding="utf-8")
    return path


def one_error_line(err: str) -> str:
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert lines[0].startswith("error: ")
    assert "Traceback" not in err
    return lines[0]


def log_size(g: Gaio) -> int:
    """How many changes the ledger holds (its own checkpoint entries aside)."""
    assert ledger.verify(g).ok
    return len([e for e in ledger.show(g, limit=100_000) if e.action != "ledger.checkpoint"])


def test_register_show_list_history_json(cli: Run, tmp_path: Path) -> None:
    card = setup_world(cli, tmp_path)
    r = cli("system", "register", str(card), "--json")
    assert r.code == 0, r.err
    assert json.loads(r.out)["id"] == "acme-cv-ranker"
    assert cli("system", "stage", "acme-cv-ranker", "data", "--reason", "collect CVs").code == 0
    shown = json.loads(cli("system", "show", "acme-cv-ranker", "--json").out)
    assert shown["versions"][0]["stage"] == "data"
    assert [c["to_stage"] for c in shown["stage_changes"]] == ["design", "data"]
    listed = json.loads(cli("system", "list", "--json").out)
    assert [s["id"] for s in listed["items"]] == ["acme-cv-ranker"]
    assert listed["total"] == 1
    history = json.loads(cli("system", "history", "acme-cv-ranker", "--json", "--proofs").out)
    assert [h["action"] for h in history] == [
        "system.register",
        "version.register",
        "version.stage",
    ]
    assert history[-1]["inclusion_proof"]["leaf_index"] == history[-1]["seq"]
    text = cli("system", "history", "acme-cv-ranker").out
    assert "collect CVs" in text and "design → data" in text
    orgs = json.loads(cli("org", "list", "--json").out)
    assert {o["id"] for o in orgs} == {"acme", "eu-ai-office"}
    assert json.loads(cli("org", "show", "acme", "--json").out)["jurisdictions"] == ["DE", "US"]


def test_licence_commands_as_regulator(cli: Run, tmp_path: Path) -> None:
    setup_world(cli, tmp_path)
    refused = cli(
        "licence", "grant", "acme", "--scope", "frontier-model-development", "--reason", "ok"
    )
    assert refused.code == 2 and "only a regulator" in one_error_line(refused.err)
    r = cli(
        "--as",
        "regulator:eu-ai-office",
        "licence",
        "grant",
        "acme",
        "--scope",
        "frontier-model-development",
        "--reason",
        "reviewed",
        "--json",
    )
    assert r.code == 0, r.err
    lic = json.loads(r.out)["id"]
    s = cli("--as", "regulator:eu-ai-office", "licence", "suspend", lic, "--reason", "audit")
    assert s.code == 0 and "suspended" in s.out
    listed = json.loads(cli("licence", "list", "--json").out)
    assert listed[0]["status"] == "suspended" and listed[0]["reason"] == "audit"
    shown = json.loads(cli("licence", "show", lic, "--json").out)
    assert [e["action"] for e in shown["events"]] == ["grant", "suspend"]


@pytest.mark.parametrize(
    ("card_text", "fragment"),
    [
        ("id: x\nname: [unclosed\n", "malformed YAML at line"),
        (CARD + "colour: red\n", "colour: unknown field"),
        (CARD.replace("profiling: true", "profiling: often"), "profiling"),
        (CARD.replace("provider: acme", "provider: nobody"), "provider: organisation 'nobody'"),
        (CARD.replace("employment-recruitment", "hiring"), "domains[0]"),
    ],
)
def test_bad_cards(cli: Run, tmp_path: Path, g: Gaio, card_text: str, fragment: str) -> None:
    setup_world(cli, tmp_path)
    before = log_size(g)
    path = tmp_path / "bad.yaml"
    path.write_text(card_text, encoding="utf-8")
    r = cli("system", "register", str(path))
    assert r.code == 2
    line = one_error_line(r.err)
    assert fragment in line
    if "unknown field" in fragment or "YAML" in fragment:
        assert str(path) in line
    assert log_size(g) == before


def test_duplicate_and_transition_and_licence_errors(cli: Run, tmp_path: Path, g: Gaio) -> None:
    card = setup_world(cli, tmp_path)
    assert cli("system", "register", str(card)).code == 0
    before = log_size(g)
    dup = cli("system", "register", str(card))
    assert dup.code == 2 and "already registered" in one_error_line(dup.err)
    dup_org = cli("org", "add", "acme", "--name", "x", "--kind", "provider", "-j", "DE")
    assert dup_org.code == 2 and "already exists" in one_error_line(dup_org.err)
    assert cli("system", "stage", "acme-cv-ranker", "retired", "--reason", "end").code == 0
    bad = cli("system", "stage", "acme-cv-ranker", "deployment", "--reason", "again")
    assert bad.code == 2 and "retirement is final" in one_error_line(bad.err)
    frontier = tmp_path / "f.yaml"
    frontier.write_text(
        CARD.replace("acme-cv-ranker", "acme-frontier")
        + "model:\n  general_purpose: true\n  training_compute_flop: 5.0e+25\n",
        encoding="utf-8",
    )
    lic = cli("system", "register", str(frontier))
    assert lic.code == 2 and "frontier-model-development" in one_error_line(lic.err)
    assert log_size(g) == before + 1


def test_usage_errors_exit_2(cli: Run) -> None:
    r = cli("system", "stage", "x", "flying", "--reason", "y")
    assert r.code == 2 and "flying" in r.err
    assert cli("org", "bogus").code == 2
    bad_as = cli("--as", "emperor", "org", "list")
    assert bad_as.code == 2 and "unknown role" in one_error_line(bad_as.err)


def test_json_errors_use_the_envelope(cli: Run) -> None:
    r = cli("system", "show", "nope", "--json")
    assert r.code == 2
    envelope = json.loads(r.out)
    assert envelope == {
        "ok": False,
        "status": 404,
        "code": "not_found",
        "message": "no system 'nope' (run 'gaio system list')",
        "errors": [],
    }


def test_rich_markup_in_data_is_printed_literally(cli: Run, tmp_path: Path) -> None:
    setup_world(cli, tmp_path)
    path = tmp_path / "c.yaml"
    path.write_text(CARD.replace("name: ACME CV Ranker", "name: '[bold red]x[/bold red]'"), "utf-8")
    assert cli("system", "register", str(path)).code == 0
    out = cli("system", "list").out
    assert "[bold red]x[/bold red]" in out


def test_ledger_commands(cli: Run, tmp_path: Path) -> None:
    setup_world(cli, tmp_path)
    assert "ledger OK: 2 entries" in cli("ledger", "verify").out
    cp = cli("ledger", "checkpoint").out
    assert cp.splitlines()[1] == "2"
    shown = json.loads(cli("ledger", "show", "--from", "1", "--json").out)
    assert [(e["seq"], e["action"]) for e in shown] == [(1, "org.add"), (2, "ledger.checkpoint")]
    key = cli("ledger", "key").out.strip()
    assert key.startswith("gaio.local/ledger+")
    proof = tmp_path / "p.json"
    assert cli("ledger", "prove", "1", "-o", str(proof)).code == 0
    (tmp_path / "k.pub").write_text(key + "\n", encoding="utf-8")
    ok = cli("ledger", "verify-proof", str(proof), "--key", str(tmp_path / "k.pub"))
    assert ok.code == 0 and "proof OK" in ok.out
    assert cli("org", "add", "x", "--name", "X", "--kind", "provider", "-j", "FR").code == 0
    cons = tmp_path / "c.json"
    assert cli("ledger", "consistency", "2", "-o", str(cons)).code == 0
    assert cli("ledger", "verify-proof", str(cons), "--key", key, "--json").code == 0
    missing = cli("ledger", "prove", "99")
    assert missing.code == 2 and "the log has 5 entries" in missing.err


def test_verify_reports_the_first_bad_sequence_number(cli: Run, tmp_path: Path, g: Gaio) -> None:
    from sqlalchemy import text

    setup_world(cli, tmp_path)
    with g.engine.begin() as conn:
        conn.execute(text("UPDATE organisations SET contact = 'x@evil' WHERE id = 'acme'"))
    r = cli("ledger", "verify")
    assert r.code == 1
    assert "ledger FAILED at sequence number 1: record org:acme differs" in r.err
    assert json.loads(cli("ledger", "verify", "--json").out)["problems"][0]["seq"] == 1


def test_proof_verifies_in_a_fresh_environment_with_only_the_public_key(
    cli: Run, tmp_path: Path
) -> None:
    setup_world(cli, tmp_path)
    proof = tmp_path / "proof.json"
    assert cli("ledger", "prove", "0", "-o", str(proof)).code == 0
    key = tmp_path / "ledger.pub"
    key.write_text(cli("ledger", "key").out, encoding="utf-8")
    empty = tmp_path / "elsewhere"
    env = {k: v for k, v in os.environ.items() if not k.startswith("GAIO_")}
    env["GAIO_HOME"] = str(empty)
    run = subprocess.run(
        [sys.executable, "-m", "gaio", "ledger", "verify-proof", str(proof), "--key", str(key)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    assert "proof OK: entry 0 is in the log" in run.stdout
    assert not empty.exists()
    doc = json.loads(proof.read_text())
    doc["entry"] = doc["entry"].replace("eu-ai-office", "eu-ai-0ffice")
    proof.write_text(json.dumps(doc))
    bad = subprocess.run(
        [sys.executable, "-m", "gaio", "ledger", "verify-proof", str(proof), "--key", str(key)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert bad.returncode == 1 and bad.stderr.startswith("error: ")


def test_init_creates_owner_only_key_and_other_commands_need_init(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from gaio.cli.app import main
    from tests.conftest import PG_URL

    home = tmp_path / "fresh"
    monkeypatch.setenv("GAIO_HOME", str(home))
    monkeypatch.delenv("GAIO_DATABASE_URL", raising=False)
    if PG_URL:
        monkeypatch.setenv("GAIO_DATABASE_URL", PG_URL)
    else:
        assert main(["org", "list"]) == 1
        assert "run 'gaio init' first" in capsys.readouterr().err
    assert main(["init"]) == 0
    key = home / "keys" / "ledger.key"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert stat.S_IMODE(key.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE(home.stat().st_mode) == 0o700
    first_key = key.read_text()
    assert main(["init"]) == 0
    assert key.read_text() == first_key
    key.chmod(0o644)
    capsys.readouterr()
    assert main(["ledger", "key"]) == 1
    assert "readable by others" in capsys.readouterr().err


def test_migrations_round_trip_and_match_the_tables(empty_gaio: Any) -> None:
    from alembic import command
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from gaio.store import migrate
    from gaio.store.tables.base import Base

    g = empty_gaio("m")
    from gaio.store.migrations.env_filter import include_object

    with g.engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"include_object": include_object})
        assert compare_metadata(ctx, Base.metadata) == []
    command.downgrade(migrate._config(g.engine), "base")
    assert migrate.current_revisions(g.engine) == frozenset()
    messages: list[str] = []
    again = Gaio.open(g.settings, notify=messages.append)
    assert migrate.current_revisions(again.engine) == migrate.head_revisions()
    assert len(messages) <= 1
    again.close()


def test_export_import_through_the_cli(cli: Run, tmp_path: Path) -> None:
    card = setup_world(cli, tmp_path)
    assert cli("system", "register", str(card)).code == 0
    out = tmp_path / "dump.jsonl"
    assert cli("export", str(out)).code == 0
    again = cli("import", str(out))
    assert again.code == 2 and "empty database" in one_error_line(again.err)
    missing = cli("import", str(tmp_path / "nope.jsonl"))
    assert missing.code == 2 and "no such file" in missing.err
