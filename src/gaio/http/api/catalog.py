"""Governance frameworks as data and the crosswalk between them."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter

from gaio import catalog
from gaio.catalog.model import Framework
from gaio.catalog.query import FrameworkSummary, RelatedRequirement
from gaio.http.errors import ERROR_RESPONSES

router = APIRouter(prefix="/api/v1/catalog", tags=["catalog"], responses=ERROR_RESPONSES)


@router.get("/frameworks")
def frameworks() -> list[FrameworkSummary]:
    return catalog.list_frameworks()


@router.get("/frameworks/{framework_id}")
def framework(framework_id: str, version: str | None = None, on: date | None = None) -> Framework:
    return catalog.select_version(framework_id, version=version, on=on)


@router.get("/map/{item_id}")
def map_requirement(item_id: str) -> list[RelatedRequirement]:
    return catalog.map_requirement(item_id)
