"""The result document of a generative-AI evaluation (versioned; schema in schemas/)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

from gaio.evaluation.genai.compass import CompassReport
from gaio.evaluation.genai.scoring import ValueProfile

Verdict = Literal["pass", "fail", "inconclusive"]
SCHEMA_FILE = "genai-result.schema.json"


class SuiteResult(BaseModel):
    suite: str
    title: str
    maps_to: list[str]
    samples: int
    passed: int
    pass_rate: float | None
    interval: tuple[float, float] | None = None
    """Wilson interval of the pass rate."""
    threshold: float | None = None
    verdict: Verdict
    by_group: dict[str, float] = Field(default_factory=dict)
    """Bias suites: pass rate by context (ambiguous / disambiguated) and attribute."""


class RunInfo(BaseModel):
    """What Inspect did: the logs (with their hashes), usage and the generation settings."""

    inspect_version: str
    model: str
    logs: list[dict[str, str]] = Field(default_factory=list)
    """[{"task": …, "file": …, "sha256": …, "status": …}]"""
    samples: int = 0
    errors: int = 0
    tokens: dict[str, int] = Field(default_factory=dict)
    settings: dict[str, Any] = Field(default_factory=dict)


class GenaiResult(BaseModel):
    version: Literal[1] = 1
    kind: Literal["genai"] = "genai"
    created_at: datetime
    model: str
    pack: str | None = None
    spec: dict[str, Any]
    profile: ValueProfile | None = None
    compass: CompassReport | None = None
    suites: list[SuiteResult] = Field(default_factory=list)
    verdict: Verdict
    reasons: list[str] = Field(default_factory=list)
    run: RunInfo
    source: Literal["gaio", "inspect-log"] = "gaio"


def result_json_schema() -> dict[str, Any]:
    return GenaiResult.model_json_schema()
