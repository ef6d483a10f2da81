"""Wilson intervals against published values; the bootstrap is reproducible with a seed."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gaio.evaluation.bootstrap import _quantile, percentile_interval, resample_counts
from gaio.evaluation.metrics import wilson_interval
from gaio.evaluation.request import FairnessRun
from gaio.evaluation.run import evaluate_fairness


@pytest.mark.parametrize(
    ("k", "n", "low", "high"),
    [  # Newcombe (1998), Statistics in Medicine 17:857-872, Table I, method 3 (Wilson score)
        (81, 263, 0.2553, 0.3662),
        (15, 148, 0.0624, 0.1605),
        (0, 20, 0.0, 0.1611),
        (1, 29, 0.0061, 0.1718),
    ],
)
def test_wilson_matches_newcombe(k: int, n: int, low: float, high: float) -> None:
    lo, hi = wilson_interval(k, n, 0.95)
    assert lo == pytest.approx(low, abs=1e-4)
    assert hi == pytest.approx(high, abs=1e-4)


def test_wilson_is_symmetric_and_bounded() -> None:
    lo, hi = wilson_interval(3, 10, 0.9)
    lo2, hi2 = wilson_interval(7, 10, 0.9)
    assert lo == pytest.approx(1 - hi2) and hi == pytest.approx(1 - lo2)
    assert wilson_interval(10, 10, 0.95)[1] == 1.0


def test_resampling_keeps_group_sizes() -> None:
    counts = np.array([[5, 1, 3, 1], [0, 0, 0, 0], [2, 0, 0, 0]], dtype=np.int64)
    out = resample_counts(counts, 50, np.random.default_rng(1))
    assert out.shape == (50, 3, 4)
    assert (out.sum(axis=-1) == counts.sum(axis=-1)).all()
    assert (out[:, 2, 1:] == 0).all()  # a cell with zero share stays zero


def test_percentile_interval_needs_enough_defined_replicates() -> None:
    samples = np.array([np.nan] * 6 + [0.1, 0.2, 0.3, 0.4])
    assert percentile_interval(samples, 0.95).low is None
    iv = percentile_interval(np.linspace(0, 1, 101), 0.9)
    assert iv.low == pytest.approx(0.05) and iv.high == pytest.approx(0.95)


def _disparity_cis(path: Path, seed: int) -> list[tuple[float | None, float | None]]:
    result = evaluate_fairness(
        FairnessRun(
            data=path, label="y", prediction="yhat", sensitive=["sex"], seed=seed, bootstrap=300
        )
    )
    return [(d.value.ci_low, d.value.ci_high) for d in result.classes[0].disparities]


def test_bootstrap_is_reproducible_with_a_seed(credit_csv: Path) -> None:
    first = _disparity_cis(credit_csv, 7)
    assert first == _disparity_cis(credit_csv, 7)
    assert first != _disparity_cis(credit_csv, 8)
    assert all(lo is not None and hi is not None and lo <= hi for lo, hi in first)


def test_every_rate_has_a_wilson_interval(credit_csv: Path) -> None:
    result = evaluate_fairness(
        FairnessRun(data=credit_csv, label="y", prediction="yhat", sensitive=["sex"], bootstrap=0)
    )
    for gr in result.classes[0].groups:
        for name in ("selection_rate", "tpr", "fpr", "ppv", "npv", "accuracy"):
            v = gr.metrics[name]
            assert v.ci_method == "wilson"
            assert v.ci_low is not None and v.ci_high is not None
            assert v.ci_low <= (v.value or 0) <= v.ci_high


@settings(max_examples=300, deadline=None)
@given(
    values=st.lists(
        st.floats(min_value=-1e6, max_value=1e6, allow_nan=False), min_size=1, max_size=60
    ),
    q=st.floats(min_value=0.0, max_value=1.0),
)
def test_percentile_matches_numpy_quantile_exactly(values: list[float], q: float) -> None:
    """The hand-written quantile is numpy's default ("linear"), bit for bit."""
    ordered = np.sort(np.asarray(values, dtype=np.float64))
    assert _quantile(ordered, q) == float(np.quantile(ordered, q))
