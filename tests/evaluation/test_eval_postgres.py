"""A SQL query over a PostgreSQL source gives the same numbers as the same rows in a CSV file.

Runs in the PostgreSQL pass of CI (GAIO_TEST_DATABASE_URL); elsewhere it says why it cannot.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from gaio.evaluation import evaluate_fairness
from gaio.evaluation.request import FairnessRun

PG = os.environ.get("GAIO_TEST_DATABASE_URL")


@pytest.mark.skipif(not PG, reason="needs GAIO_TEST_DATABASE_URL (the PostgreSQL pass of CI)")
def test_postgres_query_matches_csv(tmp_path: Path) -> None:
    assert PG is not None
    rows = [(i % 2, (i * 7) % 3 == 0, "f" if i % 3 else "m") for i in range(300)]
    csv = tmp_path / "d.csv"
    csv.write_text("y,p,sex\n" + "".join(f"{y},{int(p)},{s}\n" for y, p, s in rows), "utf-8")
    engine = create_engine(PG)
    with engine.begin() as conn:
        conn.execute(text("DROP TABLE IF EXISTS eval_predictions"))
        conn.execute(text("CREATE TABLE eval_predictions (y int, p int, sex text)"))
        conn.execute(
            text("INSERT INTO eval_predictions VALUES (:y, :p, :s)"),
            [{"y": y, "p": int(p), "s": s} for y, p, s in rows],
        )
    try:
        url = make_url(PG).set(drivername="postgresql").render_as_string(hide_password=False)
        from_pg = evaluate_fairness(
            FairnessRun(
                data=url,
                label="y",
                prediction="p",
                sensitive=["sex"],
                query="SELECT y, p, sex FROM eval_predictions",
                seed=1,
            )
        )
        from_csv = evaluate_fairness(
            FairnessRun(data=str(csv), label="y", prediction="p", sensitive=["sex"], seed=1)
        )
        assert from_pg.rows.used == from_csv.rows.used == 300
        assert from_pg.model_dump()["classes"] == from_csv.model_dump()["classes"]
    finally:
        with engine.begin() as conn:
            conn.execute(text("DROP TABLE IF EXISTS eval_predictions"))
        engine.dispose()
