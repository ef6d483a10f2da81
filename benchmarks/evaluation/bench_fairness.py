"""Peers side by side on one CSV: gaio vs fairlearn MetricFrame vs AI Verify's toolbox.

Each tool runs end to end (process start, reading the CSV, computing, writing its result) in
its own subprocess and its own virtual environment (gaio installed from this checkout as a
user would), created under the cache directory on first use. Wall time is the median of
``repeats`` runs; peak RSS the largest seen.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import statistics
import subprocess
import venv
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
from measure import measure

HERE = Path(__file__).resolve().parent
PEERS = {
    "fairlearn": ["fairlearn", "pandas", "scikit-learn"],
    "aiverify": ["aiverify-fairness-metrics-toolbox-for-classification"],
}


def ensure_venv(cache: Path, name: str) -> Path:
    """A venv with the peer installed (created once; reused while its marker exists)."""
    root = cache / f"venv-{name}"
    python = root / "bin" / "python"
    marker = root / ".gaio-bench-ready"
    if marker.exists():
        return python
    if root.exists():
        shutil.rmtree(root)
    print(f"creating {root} …", flush=True)
    venv.EnvBuilder(with_pip=True).create(root)
    subprocess.run([str(python), "-m", "pip", "install", "-q", *PEERS[name]], check=True)
    marker.write_text("ok\n")
    return python


def ensure_gaio_venv(cache: Path) -> Path:
    """A venv with this checkout installed as a user would (``pip install .``, not editable).

    gaio gets its own environment like the peers: the development venv holds every test
    dependency, and start-up cost grows with the number of installed distributions. The
    checkout is reinstalled (without touching its dependencies) whenever its sources change.
    """
    root = cache / "venv-gaio"
    python = root / "bin" / "python"
    repo = HERE.parents[1]
    digest = hashlib.sha256()
    for path in sorted([repo / "pyproject.toml", *(repo / "src").rglob("*")]):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(str(path.relative_to(repo)).encode() + b"\0" + path.read_bytes())
    stamp = root / ".gaio-bench-source"
    if not python.exists():
        print(f"creating {root} …", flush=True)
        venv.EnvBuilder(with_pip=True).create(root)
        subprocess.run([str(python), "-m", "pip", "install", "-q", str(repo)], check=True)
    elif not stamp.exists() or stamp.read_text() != digest.hexdigest():
        reinstall = ["install", "-q", "--no-deps", "--force-reinstall", str(repo)]
        subprocess.run([str(python), "-m", "pip", *reinstall], check=True)
    stamp.write_text(digest.hexdigest())
    return root / "bin"


def make_csv(path: Path, rows: int, seed: int = 0) -> Path:
    """Binary label and prediction, one sensitive attribute with two groups (0/1, numeric so
    AI Verify's model can read it)."""
    if path.exists():
        return path
    rng = np.random.default_rng(seed)
    sex = rng.integers(0, 2, rows, dtype=np.int8)
    y = (rng.random(rows) < 0.3 + 0.1 * sex).astype(np.int8)
    flip = rng.random(rows) < 0.2
    yhat = np.where(flip, 1 - y, y).astype(np.int8)
    table = pa.table({"y": y, "yhat": yhat, "sex": sex})
    pacsv.write_csv(table, path)
    return path


def _median(runs: list[dict[str, float]]) -> dict[str, float]:
    return {
        "wall_s": statistics.median(r["wall_s"] for r in runs),
        "peak_rss_mib": max(r["peak_rss_mib"] for r in runs),
    }


def run_peers(
    work: Path, cache: Path, rows: int, repeats: int, skip_peers: bool
) -> dict[str, dict[str, float]]:
    data = make_csv(work / f"fair_{rows}.csv", rows)
    bin_dir = ensure_gaio_venv(cache)
    gaio, python = str(bin_dir / "gaio"), str(bin_dir / "python")
    commands: dict[str, tuple[list[str], str | None]] = {
        "gaio evaluate fairness (CLI, --json, 1000 bootstrap replicates)": (
            [
                gaio,
                "evaluate",
                "fairness",
                str(data),
                "--label",
                "y",
                "--prediction",
                "yhat",
                "--sensitive",
                "sex",
                "--json",
            ],
            str(work / "gaio.json"),
        ),
        "gaio library call (evaluate_fairness in a fresh python)": (
            [
                python,
                "-c",
                "from gaio.evaluation.run import evaluate_fairness as f;"
                f"f({str(data)!r}, label='y', prediction='yhat', sensitive=['sex'])",
            ],
            None,
        ),
    }
    if not skip_peers:
        fl = ensure_venv(cache, "fairlearn")
        commands["fairlearn MetricFrame (pandas read_csv + 4 metrics)"] = (
            [
                str(fl),
                str(HERE / "peers" / "fairlearn_run.py"),
                str(data),
                str(work / "fairlearn.json"),
            ],
            None,
        )
        av = ensure_venv(cache, "aiverify")
        model = work / "identity_tree.sav"
        if not model.exists():
            subprocess.run(
                [str(av), str(HERE / "peers" / "aiverify_model.py"), str(data), str(model)],
                check=True,
            )
        commands["AI Verify FMT classification 2.2.1 (CLI)"] = (
            [
                str(av),
                "-m",
                "aiverify_fairness_metrics_toolbox_for_classification",
                "--data_path",
                str(data),
                "--model_path",
                str(model),
                "--ground_truth_path",
                str(data),
                "--ground_truth",
                "y",
                "--model_type",
                "CLASSIFICATION",
                "--sensitive_features_list",
                "sex",
            ],
            None,
        )
    results: dict[str, dict[str, float]] = {}
    for name, (cmd, stdout) in commands.items():
        runs = []
        for _ in range(repeats):
            runs.append(measure(cmd, cwd=str(work), stdout=stdout))
        results[name] = _median(runs)
        print(
            f"  {name}: {results[name]['wall_s']:.2f} s, {results[name]['peak_rss_mib']:.0f} MiB",
            flush=True,
        )
    _check_agreement(work, skip_peers)
    return results


def _check_agreement(work: Path, skip_peers: bool) -> None:
    """gaio's per-group rates equal fairlearn's on the benchmark data (a sanity check)."""
    doc = json.loads((work / "gaio.json").read_text())
    ours = {g["group"]["sex"]: g["metrics"] for g in doc["classes"][0]["groups"]}
    if skip_peers:
        return
    theirs = json.loads((work / "fairlearn.json").read_text())["by_group"]
    for group, values in theirs.items():
        for metric, value in values.items():
            assert abs(ours[group][metric]["value"] - value) < 1e-12, (group, metric)
    print("  gaio and fairlearn agree on every per-group rate", flush=True)
    av = work / "output" / "results.json"
    if av.exists():
        print(
            f"  AI Verify wrote {av} (its per-group rates use population denominators)", flush=True
        )
