"""Deployer links awaiting the deployer's consent: list, accept, decline."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path

from gaio.actors import Actor
from gaio.http.deps import actor, gaio
from gaio.http.errors import ERROR_RESPONSES
from gaio.services.context import Gaio
from gaio.services.registry import deployers

router = APIRouter(prefix="/api/v1", tags=["registry"], responses=ERROR_RESPONSES)
G = Annotated[Gaio, Depends(gaio)]
Who = Annotated[Actor, Depends(actor)]
SystemId = Annotated[str, Path(min_length=1, max_length=64)]


@router.get("/deployer-requests")
def pending(g: G, who: Who) -> list[deployers.DeployerLink]:
    """Systems whose providers named the caller's organisation as a deployer, unanswered."""
    return deployers.pending_for(g, who)


@router.post("/systems/{system_id}/deployer/accept")
def accept(g: G, who: Who, system_id: SystemId) -> deployers.DeployerLink:
    """The named deployer accepts: only now is it listed among the system's deployers."""
    return deployers.decide(g, who, system_id, accept=True)


@router.post("/systems/{system_id}/deployer/decline")
def decline(g: G, who: Who, system_id: SystemId) -> deployers.DeployerLink:
    return deployers.decide(g, who, system_id, accept=False)
