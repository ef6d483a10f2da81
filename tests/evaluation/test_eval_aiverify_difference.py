"""Where AI Verify's Fairness Metrics Toolbox differs from the standard definitions, and why.

AI Verify FMT for classification 2.2.1 (``algo.py``, ``_compute_between_group``) divides each
group's counts by *population-wide* totals: its per-group "true positive rate" is
TP_group / (TP_all + FN_all), not TP_group / (TP_group + FN_group). Its per-group TPRs therefore
add up to the overall TPR and shrink with the group's share of the data. It also returns 0 for
an undefined rate (``_compute_rate``) and its "Equal Selection Parity" is a difference of
*counts* of predicted positives. The transcription below mirrors those lines; gaio and
fairlearn use the textbook definitions.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from fairlearn.metrics import MetricFrame, true_positive_rate

from gaio.evaluation.request import FairnessRun
from gaio.evaluation.run import evaluate_fairness

# Group A: 4 rows (TP 1, FN 1, FP 1, TN 1). Group B: 6 rows (TP 3, FN 1, FP 0, TN 2).
EXAMPLE = pd.DataFrame(
    {
        "y": [1, 1, 0, 0, 1, 1, 1, 1, 0, 0],
        "p": [1, 0, 0, 1, 1, 1, 1, 0, 0, 0],
        "g": ["A"] * 4 + ["B"] * 6,
    }
)


def _aiverify_rate(numerator: float, denominator: float) -> float:
    return 0 if numerator == 0 or denominator == 0 else numerator / denominator


def aiverify_tpr_and_selection_parity(df: pd.DataFrame) -> tuple[dict[str, float], float]:
    """AI Verify FMT's per-group TPR and 'Equal Selection Parity' (positive class 1)."""
    y, p = df["y"].to_numpy(), df["p"].to_numpy()
    tp_all = int(((y == 1) & (p == 1)).sum())
    fn_all = int(((y == 1) & (p != 1)).sum())
    tpr, predicted_positive = {}, {}
    for group in sorted(df["g"].unique()):
        sel = df["g"].to_numpy() == group
        tp = int(((y == 1) & (p == 1) & sel).sum())
        fp = int(((y != 1) & (p == 1) & sel).sum())
        tpr[group] = _aiverify_rate(tp, tp_all + fn_all)
        predicted_positive[group] = tp + fp
    a, b = predicted_positive.values()
    return tpr, abs(a - b)


def test_tpr_per_group_differs_from_aiverify(tmp_path: Path) -> None:
    path = tmp_path / "example.csv"
    EXAMPLE.to_csv(path, index=False)
    result = evaluate_fairness(
        FairnessRun(data=path, label="y", prediction="p", sensitive=["g"], bootstrap=0)
    )
    report = result.classes[0]
    ours = {g.group["g"]: g.metrics["tpr"].value for g in report.groups}
    theirs, selection_parity = aiverify_tpr_and_selection_parity(EXAMPLE)

    # Standard definition: within-group denominators; fairlearn agrees.
    assert ours == {"A": 0.5, "B": 0.75}
    frame = MetricFrame(
        metrics=true_positive_rate,
        y_true=EXAMPLE["y"],
        y_pred=EXAMPLE["p"],
        sensitive_features=EXAMPLE["g"],
    )
    assert frame.by_group.to_dict() == ours

    # AI Verify: population denominators (6 actual positives in all), summing to the overall TPR.
    assert theirs == pytest.approx({"A": 1 / 6, "B": 3 / 6})
    assert sum(theirs.values()) == pytest.approx(report.overall.metrics["tpr"].value)

    # Both groups select half their members, so demographic parity holds exactly; AI Verify's
    # "Equal Selection Parity" still reports a disparity of 1 (3 vs 2 predicted positives).
    dp = [
        d for d in report.disparities if d.name == "demographic_parity" and d.kind == "difference"
    ]
    assert dp[0].value.value == 0.0
    assert selection_parity == 1


def test_undefined_is_not_zero() -> None:
    # A group with no actual negatives: FPR is undefined. AI Verify prints 0; gaio says why.
    assert _aiverify_rate(0, 0) == 0
    counts = np.array([3, 0, 0, 1])  # TP FP TN FN
    from gaio.evaluation.metrics import rate_values

    fpr = rate_values(counts, 0.95)["fpr"]
    assert fpr.value is None and fpr.undefined_reason == "no actual negatives"
