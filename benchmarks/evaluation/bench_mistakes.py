"""How long a common mistake takes to be refused, next to a correct run on the same file.

    python benchmarks/evaluation/bench_mistakes.py [--rows 20000]

Writes a CSV with a 0/1 label, a score column, its thresholded class and a yes/no copy, then
runs `gaio evaluate fairness` in a fresh process four ways: correct (-p class), the score as
the prediction, yes/no against 0/1, and the report of the correct result (HTML only). Wall
time per run and output size are printed; the ratio "refusal / correct run" is the figure.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd


def run(args: list[str]) -> tuple[float, int, int]:
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "gaio", *args], capture_output=True, check=False)
    return time.perf_counter() - start, done.returncode, len(done.stdout) + len(done.stderr)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=20_000)
    opts = parser.parse_args()
    rng = np.random.default_rng(0)
    n = opts.rows
    score = rng.random(n).round(4)
    frame = pd.DataFrame(
        {
            "y": rng.integers(0, 2, n),
            "score": score,
            "yhat": (score > 0.5).astype(int),
            "yn": np.where(score > 0.5, "yes", "no"),
            "sex": rng.choice(["f", "m"], n),
        }
    )
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "d.csv"
        frame.to_csv(data, index=False)
        result = Path(tmp) / "result.json"
        base = ["evaluate", "fairness", str(data), "-y", "y", "-s", "sex"]
        cases = {
            "correct (-p yhat)": [*base, "-p", "yhat", "--json", "-o", str(result)],
            "score as prediction (refused)": [*base, "-p", "score"],
            "yes/no vs 0/1 (refused)": [*base, "-p", "yn"],
            "report (HTML, charts)": ["evaluate", "report", str(result), "-o", tmp, "--no-pdf"],
        }
        print(f"rows: {n}")
        times = {}
        for name, args in cases.items():
            seconds, code, size = run(args)
            times[name] = seconds
            print(f"{name:32s} {seconds:6.2f} s  exit {code}  output {size:,} bytes")
        ratio = times["score as prediction (refused)"] / times["correct (-p yhat)"]
        print(f"refusal / correct run: {ratio:.2f}")


if __name__ == "__main__":
    main()
