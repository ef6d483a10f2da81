"""Generative-AI result documents uploaded as evidence (the API's path; the CLI stores its own)."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from gaio.actors import Actor
from gaio.errors import InvalidInput
from gaio.evaluation.genai.result import GenaiResult
from gaio.services.context import Gaio
from gaio.services.evaluation.evidence import Evidence, resolve_target, store_document


def upload_result(g: Gaio, actor: Actor, ref: str, body: Any) -> Evidence:
    """Validate ``body`` as a genai result document and store it; nothing stored if invalid."""
    resolve_target(g, actor, ref)
    try:
        result = GenaiResult.model_validate(body)
    except ValidationError as exc:
        err = exc.errors(include_url=False)[0]
        loc = ".".join(str(p) for p in err.get("loc", ())) or "(body)"
        raise InvalidInput(f"genai result: {loc}: {err['msg']}") from None
    text = result.model_dump_json(indent=2) + "\n"
    summary: dict[str, object] = {
        "evaluation": "genai",
        "result_version": result.version,
        "verdict": result.verdict,
        "model": result.model,
    }
    return store_document(
        g, actor, ref, kind="evaluation-genai", data=text.encode("utf-8"),
        media_type="application/json", summary=summary,
    )  # fmt: skip
