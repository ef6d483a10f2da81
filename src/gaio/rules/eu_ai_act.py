"""The EU AI Act rule-set: the decision procedure, article by article, over one catalog version.

Order matters and follows the Regulation: scope first (Art. 2), then the prohibitions (Art. 5),
the high-risk routes (Art. 6 with Annexes I and III), the transparency duties (Art. 50) and the
general-purpose model rules (Arts. 51-55); Art. 2(12) last, because it depends on all of them.

How the tiers are assembled:

- out of scope (determined) -> ``[out-of-scope]`` alone; nothing else applies;
- prohibited (determined) -> ``[prohibited]`` alone; the other tiers are moot, since the system
  may not be placed on the Union market;
- otherwise every tier reached, plus ``undetermined`` while a question could still change a tier;
  ``minimal`` when no tier is reached and nothing is open.

Several tiers at once are normal (a high-risk system with Art. 50 duties; a general-purpose model
with systemic risk that generates content).
"""

from __future__ import annotations

import datetime as dt

from gaio.catalog import Framework
from gaio.registry.card import SystemCard
from gaio.rules._context import Run
from gaio.rules.eu_gpai import gpai, model_only
from gaio.rules.eu_high_risk import annex_i, annex_iii
from gaio.rules.eu_obligations import obligations
from gaio.rules.eu_penalties import penalties
from gaio.rules.eu_prohibitions import prohibitions
from gaio.rules.eu_scope import open_source_system, scope
from gaio.rules.eu_transitions import transitions
from gaio.rules.eu_transparency import transparency
from gaio.rules.model import TIER_ORDER, Citation, Conclusion, FrameworkResult, Tier
from gaio.rules.plan import plan


class EuAiAct:
    """The built-in rule-set for every version of ``eu-ai-act`` in the catalog."""

    name = "eu-ai-act"

    def classify(self, card: SystemCard, framework: Framework, on: dt.date) -> FrameworkResult:
        run = Run(fw=framework, card=card, on=on)
        run.decision.model_only = card.subject == "model"
        scope(run)
        if run.decision.model_only:
            if not run.decision.out_of_scope:
                model_only(run)
        elif not run.decision.out_of_scope:
            prohibitions(run)
        n_prohibitions = len(run.conclusions)
        if not run.decision.out_of_scope and not run.decision.prohibited:
            if not run.decision.model_only:
                annex_iii(run)
                annex_i(run)
                transparency(run)
                gpai(run)
            transitions(run)
            if not run.decision.model_only:
                open_source_system(run)
        d = run.decision
        if d.out_of_scope:
            kept = [c for c in run.conclusions if c.tier == Tier.OUT_OF_SCOPE]
            return self._result(run, [Tier.OUT_OF_SCOPE], kept, keep_questions=False)
        if d.prohibited:
            kept = run.conclusions[:n_prohibitions]
            kept.append(
                Conclusion(
                    tier=None,
                    summary="Other classifications are moot",
                    provisions=run.cite(["art-5"]),
                    reasoning=[
                        "A prohibited practice may not be placed on the market, put into "
                        "service or used in the Union, so whether it would otherwise be "
                        "high-risk or carry transparency duties does not arise."
                    ],
                )
            )
            return self._result(run, [Tier.PROHIBITED], kept, keep_questions=False)
        found = {c.tier for c in run.conclusions if c.tier is not None}
        tiers = [t for t in TIER_ORDER if t in found]
        if run.tier_open:
            tiers.append(Tier.UNDETERMINED)
            run.conclusions.append(_undetermined(run))
        if not tiers:
            tiers = [Tier.MINIMAL]
            run.conclusions.append(_minimal(run))
        return self._result(run, tiers, run.conclusions, keep_questions=True)

    def _result(
        self, run: Run, tiers: list[Tier], conclusions: list[Conclusion], *, keep_questions: bool
    ) -> FrameworkResult:
        rows = obligations(run)
        steps = plan(run, rows)
        return FrameworkResult(
            framework=run.fw.id,
            version=run.fw.version,
            status=run.fw.status,
            tiers=tiers,
            conclusions=conclusions,
            undetermined=list(run.questions) if keep_questions else [],
            obligations=rows,
            plan=steps,
            penalties=penalties(run),
        )


def _undetermined(run: Run) -> Conclusion:
    """One conclusion gathering every question that could still change a tier."""
    open_ = [q for q in run.questions if q.decides == "tier"]
    provisions: list[Citation] = []
    for q in open_:
        provisions.extend(p for p in q.provisions if p not in provisions)
    return Conclusion(
        tier=Tier.UNDETERMINED,
        summary="Undetermined until these facts are known: " + ", ".join(q.path for q in open_),
        provisions=provisions,
        reasoning=[f"{q.path}: {q.why}" for q in open_],
    )


def _minimal(run: Run) -> Conclusion:
    findings = [c for c in run.conclusions if c.tier is None]
    provisions: list[Citation] = []
    for c in findings:
        for p in c.provisions:
            if p not in provisions and not p.item_id.endswith(":art-2-1"):
                provisions.append(p)
    reasoning = [
        "No prohibited practice (Art. 5), no high-risk route (Art. 6 with Annexes I and III), "
        "no transparency duty (Art. 50) and not a general-purpose model.",
        *(f"{c.summary}." for c in findings),
        "Minimal risk: AI literacy (Art. 4) applies, and voluntary codes of conduct (Art. 95) "
        "are encouraged.",
    ]
    return Conclusion(
        tier=Tier.MINIMAL,
        summary="Minimal risk",
        provisions=[*provisions, *run.cite(["art-4"])],
        reasoning=reasoning,
    )


EU_AI_ACT = EuAiAct()
