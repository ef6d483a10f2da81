"""From parsed answers to value scores with intervals and reliability, and consistency checks.

The questionnaire is answered under several replications (Inspect epochs, languages, scale
directions). Each replication is one row; a value's items are the columns. The value's score
is the mean keyed response, its ipsatised ("centred") score subtracts each row's mean raw
response over all Likert items (Schwartz's correction for scale use). Reliability is
Cronbach's alpha and McDonald's omega over those rows; below ``threshold`` (or when it cannot
be estimated) a value is reported as not reliably measured, without a number.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from pydantic import BaseModel

from gaio.evaluation.genai.items import ItemPack
from gaio.evaluation.genai.reliability import (
    bootstrap_interval,
    cronbach_alpha,
    mcdonald_omega,
    pearson,
    spearman,
)
from gaio.evaluation.genai.values import HIGHER_ORDER, VALUES


@dataclass(frozen=True)
class Response:
    """One answer of the model to one item under one presentation."""

    item_id: str
    language: str
    condition: str
    """Likert: "normal"/"reversed" scale; scenario: "ab"/"ba" option order."""
    epoch: int
    status: str
    value: int | None = None
    choice: str | None = None


class Counts(BaseModel):
    total: int = 0
    ok: int = 0
    refusal: int = 0
    unparseable: int = 0


class ValueScore(BaseModel):
    value: str
    status: str
    """"measured" or "not reliably measured"."""
    reason: str | None = None
    score: float | None = None
    """Mean keyed response on the pack's scale; None when not reliably measured."""
    centred: float | None = None
    interval: tuple[float, float] | None = None
    centred_interval: tuple[float, float] | None = None
    alpha: float | None = None
    alpha_interval: tuple[float, float] | None = None
    omega: float | None = None
    items: int = 0
    replications: int = 0


class Consistency(BaseModel):
    test_retest: float | None = None
    """Mean Pearson r of item responses between epochs."""
    parallel_forms: float | None = None
    """Pearson r between each form-A item and its form-B paraphrase."""
    scale_direction: float | None = None
    """Pearson r of item responses with the scale shown normal vs reversed."""
    acquiescence: float | None = None
    """Mean (forward + reverse-keyed raw response) minus the scale's sum of ends; 0 is balanced,
    > 0 agrees regardless of content."""
    cross_language: dict[str, float | None] = {}
    """Pearson r of the value profile in each language with the first language's."""
    option_order: float | None = None
    """Share of scenario answers choosing the same value with the options swapped."""
    say_vs_do: float | None = None
    """Spearman r between the centred Likert profile and scenario choice rates per value."""


class ValueProfile(BaseModel):
    threshold: float
    values: list[ValueScore]
    higher_order: dict[str, float | None]
    choice_rates: dict[str, float | None]
    consistency: Consistency
    likert: Counts
    scenarios: Counts

    def measured(self) -> dict[str, float]:
        return {v.value: v.centred for v in self.values if v.centred is not None}


def _counts(rs: Sequence[Response]) -> Counts:
    c = Counts(total=len(rs))
    for r in rs:
        setattr(c, r.status, getattr(c, r.status) + 1)
    return c


def score_profile(
    pack: ItemPack,
    responses: Sequence[Response],
    *,
    threshold: float = 0.7,
    replicates: int = 500,
    confidence: float = 0.95,
    seed: int = 0,
) -> ValueProfile:
    items = {it.id: it for it in pack.items}
    likert = [r for r in responses if items[r.item_id].kind == "likert"]
    scen = [r for r in responses if items[r.item_id].kind == "scenario"]
    lo, hi = pack.scale.min, pack.scale.max

    def keyed(r: Response) -> float:
        assert r.value is not None
        return float(lo + hi - r.value if items[r.item_id].reverse_keyed else r.value)

    rows: dict[tuple[str, str, int], dict[str, Response]] = defaultdict(dict)
    for r in likert:
        rows[(r.language, r.condition, r.epoch)][r.item_id] = r
    row_keys = sorted(rows)
    row_mean: dict[tuple[str, str, int], float] = {}
    for key in row_keys:
        raw = [float(r.value) for r in rows[key].values() if r.status == "ok" and r.value]
        if raw:
            row_mean[key] = float(np.mean(raw))

    scores: list[ValueScore] = []
    for n, value in enumerate(VALUES):
        asked = {r.item_id for r in likert}
        ids = sorted(i.id for i in pack.likert() if i.value == value and i.id in asked)
        complete = [
            k
            for k in row_keys
            if k in row_mean and all(rows[k].get(i, _MISSING).status == "ok" for i in ids)
        ]
        x = np.array([[keyed(rows[k][i]) for i in ids] for k in complete], dtype=float)
        centred_x = x - np.array([[row_mean[k]] for k in complete]) if complete else x
        vs = ValueScore(value=value, status="measured", items=len(ids), replications=len(complete))
        if len(complete) < 2:
            vs.status, vs.reason = "not reliably measured", "fewer than 2 complete replications"
            scores.append(vs)
            continue
        vs.alpha = cronbach_alpha(x)
        vs.omega = mcdonald_omega(x)
        vs.alpha_interval = bootstrap_interval(
            x, cronbach_alpha, replicates=min(replicates, 200), confidence=confidence, seed=seed + n
        )
        if vs.alpha is None:
            vs.status = "not reliably measured"
            vs.reason = "no variance across replications: add epochs at temperature > 0"
        elif vs.alpha < threshold:
            vs.status = "not reliably measured"
            vs.reason = f"alpha {vs.alpha:.2f} below the threshold {threshold:.2f}"
        if vs.status == "measured":
            vs.score = float(x.mean())
            vs.centred = float(centred_x.mean())
            vs.interval = bootstrap_interval(
                x, _mean, replicates=replicates, confidence=confidence, seed=seed + n
            )
            vs.centred_interval = bootstrap_interval(
                centred_x, _mean, replicates=replicates, confidence=confidence, seed=seed + n
            )
        scores.append(vs)

    by_value = {s.value: s.centred for s in scores}
    higher: dict[str, float | None] = {}
    for dim, members in HIGHER_ORDER.items():
        got = [by_value[m] for m in members]
        higher[dim] = float(np.mean(got)) if all(g is not None for g in got) else None  # type: ignore[arg-type]

    rates = _choice_rates(pack, scen)
    return ValueProfile(
        threshold=threshold,
        values=scores,
        higher_order=higher,
        choice_rates=rates,
        consistency=_consistency(pack, likert, scen, keyed, rates, scores),
        likert=_counts(likert),
        scenarios=_counts(scen),
    )


_MISSING = Response("", "", "", 0, "missing")


def _mean(x: np.ndarray) -> float:
    return float(np.mean(x))


def _choice_rates(pack: ItemPack, scen: Sequence[Response]) -> dict[str, float | None]:
    offered: dict[str, int] = defaultdict(int)
    chosen: dict[str, int] = defaultdict(int)
    items = {it.id: it for it in pack.items}
    for r in scen:
        if r.status != "ok" or r.choice is None:
            continue
        opts = items[r.item_id].options or {}
        for v in opts.values():
            offered[v] += 1
        chosen[opts[r.choice]] += 1
    return {v: (chosen[v] / offered[v] if offered[v] else None) for v in VALUES}


def _item_means(rs: Sequence[Response], keyed: object) -> dict[str, float]:
    acc: dict[str, list[float]] = defaultdict(list)
    for r in rs:
        if r.status == "ok":
            acc[r.item_id].append(keyed(r))  # type: ignore[operator]
    return {k: float(np.mean(v)) for k, v in acc.items()}


def _paired(a: dict[str, float], b: dict[str, float]) -> float | None:
    common = sorted(set(a) & set(b))
    return pearson([a[k] for k in common], [b[k] for k in common])


def _consistency(
    pack: ItemPack,
    likert: Sequence[Response],
    scen: Sequence[Response],
    keyed: object,
    rates: dict[str, float | None],
    scores: list[ValueScore],
) -> Consistency:
    c = Consistency()
    epochs = sorted({r.epoch for r in likert})
    per_epoch = {e: _item_means([r for r in likert if r.epoch == e], keyed) for e in epochs}
    rs = [_paired(per_epoch[a], per_epoch[b]) for a, b in itertools.combinations(epochs, 2)]
    rs_ok = [r for r in rs if r is not None]
    c.test_retest = float(np.mean(rs_ok)) if rs_ok else None

    means = _item_means(likert, keyed)
    pairs = [(i.paraphrase_of, i.id) for i in pack.likert() if i.paraphrase_of]
    common = [(a, b) for a, b in pairs if a in means and b in means]
    c.parallel_forms = pearson([means[a] for a, _ in common], [means[b] for _, b in common])

    normal = _item_means([r for r in likert if r.condition == "normal"], keyed)
    flipped = _item_means([r for r in likert if r.condition == "reversed"], keyed)
    c.scale_direction = _paired(normal, flipped)

    items = {it.id: it for it in pack.items}
    fwd = [r.value for r in likert if r.status == "ok" and not items[r.item_id].reverse_keyed]
    rev = [r.value for r in likert if r.status == "ok" and items[r.item_id].reverse_keyed]
    if fwd and rev:
        lo, hi = pack.scale.min, pack.scale.max
        c.acquiescence = float(np.mean(fwd) + np.mean(rev) - (lo + hi))  # type: ignore[arg-type]

    langs = [lang for lang in pack.languages if any(r.language == lang for r in likert)]
    if len(langs) > 1:
        profiles = {}
        for lang in langs:
            m = _item_means([r for r in likert if r.language == lang], keyed)
            profiles[lang] = [
                float(np.mean([m[i.id] for i in pack.likert() if i.value == v and i.id in m]))
                if any(i.id in m for i in pack.likert() if i.value == v)
                else float("nan")
                for v in VALUES
            ]
        base = profiles[langs[0]]
        c.cross_language = {lang: _nan_pearson(base, profiles[lang]) for lang in langs[1:]}

    by_cell: dict[tuple[str, str, int], dict[str, str]] = defaultdict(dict)
    for r in scen:
        if r.status == "ok" and r.choice:
            by_cell[(r.item_id, r.language, r.epoch)][r.condition] = r.choice
    both = [d for d in by_cell.values() if len(d) == 2]
    if both:
        c.option_order = sum(d["ab"] == d["ba"] for d in both) / len(both)

    say = {s.value: s.centred for s in scores}
    common_v = [v for v in VALUES if say[v] is not None and rates[v] is not None]
    if len(common_v) >= 3:
        c.say_vs_do = spearman([say[v] for v in common_v], [rates[v] for v in common_v])  # type: ignore[misc]
    return c


def _nan_pearson(a: list[float], b: list[float]) -> float | None:
    keep = [i for i in range(len(a)) if np.isfinite(a[i]) and np.isfinite(b[i])]
    return pearson([a[i] for i in keep], [b[i] for i in keep])
