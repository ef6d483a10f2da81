"""The committed JSON Schema of the result document matches the models (no drift)."""

from __future__ import annotations

from pathlib import Path

from gaio.evaluation.schema import SCHEMA_FILE, render_schema

SCHEMA = Path(__file__).resolve().parents[2] / "schemas" / SCHEMA_FILE


def test_committed_schema_is_current() -> None:
    assert SCHEMA.read_text(encoding="utf-8") == render_schema(), (
        "schemas/evaluation-result.schema.json is stale: run `python -m gaio.evaluation.schema`"
    )


def test_public_surface() -> None:
    import gaio.evaluation as ev

    assert ev.__all__ == sorted(ev.__all__)
    for name in ev.__all__:
        assert getattr(ev, name) is not None
