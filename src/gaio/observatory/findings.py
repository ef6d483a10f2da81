"""One-sentence findings generated from a table's numbers (no free text is ever invented)."""

from __future__ import annotations

from collections.abc import Sequence

from gaio.observatory.model import Cell


def _pct(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)}%" if whole else "0%"


def share(rows: Sequence[Sequence[Cell]], noun: str, *, of: int | None = None) -> str:
    """``rows`` are (label, count) sorted by count: name the largest and its share."""
    counted = [(str(r[0]), int(r[1] or 0)) for r in rows if int(r[1] or 0) > 0]
    if not counted:
        return f"No {noun} in this period."
    total = of if of is not None else sum(n for _, n in counted)
    top = counted[0][1]
    leaders = [label for label, n in counted if n == top]
    if len(leaders) > 1:
        names = ", ".join(leaders[:-1]) + f" and {leaders[-1]}"
        return f"{names} tie for the most {noun} ({top} each of {total})."
    return f"{leaders[0]} accounts for the most {noun}: {top} of {total} ({_pct(top, total)})."


def trend(rows: Sequence[Sequence[Cell]], noun: str) -> str:
    """``rows`` are (year, count) in order: compare the last two years and name the peak."""
    counted = [(str(r[0]), int(r[1] or 0)) for r in rows]
    if not any(n for _, n in counted):
        return f"No {noun} recorded in these years."
    peak_year, peak = max(counted, key=lambda r: (r[1], r[0]))
    if len(counted) < 2:
        return f"{peak} {noun} in {peak_year}."
    (y1, a), (y2, b) = counted[-2], counted[-1]
    if a == b:
        change = "unchanged"
    elif a == 0:
        change = "up from none"
    else:
        change = f"{'up' if b > a else 'down'} {abs(round(100 * (b - a) / a))}%"
    return f"{b} {noun} in {y2} against {a} in {y1} ({change}); the peak was {peak} in {peak_year}."


def counts(rows: Sequence[Sequence[Cell]], noun: str) -> str:
    """``rows`` are (measure, count): list them in one sentence."""
    if not any(int(r[1] or 0) for r in rows):
        return f"No {noun} in this period."
    parts = [f"{r[0]}: {r[1]}" for r in rows]
    return f"{noun.capitalize()} in this period — " + "; ".join(parts) + "."


def clocks(on_time: int, late: int, open_within: int, overdue: int) -> str:
    total = on_time + late + open_within + overdue
    if not total:
        return "No serious incident with an Art. 73 reporting clock began in this period."
    return (
        f"{on_time} of {total} serious incidents ({_pct(on_time, total)}) were reported within "
        f"the Art. 73 deadline; {late} late, {open_within} open within the deadline and "
        f"{overdue} open past it."
    )


def changes(rows: Sequence[Sequence[Cell]]) -> str:
    moved = [(str(r[0]), int(r[1] or 0), int(r[2] or 0)) for r in rows if r[1] != r[2]]
    if not moved:
        return "Every measure is the same as in the previous period."
    label, before, now = max(moved, key=lambda r: (abs(r[2] - r[1]), r[0]))
    direction = "rose" if now > before else "fell"
    return f"The largest change: {label} {direction} from {before} to {now}."


def adoption(rows: Sequence[Sequence[Cell]]) -> str:
    """``rows`` are (jurisdiction, frameworks, …) sorted by frameworks."""
    if not rows:
        return "No jurisdiction had adopted a catalogued framework by the period's end."
    top = int(rows[0][1] or 0)
    leaders = [str(r[0]) for r in rows if int(r[1] or 0) == top]
    names = leaders[0] if len(leaders) == 1 else ", ".join(leaders[:-1]) + f" and {leaders[-1]}"
    return (
        f"{names} adopted the most catalogued frameworks ({top}) of the {len(rows)} "
        "jurisdictions with at least one."
    )
