"""CLI start-up per command, next to a bare Typer app (issue 16, item 4). One command:

    python benchmarks/cli/bench_startup.py [--runs 7]

Each command runs ``--runs`` times in a fresh interpreter (an observatory made once with
``gaio init`` in a temporary ``GAIO_HOME``); the median wall time is reported beside the same
measure for a bare Typer app's ``--help`` and for ``python -c pass``, interleaved in one run.
``-X importtime`` gives each command's import total and its costliest top-level packages.
Writes ``benchmarks/results/cli_startup.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT / "benchmarks" / "ledger"))
from bench_ledger import machine  # noqa: E402

BARE_TYPER = """
import typer
app = typer.Typer(add_completion=False)
@app.command()
def hello(name: str = "world") -> None:
    "Say hello."
    typer.echo(name)
@app.command()
def bye() -> None:
    "Say bye."
app()
"""

COMMANDS = {
    "gaio --help": ["--help"],
    "gaio --version": ["--version"],
    "gaio system --help": ["system", "--help"],
    "gaio system list": ["system", "list"],
    "gaio ledger verify": ["ledger", "verify"],
    "gaio incident --help": ["incident", "--help"],
    "gaio evaluate fairness --help": ["evaluate", "fairness", "--help"],
}


def timed(argv: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - start


def import_profile(argv: list[str], env: dict[str, str]) -> dict[str, Any]:
    """Sum of -X importtime's top-level (cumulative) times, and the five costliest packages."""
    run = subprocess.run(
        [argv[0], "-X", "importtime", *argv[1:]],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    top: dict[str, int] = {}
    for line in run.stderr.splitlines():
        m = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)", line)
        if m and len(m.group(3)) == 1:  # a top-level import
            name = m.group(4).split(".")[0]
            top[name] = top.get(name, 0) + int(m.group(2))
    costly = sorted(top.items(), key=lambda kv: -kv[1])[:5]
    return {
        "imports_ms": round(sum(top.values()) / 1000, 1),
        "costliest_ms": {k: round(v / 1000, 1) for k, v in costly},
        "numpy_or_duckdb": any(k in top for k in ("numpy", "duckdb", "polars", "pyarrow")),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--out", default=str(ROOT / "benchmarks" / "results" / "cli_startup.json"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, GAIO_HOME=str(Path(tmp) / "home"))
        env.pop("GAIO_DATABASE_URL", None)
        gaio = [sys.executable, "-m", "gaio"]
        subprocess.run([*gaio, "init"], env=env, check=True, capture_output=True)
        cases: dict[str, list[str]] = {
            "python -c pass": [sys.executable, "-c", "pass"],
            "bare Typer app --help": [sys.executable, "-c", BARE_TYPER, "--help"],
        }
        cases |= {name: [*gaio, *argv] for name, argv in COMMANDS.items()}
        times: dict[str, list[float]] = {name: [] for name in cases}
        for _ in range(args.runs):  # interleaved, so load on the machine hits all alike
            for name, argv in cases.items():
                times[name].append(timed(argv, env))
        bare = statistics.median(times["bare Typer app --help"])
        rows = {}
        for name, argv in cases.items():
            median = statistics.median(times[name])
            rows[name] = {
                "median_ms": round(median * 1000, 1),
                "ratio_to_bare_typer": round(median / bare, 2),
                **import_profile(argv, env),
            }
    result = {"machine": machine(), "runs": args.runs, "commands": rows}
    Path(args.out).write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
