"""Organisations, licences, systems and their versions."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Query, Response
from pydantic import BaseModel, ConfigDict, Field

from gaio.actors import Actor
from gaio.errors import NotFound
from gaio.http.deps import actor, gaio
from gaio.http.errors import ERROR_RESPONSES
from gaio.http.pagination import Page, paginate
from gaio.ledger.entries import LedgerEntry
from gaio.registry.card import parse_card
from gaio.registry.models import AISystem, Licence, Organisation
from gaio.registry.vocab import LicenceScope, LicenceStatus, OrgKind, Stage
from gaio.services.context import Gaio
from gaio.services.registry import licences, listing, organisations, systems
from gaio.services.registry.licences import LicenceChange, LicenceGrant
from gaio.services.registry.listing import MAX_QUERY, SortKey, SystemPage, SystemQuery
from gaio.services.registry.organisations import OrganisationInput

router = APIRouter(prefix="/api/v1", responses=ERROR_RESPONSES)

Limit = Annotated[int, Query(ge=1, le=200, description="page size")]
Offset = Annotated[int, Query(ge=0, le=2**53, description="items to skip")]
Sort = Annotated[str | None, Query(description="field to sort by; prefix '-' for descending")]
G = Annotated[Gaio, Depends(gaio)]
Who = Annotated[Actor, Depends(actor)]
IfMatch = Annotated[str | None, Header(description="ETag from a previous read")]


def _doc(field: str) -> str | None:
    return SystemQuery.model_fields[field].description


@router.get("/organisations", tags=["registry"])
def list_organisations(
    g: G,
    who: Who,
    kind: OrgKind | None = None,
    jurisdiction: str | None = None,
    limit: Limit = 50,
    offset: Offset = 0,
    sort: Sort = None,
) -> Page[Organisation]:
    found = organisations.list_organisations(g, who, kind=kind, jurisdiction=jurisdiction)
    return paginate(
        found,
        limit=limit,
        offset=offset,
        sort=sort,
        keys={
            "id": lambda o: o.id,
            "name": lambda o: o.name.lower(),
            "created_at": lambda o: o.created_at,
        },
    )


@router.post("/organisations", status_code=201, tags=["registry"])
def add_organisation(g: G, who: Who, body: OrganisationInput) -> Organisation:
    return organisations.add_organisation(g, who, body)


@router.get("/organisations/{org_id}", tags=["registry"])
def get_organisation(g: G, who: Who, org_id: str) -> Organisation:
    return organisations.get_organisation(g, who, org_id)


@router.get("/licences", tags=["registry"])
def list_licences(
    g: G,
    who: Who,
    holder: str | None = None,
    scope: LicenceScope | None = None,
    status: LicenceStatus | None = None,
    on: date | None = None,
    limit: Limit = 50,
    offset: Offset = 0,
    sort: Sort = None,
) -> Page[Licence]:
    found = licences.list_licences(g, who, holder=holder, scope=scope, status=status, on=on)
    return paginate(
        found,
        limit=limit,
        offset=offset,
        sort=sort,
        keys={
            "id": lambda x: x.id,
            "holder": lambda x: x.holder,
            "valid_from": lambda x: x.valid_from,
            "status": lambda x: x.status,
        },
    )


class GrantBody(LicenceGrant):
    model_config = ConfigDict(extra="forbid")


@router.post("/licences", status_code=201, tags=["registry"])
def grant_licence(g: G, who: Who, body: GrantBody) -> Licence:
    return licences.grant_licence(g, who, body)


@router.get("/licences/{licence_id}", tags=["registry"])
def get_licence(g: G, who: Who, licence_id: str, response: Response) -> Licence:
    found = licences.get_licence(g, who, licence_id)
    response.headers["ETag"] = f'"{licences.licence_etag(g, licence_id)}"'
    return found


class LicenceDecision(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field(min_length=1, max_length=5000)


@router.post("/licences/{licence_id}/{action}", tags=["registry"])
def change_licence(
    g: G, who: Who, licence_id: str, action: str, body: LicenceDecision, if_match: IfMatch = None
) -> LicenceChange:
    if action not in ("suspend", "reinstate", "revoke"):
        raise NotFound(f"no licence action {action!r}; expected suspend, reinstate or revoke")
    return licences.change_licence(g, who, licence_id, action, body.reason, if_match=if_match)


def _json(model: BaseModel, headers: dict[str, str] | None = None) -> Response:
    """A model as JSON in one pass (pydantic's Rust serialiser). Returning a Response skips
    FastAPI's second validation and encoding of a model the service has just built."""
    return Response(model.model_dump_json(), media_type="application/json", headers=headers)


@router.get("/systems", tags=["registry"], response_model=SystemPage)
def list_systems(
    g: G,
    who: Who,
    q: Annotated[str | None, Query(max_length=MAX_QUERY, description=_doc("q"))] = None,
    provider: Annotated[str | None, Query(max_length=MAX_QUERY)] = None,
    stage: Stage | None = None,
    jurisdiction: Annotated[
        str | None, Query(max_length=MAX_QUERY, description=_doc("jurisdiction"))
    ] = None,
    market: Annotated[
        str | None,
        Query(max_length=MAX_QUERY, description="older name of 'jurisdiction'", deprecated=True),
    ] = None,
    tier: Annotated[str | None, Query(max_length=MAX_QUERY, description=_doc("tier"))] = None,
    limit: Limit = 50,
    offset: Offset = 0,
    sort: Annotated[SortKey, Query(description=_doc("sort"))] = "id",
) -> Response:
    query = SystemQuery(
        q=q,
        provider=provider,
        stage=stage,
        jurisdiction=jurisdiction or market,
        tier=tier,
        limit=limit,
        offset=offset,
        sort=sort,
    )
    return _json(listing.search_systems(g, who, query))


class Registration(BaseModel):
    model_config = ConfigDict(extra="forbid")

    card: dict[str, Any] = Field(description="the system card (schemas/system-card.schema.json)")
    stage: Stage = Stage.DESIGN
    reason: str = Field("registered", min_length=1, max_length=5000)


@router.post("/systems", status_code=201, tags=["registry"])
def register_system(g: G, who: Who, body: Registration) -> AISystem:
    card = parse_card(body.card, "card")
    return systems.register_system(g, who, card, stage=body.stage, reason=body.reason)


@router.get("/systems/{system_id}", tags=["registry"], response_model=AISystem)
def get_system(g: G, who: Who, system_id: str) -> Response:
    found = systems.get_system(g, who, system_id)
    return _json(found, {"ETag": f'"{systems.version_etag(g, system_id)}"'})


class StageMove(BaseModel):
    model_config = ConfigDict(extra="forbid")

    stage: Stage
    reason: str = Field(min_length=1, max_length=5000)
    version: str | None = None


@router.post("/systems/{system_id}/stage", tags=["registry"])
def change_stage(
    g: G, who: Who, system_id: str, body: StageMove, response: Response, if_match: IfMatch = None
) -> AISystem:
    moved = systems.change_stage(
        g, who, system_id, body.stage, body.reason, version=body.version, if_match=if_match
    )
    response.headers["ETag"] = f'"{systems.version_etag(g, system_id, body.version)}"'
    return moved


@router.get("/systems/{system_id}/history", tags=["registry", "ledger"])
def system_history(g: G, who: Who, system_id: str) -> list[LedgerEntry]:
    return systems.system_history(g, who, system_id)
