"""Every per-group rate and disparity agrees with fairlearn to 1e-9 on random data.

The data go through the whole path (CSV on disk → DuckDB aggregation → metrics), with empty,
single-row and all-positive groups. Where a rate's denominator is zero gaio says "undefined";
fairlearn (through scikit-learn) prints 0 or NaN there, so those cells are checked for the
reason rather than the value.
"""

from __future__ import annotations

import functools
import tempfile
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from fairlearn.metrics import (
    MetricFrame,
    demographic_parity_difference,
    demographic_parity_ratio,
    equal_opportunity_difference,
    equal_opportunity_ratio,
    equalized_odds_difference,
    equalized_odds_ratio,
    false_negative_rate,
    false_positive_rate,
    selection_rate,
    true_negative_rate,
    true_positive_rate,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sklearn.metrics import (
    accuracy_score,
    f1_score,
    mean_absolute_error,
    precision_score,
    r2_score,
    roc_auc_score,
    root_mean_squared_error,
)

from gaio.evaluation.request import FairnessRun, RegressionRun
from gaio.evaluation.result import ClassReport, Disparity
from gaio.evaluation.run import evaluate_fairness, evaluate_regression

TOL = 1e-9

FAIRLEARN_RATES: dict[str, Any] = {
    "selection_rate": selection_rate,
    "tpr": true_positive_rate,
    "fpr": false_positive_rate,
    "tnr": true_negative_rate,
    "fnr": false_negative_rate,
    "ppv": functools.partial(precision_score, zero_division=np.nan),
    "accuracy": accuracy_score,
    "f1": functools.partial(f1_score, zero_division=np.nan),
}
#: The denominators: which rows a rate divides by (to check "undefined" is right).
DENOMINATOR = {
    "selection_rate": lambda y, p: len(y),
    "accuracy": lambda y, p: len(y),
    "tpr": lambda y, p: int((y == 1).sum()),
    "fnr": lambda y, p: int((y == 1).sum()),
    "fpr": lambda y, p: int((y == 0).sum()),
    "tnr": lambda y, p: int((y == 0).sum()),
    "ppv": lambda y, p: int((p == 1).sum()),
    "f1": lambda y, p: int(((y == 1) | (p == 1)).sum()),
}


@st.composite
def classification_data(draw: st.DrawFn) -> pd.DataFrame:
    n = draw(st.integers(2, 40))
    groups = draw(st.lists(st.sampled_from("abcd"), min_size=n, max_size=n))
    if len(set(groups)) < 2:
        groups[0] = "a" if groups[0] != "a" else "b"
    y = draw(st.lists(st.integers(0, 1), min_size=n, max_size=n))
    p = draw(st.lists(st.integers(0, 1), min_size=n, max_size=n))
    if draw(st.booleans()):  # make group 'a' all-positive, a classic undefined-rate trap
        y = [1 if g == "a" else v for g, v in zip(groups, y, strict=True)]
    return pd.DataFrame({"y": y, "p": p, "g": groups})


def _quietly(fn: Any, *args: Any, **kwargs: Any) -> Any:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return fn(*args, **kwargs)


def _run(df: pd.DataFrame, **kwargs: Any) -> Any:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "data.csv"
        df.to_csv(path, index=False)
        return evaluate_fairness(FairnessRun(data=path, bootstrap=0, **kwargs))


def _disparity(report: ClassReport, name: str, kind: str) -> Disparity:
    (d,) = [
        d
        for d in report.disparities
        if d.name == name and d.kind == kind and d.comparison == "worst_vs_best"
    ]
    return d


def _check_groups(report: ClassReport, df: pd.DataFrame, sensitive: list[str]) -> None:
    frame = _quietly(
        MetricFrame,
        metrics=FAIRLEARN_RATES,
        y_true=df["y"],
        y_pred=df["p"],
        sensitive_features=df[sensitive],
    )
    by_group = frame.by_group
    for gr in report.groups:
        key = tuple(gr.group[a] for a in sensitive)
        key_index: Any = key if len(key) > 1 else key[0]
        sel = np.all([df[a].astype(str) == v for a, v in zip(sensitive, key, strict=True)], axis=0)
        y, p = df["y"].to_numpy()[sel], df["p"].to_numpy()[sel]
        assert gr.count == len(y)
        for name in FAIRLEARN_RATES:
            ours = gr.metrics[name]
            if ours.value is None:
                assert DENOMINATOR[name](y, p) == 0, (name, key)
                assert ours.undefined_reason
                continue
            theirs = by_group.loc[key_index, name]
            assert abs(ours.value - theirs) <= TOL, (name, key, ours.value, theirs)


def _all_defined(report: ClassReport, metric: str) -> bool:
    return all(g.metrics[metric].value is not None for g in report.groups)


def _close(d: Disparity, expected: float) -> None:
    if np.isnan(expected):
        assert d.value.value is None
    else:
        assert d.value.value is not None and abs(d.value.value - expected) <= TOL, (d, expected)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(classification_data())
def test_rates_and_disparities_match_fairlearn(df: pd.DataFrame) -> None:
    result = _run(df, label="y", prediction="p", sensitive=["g"], positive_label="1")
    (report,) = result.classes
    _check_groups(report, df, ["g"])
    y, p, a = df["y"], df["p"], df["g"]
    if _all_defined(report, "selection_rate"):
        _close(
            _disparity(report, "demographic_parity", "difference"),
            _quietly(demographic_parity_difference, y, p, sensitive_features=a),
        )
        if max(g.metrics["selection_rate"].value or 0 for g in report.groups) > 0:
            _close(
                _disparity(report, "demographic_parity", "ratio"),
                _quietly(demographic_parity_ratio, y, p, sensitive_features=a),
            )
    if _all_defined(report, "tpr"):
        _close(
            _disparity(report, "equal_opportunity", "difference"),
            _quietly(equal_opportunity_difference, y, p, sensitive_features=a),
        )
        if max(g.metrics["tpr"].value or 0 for g in report.groups) > 0:
            _close(
                _disparity(report, "equal_opportunity", "ratio"),
                _quietly(equal_opportunity_ratio, y, p, sensitive_features=a),
            )
    if _all_defined(report, "tpr") and _all_defined(report, "fpr"):
        _close(
            _disparity(report, "equalized_odds", "difference"),
            _quietly(equalized_odds_difference, y, p, sensitive_features=a),
        )
        tprs = [g.metrics["tpr"].value or 0 for g in report.groups]
        fprs = [g.metrics["fpr"].value or 0 for g in report.groups]
        if max(tprs) > 0 and max(fprs) > 0:
            _close(
                _disparity(report, "equalized_odds", "ratio"),
                _quietly(equalized_odds_ratio, y, p, sensitive_features=a),
            )
    frame = _quietly(
        MetricFrame,
        metrics={"ppv": FAIRLEARN_RATES["ppv"], "accuracy": accuracy_score},
        y_true=y,
        y_pred=p,
        sensitive_features=a,
    )
    if _all_defined(report, "ppv"):
        _close(_disparity(report, "predictive_parity", "difference"), frame.difference()["ppv"])
    _close(_disparity(report, "accuracy_parity", "difference"), frame.difference()["accuracy"])


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(classification_data(), st.lists(st.sampled_from("xy"), min_size=40, max_size=40))
def test_intersectional_groups_match_fairlearn(df: pd.DataFrame, second: list[str]) -> None:
    df = df.assign(h=second[: len(df)])
    if df["h"].nunique() < 2:
        df.loc[0, "h"] = "y" if df.loc[0, "h"] == "x" else "x"
    result = _run(df, label="y", prediction="p", sensitive=["g", "h"], positive_label="1")
    (report,) = result.classes
    # fairlearn lists every combination, empty ones as NaN; gaio reports the observed ones.
    assert len(report.groups) == df.groupby(["g", "h"]).ngroups
    _check_groups(report, df, ["g", "h"])


def test_single_row_group() -> None:
    df = pd.DataFrame({"y": [1, 0, 1, 0, 1], "p": [1, 0, 0, 1, 0], "g": ["a", "a", "a", "a", "b"]})
    (report,) = _run(df, label="y", prediction="p", sensitive=["g"]).classes
    b = report.groups[1]
    assert b.count == 1 and b.too_small
    assert b.metrics["fpr"].value is None
    assert b.metrics["fpr"].undefined_reason == "no actual negatives"
    assert b.metrics["ppv"].undefined_reason == "no predicted positives"
    _check_groups(report, df, ["g"])


def test_multiclass_one_vs_rest_matches_fairlearn() -> None:
    rng = np.random.default_rng(3)
    n = 300
    df = pd.DataFrame(
        {"y": rng.integers(0, 3, n), "p": rng.integers(0, 3, n), "g": rng.choice(["u", "v"], n)}
    )
    result = _run(df, label="y", prediction="p", sensitive=["g"])
    assert result.task == "multiclass"
    assert [c.positive_label for c in result.classes] == ["0", "1", "2"]
    for report in result.classes:
        k = int(report.positive_label)
        binary = pd.DataFrame(
            {"y": (df["y"] == k).astype(int), "p": (df["p"] == k).astype(int), "g": df["g"]}
        )
        _check_groups(report, binary, ["g"])


def test_score_metrics_match_sklearn() -> None:
    rng = np.random.default_rng(5)
    n = 400
    y = rng.integers(0, 2, n)
    score = np.round(np.clip(0.3 * y + 0.7 * rng.random(n), 0, 1), 2)  # ties on purpose
    df = pd.DataFrame(
        {"y": y, "p": (score > 0.5).astype(int), "s": score, "g": rng.choice(["a", "b"], n)}
    )
    (report,) = _run(df, label="y", prediction="p", sensitive=["g"], score="s").classes
    for gr in report.groups:
        sub = df[df["g"] == gr.group["g"]]
        auc = gr.metrics["roc_auc"]
        assert auc.value is not None and abs(auc.value - roc_auc_score(sub["y"], sub["s"])) <= TOL
        assert auc.ci_low is not None and auc.ci_low < auc.value < (auc.ci_high or 0)
        bins = np.minimum((sub["s"].to_numpy() * 10).astype(int), 9)
        ece = sum(
            abs(sub["y"].to_numpy()[bins == b].sum() - sub["s"].to_numpy()[bins == b].sum())
            for b in range(10)
        ) / len(sub)
        assert abs((gr.metrics["ece"].value or -1) - ece) <= TOL
    overall = report.overall.metrics["roc_auc"].value
    assert overall is not None and abs(overall - roc_auc_score(df["y"], df["s"])) <= TOL


@st.composite
def regression_data(draw: st.DrawFn) -> pd.DataFrame:
    n = draw(st.integers(3, 40))
    values = st.floats(-1e3, 1e3, allow_nan=False).map(lambda v: round(v, 3))
    groups = draw(st.lists(st.sampled_from("ab"), min_size=n, max_size=n))
    groups[0], groups[1] = "a", "b"
    y = draw(st.lists(values, min_size=n, max_size=n))
    p = draw(st.lists(values, min_size=n, max_size=n))
    return pd.DataFrame({"y": y, "p": p, "g": groups})


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(regression_data())
def test_regression_matches_sklearn(df: pd.DataFrame) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "r.parquet"
        df.to_parquet(path)
        result = evaluate_regression(
            RegressionRun(data=path, label="y", prediction="p", sensitive=["g"], bootstrap=0)
        )
    frame = _quietly(
        MetricFrame,
        metrics={"mae": mean_absolute_error, "rmse": root_mean_squared_error, "r2": r2_score},
        y_true=df["y"],
        y_pred=df["p"],
        sensitive_features=df["g"],
    )
    for gr in result.groups:
        sub = df[df["g"] == gr.group["g"]]
        for name in ("mae", "rmse"):
            theirs = frame.by_group.loc[gr.group["g"], name]
            assert abs((gr.metrics[name].value or 0) - theirs) <= TOL * max(1.0, abs(theirs))
        if sub["y"].nunique() < 2:
            assert gr.metrics["r2"].value is None
        else:
            theirs = frame.by_group.loc[gr.group["g"], "r2"]
            assert abs((gr.metrics["r2"].value or 0) - theirs) <= 1e-7 * max(1.0, abs(theirs))
    mae = next(d for d in result.disparities if d.name == "mae" and d.kind == "difference")
    assert abs((mae.value.value or 0) - frame.difference()["mae"]) <= TOL * max(
        1.0, frame.difference()["mae"]
    )
    assert abs(
        (result.overall.metrics["rmse"].value or 0) - root_mean_squared_error(df["y"], df["p"])
    ) <= 1e-9 * max(1.0, root_mean_squared_error(df["y"], df["p"]))
