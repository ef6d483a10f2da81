"""Incidents: report (rate-limited for the public), search with facets, similar, labels,
merges and the legal reporting clocks."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi import Path as Path_
from pydantic import BaseModel, ConfigDict, Field

from gaio.actors import Actor, Role
from gaio.http.deps import actor, gaio
from gaio.http.errors import ERROR_RESPONSES
from gaio.http.middleware import client_ip
from gaio.incidents.model import Incident, IncidentDraft, Label, Obligation
from gaio.incidents.model import Page as IncidentPage
from gaio.incidents.similarity import SimilarHit
from gaio.services.context import Gaio
from gaio.services.incidents import clocks as incident_clocks
from gaio.services.incidents import intake as svc
from gaio.services.incidents import labels as incident_labels
from gaio.services.incidents import search as incident_search
from gaio.services.incidents import similar as incident_similar
from gaio.services.incidents.search import Filters

router = APIRouter(prefix="/api/v1", tags=["incidents"], responses=ERROR_RESPONSES)
G = Annotated[Gaio, Depends(gaio)]
Who = Annotated[Actor, Depends(actor)]
Many = Annotated[list[str] | None, Query()]


class ReportBody(IncidentDraft):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    new: bool = Field(False, description="save even if it looks like a known incident")
    duplicate_of: list[int] = Field(default_factory=list, description="add as a report of these")


@router.post("/incidents", status_code=201)
def report(request: Request, g: G, who: Who, body: ReportBody) -> svc.Outcome:
    if who.role is Role.PUBLIC:
        request.app.state.anonymous_limiter.hit(client_ip(request.scope))
    draft = IncidentDraft.model_validate(body.model_dump(exclude={"new", "duplicate_of"}))
    return svc.report_incident(
        g, who, draft, check_duplicates=not body.new, attach_to=body.duplicate_of or None
    )


@router.get("/incidents")
def search(
    g: G,
    who: Who,
    q: Annotated[str | None, Query(max_length=500)] = None,
    kind: Many = None,
    label: Many = None,
    country: Many = None,
    sector: Many = None,
    entity: Many = None,
    system: Many = None,
    severity: Many = None,
    serious: bool | None = None,
    occurred_from: date | None = None,
    occurred_to: date | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 20,
    offset: Annotated[int, Query(ge=0, le=2**53)] = 0,
) -> IncidentPage:
    filters = Filters(
        kind=kind or [],
        label=label or [],
        country=country or [],
        sector=sector or [],
        entity=entity or [],
        system=system or [],
        severity=severity or [],
        serious=serious,
        occurred_from=occurred_from,
        occurred_to=occurred_to,
    )
    return incident_search.search(g, who, q, filters, limit=limit, offset=offset)


@router.get("/incidents/due")
def due(g: G, who: Who) -> list[Obligation]:
    return incident_clocks.due(g, who)


class SimilarBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1, max_length=100_000)
    limit: int = Field(5, ge=1, le=50)


@router.post("/incidents/similar")
def similar_to_text(g: G, who: Who, body: SimilarBody) -> list[SimilarHit]:
    return incident_similar.similar(g, who, text=body.text, limit=body.limit)


@router.get("/incidents/{incident_id}")
def show(g: G, who: Who, incident_id: Annotated[int, Path_(ge=1, le=2**31 - 1)]) -> Incident:
    return svc.get_incident(g, who, incident_id)


@router.get("/incidents/{incident_id}/similar")
def similar(
    g: G,
    who: Who,
    incident_id: Annotated[int, Path_(ge=1, le=2**31 - 1)],
    limit: Annotated[int, Query(ge=1, le=50)] = 5,
) -> list[SimilarHit]:
    return incident_similar.similar(g, who, incident_id=incident_id, limit=limit)


class LabelBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    taxonomy: str
    field: str
    value: str


@router.post("/incidents/{incident_id}/labels", status_code=201)
def add_label(
    g: G, who: Who, incident_id: Annotated[int, Path_(ge=1, le=2**31 - 1)], body: LabelBody
) -> Label:
    return incident_labels.add_label(g, who, incident_id, body.taxonomy, body.field, body.value)


class MergeBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    into: int = Field(ge=1, le=2**31 - 1)
    reason: str = Field(min_length=1, max_length=5000)


@router.post("/incidents/{incident_id}/merge")
def merge(
    g: G, who: Who, incident_id: Annotated[int, Path_(ge=1, le=2**31 - 1)], body: MergeBody
) -> Incident:
    return svc.merge(g, who, incident_id, body.into, body.reason)
