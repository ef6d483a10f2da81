"""From sufficient statistics to reports: per-group metrics, intervals and disparities.

Pure: no I/O. The bootstrap draws all its replicates from one ``numpy`` Generator seeded by the
caller, in a fixed order (class by class), so the same seed gives the same document.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from gaio.evaluation import metrics as m
from gaio.evaluation.bootstrap import percentile_interval, resample_counts
from gaio.evaluation.result import (
    ClassReport,
    Disparity,
    FourFifths,
    GroupLabel,
    GroupReport,
    MetricValue,
)
from gaio.evaluation.stats import (
    ClassificationStats,
    FloatArray,
    GroupKey,
    IntArray,
    LabelValue,
    RegressionStats,
    ScoreTable,
)


def group_label(attributes: Sequence[str], key: GroupKey) -> GroupLabel:
    return dict(zip(attributes, key, strict=True))


def _interval_value(value: float, samples: FloatArray | None, confidence: float) -> MetricValue:
    if samples is None:
        return MetricValue(value=value)
    iv = percentile_interval(samples, confidence)
    if iv.low is None:
        return MetricValue(value=value)
    return MetricValue(value=value, ci_low=iv.low, ci_high=iv.high, ci_method="bootstrap")


def _merge_tables(tables: Sequence[ScoreTable]) -> ScoreTable:
    scores = np.concatenate([t.scores for t in tables])
    counts = np.concatenate([t.counts for t in tables])
    uniq, inv = np.unique(scores, return_inverse=True)
    merged = np.zeros((uniq.size, counts.shape[1]), dtype=np.int64)
    np.add.at(merged, inv, counts)
    return ScoreTable(uniq, merged)


def _score_metrics(
    stats: ClassificationStats, gidx: int | None, positive: int, confidence: float
) -> dict[str, MetricValue]:
    if stats.calibration_counts is None or stats.calibration_score_sums is None:
        return {}
    if stats.score_tables is None:
        return {}
    if gidx is None:
        cal_n = stats.calibration_counts.sum(axis=0)
        cal_s = stats.calibration_score_sums.sum(axis=0)
        table = _merge_tables(stats.score_tables)
    else:
        cal_n = stats.calibration_counts[gidx]
        cal_s = stats.calibration_score_sums[gidx]
        table = stats.score_tables[gidx]
    ece = m.expected_calibration_error(cal_n, cal_s.sum(axis=-1), positive)
    out = {
        "ece": MetricValue(value=ece)
        if ece is not None
        else MetricValue(value=None, undefined_reason="empty group")
    }
    auc, n_pos, n_neg = m.roc_auc(table, positive)
    if auc is None:
        reason = "no actual positives" if n_pos == 0 else "no actual negatives"
        out["roc_auc"] = MetricValue(value=None, undefined_reason=reason)
    else:
        lo, hi = m.hanley_mcneil_interval(auc, n_pos, n_neg, confidence)
        out["roc_auc"] = MetricValue(value=auc, ci_low=lo, ci_high=hi, ci_method="hanley-mcneil")
    return out


def _group_report(
    label: GroupLabel,
    counts: IntArray,
    f1_samples: FloatArray | None,
    score_metrics: dict[str, MetricValue],
    confidence: float,
    min_group_size: int,
) -> GroupReport:
    values = m.rate_values(counts, confidence)
    f1 = values["f1"]
    if f1.value is not None:
        values["f1"] = _interval_value(f1.value, f1_samples, confidence)
    values.update(score_metrics)
    n = int(counts.sum())
    return GroupReport(group=label, count=n, metrics=values, too_small=n < min_group_size)


def _disparity_reason(kind: str, comparison: str, d: m.DisparityDefinition) -> str:
    names = " and ".join(d.metrics)
    if comparison == "worst_vs_best":
        if kind == "ratio":
            return f"{names}: fewer than two groups with a defined value, or the highest is 0"
        return f"{names}: fewer than two groups with a defined value"
    if kind == "ratio":
        return f"{names}: undefined for the group or the reference, or the reference's is 0"
    return f"{names}: undefined for the group or the reference"


def _disparity(
    d: m.DisparityDefinition,
    kind: str,
    comparison: str,
    value: float,
    samples: FloatArray | None,
    confidence: float,
    group: GroupLabel | None = None,
    reference: GroupLabel | None = None,
) -> Disparity:
    if np.isnan(value):
        mv = MetricValue(value=None, undefined_reason=_disparity_reason(kind, comparison, d))
    else:
        mv = _interval_value(float(value), samples, confidence)
    return Disparity(
        name=d.name,
        metrics=list(d.metrics),
        kind=kind,
        comparison=comparison,
        group=group,
        reference=reference,
        value=mv,
    )


def _named(
    disparity: Disparity, which: tuple[int, int, str] | None, labels: Sequence[GroupLabel]
) -> Disparity:
    """A worst-vs-best disparity with its groups named: ``group`` has the lowest value of the
    deciding metric, ``reference`` the highest (so ratio = group / reference, as vs_reference)."""
    if which is None or disparity.value.value is None:
        return disparity
    lo, hi, component = which
    return disparity.model_copy(
        update={"group": labels[lo], "reference": labels[hi], "component": component}
    )


def class_report(
    stats: ClassificationStats,
    positive: LabelValue,
    *,
    confidence: float,
    replicates: int,
    rng: np.random.Generator,
    reference: int | None,
    min_group_size: int,
) -> ClassReport:
    """Every metric and disparity for one positive class."""
    k = stats.class_index(positive)
    counts = stats.binary_counts(positive)
    labels = [group_label(stats.attributes, key) for key in stats.groups]
    boot = resample_counts(counts, replicates, rng) if replicates > 0 else None
    boot_rates = m.rate_arrays(boot) if boot is not None else None
    groups = [
        _group_report(
            labels[g],
            counts[g],
            boot_rates["f1"][:, g] if boot_rates is not None else None,
            _score_metrics(stats, g, k, confidence),
            confidence,
            min_group_size,
        )
        for g in range(len(stats.groups))
    ]
    overall_counts = counts.sum(axis=0)
    overall = _group_report(
        {},
        overall_counts,
        m.rate_arrays(boot.sum(axis=1))["f1"] if boot is not None else None,
        _score_metrics(stats, None, k, confidence),
        confidence,
        0,
    )
    rates = m.rate_arrays(counts)
    disparities: list[Disparity] = []
    for d in m.DISPARITIES:
        point = m.worst_vs_best(rates, d)
        samples = m.worst_vs_best(boot_rates, d) if boot_rates is not None else None
        which = m.worst_vs_best_groups(rates, d)
        for kind in d.kinds:
            disparities.append(
                _named(
                    _disparity(
                        d,
                        kind,
                        "worst_vs_best",
                        float(point[kind]),
                        samples[kind] if samples is not None else None,
                        confidence,
                    ),
                    which.get(kind),
                    labels,
                )
            )
        if reference is None:
            continue
        point_ref = m.vs_reference(rates, d, reference)
        samples_ref = m.vs_reference(boot_rates, d, reference) if boot_rates is not None else None
        for g in range(len(stats.groups)):
            if g == reference:
                continue
            for kind in d.kinds:
                disparities.append(
                    _disparity(
                        d,
                        kind,
                        "vs_reference",
                        float(point_ref[kind][g]),
                        samples_ref[kind][:, g] if samples_ref is not None else None,
                        confidence,
                        labels[g],
                        labels[reference],
                    )
                )
    return ClassReport(
        positive_label=str(positive),
        overall=overall,
        groups=groups,
        disparities=disparities,
        four_fifths=four_fifths(rates["selection_rate"], labels),
    )


def four_fifths(
    selection: FloatArray, labels: Sequence[GroupLabel], threshold: float = m.FOUR_FIFTHS
) -> FourFifths:
    """EEOC four-fifths rule: each group's selection rate ≥ ``threshold`` × the highest
    group's (0.8 unless a spec bounds ``disparate_impact_ratio`` from below)."""
    defined = ~np.isnan(selection)
    if defined.sum() < 2 or np.nanmax(selection) == 0:
        return FourFifths(threshold=threshold, passed=None, ratio=None)
    top = float(np.nanmax(selection))
    ratios = np.where(defined, selection / top, np.nan)
    failing = [labels[i] for i in range(len(labels)) if defined[i] and ratios[i] < threshold]
    lowest = float(np.nanmin(ratios))
    return FourFifths(
        threshold=threshold, passed=lowest >= threshold, ratio=lowest, failing_groups=failing
    )


def four_fifths_from_groups(groups: Sequence[GroupReport], threshold: float) -> FourFifths:
    """The four-fifths check recomputed from the group reports' selection rates."""
    values = [
        np.nan if (v := gr.metrics.get("selection_rate")) is None or v.value is None else v.value
        for gr in groups
    ]
    return four_fifths(np.array(values, dtype=np.float64), [gr.group for gr in groups], threshold)


# --- regression ----------------------------------------------------------------------------

REGRESSION_METRICS = ("mae", "rmse", "r2")


def regression_reports(
    stats: RegressionStats, *, confidence: float, min_group_size: int
) -> tuple[GroupReport, list[GroupReport]]:
    groups = []
    for g, key in enumerate(stats.groups):
        values = m.regression_values(
            int(stats.n[g]),
            float(stats.sum_abs_error[g]),
            float(stats.sum_sq_error[g]),
            float(stats.sum_error4[g]),
            float(stats.m2_label[g]),
            confidence,
        )
        n = int(stats.n[g])
        groups.append(
            GroupReport(
                group=group_label(stats.attributes, key),
                count=n,
                metrics=values,
                too_small=n < min_group_size,
            )
        )
    n, sae, sse, se4, _, m2 = stats.pooled()
    overall = GroupReport(
        group={}, count=n, metrics=m.regression_values(n, sae, sse, se4, m2, confidence)
    )
    return overall, groups


def regression_disparities(
    groups: Sequence[GroupReport],
    *,
    confidence: float,
    replicates: int,
    rng: np.random.Generator,
    reference: int | None,
) -> list[Disparity]:
    """Differences and ratios of MAE, RMSE and R² across groups.

    Intervals come from a parametric bootstrap: each group's MAE (RMSE) is drawn from the
    normal distribution of its own interval, independently across groups. R² gets no interval.
    """
    out: list[Disparity] = []
    for name in REGRESSION_METRICS:
        kinds = ("difference",) if name == "r2" else ("difference", "ratio")
        d = m.DisparityDefinition(name, (name,), kinds)
        values = m.metric_array([gr.metrics for gr in groups], name)
        sims: FloatArray | None = None
        if name != "r2" and replicates > 0:
            se = np.array([_se(gr.metrics[name], confidence) for gr in groups], dtype=np.float64)
            sims = rng.normal(values, np.nan_to_num(se), size=(replicates, len(groups)))
            sims = np.where(np.isnan(se), np.nan, np.maximum(sims, 0.0))
        rates = {name: values}
        point = m.worst_vs_best(rates, d)
        boot = m.worst_vs_best({name: sims}, d) if sims is not None else None
        which = m.worst_vs_best_groups(rates, d)
        for kind in d.kinds:
            out.append(
                _named(
                    _disparity(
                        d,
                        kind,
                        "worst_vs_best",
                        float(point[kind]),
                        boot[kind] if boot is not None else None,
                        confidence,
                    ),
                    which.get(kind),
                    [gr.group for gr in groups],
                )
            )
        if reference is None:
            continue
        point_ref = m.vs_reference(rates, d, reference)
        boot_ref = m.vs_reference({name: sims}, d, reference) if sims is not None else None
        for g in range(len(groups)):
            if g == reference:
                continue
            for kind in d.kinds:
                out.append(
                    _disparity(
                        d,
                        kind,
                        "vs_reference",
                        float(point_ref[kind][g]),
                        boot_ref[kind][:, g] if boot_ref is not None else None,
                        confidence,
                        groups[g].group,
                        groups[reference].group,
                    )
                )
    return out


def _se(value: MetricValue, confidence: float) -> float:
    if value.value is None or value.ci_high is None:
        return float("nan")
    return (value.ci_high - value.value) / m.z_value(confidence)
