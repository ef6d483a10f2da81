"""Shared fixtures for the evaluation tests: small tables written to CSV/Parquet in tmp_path."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

WriteTable = Callable[..., Path]


@pytest.fixture
def write_table(tmp_path: Path) -> WriteTable:
    """Write a DataFrame as CSV (default) or Parquet under tmp_path and return the path."""
    counter = iter(range(1_000_000))

    def write(df: pd.DataFrame, fmt: str = "csv", name: str | None = None) -> Path:
        path = tmp_path / f"{name or f'table{next(counter)}'}.{fmt}"
        if fmt == "csv":
            df.to_csv(path, index=False)
        else:
            df.to_parquet(path, index=False)
        return path

    return write


def credit_frame(n: int = 600, seed: int = 1) -> pd.DataFrame:
    """A small credit-like table: label, prediction, score, two sensitive attributes."""
    rng = np.random.default_rng(seed)
    sex = rng.choice(["female", "male"], n)
    age = rng.choice(["<30", "30-60", ">60"], n)
    y = rng.integers(0, 2, n)
    score = np.clip(0.35 * y + rng.random(n) * 0.65 - 0.05 * (sex == "female"), 0, 1)
    return pd.DataFrame(
        {"y": y, "yhat": (score > 0.5).astype(int), "score": score.round(4), "sex": sex, "age": age}
    )


@pytest.fixture
def credit_csv(write_table: WriteTable) -> Path:
    return write_table(credit_frame(), name="credit")


@pytest.fixture
def credit_df() -> pd.DataFrame:
    return credit_frame()


@pytest.fixture
def make_credit() -> Callable[..., pd.DataFrame]:
    """``credit_frame`` itself, for tests that need another size or seed."""
    return credit_frame
