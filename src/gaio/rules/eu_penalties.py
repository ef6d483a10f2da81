"""EU AI Act Arts. 99 and 101: the fine ceilings that attach to what the classification found.

Contract: :func:`penalties` maps the decision to the penalty items of the catalog version, each
with its amounts (typed in the catalog, never here), who imposes it (the item's
``imposed-by-*`` tag) and the date it applies from (Art. 113(b) for Art. 99; Art. 101 is carved
out of point (b) and applies from the general date).
"""

from __future__ import annotations

from gaio.rules._context import Run
from gaio.rules.model import Penalty

_IMPOSED_BY = {
    "imposed-by-member-states": "Member State authorities under national rules (Art. 99(1))",
    "imposed-by-commission": "the European Commission (Art. 101(1))",
}


def penalties(run: Run) -> list[Penalty]:
    d = run.decision
    if d.out_of_scope:
        return []
    found: list[tuple[str, str]] = []
    if d.prohibited:
        found.append(("art-99-3", "non-compliance with the Art. 5 prohibition"))
    else:
        if not d.model_only and (d.high_risk or d.transparency or d.rbi_exception):
            found.append(
                ("art-99-4", "non-compliance with the operator or Art. 50 obligations found")
            )
        if d.gpai and not d.third_party_model:
            found.append(("art-101", "infringements by the provider of a general-purpose model"))
    if not d.model_only:
        found.append(("art-99-5", "incorrect, incomplete or misleading information to authorities"))
    out: list[Penalty] = []
    for local_id, because in found:
        item = run.item(local_id)
        if item is None:
            continue
        imposer = next((_IMPOSED_BY[t] for t in item.tags if t in _IMPOSED_BY), "")
        start = item.applies_from
        out.append(
            Penalty(
                item_id=item.id,
                citation=item.citation,
                title=item.title,
                fine_max_eur=item.fine_max_eur,
                fine_max_turnover_pct=item.fine_max_turnover_pct,
                imposed_by=imposer,
                applies_from=start,
                status="applies" if start is None or start <= run.on else "starts-later",
                because=because
                + "; the higher of the two amounts, the lower for SMEs (Art. 99(6))"
                * (local_id != "art-101"),
            )
        )
    return out
