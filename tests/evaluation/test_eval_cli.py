"""The ``gaio evaluate`` sub-app: output, and a clear InvalidInput for every kind of bad input.

CliRunner surfaces the exception; the main app maps InvalidInput to one line and exit code 2.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import jsonschema
import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner, Result

from gaio.cli.evaluate import app
from gaio.errors import InvalidInput
from gaio.evaluation.schema import SCHEMA_FILE

WriteTable = Callable[..., Path]
SCHEMA = Path(__file__).resolve().parents[2] / "schemas" / SCHEMA_FILE


def invoke(*args: str | Path) -> Result:
    return CliRunner().invoke(app, [str(a) for a in args], terminal_width=160)


def refused(result: Result, *fragments: str) -> None:
    assert result.exit_code != 0
    assert isinstance(result.exception, InvalidInput), repr(result.exception)
    assert result.exception.exit_code == 2
    for fragment in fragments:
        assert fragment in result.exception.message, result.exception.message


def test_table_output(credit_csv: Path) -> None:
    result = invoke(
        "fairness", credit_csv, "-y", "y", "-p", "yhat", "-s", "sex", "--score", "score"
    )
    assert result.exit_code == 0, result.output
    assert "Disparities" in result.output and "four-fifths rule" in result.output
    assert "ROC AUC" in result.output


def test_json_output_validates_against_committed_schema(credit_csv: Path, tmp_path: Path) -> None:
    out = tmp_path / "result.json"
    result = invoke(
        "fairness",
        credit_csv,
        "-y",
        "y",
        "-p",
        "yhat",
        "-s",
        "sex,age",
        "--reference",
        "sex=male,age=30-60",
        "--json",
        "-o",
        out,
    )
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    jsonschema.validate(doc, json.loads(SCHEMA.read_text()))
    assert json.loads(out.read_text()) == doc
    assert doc["version"] == "1.0" and doc["kind"] == "fairness"
    assert len(doc["inputs"][0]["sha256"]) == 64
    assert {"duckdb", "numpy"} <= set(doc["provenance"]["libraries"])
    assert any(d["comparison"] == "vs_reference" for d in doc["classes"][0]["disparities"])


def test_regression_command(write_table: WriteTable) -> None:
    rng = np.random.default_rng(0)
    df = pd.DataFrame({"y": rng.normal(size=200), "g": rng.choice(["a", "b"], 200)})
    df["p"] = df["y"] + rng.normal(scale=0.5, size=200)
    result = invoke("regression", write_table(df), "-y", "y", "-p", "p", "-s", "g", "--json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    jsonschema.validate(doc, json.loads(SCHEMA.read_text()))
    assert {d["name"] for d in doc["disparities"]} == {"mae", "rmse", "r2"}


def test_misspelt_columns_suggest_the_closest(credit_csv: Path) -> None:
    refused(
        invoke("fairness", credit_csv, "-y", "label", "-p", "yhatt", "-s", "Sex"),
        "Prediction column 'yhatt' is not in the data; did you mean 'yhat'?",
        "Sensitive column 'Sex'",
        "'sex'",
    )


def test_labels_not_binary(write_table: WriteTable) -> None:
    df = pd.DataFrame({"y": [0, 1, 2, 1] * 10, "p": [0, 1, 1, 2] * 10, "g": ["a", "b"] * 20})
    path = write_table(df)
    refused(
        invoke("fairness", path, "-y", "y", "-p", "p", "-s", "g", "--task", "binary"),
        "3 distinct values",
        "--task multiclass",
    )


def test_continuous_label_points_to_regression(write_table: WriteTable) -> None:
    rng = np.random.default_rng(0)
    df = pd.DataFrame({"y": rng.normal(size=100), "p": rng.normal(size=100), "g": ["a", "b"] * 50})
    refused(
        invoke("fairness", write_table(df), "-y", "y", "-p", "p", "-s", "g"),
        "100 distinct values",
        "gaio evaluate regression",
    )


def test_missing_labels_are_counted_and_refused(write_table: WriteTable) -> None:
    df = pd.DataFrame(
        {
            "y": [1.0, np.nan, 0.0, 1.0, np.nan, 0.0],
            "p": [1, 1, 0, 0, 1, None],
            "g": ["a", "b", "a", "b", "a", "b"],
        }
    )
    path = write_table(df)
    refused(
        invoke("fairness", path, "-y", "y", "-p", "p", "-s", "g"),
        "label column 'y': 2",
        "prediction column 'p': 1",
        "of 6",
        "--drop-missing",
    )
    ok = invoke("fairness", path, "-y", "y", "-p", "p", "-s", "g", "--drop-missing", "--json")
    assert ok.exit_code == 0, ok.output
    doc = json.loads(ok.output)
    assert doc["rows"] == {
        "read": 6,
        "used": 3,
        "dropped": 3,
        "missing_label": 2,
        "missing_prediction": 1,
        "missing_score": 0,
    }
    assert any("Dropped 3 of 6" in w for w in doc["warnings"])


def test_nan_in_parquet_prediction(write_table: WriteTable) -> None:
    df = pd.DataFrame(
        {"y": [1, 0, 1, 0], "p": [1.0, float("nan"), 0.0, 1.0], "g": ["a", "a", "b", "b"]}
    )
    refused(
        invoke("fairness", write_table(df, "parquet"), "-y", "y", "-p", "p", "-s", "g"),
        "prediction column 'p': 1",
    )


def test_single_group(write_table: WriteTable) -> None:
    df = pd.DataFrame({"y": [1, 0, 1], "p": [1, 0, 0], "g": ["a", "a", "a"]})
    refused(invoke("fairness", write_table(df), "-y", "y", "-p", "p", "-s", "g"), "Only one group")


def test_id_column_as_sensitive_attribute(write_table: WriteTable) -> None:
    n = 3000
    df = pd.DataFrame({"y": np.arange(n) % 2, "p": np.arange(n) % 3 % 2, "id": np.arange(n)})
    refused(
        invoke("fairness", write_table(df), "-y", "y", "-p", "p", "-s", "id"),
        "'id' has 3000 distinct values (limit 250)",
        "identifier",
    )


def test_mismatched_files(write_table: WriteTable) -> None:
    data = write_table(pd.DataFrame({"y": [1, 0, 1, 0], "g": ["a", "b", "a", "b"]}))
    preds = write_table(pd.DataFrame({"p": [1, 0, 1]}))
    refused(
        invoke("fairness", data, "--predictions", preds, "-y", "y", "-p", "p", "-s", "g"),
        "differ in length by 1 row",
    )


def test_missing_and_unreadable_files(tmp_path: Path) -> None:
    refused(
        invoke("fairness", tmp_path / "nope.csv", "-y", "y", "-p", "p", "-s", "g"), "No such file"
    )
    bad = tmp_path / "bad.parquet"
    bad.write_bytes(b"not parquet at all")
    refused(invoke("fairness", bad, "-y", "y", "-p", "p", "-s", "g"), "Cannot read")
    refused(
        invoke("fairness", tmp_path / "x.xlsx", "-y", "y", "-p", "p", "-s", "g"),
        "Cannot tell the format",
    )


def test_string_labels_need_a_positive_label(write_table: WriteTable) -> None:
    df = pd.DataFrame(
        {
            "y": ["good", "bad"] * 10,
            "p": ["good", "good", "bad", "bad"] * 5,
            "g": ["a"] * 10 + ["b"] * 10,
        }
    )
    path = write_table(df)
    refused(
        invoke("fairness", path, "-y", "y", "-p", "p", "-s", "g"),
        "--positive-label",
        "'bad', 'good'",
    )
    ok = invoke(
        "fairness", path, "-y", "y", "-p", "p", "-s", "g", "--positive-label", "good", "--json"
    )
    assert json.loads(ok.output)["classes"][0]["positive_label"] == "good"
    # yes/no columns are read as booleans; "yes" still names the positive class.
    yes_no = write_table(df.replace({"good": "yes", "bad": "no"}))
    ok = invoke(
        "fairness", yes_no, "-y", "y", "-p", "p", "-s", "g", "--positive-label", "yes", "--json"
    )
    assert ok.exit_code == 0, ok.output
    assert json.loads(ok.output)["classes"][0]["positive_label"] == "True"


def test_bad_reference_group(credit_csv: Path) -> None:
    args = ("-y", "y", "-p", "yhat", "-s", "sex", "--reference", "other")
    refused(invoke("fairness", credit_csv, *args), "does not occur in the data", "sex=female")


def test_score_out_of_range(write_table: WriteTable) -> None:
    df = pd.DataFrame(
        {"y": [1, 0, 1, 0], "p": [1, 0, 0, 1], "s": [0.9, 1.5, 0.2, 0.7], "g": ["a", "a", "b", "b"]}
    )
    refused(
        invoke("fairness", write_table(df), "-y", "y", "-p", "p", "-s", "g", "--score", "s"),
        "1 value(s) outside [0, 1]",
    )


def test_all_negative_data_reports_undefined_not_zero(write_table: WriteTable) -> None:
    df = pd.DataFrame({"y": [0] * 6, "p": [0, 0, 1, 0, 0, 0], "g": ["a", "b"] * 3})
    result = invoke("fairness", write_table(df), "-y", "y", "-p", "p", "-s", "g", "--json")
    doc = json.loads(result.output)
    tpr = doc["classes"][0]["groups"][0]["metrics"]["tpr"]
    assert tpr["value"] is None and tpr["undefined_reason"] == "no actual positives"


@pytest.mark.parametrize("args", [["fairness"], []])
def test_help(args: list[str]) -> None:
    assert "Usage" in invoke(*args, "--help").output
