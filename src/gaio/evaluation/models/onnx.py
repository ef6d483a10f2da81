"""ONNX models through onnxruntime (optional extra ``gaio[onnx]``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from gaio.errors import ConfigurationError, InvalidInput
from gaio.evaluation.models.base import Features


class OnnxModel:
    """One float tensor input ``[batch, n_features]`` (the skl2onnx default), or one input per
    feature named like the column; the first output is the prediction."""

    kind = "onnx"

    def __init__(self, path: Path) -> None:
        try:
            import onnxruntime as ort
        except ImportError as exc:
            raise ConfigurationError("ONNX models need onnxruntime: install gaio[onnx].") from exc
        try:
            self.session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
        except Exception as exc:  # onnxruntime raises its own Fail/InvalidGraph types
            raise InvalidInput(f"Cannot load ONNX model {str(path)!r}: {exc}") from exc
        self.inputs = self.session.get_inputs()

    def predict(self, features: Features) -> np.ndarray[Any, Any]:
        if len(self.inputs) == 1 and self.inputs[0].name not in features:
            matrix = np.column_stack([np.asarray(v, dtype=np.float32) for v in features.values()])
            feed = {self.inputs[0].name: matrix}
        else:
            missing = [i.name for i in self.inputs if i.name not in features]
            if missing:
                raise InvalidInput(f"The ONNX model expects inputs {missing} not in the data.")
            feed = {
                i.name: np.asarray(features[i.name])
                .reshape(-1, 1)
                .astype(np.float32 if "float" in i.type else object)
                for i in self.inputs
            }
        try:
            out = self.session.run(None, feed)
        except Exception as exc:
            raise InvalidInput(f"The ONNX model failed on the data: {exc}") from exc
        return np.asarray(out[0]).reshape(-1)
