"""Model adapters: load a model safely and ask it for predictions.

gaio never unpickles a file unless the caller says ``trust_pickle=True``: a pickle runs any
code it contains. ONNX (onnxruntime), scikit-learn via skops, and HTTP endpoints are the safe
ways in.
"""

from __future__ import annotations

from gaio.evaluation.models.base import Features, ModelAdapter, load_model

__all__ = ["Features", "ModelAdapter", "load_model"]
