"""Evidence of system versions (evaluation results), for those entitled to see it."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends

from gaio.actors import Actor
from gaio.http.deps import actor, gaio
from gaio.http.errors import ERROR_RESPONSES
from gaio.services.context import Gaio
from gaio.services.evaluation import evidence
from gaio.services.evaluation.evidence import Evidence
from gaio.services.evaluation.genai import upload_result

router = APIRouter(prefix="/api/v1", tags=["evaluations"], responses=ERROR_RESPONSES)
G = Annotated[Gaio, Depends(gaio)]
Who = Annotated[Actor, Depends(actor)]


@router.get("/systems/{system_id}/evidence")
def list_evidence(g: G, who: Who, system_id: str) -> list[Evidence]:
    return evidence.list_evidence(g, who, system_id)


@router.get("/evidence/{evidence_id}")
def get_evidence(g: G, who: Who, evidence_id: str) -> Evidence:
    item, _data = evidence.read_evidence(g, who, evidence_id)
    return item


@router.post("/systems/{system_id}/genai-results", status_code=201)
def post_genai_result(
    g: G, who: Who, system_id: str, body: Annotated[dict[str, Any], Body()]
) -> Evidence:
    """Store a generative-AI result document (gaio evaluate genai run --json) as evidence of
    the system's latest version (``ID@VERSION`` in the path for another version)."""
    return upload_result(g, who, system_id, body)
