"""Generative-AI evaluation benchmarks (one command, < 2 minutes on the 2-core machine):

    python benchmarks/genai/bench_genai.py

1. Pipeline overhead: 1,000 value-compass samples through Inspect (gaio's task, scorer and
   log) against a local OpenAI-compatible stub answering after a fixed 50 ms, at concurrency
   20; compared with the ideal 1,000 x 50 ms / 20 = 2.5 s.
2. Reliability table for the random mock model (must come out "not reliably measured").
Writes benchmarks/results/genai.json.
"""

from __future__ import annotations

import json
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from inspect_ai import Task, eval  # noqa: E402
from inspect_ai.dataset import MemoryDataset, Sample  # noqa: E402
from inspect_ai.solver import generate  # noqa: E402
from tests.genai.openai_stub import Behaviour, serve  # noqa: E402

from gaio.evaluation.genai.items import builtin_pack  # noqa: E402
from gaio.evaluation.genai.runner import run_spec  # noqa: E402
from gaio.evaluation.genai.spec import GenaiSpec  # noqa: E402
from gaio.evaluation.genai.tasks import compass_samples, value_answer  # noqa: E402

N, DELAY, CONCURRENCY = 1000, 0.05, 20


def overhead() -> dict[str, float]:
    pack = builtin_pack()
    pool = compass_samples(pack, ["en", "fr", "es"], ["A", "B"], True, True, None)
    samples = [
        Sample(
            id=f"{pool[i % len(pool)].id}#{i}",
            input=pool[i % len(pool)].input,
            metadata=pool[i % len(pool)].metadata,
        )
        for i in range(N)
    ]
    task = Task(dataset=MemoryDataset(samples), solver=generate(), scorer=value_answer())
    os.environ["STUB_API_KEY"] = "bench"
    b = Behaviour(answer="4", delay=DELAY)
    with serve(b) as url, tempfile.TemporaryDirectory() as logs:
        t0 = time.perf_counter()
        eval(
            task,
            model="openai-api/stub/bench",
            model_base_url=url,
            max_connections=CONCURRENCY,
            max_samples=CONCURRENCY,
            log_dir=logs,
            display="none",
            score_display=False,
        )
        wall = time.perf_counter() - t0
    ideal = N * DELAY / CONCURRENCY
    return {
        "samples": N,
        "wall_s": wall,
        "ideal_s": ideal,
        "ratio": wall / ideal,
        "samples_per_s": N / wall,
        "requests": b.requests,
    }


def mock_reliability() -> dict[str, object]:
    spec = GenaiSpec(
        suites=["value-compass"], languages=["en"], forms=["A"], epochs=3, bootstrap=200
    )
    with tempfile.TemporaryDirectory() as logs:
        t0 = time.perf_counter()
        result = run_spec(spec, "mockllm/random", log_dir=Path(logs))
        wall = time.perf_counter() - t0
    assert result.profile is not None
    return {
        "wall_s": wall,
        "samples": result.run.samples,
        "values": [
            {"value": v.value, "alpha": v.alpha, "omega": v.omega, "status": v.status}
            for v in result.profile.values
        ],
        "consistency": result.profile.consistency.model_dump(),
    }


def main() -> None:
    out = {
        "machine": platform.platform(),
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "overhead": overhead(),
        "mock": mock_reliability(),
    }
    path = ROOT / "benchmarks/results/genai.json"
    path.write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
