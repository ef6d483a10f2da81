"""The observatory's publications and public voice: consultations (comments rate-limited for
the public, like incident reports), lineage and ML-BOMs of systems."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi import Path as Path_
from pydantic import BaseModel, ConfigDict, Field

from gaio.actors import Actor, Role
from gaio.http.deps import actor, gaio
from gaio.http.errors import ERROR_RESPONSES
from gaio.http.middleware import client_ip
from gaio.observatory.voice import Comment, CommentDraft, Consultation, ConsultationDraft
from gaio.registry.lineage import Lineage
from gaio.services.context import Gaio
from gaio.services.observatory import consultations as svc
from gaio.services.registry import supplychain

router = APIRouter(prefix="/api/v1", tags=["observatory"], responses=ERROR_RESPONSES)
G = Annotated[Gaio, Depends(gaio)]
Who = Annotated[Actor, Depends(actor)]
Id = Annotated[int, Path_(ge=1, le=2**31 - 1)]


class CommentBody(CommentDraft):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class OpenBody(ConsultationDraft):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class AnswerBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    answer: str = Field(min_length=1, max_length=20_000)


class ModerationBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    publish: bool


@router.get("/consultations")
def list_consultations(g: G, who: Who) -> list[Consultation]:
    return svc.list_consultations(g, who)


@router.post("/consultations", status_code=201)
def open_consultation(g: G, who: Who, body: OpenBody) -> Consultation:
    return svc.open_consultation(g, who, ConsultationDraft.model_validate(body.model_dump()))


@router.get("/consultations/{consultation_id}")
def get_consultation(g: G, who: Who, consultation_id: Id) -> Consultation:
    return svc.get_consultation(g, who, consultation_id)


@router.post("/consultations/{consultation_id}/comments", status_code=201)
def comment(request: Request, g: G, who: Who, consultation_id: Id, body: CommentBody) -> Comment:
    if who.role is Role.PUBLIC:
        request.app.state.anonymous_limiter.hit(client_ip(request.scope))
    return svc.comment(g, who, consultation_id, CommentDraft.model_validate(body.model_dump()))


@router.post("/consultations/{consultation_id}/comments/{number}/moderation")
def moderate(g: G, who: Who, consultation_id: Id, number: Id, body: ModerationBody) -> Comment:
    return svc.moderate(g, who, consultation_id, number, publish=body.publish)


@router.post("/consultations/{consultation_id}/answer")
def answer(g: G, who: Who, consultation_id: Id, body: AnswerBody) -> Consultation:
    return svc.answer(g, who, consultation_id, body.answer)


@router.get("/systems/{system_id}/lineage")
def lineage(g: G, who: Who, system_id: Annotated[str, Path_(max_length=64)]) -> Lineage:
    return supplychain.lineage(g, who, system_id)


@router.get("/systems/{system_id}/mlbom")
def mlbom(
    g: G, who: Who, system_id: Annotated[str, Path_(max_length=64)], version: str | None = None
) -> dict[str, Any]:
    """The system version's CycloneDX 1.6 ML-BOM (the latest version by default)."""
    return supplychain.export_mlbom(g, who, system_id, version)
