"""EU AI Act obligations that follow from a decision, per role, with the date each applies from.

Contract: :func:`obligations` turns a :class:`~gaio.rules._context.Decision` into
:class:`~gaio.rules.model.Obligation` rows. Every date comes from the catalog version: a high-risk
obligation applies from the *later* of its own date and the date of the route that made the system
high-risk (Annex III point or Art. 6(1)), and, when two routes apply, from the earlier route.
A prohibited system gets only its prohibitions (everything else is moot); a system out of scope
gets nothing. Items whose role is ``both`` yield one row per role; Art. 2(10) removes deployer rows.
"""

from __future__ import annotations

import datetime as dt

from gaio.registry.vocab import Domain
from gaio.rules._context import Run
from gaio.rules.model import Obligation, Role, Tier

RBI_CONDITIONS = ("art-5-2", "art-5-3", "art-5-4", "art-5-5")


def obligation_set(run: Run, name: str) -> list[str]:
    """The items of this catalog version tagged ``obligations:<name>``, in the Regulation's order.

    The obligation sets per role and tier are data: an amendment that adds or drops a duty is a
    change to the catalog tags. Sets: ``high-risk-provider``, ``high-risk-deployer``,
    ``gpai-all``, ``gpai-not-open``, ``gpai-systemic``.
    """
    tag = f"obligations:{name}"
    return [i.local_id for i in run.fw.items if tag in i.tags]


_MIGRATION = {
    Domain.MIGRATION_POLYGRAPH,
    Domain.MIGRATION_RISK,
    Domain.MIGRATION_APPLICATIONS,
    Domain.MIGRATION_IDENTIFICATION,
}


class _Rows:
    def __init__(self, run: Run) -> None:
        self.run = run
        self.rows: list[Obligation] = []

    def add(
        self,
        local_id: str,
        tier: Tier | None,
        *,
        not_before: dt.date | None = None,
        role: Role | None = None,
    ) -> None:
        item = self.run.item(local_id)
        if item is None:
            return
        roles: tuple[Role, ...]
        if role is not None:
            roles = (role,)
        elif item.role == "both":
            roles = ("provider", "deployer")
        elif item.role in ("provider", "deployer"):
            roles = (item.role,)
        else:
            roles = ("provider",)
        start = item.applies_from
        if not_before is not None and (start is None or start < not_before):
            start = not_before
        status = "applies" if start is None or start <= self.run.on else "starts-later"
        for r in roles:
            if self.run.decision.personal_use and r == "deployer":
                continue
            if any(o.item_id == item.id and o.role == r for o in self.rows):
                continue
            self.rows.append(
                Obligation(
                    item_id=item.id,
                    citation=item.citation,
                    title=item.title,
                    role=r,
                    applies_from=start,
                    status=status,
                    tier=tier,
                )
            )


def route_date(run: Run) -> dt.date | None:
    """When the high-risk rules start for this system: the earliest of its routes."""
    d = run.decision
    dates: list[dt.date] = []
    for point in d.annex_iii:
        item = run.item(point)
        if item is not None and item.applies_from is not None:
            dates.append(item.applies_from)
    if d.annex_i and not d.annex_i_section_b_only:
        item = run.item("art-6-1")
        if item is not None and item.applies_from is not None:
            dates.append(item.applies_from)
    return min(dates) if dates else None


def annex_iii_date(run: Run) -> dt.date | None:
    item = run.item("annex-iii")
    return item.applies_from if item is not None else None


def conformity_route(run: Run) -> str | None:
    """The Art. 43 paragraph that sets the conformity-assessment procedure."""
    d = run.decision
    if d.annex_i and not d.annex_i_section_b_only:
        return "art-43-3"
    if any(p.startswith("annex-iii-1-") for p in d.annex_iii):
        return "art-43-1"
    if d.annex_iii:
        return "art-43-2"
    return None


def registration(run: Run) -> list[str]:
    """The registration items for an Annex III system (Art. 49(1), (4), (5))."""
    points = run.decision.annex_iii
    if not points:
        return []
    if all(p == "annex-iii-2" for p in points):
        return ["art-49-5"]
    sensitive = any(p.startswith(("annex-iii-6", "annex-iii-7")) for p in points)
    if any(p.startswith("annex-iii-1") for p in points):
        migration = bool(set(run.card.domains or []) & _MIGRATION)
        sensitive = sensitive or run.bio.law_enforcement is True or migration
    return ["art-49-1", "art-49-4"] if sensitive else ["art-49-1"]


def _fria(run: Run) -> bool:
    """Art. 27(1): public-law or public-service deployers, and Annex III 5(b)/(c) deployers."""
    points = [p for p in run.decision.annex_iii if p != "annex-iii-2"]
    if not points:
        return False
    if any(p in ("annex-iii-5-b", "annex-iii-5-c") for p in points):
        return True
    public = run.card.deployer_public_body
    if public is None:
        run.ask(
            "deployer_public_body",
            "Is the system deployed by a body governed by public law, or a private entity "
            "providing public services?",
            "Such deployers carry out a fundamental rights impact assessment before first use "
            "(Art. 27) and register their use (Art. 49(3)).",
            ["art-27", "art-49-3"],
            decides="obligations",
        )
    return public is True


def obligations(run: Run) -> list[Obligation]:
    """Every obligation that follows from ``run.decision`` on ``run.on``."""
    d = run.decision
    rows = _Rows(run)
    if d.out_of_scope:
        return []
    if d.prohibited:
        for local_id in d.prohibited:
            rows.add(local_id, Tier.PROHIBITED)
        return rows.rows
    literacy = run.item("art-4")
    if literacy is not None and literacy.kind == "obligation" and not d.model_only:
        rows.add("art-4", None)  # Art. 4 concerns operators of AI systems, not a bare model
    for local_id in RBI_CONDITIONS if d.rbi_exception else ():
        rows.add(local_id, None)
    _high_risk(run, rows)
    if d.derogation:
        for local_id in ("art-6-4", "art-49-2"):
            rows.add(local_id, None, not_before=annex_iii_date(run))
    publishers = run.card.content_published_by or []
    for local_id in d.transparency:
        rows.add(local_id, Tier.TRANSPARENCY)
        if local_id in ("art-50-4-1", "art-50-4-2") and "provider" in publishers:
            rows.add(local_id, Tier.TRANSPARENCY, role="provider")  # publishing as deployer
    legacy = d.legacy_gpai_until
    if d.gpai:
        gpai_all = obligation_set(run, "gpai-all")
        chosen = gpai_all if d.foss_exempt else [*obligation_set(run, "gpai-not-open"), *gpai_all]
        for local_id in chosen:
            rows.add(local_id, Tier.GPAI, not_before=legacy)
        if d.third_country:
            rows.add("art-54-1", Tier.GPAI, not_before=legacy)
    if d.systemic:
        if d.systemic_by_compute:
            rows.add("art-52-1", Tier.GPAI_SYSTEMIC_RISK)
        for local_id in obligation_set(run, "gpai-systemic"):
            rows.add(local_id, Tier.GPAI_SYSTEMIC_RISK, not_before=legacy)
    return rows.rows


def _high_risk(run: Run, rows: _Rows) -> None:
    d = run.decision
    direct = bool(d.annex_iii) or (bool(d.annex_i) and not d.annex_i_section_b_only)
    if not direct or d.legacy_high_risk_exempt:
        return
    start = route_date(run)
    if d.legacy_high_risk_until is not None:
        start = d.legacy_high_risk_until
    hr = Tier.HIGH_RISK
    for local_id in obligation_set(run, "high-risk-provider"):
        rows.add(local_id, hr, not_before=start)
    route = conformity_route(run)
    if route is not None:
        rows.add(route, hr, not_before=start)
    annex_date = annex_iii_date(run)
    if d.legacy_high_risk_until is not None:
        annex_date = d.legacy_high_risk_until
    for local_id in registration(run):
        rows.add(local_id, hr, not_before=annex_date, role="provider")
    for local_id in obligation_set(run, "high-risk-deployer"):
        rows.add(local_id, hr, not_before=start)
    points = [p for p in d.annex_iii if p != "annex-iii-2"]
    if any(p.startswith("annex-iii-4") for p in points):
        rows.add("art-26-7", hr, not_before=start)
    if d.post_rbi_law_enforcement:
        rows.add("art-26-10", hr, not_before=start)
    if points:
        rows.add("art-26-11", hr, not_before=annex_date)
        rows.add("art-86", hr, not_before=annex_date)
    if _fria(run):
        rows.add("art-27", hr, not_before=annex_date)
    if points and run.card.deployer_public_body is True:
        rows.add("art-26-8", hr, not_before=annex_date)
        rows.add("art-49-3", hr, not_before=annex_date)
