"""The reliability statistics against independent implementations (pingouin, scipy's optimiser,
scikit-learn) and their invariants."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gaio.evaluation.genai.reliability import (
    bootstrap_interval,
    cohen_kappa,
    cronbach_alpha,
    mcdonald_omega,
    one_factor_loadings,
    spearman,
)

pingouin = pytest.importorskip("pingouin", reason="pingouin (test extra) checks alpha")
scipy_optimize = pytest.importorskip("scipy.optimize", reason="scipy checks the minres loadings")


def _one_factor_data(n: int, loadings: list[float], seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    f = rng.normal(size=(n, 1))
    lam = np.asarray(loadings)
    noise = rng.normal(size=(n, len(lam))) * np.sqrt(1 - lam**2)
    return np.asarray(f * lam + noise, dtype=float)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_alpha_matches_pingouin(seed: int) -> None:
    import pandas as pd

    x = np.round(_one_factor_data(60, [0.8, 0.7, 0.6, 0.5, 0.75, 0.65], seed) * 1.2 + 3.5)
    ours = cronbach_alpha(x)
    theirs, _ = pingouin.cronbach_alpha(pd.DataFrame(x))
    assert ours == pytest.approx(theirs, abs=1e-9)


@pytest.mark.parametrize("seed", [0, 3])
def test_loadings_and_omega_match_a_direct_minres_fit(seed: int) -> None:
    """minres by definition: minimise the squared off-diagonal residuals with a generic
    optimiser (factor_analyzer, the usual reference, no longer runs on current scikit-learn)."""
    x = _one_factor_data(400, [0.8, 0.7, 0.6, 0.5, 0.75, 0.65], seed)
    r = np.corrcoef(x, rowvar=False)
    off = ~np.eye(len(r), dtype=bool)

    def loss(lam: np.ndarray) -> float:
        return float(np.sum((r - np.outer(lam, lam))[off] ** 2))

    fit = scipy_optimize.minimize(loss, np.full(len(r), 0.5), method="BFGS", tol=1e-12)
    theirs = np.abs(fit.x)
    ours = one_factor_loadings(np.corrcoef(x, rowvar=False))
    assert ours == pytest.approx(theirs, abs=1e-4)
    omega_theirs = theirs.sum() ** 2 / (theirs.sum() ** 2 + np.sum(1 - theirs**2))
    assert mcdonald_omega(x) == pytest.approx(omega_theirs, abs=2e-3)


def test_random_answers_are_unreliable_consistent_ones_reliable() -> None:
    rng = np.random.default_rng(7)
    random = rng.integers(1, 7, size=(18, 6)).astype(float)
    consistent = np.clip(np.round(_one_factor_data(18, [0.9] * 6, 7) + 3.5), 1, 6)
    assert (cronbach_alpha(random) or 0) < 0.5
    assert (cronbach_alpha(consistent) or 0) > 0.8


def test_no_variance_is_not_estimable() -> None:
    assert cronbach_alpha(np.full((5, 4), 3.0)) is None
    assert mcdonald_omega(np.full((5, 4), 3.0)) is None


def test_kappa_matches_sklearn() -> None:
    from sklearn.metrics import cohen_kappa_score

    a = ["x", "y", "y", "z", "x", "x", "z", "y", "x", "z"]
    b = ["x", "y", "z", "z", "x", "y", "z", "y", "x", "x"]
    assert cohen_kappa(a, b) == pytest.approx(cohen_kappa_score(a, b))


def test_spearman_matches_pingouin_with_ties() -> None:
    a = [1, 2, 2, 3, 5, 4, 4, 6]
    b = [2, 1, 3, 3, 6, 4, 5, 5]
    theirs = pingouin.corr(a, b, method="spearman")["r"].iloc[0]
    assert spearman(a, b) == pytest.approx(theirs)


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 10_000))
def test_alpha_at_most_one_and_interval_contains_its_estimate_mostly(seed: int) -> None:
    x = np.round(_one_factor_data(30, [0.7] * 5, seed) + 3)
    a = cronbach_alpha(x)
    assert a is not None and a <= 1.0
    ci = bootstrap_interval(x, cronbach_alpha, replicates=200, seed=seed)
    assert ci is not None and ci[0] <= ci[1]
