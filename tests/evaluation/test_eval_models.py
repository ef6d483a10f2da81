"""Model-based tests: safe loading (skops, ONNX, HTTP; pickle only when trusted), robustness
curves and permutation importance, reproducible with a seed."""

from __future__ import annotations

import contextlib
import json
import pickle
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn.compose import ColumnTransformer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder
from typer.testing import CliRunner

from gaio.cli.evaluate import app
from gaio.errors import InvalidInput
from gaio.evaluation.model_run import evaluate_explain, evaluate_robustness

skops_io = pytest.importorskip("skops.io")

WriteTable = Callable[..., Path]


def _frame(n: int = 400) -> pd.DataFrame:
    rng = np.random.default_rng(0)
    x1, x2 = rng.normal(size=n), rng.normal(size=n)
    colour = rng.choice(["red", "green", "blue"], n)
    y = ((2 * x1 + 0.2 * x2 + (colour == "red")) > 0.5).astype(int)
    return pd.DataFrame({"x1": x1, "x2": x2, "colour": colour, "y": y})


@pytest.fixture
def data(write_table: WriteTable) -> Path:
    return write_table(_frame(), "parquet")


@pytest.fixture
def skops_model(tmp_path: Path) -> Path:
    df = _frame()
    pre = ColumnTransformer(
        [("cat", OneHotEncoder(handle_unknown="ignore"), ["colour"])], remainder="passthrough"
    )
    model = make_pipeline(pre, LogisticRegression()).fit(df[["x1", "x2", "colour"]], df["y"])
    path = tmp_path / "model.skops"
    skops_io.dump(model, path)
    return path


def test_robustness_curve_is_seeded_and_degrades(skops_model: Path, data: Path) -> None:
    a = evaluate_robustness(skops_model, data, label="y", seed=1)
    b = evaluate_robustness(skops_model, data, label="y", seed=1)
    assert a.curve == b.curve and a.baseline == b.baseline
    assert (a.baseline.value or 0) > 0.9
    noise = [p for p in a.curve if p.perturbation == "gaussian_noise"]
    assert [p.level for p in noise] == [0.05, 0.1, 0.2, 0.5]
    assert (noise[-1].metric.value or 1) < (a.baseline.value or 0)
    assert any(p.perturbation == "category_swap" for p in a.curve)
    missing = [p for p in a.curve if p.perturbation == "missing"]
    # Logistic regression cannot take NaN: recorded as a finding, not a crash.
    assert missing and missing[0].metric.value is None
    assert "the model failed" in (missing[0].metric.undefined_reason or "")
    assert {i.role for i in a.inputs} == {"data", "model"}


def test_permutation_importance_ranks_the_strong_feature(skops_model: Path, data: Path) -> None:
    result = evaluate_explain(skops_model, data, label="y", repeats=3, seed=2)
    assert result.importances[0].feature == "x1"
    assert result.importances[0].importance > 0.2
    again = evaluate_explain(skops_model, data, label="y", repeats=3, seed=2)
    assert again.importances == result.importances


def test_onnx_model(tmp_path: Path, write_table: WriteTable) -> None:
    pytest.importorskip("onnxruntime")
    skl2onnx = pytest.importorskip("skl2onnx")
    from skl2onnx.common.data_types import FloatTensorType

    df = _frame()[["x1", "x2", "y"]]
    model = LogisticRegression().fit(df[["x1", "x2"]].to_numpy(), df["y"])
    onx = skl2onnx.convert_sklearn(model, initial_types=[("X", FloatTensorType([None, 2]))])
    path = tmp_path / "model.onnx"
    path.write_bytes(onx.SerializeToString())
    result = evaluate_robustness(path, write_table(df), label="y", perturbations=["gaussian_noise"])
    assert (result.baseline.value or 0) > 0.85
    assert result.parameters["model_kind"] == "onnx"


def test_pickle_is_refused_unless_trusted(tmp_path: Path, data: Path) -> None:
    df = _frame()
    path = tmp_path / "model.pkl"
    model = LogisticRegression().fit(df[["x1", "x2"]], df["y"])
    path.write_bytes(pickle.dumps(model))
    result = CliRunner().invoke(
        app, ["robustness", str(path), str(data), "-y", "y", "--features", "x1,x2"]
    )
    assert isinstance(result.exception, InvalidInput)
    assert (
        "does not unpickle" in result.exception.message
        and "--trust-pickle" in result.exception.message
    )
    ok = evaluate_robustness(
        path,
        data,
        label="y",
        features=["x1", "x2"],
        trust_pickle=True,
        perturbations=["gaussian_noise"],
    )
    assert ok.parameters["model_kind"] == "sklearn"


def test_unreadable_model(tmp_path: Path, data: Path) -> None:
    bad = tmp_path / "broken.skops"
    bad.write_bytes(b"this is not a zip file")
    result = CliRunner().invoke(app, ["explain", str(bad), str(data), "-y", "y"])
    assert isinstance(result.exception, InvalidInput)
    assert "Cannot read model" in result.exception.message
    result = CliRunner().invoke(app, ["explain", str(tmp_path / "m.bin"), str(data), "-y", "y"])
    assert isinstance(result.exception, InvalidInput)


class _Handler(BaseHTTPRequestHandler):
    delay = 0.0

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        time.sleep(self.delay)
        predictions = [int(2 * r["x1"] + 0.2 * r["x2"] > 0.5) for r in body["instances"]]
        payload = json.dumps({"predictions": predictions}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        with contextlib.suppress(BrokenPipeError):  # the client gave up (the timeout test)
            self.wfile.write(payload)

    def log_message(self, *args: object) -> None:
        return None


@pytest.fixture
def server() -> Iterator[tuple[str, type[_Handler]]]:
    handler = type("Handler", (_Handler,), {})
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/predict", handler
    httpd.shutdown()
    httpd.server_close()


def test_http_model_in_batches(server: tuple[str, type[_Handler]], data: Path) -> None:
    url, _ = server
    result = evaluate_explain(url, data, label="y", features=["x1", "x2"], repeats=1, batch_size=64)
    assert result.baseline > 0.8
    assert result.parameters["model_kind"] == "http"


def test_http_model_timeout(server: tuple[str, type[_Handler]], data: Path) -> None:
    url, handler = server
    handler.delay = 0.5
    args = ["robustness", url, str(data), "-y", "y", "--features", "x1,x2"]
    result = CliRunner().invoke(app, [*args, "--timeout", "0.1", "--retries", "2"])
    assert isinstance(result.exception, InvalidInput), result.exception
    assert "failed after 2 attempt(s) (timeout 0.1 s): timed out" in result.exception.message


def _linear(tmp_path: Path, write_table: WriteTable) -> tuple[Path, Path, pd.DataFrame]:
    """A linear regression y = 3·x1 − 1·x2 + 0·x3 + 0.5, fitted exactly, saved with skops."""
    from sklearn.linear_model import LinearRegression

    rng = np.random.default_rng(7)
    df = pd.DataFrame(
        {"x1": rng.normal(size=60), "x2": rng.uniform(-2, 2, 60), "x3": rng.normal(size=60)}
    )
    df["y"] = 3 * df.x1 - df.x2 + 0.5
    model = LinearRegression().fit(df[["x1", "x2", "x3"]], df["y"])
    path = tmp_path / "linear.skops"
    skops_io.dump(model, path)
    return path, write_table(df, "parquet"), df


def test_shap_values_of_a_linear_model_are_exact(tmp_path: Path, write_table: WriteTable) -> None:
    """For a linear model SHAP_i(x) = w_i (x_i − E[x_i]) over the background, exactly."""
    pytest.importorskip("shap")
    from gaio.evaluation.explain import shap_mean_abs
    from gaio.evaluation.models.base import load_model

    model, _, df = _linear(tmp_path, write_table)
    features = {c: df[c].to_numpy() for c in ("x1", "x2", "x3")}
    # A background as large as the data: every row is both background and explained.
    got = shap_mean_abs(load_model(model), features, 1000, np.random.default_rng(0))
    for name, weight in (("x1", 3.0), ("x2", -1.0), ("x3", 0.0)):
        x = df[name].to_numpy()
        expected = abs(weight) * float(np.mean(np.abs(x - x.mean())))
        assert got[name] == pytest.approx(expected, rel=1e-6, abs=1e-9), name


def test_explain_with_shap_through_the_cli(tmp_path: Path, write_table: WriteTable) -> None:
    pytest.importorskip("shap")
    model, data, _ = _linear(tmp_path, write_table)
    result = CliRunner().invoke(
        app, ["explain", str(model), str(data), "-y", "y", "--metric", "mae", "--shap", "--json"]
    )
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    shap_values = doc["shap_mean_abs"]
    assert set(shap_values) == {"x1", "x2", "x3"}
    assert shap_values["x1"] > shap_values["x2"] > shap_values["x3"] == pytest.approx(0, abs=1e-9)
    assert doc["importances"][0]["feature"] == "x1"


def test_shap_without_the_extra_says_how_to_get_it(
    tmp_path: Path, write_table: WriteTable, monkeypatch: pytest.MonkeyPatch
) -> None:
    from gaio.errors import ConfigurationError
    from gaio.evaluation.explain import shap_mean_abs
    from gaio.evaluation.models.base import load_model

    model, _, df = _linear(tmp_path, write_table)
    monkeypatch.setitem(__import__("sys").modules, "shap", None)  # as if not installed
    with pytest.raises(ConfigurationError, match=r"gaio\[shap\]"):
        shap_mean_abs(load_model(model), {"x1": df.x1.to_numpy()}, 10, np.random.default_rng(0))
