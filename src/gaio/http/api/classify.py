"""Classification: of any card (nothing stored), and the stored one of a registered system."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from gaio.actors import Actor
from gaio.clock import today
from gaio.errors import InvalidInput
from gaio.evaluation.result import FairnessResult, parse_result
from gaio.http.deps import actor, gaio
from gaio.http.errors import ERROR_RESPONSES
from gaio.registry.card import parse_card
from gaio.rules import Classification, classify
from gaio.services.context import Gaio
from gaio.services.registry import classifications

router = APIRouter(prefix="/api/v1", tags=["classification"], responses=ERROR_RESPONSES)
G = Annotated[Gaio, Depends(gaio)]
Who = Annotated[Actor, Depends(actor)]


class ClassifyRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    card: dict[str, Any] = Field(description="a system card (schemas/system-card.schema.json)")
    on: date | None = Field(None, description="the day to classify on (default today)")
    rules: str | None = Field(None, description="NAME or NAME@VERSION (default: in force)")
    fairness: dict[str, Any] | None = Field(
        None,
        description="a `gaio evaluate fairness --json` result: adds the NYC LL 144 bias-audit "
        "figures to results['us-nyc-ll144']",
    )


@router.post("/classify")
def classify_card(g: G, body: ClassifyRequest) -> Classification:
    """Classify a card under the EU AI Act and, side by side in ``results``, under every
    registered jurisdiction's rule-set (NYC LL 144, Colorado AI Act, Korea AI Basic Act)."""
    evidence = _fairness(body.fairness) if body.fairness is not None else None
    return classify(
        parse_card(body.card, "card"),
        on=body.on,
        rules=body.rules,
        today=today(g.clock),
        fairness=evidence,
    )


def _fairness(data: dict[str, Any]) -> FairnessResult:
    try:
        parsed = parse_result(data)
    except ValidationError:
        raise InvalidInput("fairness: not a gaio evaluation result") from None
    if not isinstance(parsed, FairnessResult):
        raise InvalidInput(f"fairness: a {parsed.kind} result, expected a fairness result")
    return parsed


@router.get("/systems/{system_id}/classification")
def stored(g: G, who: Who, system_id: str, version: str | None = None) -> Classification:
    return classifications.get_classification(g, who, system_id, version)
