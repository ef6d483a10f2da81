"""The ledger: checkpoints, entries and proofs anyone can verify offline."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query
from pydantic import BaseModel

from gaio.actors import Actor
from gaio.errors import NotFound
from gaio.http.deps import actor, gaio
from gaio.http.errors import ERROR_RESPONSES
from gaio.ledger.entries import LedgerEntry
from gaio.ledger.proofs import ConsistencyProofDocument, InclusionProofDocument
from gaio.services.context import Gaio
from gaio.services.ledger import audit as ledger
from gaio.services.ledger.audit import CheckpointInfo

MAX_INT = 2**53

router = APIRouter(prefix="/api/v1/ledger", tags=["ledger"], responses=ERROR_RESPONSES)
G = Annotated[Gaio, Depends(gaio)]
Who = Annotated[Actor, Depends(actor)]


class VerifierKey(BaseModel):
    origin: str
    verifier_key: str


@router.get("/key")
def key(g: G) -> VerifierKey:
    return VerifierKey(origin=g.settings.log_origin, verifier_key=ledger.verifier_key(g))


@router.get("/checkpoint")
def latest(g: G) -> CheckpointInfo:
    found = ledger.latest_checkpoint(g)
    if found is None:
        raise NotFound("no checkpoint has been signed yet")
    return found


@router.post("/checkpoint", status_code=201)
def sign(g: G, who: Who) -> CheckpointInfo:
    return ledger.sign_checkpoint(g, who)


@router.get("/entries")
def entries(
    g: G,
    start: Annotated[int, Query(alias="from", ge=0, le=MAX_INT)] = 0,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> list[LedgerEntry]:
    return ledger.show(g, start=start, limit=limit)


@router.get("/proofs/inclusion/{seq}")
def inclusion(g: G, seq: Annotated[int, Path(ge=0, le=MAX_INT)]) -> InclusionProofDocument:
    return ledger.prove(g, seq)


@router.get("/proofs/consistency")
def consistency(
    g: G,
    old: Annotated[int, Query(ge=1, le=MAX_INT)],
    new: Annotated[int | None, Query(ge=1, le=MAX_INT)] = None,
) -> ConsistencyProofDocument:
    return ledger.consistency(g, old, new)
