"""EU AI Act Art. 111: systems and models already on the market before the rules apply to them.

Contract: :func:`transitions` reads ``placed_on_market`` from the card and, when it falls before
the relevant cut-off, records a finding and marks the decision so that obligations move:

- a general-purpose model placed on the market before Chapter V applies (Art. 113(b)) complies
  by the Art. 111(3) date;
- a high-risk system placed on the market before the cut-off of Art. 111(2) (2 August 2026 in
  the adopted text; the date Chapter III applies to its route in the 2026 amendment) is covered
  only once its design changes significantly; one intended for public authorities complies by
  the Art. 111(2) second-sentence date in any case.

Every date comes from the catalog version applied. An unknown placing date asks nothing when no
transition could apply (the system is not yet high-risk or a model).
"""

from __future__ import annotations

import datetime as dt

from gaio.rules._context import Run
from gaio.rules.eu_obligations import route_date


def _date(run: Run, local_id: str) -> dt.date | None:
    item = run.item(local_id)
    return item.date if item is not None else None


def high_risk_cutoff(run: Run) -> dt.date | None:
    """Before this date a high-risk system is a legacy system under Art. 111(2)."""
    return _date(run, "art-111-2-cutoff") or route_date(run)


def transitions(run: Run) -> None:
    d = run.decision
    placed = run.card.placed_on_market
    if placed is None:
        if (d.gpai and not d.third_party_model) or d.high_risk:
            run.ask(
                "placed_on_market",
                "When was it first placed on the market or put into service (YYYY-MM-DD)?",
                "Systems and models already on the market before the rules apply to them have "
                "transitional periods (Art. 111).",
                ["art-111-2", "art-111-3"],
                decides="obligations",
                answer="date",
            )
        return
    gpai_start = _date(run, "art-113-3-b")
    legacy_until = _date(run, "art-111-3")
    if d.gpai and not d.third_party_model and gpai_start and legacy_until and placed < gpai_start:
        d.legacy_gpai_until = legacy_until
        run.conclude(
            None,
            f"Model already on the market: comply by {legacy_until.isoformat()} (Art. 111(3))",
            ["art-111-3", "art-113-3-b"],
            [
                f"The model was placed on the market on {placed.isoformat()}, before Chapter V "
                f"applied ({gpai_start.isoformat()}, {run.citation('art-113-3-b')}).",
                f"Its provider takes the steps needed to comply by {legacy_until.isoformat()} "
                "(Art. 111(3)).",
            ],
        )
    cutoff = high_risk_cutoff(run) if d.high_risk else None
    if cutoff is None or placed >= cutoff:
        return
    public = run.card.deployer_public_body
    public_by = _date(run, "art-111-2-public")
    reasons = [
        f"The high-risk system was placed on the market on {placed.isoformat()}, before "
        f"{cutoff.isoformat()} (Art. 111(2)).",
        "It is covered by the high-risk rules only if its design changes significantly from "
        "then; a significantly changed version is a new card with its own placing date.",
    ]
    if public is True and public_by is not None:
        d.legacy_high_risk_until = public_by
        reasons.append(
            f"It is intended for use by public authorities, so its provider and deployers "
            f"comply by {public_by.isoformat()} in any case (Art. 111(2), second sentence)."
        )
    else:
        d.legacy_high_risk_exempt = True
        reasons.append(
            "The high-risk obligations do not attach to this version; deployer_public_body: "
            "true or a significant change would change this."
        )
    run.conclude(
        None, "Legacy high-risk system (Art. 111(2))", ["art-111-2", "art-111-2-public"], reasons
    )
