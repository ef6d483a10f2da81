"""Scale: gaio on 10M and 100M-row Parquet files vs the I/O floor, a bare DuckDB
``COUNT(*) … GROUP BY`` over the same file and the same grouping columns."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
from measure import measure

CHUNK = 5_000_000


def make_parquet(path: Path, rows: int, seed: int = 0) -> Path:
    """Label, prediction, score and three sensitive attributes (2, 5 and 10 values)."""
    if path.exists():
        return path
    rng = np.random.default_rng(seed)
    tmp = path.with_suffix(".tmp")
    writer = None
    for start in range(0, rows, CHUNK):
        n = min(CHUNK, rows - start)
        sex = rng.integers(0, 2, n, dtype=np.int8)
        region = rng.integers(0, 5, n, dtype=np.int8)
        age = rng.integers(0, 10, n, dtype=np.int8)
        y = (rng.random(n) < 0.3 + 0.1 * sex).astype(np.int8)
        yhat = np.where(rng.random(n) < 0.2, 1 - y, y).astype(np.int8)
        table = pa.table({"y": y, "yhat": yhat, "sex": sex, "region": region, "age": age})
        if writer is None:
            writer = pq.ParquetWriter(tmp, table.schema)
        writer.write_table(table, row_group_size=1_000_000)
    assert writer is not None
    writer.close()
    tmp.rename(path)
    return path


def _best(
    cmd: list[str], out: Path, repeats: int, inner: Callable[[], float]
) -> tuple[dict[str, float], float]:
    """Fastest of ``repeats`` runs, with the in-process time the command reported."""
    best: tuple[dict[str, float], float] | None = None
    for _ in range(repeats):
        r = measure(cmd, stdout=str(out))
        q = inner()
        if best is None or r["wall_s"] < best[0]["wall_s"]:
            best = (r, q)
    assert best is not None
    return best


def run_scale(work: Path, sizes: list[int], repeats: int, bin_dir: Path) -> list[dict[str, object]]:
    """gaio and the floor both run from ``bin_dir`` (gaio's own venv: the same DuckDB)."""
    gaio, python = str(bin_dir / "gaio"), str(bin_dir / "python")
    floor_out, gaio_out = work / "floor.txt", work / "scale.json"

    def floor_time() -> float:
        return float(floor_out.read_text())

    def gaio_time() -> float:
        return float(json.loads(gaio_out.read_text())["timings"]["aggregate"])

    rows_out: list[dict[str, object]] = []
    for rows in sizes:
        path = make_parquet(work / f"scale_{rows}.parquet", rows)
        size_mib = path.stat().st_size / 2**20
        for attrs in (["sex"], ["sex", "region", "age"]):
            cols = ", ".join(attrs)
            gaio_cmd = [
                gaio,
                "evaluate",
                "fairness",
                str(path),
                "--label",
                "y",
                "--prediction",
                "yhat",
                "--sensitive",
                ",".join(attrs),
                "--json",
            ]
            ours, ours_q = _best(gaio_cmd, gaio_out, repeats, gaio_time)
            row: dict[str, object] = {
                "rows": rows,
                "file_mib": size_mib,
                "attributes": len(attrs),
                "gaio_s": ours["wall_s"],
                "gaio_mib": ours["peak_rss_mib"],
                "gaio_query_s": ours_q,
            }
            # The floor as the issue names it (the sensitive columns only), and the smallest
            # query that yields confusion counts (the same columns gaio must read).
            for key, group in (("floor", cols), ("counts", f"{cols}, y, yhat")):
                sql = f"SELECT {group}, COUNT(*) FROM read_parquet('{path}') GROUP BY {group}"
                cmd = [
                    python,
                    "-c",
                    "import time, duckdb; t = time.perf_counter(); "
                    f"duckdb.sql({sql!r}).fetchall(); print(time.perf_counter() - t)",
                ]
                floor, floor_q = _best(cmd, floor_out, repeats, floor_time)
                row |= {
                    f"{key}_s": floor["wall_s"],
                    f"{key}_mib": floor["peak_rss_mib"],
                    f"{key}_query_s": floor_q,
                    f"{key}_ratio": ours["wall_s"] / floor["wall_s"],
                    f"{key}_query_ratio": ours_q / floor_q,
                }
            print(
                f"  {rows:,} rows, {len(attrs)} attr: gaio {ours['wall_s']:.2f} s "
                f"(pass {ours_q:.2f} s) vs floor {row['floor_s']:.2f} s "
                f"(query {row['floor_query_s']:.2f} s), counts query "
                f"{row['counts_query_s']:.2f} s",
                flush=True,
            )
            rows_out.append(row)
    return rows_out
