"""Generate ``docs/cli.md`` from the commands' ``--help`` (a test fails when it drifts).

Run ``python -m scripts.clidoc`` from the repository root after changing a command.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer
from typer.testing import CliRunner

from gaio.cli.app import app

HEADER = """# gaio command reference

Generated from `gaio ... --help` by `python -m scripts.clidoc`; `tests/cli/test_docs.py`
fails when this file and the commands disagree. Every command that lists or shows takes
`--json`. Errors print one line on stderr and exit with code 2 (bad input, refused) or 1
(failure); under `--json` the error is also printed on stdout as
`{"ok": false, "status": ..., "code": ..., "message": ..., "errors": [...]}`.
"""


def _paths(command: Any, prefix: list[str]) -> list[list[str]]:
    out = [prefix]
    if hasattr(command, "list_commands"):
        ctx = typer.Context(command)
        for name in sorted(command.list_commands(ctx)):
            out.extend(_paths(command.get_command(ctx, name), [*prefix, name]))
    return out


def render() -> str:
    runner = CliRunner()
    root = typer.main.get_command(app)
    parts = [HEADER]
    for path in _paths(root, []):
        result = runner.invoke(
            app,
            [*path, "--help"],
            env={"COLUMNS": "100", "TERM": "dumb"},
            prog_name="gaio",
            terminal_width=100,
        )
        title = " ".join(["gaio", *path])
        parts.append(f"\n## `{title}`\n\n```text\n{result.output.rstrip()}\n```\n")
    return "".join(parts)


def main(path: Path = Path("docs/cli.md")) -> None:
    path.parent.mkdir(exist_ok=True)
    path.write_text(render(), encoding="utf-8")
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
