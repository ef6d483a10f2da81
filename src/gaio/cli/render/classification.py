"""Human-readable output of a classification (Rich markup, every value from data escaped).

Layout, per framework: the tiers, each conclusion with its deciding provisions and reasoning,
the obligations per role (applies / starts DATE), the plan with deadlines, then the open
questions; after the EU AI Act, the capability level, China's duties, NIST AI RMF subcategories
and the cross-framework equivalents.
"""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape

from gaio.rules.model import Classification, FrameworkResult, OtherResults, PlanStep

NIST_SHOWN = 12
"""How many NIST subcategories the human output lists (all are in ``--json``)."""


def render(console: Console, result: Classification, name: str) -> None:
    eu = result.eu
    console.print(
        f"[bold]{escape(name)}[/bold] ({escape(result.card_id)} {escape(result.system_version)})"
        f" on {result.on.isoformat()}"
    )
    _eu(console, eu, result.rules)
    _penalties(console, eu)
    _jurisdictions(console, result)
    _other(console, result.other)


def _penalties(console: Console, eu: FrameworkResult) -> None:
    if not eu.penalties:
        return
    console.print("\n  [bold]penalties[/bold]")
    for p in eu.penalties:
        when = "applies" if p.status == "applies" else f"from {p.applies_from}"
        console.print("    " + escape(f"{p.citation:<14} {p.title} — by {p.imposed_by}; {when}"))


def _yes_no(value: bool | None) -> str:
    return "unknown" if value is None else ("yes" if value else "no")


def _jurisdictions(console: Console, result: Classification) -> None:
    """Every jurisdiction's rule-set side by side: placed there, applies, what the system is."""
    if not result.results:
        return
    console.print("\n[bold]Jurisdictions side by side[/bold]")
    console.print(f"  {'jurisdiction':<11} {'placed':<8} {'applies':<8} {'status':<42} rule-set")
    for name, r in result.results.items():
        line = (
            f"  {r.jurisdiction:<11} {_yes_no(r.placed):<8} {_yes_no(r.applies):<8} "
            f"{r.status[:42]:<42} {r.rule_set}"
        )
        console.print(escape(line))
        if name == "eu-ai-act" or not r.applies:
            continue
        for d in r.duties:
            when = "applies" if d.status == "applies" else f"starts {d.applies_from}"
            console.print("      " + escape(f"{d.citation:<34} {d.title} — {when}"))
        for a in r.bias_audit:
            for table in a.tables:
                console.print(
                    "      "
                    + escape(
                        f"bias audit ({a.positive_label}) by {' x '.join(table.attributes)}; "
                        f"unknown excluded: {table.unknown_applicants}"
                    )
                )
                for c in table.categories:
                    rate = "-" if c.selection_rate is None else f"{c.selection_rate:.3f}"
                    ratio = "-" if c.impact_ratio is None else f"{c.impact_ratio:.3f}"
                    flag = " (under 2 %, excludable)" if c.excludable else ""
                    label = "/".join(c.category.values())
                    console.print(
                        "        "
                        + escape(f"{label:<24} n={c.applicants:<6} rate={rate} ratio={ratio}{flag}")
                    )


def _eu(console: Console, eu: FrameworkResult, ref: str) -> None:
    status = "" if eu.status == "adopted" else f" — {eu.status}, not law"
    console.print(f"\n[bold]EU AI Act ({escape(ref)}{escape(status)})[/bold]")
    for note in eu.notes:
        console.print(f"  note: {escape(note)}")
    console.print(f"  tiers: [bold]{escape(', '.join(t.value for t in eu.tiers))}[/bold]")
    for c in eu.conclusions:
        label = f"[{c.tier.value}] " if c.tier else ""
        console.print(f"\n  {escape(label)}{escape(c.summary)}")
        if c.provisions:
            cited = "; ".join(p.citation for p in c.provisions)
            console.print(f"    provisions: {escape(cited)}")
        for line in c.reasoning:
            console.print(f"    - {escape(line)}")
    for role in ("provider", "deployer"):
        rows = [o for o in eu.obligations if o.role == role]
        if not rows:
            continue
        console.print(f"\n  [bold]{role} obligations[/bold]")
        for o in rows:
            when = (
                "applies"
                if o.status == "applies"
                else f"starts {o.applies_from.isoformat() if o.applies_from else 'later'}"
            )
            console.print(f"    {escape(o.citation):<28} {escape(o.title)} — {when}")
    if eu.plan:
        console.print("\n  [bold]plan[/bold]")
        for step in eu.plan:
            line = f"{_when(step):<24} [{step.role}] {step.step} ({step.citation})"
            console.print("    " + escape(line))
    if eu.undetermined:
        console.print("\n  [bold]undetermined: answer these[/bold] (gaio classify --interactive)")
        for q in eu.undetermined:
            cited = "; ".join(p.citation for p in q.provisions)
            console.print(f"    ? {escape(q.path)}: {escape(q.question)}")
            console.print("      why: " + escape(f"{q.why} [{cited}]"))


def _when(step: PlanStep) -> str:
    if step.window_days is not None:
        return f"within {step.window_days} day(s)"
    if step.deadline is None:
        return "now"
    verb = "since" if step.due == "applies" else "by"
    return f"{verb} {step.deadline.isoformat()}"


def _other(console: Console, other: OtherResults) -> None:
    cap = other.capability
    console.print(f"\n[bold]Capability level ({escape(cap.framework)})[/bold]")
    if cap.level is not None:
        prefix = "at least " if cap.at_least else ""
        console.print(f"  {prefix}{escape(cap.level_title or cap.level.citation)}")
    for line in cap.reasoning:
        console.print(f"    - {escape(line)}")
    for s in cap.safeguards:
        console.print(f"    safeguard: {escape(s.title)} ({escape(s.citation)})")
    for q in cap.undetermined:
        console.print(f"    ? {escape(q.path)}: {escape(q.question)}")
    cn = other.china
    verdict = {True: "apply", False: "do not apply", None: "undetermined"}[cn.applies]
    console.print(
        f"\n[bold]China generative AI measures ({escape(cn.framework)})[/bold]: {verdict}"
    )
    for line in cn.reasoning:
        console.print(f"    - {escape(line)}")
    for d in cn.duties:
        console.print(f"    {escape(d.citation):<28} {escape(d.title)}")
    for q in cn.undetermined:
        console.print(f"    ? {escape(q.path)}: {escape(q.question)}")
    if other.nist:
        console.print("\n[bold]NIST AI RMF: most relevant subcategories[/bold]")
        for n in other.nist[:NIST_SHOWN]:
            title = n.citation.rsplit(", ", 1)[-1]
            text = n.text if len(n.text) <= 120 else n.text[:119] + "…"
            console.print("    " + escape(f"{title:<12} {text}"))
            console.print(f"      because: {escape('; '.join(n.because))}")
        if len(other.nist) > NIST_SHOWN:
            console.print(f"    … and {len(other.nist) - NIST_SHOWN} more (--json)")
    if other.equivalents:
        console.print("\n[bold]Equivalents in other frameworks[/bold] (gaio catalog map ITEM)")
        for e in other.equivalents:
            related = "; ".join(
                f"{r.framework}: {r.citation} ({r.relationship})" for r in e.related
            )
            console.print(f"    {escape(e.citation)} → {escape(related)}")
