"""Engines give identical sufficient statistics whatever the file format or engine."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest

from gaio.errors import ConfigurationError, InvalidInput
from gaio.evaluation.engines import ClassificationRequest, RegressionRequest, get_engine
from gaio.evaluation.engines.duckdb_engine import _sniffed_csv
from gaio.evaluation.request import FairnessRun
from gaio.evaluation.run import evaluate_fairness
from gaio.evaluation.sources import resolve_source

WriteTable = Callable[..., Path]


def _request(path: Path, **kw: object) -> ClassificationRequest:
    return ClassificationRequest(
        source=resolve_source(path),
        label="y",
        prediction="yhat",
        sensitive=("sex", "age"),
        score="score",
        **kw,  # type: ignore[arg-type]
    )


def test_csv_and_parquet_give_identical_stats(
    write_table: WriteTable, credit_df: pd.DataFrame
) -> None:
    df = credit_df
    engine = get_engine("duckdb")
    a = engine.classification_stats(_request(write_table(df, "csv")))
    b = engine.classification_stats(_request(write_table(df, "parquet")))
    assert a.groups == b.groups and a.classes == b.classes
    assert (a.confusion == b.confusion).all()
    assert a.calibration_counts is not None and b.calibration_counts is not None
    assert (a.calibration_counts == b.calibration_counts).all()
    assert a.score_tables is not None and b.score_tables is not None
    for ta, tb in zip(a.score_tables, b.score_tables, strict=True):
        assert (ta.scores == tb.scores).all() and (ta.counts == tb.counts).all()
    assert int(a.confusion.sum()) == len(df)


def test_separate_predictions_file_matches_by_position(
    write_table: WriteTable, credit_df: pd.DataFrame
) -> None:
    df = credit_df
    data = write_table(df.drop(columns=["yhat", "score"]))
    preds = write_table(df[["yhat", "score"]], "parquet")
    joined = evaluate_fairness(
        FairnessRun(
            data=data,
            predictions=preds,
            label="y",
            prediction="yhat",
            sensitive=["sex"],
            score="score",
            bootstrap=0,
        )
    )
    whole = evaluate_fairness(
        FairnessRun(
            data=write_table(df),
            label="y",
            prediction="yhat",
            sensitive=["sex"],
            score="score",
            bootstrap=0,
        )
    )
    assert joined.classes == whole.classes
    assert [i.role for i in joined.inputs] == ["data", "predictions"]


def test_duckdb_query_source(tmp_path: Path, credit_df: pd.DataFrame) -> None:
    db = tmp_path / "eval.duckdb"
    df = credit_df
    with duckdb.connect(str(db)) as con:
        con.register("df", df)
        con.execute("CREATE TABLE scored AS SELECT * FROM df")
    result = evaluate_fairness(
        FairnessRun(
            data=db,
            query="SELECT * FROM scored WHERE age <> '>60'",
            label="y",
            prediction="yhat",
            sensitive=["sex"],
            bootstrap=0,
        )
    )
    assert result.rows.read == int((df["age"] != ">60").sum())
    assert result.inputs[0].role == "query"


def test_regression_stats_pool_like_one_group(write_table: WriteTable) -> None:
    rng = np.random.default_rng(2)
    df = pd.DataFrame({"y": rng.normal(size=500), "g": rng.choice(["a", "b", "c"], 500)})
    df["p"] = df["y"] + rng.normal(scale=0.3, size=500)
    stats = get_engine("duckdb").regression_stats(
        RegressionRequest(resolve_source(write_table(df)), "y", "p", ("g",))
    )
    n, _, sse, _, mean, m2 = stats.pooled()
    assert n == 500
    assert mean == pytest.approx(df["y"].mean(), rel=1e-12)
    assert m2 == pytest.approx(((df["y"] - df["y"].mean()) ** 2).sum(), rel=1e-10)
    assert sse == pytest.approx(((df["p"] - df["y"]) ** 2).sum(), rel=1e-10)


def test_unknown_engine() -> None:
    with pytest.raises(ConfigurationError, match="known: duckdb, spark"):
        get_engine("polars")


def _spark_available() -> bool:
    try:
        import pyspark  # noqa: F401
    except ImportError:
        return False
    return shutil.which("java") is not None or "JAVA_HOME" in os.environ


@pytest.mark.slow
@pytest.mark.skipif(not _spark_available(), reason="pyspark or java not installed")
def test_spark_local_mode_gives_the_same_results(
    write_table: WriteTable, credit_df: pd.DataFrame
) -> None:
    df = credit_df
    path = write_table(df, "parquet")
    kwargs: dict[str, object] = dict(
        label="y", prediction="yhat", sensitive=["sex", "age"], score="score", seed=4
    )
    duck = evaluate_fairness(FairnessRun(data=path, engine="duckdb", **kwargs))
    spark = evaluate_fairness(FairnessRun(data=path, engine="spark", **kwargs))
    assert spark.classes == duck.classes
    csv = evaluate_fairness(FairnessRun(data=write_table(df), engine="spark", **kwargs))
    assert csv.classes == duck.classes


@pytest.mark.parametrize(
    ("name", "rows", "options"),
    [
        ("semi colon's file.csv", 600, {"sep": ";"}),
        ("quoted.csv", 600, {"quoting": 1}),  # csv.QUOTE_ALL: every field in quotes
        ("compressed.csv.gz", 600, {"compression": "gzip"}),
        ("dates.csv", 600, {"date_format": "%d/%m/%Y"}),  # a day-first date column
        ("several-buffers.csv", 400_000, {}),  # > 2 MiB: read in several smaller buffers
    ],
)
def test_sniffed_csv_reads_like_parquet(
    tmp_path: Path,
    name: str,
    rows: int,
    options: dict[str, object],
    make_credit: Callable[..., pd.DataFrame],
) -> None:
    """The CSV is sniffed once and read with the detected dialect; nothing differs from Parquet."""
    df = make_credit(rows, seed=3).assign(**{"it's": 1})  # a quote in a column name
    df["seen"] = pd.Timestamp("2024-01-31") + pd.to_timedelta(np.arange(rows) % 300, unit="D")
    csv = tmp_path / name
    df.to_csv(csv, index=False, **options)
    parquet = tmp_path / "same.parquet"
    df.to_parquet(parquet, index=False)
    with duckdb.connect() as con:
        sniffed = _sniffed_csv(con, str(csv))
    assert sniffed is not None and "auto_detect = false" in sniffed  # no silent fallback
    assert ("buffer_size =" in sniffed) == (name == "several-buffers.csv")
    engine = get_engine("duckdb")
    a = engine.classification_stats(_request(csv))
    b = engine.classification_stats(_request(parquet))
    assert a.groups == b.groups and a.classes == b.classes
    assert (a.confusion == b.confusion).all()
    assert int(a.confusion.sum()) == rows
    assert a.score_tables is not None and b.score_tables is not None
    for ta, tb in zip(a.score_tables, b.score_tables, strict=True):
        assert (ta.scores == tb.scores).all() and (ta.counts == tb.counts).all()


def test_hashing_stops_when_told(write_table: WriteTable, credit_df: pd.DataFrame) -> None:
    """A failed evaluation abandons the input's hash instead of reading a large file to the end."""
    from gaio.evaluation.sources import digests

    source = resolve_source(write_table(credit_df))
    with pytest.raises(InterruptedError):
        digests(source, "data", cancelled=lambda: True)
    (whole,) = digests(source, "data", cancelled=lambda: False)
    assert whole.size_bytes == source.files[0].stat().st_size


def test_bad_input_cancels_the_hash(
    write_table: WriteTable, credit_df: pd.DataFrame, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The hash thread is told to stop as soon as the scan refuses the input."""
    import gaio.evaluation.run as service
    from gaio.evaluation import sources

    seen: list[bool] = []
    real = sources.digests

    def watching(source: object, role: str, cancelled: Callable[[], bool]) -> object:
        import time

        for _ in range(200):  # wait (at most 2 s) for the scan to fail and ask us to stop
            if cancelled():
                break
            time.sleep(0.01)
        seen.append(cancelled())
        return real(source, role, cancelled)  # type: ignore[arg-type]

    monkeypatch.setattr(service, "digests", watching)
    with pytest.raises(InvalidInput, match="not in the data"):
        evaluate_fairness(
            FairnessRun(
                data=write_table(credit_df), label="y", prediction="yhaat", sensitive=["sex"]
            )
        )
    assert seen == [True]
