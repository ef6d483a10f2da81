"""The command tree loads a capability only when one of its commands runs.

Start-up is most of a short command's time (``gaio evaluate fairness`` on a million rows does
~0.1 s of work); these tests keep unrelated capabilities out of that path.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from gaio.cli.app import app
from gaio.cli.lazy import LAZY

PROBE = """
import json, sys
from gaio.cli.app import main
code = main(sys.argv[1:])
sys.stdout.flush()
print(json.dumps({"code": code, "modules": sorted(sys.modules)}), file=sys.stderr)
"""


def _modules_after(args: list[str], tmp_path: Path) -> tuple[int, set[str], str]:
    run = subprocess.run(
        [sys.executable, "-c", PROBE, *args],
        capture_output=True,
        text=True,
        check=False,
        env={"GAIO_HOME": str(tmp_path / "home"), "PATH": "/usr/bin:/bin"},
        cwd=tmp_path,
    )
    report = json.loads(run.stderr.strip().splitlines()[-1])
    return int(report["code"]), set(report["modules"]), run.stdout


def test_evaluate_loads_neither_the_store_nor_other_capabilities(tmp_path: Path) -> None:
    data = tmp_path / "d.csv"
    data.write_text("y,yhat,sex\n1,1,a\n0,1,a\n1,0,b\n0,0,b\n1,1,b\n", encoding="utf-8")
    code, modules, out = _modules_after(
        ["evaluate", "fairness", str(data), "-y", "y", "-p", "yhat", "-s", "sex", "--json"],
        tmp_path,
    )
    assert code == 0
    assert json.loads(out)["kind"] == "fairness"
    heavy = ["sqlalchemy", "gaio.services", "gaio.ledger", "gaio.registry", "gaio.rules"]
    heavy += ["gaio.certification", "gaio.incidents", "gaio.config", "yaml", "rich"]
    assert not [m for m in heavy if m in modules]
    assert not (tmp_path / "home").exists()  # no settings read, nothing created


def test_version_loads_no_capability(tmp_path: Path) -> None:
    code, modules, out = _modules_after(["--version"], tmp_path)
    assert code == 0 and out.startswith("gaio ")
    assert not any(m.startswith(("gaio.evaluation", "gaio.services", "duckdb")) for m in modules)


@pytest.mark.parametrize("name", list(LAZY))
def test_every_lazy_command_builds_and_has_help(name: str) -> None:
    result = CliRunner().invoke(app, [name, "--help"], prog_name="gaio")
    assert result.exit_code == 0, result.output
    assert f"gaio {name}" in result.output


def test_root_help_lists_every_command_once() -> None:
    result = CliRunner().invoke(app, ["--help"], prog_name="gaio")
    assert result.exit_code == 0
    listed = [line.split()[0] for line in result.output.split("Commands:")[1].splitlines() if line]
    assert listed == ["init", *LAZY]


def test_a_misspelt_command_suggests_a_lazy_one() -> None:
    result = CliRunner().invoke(app, ["evalute"], prog_name="gaio")
    assert result.exit_code == 2
    assert "No such command 'evalute'. Did you mean 'evaluate'?" in result.output
    unknown = CliRunner().invoke(app, ["zzzz"], prog_name="gaio")
    assert unknown.exit_code == 2 and "Did you mean" not in unknown.output


HEAVY: tuple[str, ...] = ("numpy", "duckdb", "polars", "pandas", "pyarrow", "scipy", "sklearn")
HEAVY += ("fairlearn", "alembic")
HEAVY += ("torch", "sentence_transformers", "jinja2", "fastapi", "uvicorn", "starlette", "httpx")

LIGHT_COMMANDS = {
    "root help": ["--help"],
    "system help": ["system", "--help"],
    "system list": ["system", "list", "--json"],
    "ledger help": ["ledger", "--help"],
    "org list": ["org", "list", "--json"],
}


@pytest.fixture(scope="module")
def observatory(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An initialised (empty) observatory, for commands that read it."""
    here = tmp_path_factory.mktemp("light")
    code, _modules, _out = _modules_after(["init"], here)
    assert code == 0
    return here


@pytest.mark.parametrize("name", list(LIGHT_COMMANDS))
def test_light_commands_import_no_heavy_library(name: str, observatory: Path) -> None:
    """Start-up is most of a light command's time: the data-science and web stacks stay out."""
    code, modules, _out = _modules_after(LIGHT_COMMANDS[name], observatory)
    assert code == 0
    loaded = sorted(h for h in HEAVY if h in modules)
    assert not loaded, f"'gaio {' '.join(LIGHT_COMMANDS[name])}' imported {loaded}"


def test_the_schema_check_without_alembic_agrees_with_alembic() -> None:
    """Start-up reads the migration heads from the version files; Alembic must agree."""
    from gaio.store import migrate

    assert migrate.declared_heads() == migrate.head_revisions()
