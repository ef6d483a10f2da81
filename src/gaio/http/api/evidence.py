"""Evidence of system versions (evaluation results), for those entitled to see it."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends

from gaio.actors import Actor, Role
from gaio.errors import NotFound
from gaio.http.deps import actor, gaio
from gaio.http.errors import ERROR_RESPONSES
from gaio.services.context import Gaio
from gaio.services.evaluation import evidence
from gaio.services.evaluation.evidence import Evidence
from gaio.services.registry import systems

router = APIRouter(prefix="/api/v1", tags=["evaluations"], responses=ERROR_RESPONSES)
G = Annotated[Gaio, Depends(gaio)]
Who = Annotated[Actor, Depends(actor)]


def may_see(who: Actor, provider: str) -> bool:
    """Evidence is confidential to the provider, auditors, regulators and administrators."""
    return who.role in (Role.ADMIN, Role.REGULATOR, Role.AUDITOR) or (
        who.role is Role.PROVIDER and who.belongs_to(provider)
    )


@router.get("/systems/{system_id}/evidence")
def list_evidence(g: G, who: Who, system_id: str) -> list[Evidence]:
    system = systems.get_system(g, who, system_id)
    if not may_see(who, system.provider):
        return []
    return evidence.list_evidence(g, who, system_id)


@router.get("/evidence/{evidence_id}")
def get_evidence(g: G, who: Who, evidence_id: str) -> Evidence:
    item, _data = evidence.read_evidence(g, who, evidence_id)
    system = systems.get_system(g, who, item.system_id)
    if not may_see(who, system.provider):
        raise NotFound(f"no evidence {evidence_id!r}")
    return item
