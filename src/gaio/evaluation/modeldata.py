"""Loading a feature table for model-based tests (in memory: these tests call the model)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import duckdb
import numpy as np

from gaio.errors import InvalidInput
from gaio.evaluation.engines.duckdb_engine import relation_sql
from gaio.evaluation.models.base import Features
from gaio.evaluation.sources import check_columns, resolve_source


@dataclass(frozen=True)
class FeatureTable:
    features: Features
    label: np.ndarray[Any, Any]
    rows_read: int

    @property
    def numeric(self) -> list[str]:
        return [k for k, v in self.features.items() if v.dtype.kind in "fiub"]

    @property
    def categorical(self) -> list[str]:
        return [k for k, v in self.features.items() if v.dtype.kind not in "fiub"]


def load_features(
    data: str, label: str, features: Sequence[str] | None, sample: int | None, seed: int
) -> tuple[FeatureTable, Any]:
    """Read label and features (default: every other column); a seeded sample if asked."""
    source = resolve_source(data)
    con = duckdb.connect()
    try:
        rel = relation_sql(source)
        cols = [r[0] for r in con.execute(f"DESCRIBE SELECT * FROM {rel}").fetchall()]  # noqa: S608
        chosen = list(features) if features else [c for c in cols if c != label]
        check_columns([("label", label)] + [("feature", f) for f in chosen], cols, "the data")
        select = ", ".join('"' + c.replace('"', '""') + '"' for c in [label, *chosen])
        sql = f"SELECT {select} FROM {rel}"  # noqa: S608
        if sample:
            sql += f" USING SAMPLE reservoir({int(sample)} ROWS) REPEATABLE ({int(seed)})"
        arrays = con.execute(sql).fetchnumpy()
    except duckdb.Error as exc:
        raise InvalidInput(f"Cannot read {data!r}: {str(exc).splitlines()[0]}") from exc
    finally:
        con.close()
    y = np.asarray(arrays[label])
    if len(y) == 0:
        raise InvalidInput(f"{data!r} has no rows.")
    feats: Features = {}
    for c in chosen:
        col = arrays[c]
        if np.ma.isMaskedArray(col):
            mask = np.ma.getmaskarray(col)
            if col.dtype.kind in "fiu":
                col = np.where(mask, np.nan, np.ma.getdata(col).astype(np.float64))
            else:
                data_o = np.ma.getdata(col).astype(object)
                data_o[mask] = None
                col = data_o
        feats[c] = np.asarray(col)
    if np.ma.isMaskedArray(arrays[label]) and np.ma.getmaskarray(arrays[label]).any():
        raise InvalidInput(f"Label column {label!r} has missing values.")
    return FeatureTable(feats, np.asarray(y), len(y)), source
