"""Incidents: report (rate-limited for the public), search with facets, similar, labels,
merges and the legal reporting clocks."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi import Path as Path_
from pydantic import BaseModel, ConfigDict, Field

from gaio.actors import Actor, Role
from gaio.http.deps import actor, gaio
from gaio.http.errors import ERROR_RESPONSES
from gaio.http.middleware import client_ip
from gaio.incidents.model import Incident, IncidentDraft, Label, Obligation, Report
from gaio.incidents.model import Page as IncidentPage
from gaio.incidents.similarity import SimilarHit
from gaio.inputs import MAX_DUPLICATE_OF
from gaio.services.context import Gaio
from gaio.services.incidents import clocks as incident_clocks
from gaio.services.incidents import intake as svc
from gaio.services.incidents import labels as incident_labels
from gaio.services.incidents import moderation as incident_moderation
from gaio.services.incidents import reports as incident_reports
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
    duplicate_of: list[int] = Field(
        default_factory=list,
        max_length=MAX_DUPLICATE_OF,
        description="add as a report of these",
    )


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


class ModerationBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    decision: Literal["approve", "reject"]
    note: str = Field("", max_length=2000)


@router.get("/moderation/incidents")
def moderation_queue(
    g: G,
    who: Who,
    limit: Annotated[int, Query(ge=1, le=1000)] = 50,
    offset: Annotated[int, Query(ge=0, le=2**31)] = 0,
) -> list[incident_moderation.Pending]:
    """Incidents and reports awaiting moderation (moderators only)."""
    return incident_moderation.queue(g, who, limit=limit, offset=offset)


@router.post("/moderation/incidents/{kind}/{item_id}")
def moderate(
    g: G,
    who: Who,
    kind: Literal["incident", "report"],
    item_id: Annotated[int, Path_(ge=1, le=2**31 - 1)],
    body: ModerationBody,
) -> dict[str, str]:
    """Approve (publish) or reject an incident or report awaiting moderation."""
    state = incident_moderation.decide(g, who, kind, item_id, body.decision, body.note)
    return {"kind": kind, "id": str(item_id), "moderation": state}


class ReportPage(BaseModel):
    total: int
    items: list[Report]


@router.get("/reports")
def reports(
    g: G,
    who: Who,
    q: Annotated[str | None, Query(max_length=500)] = None,
    outlet: Annotated[str | None, Query(max_length=300)] = None,
    incident: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0, le=2**31)] = 0,
) -> ReportPage:
    """Reports (sources) with their title, outlet, URL and incidents."""
    total, items = incident_reports.list_reports(
        g, who, query=q, outlet=outlet, incident_id=incident, limit=limit, offset=offset
    )
    return ReportPage(total=total, items=items)


@router.get("/reports/{report_id}")
def report_source(g: G, who: Who, report_id: Annotated[int, Path_(ge=1, le=2**31 - 1)]) -> Report:
    return incident_reports.get_report(g, who, report_id)


@router.get("/moderation/pairs")
def duplicate_pairs(
    g: G, who: Who, limit: Annotated[int, Query(ge=1, le=1000)] = 50
) -> list[incident_similar.PairEvidence]:
    """Likely duplicate pairs awaiting an editor, with the evidence side by side."""
    return incident_similar.pending_pairs(g, who, limit)
