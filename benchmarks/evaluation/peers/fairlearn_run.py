"""Peer: fairlearn MetricFrame on a CSV (selection rate, TPR, FPR, precision per group).

Run inside the fairlearn venv: python fairlearn_run.py DATA.csv OUT.json
"""

import json
import sys
import warnings

import pandas as pd
from fairlearn.metrics import (
    MetricFrame,
    false_positive_rate,
    selection_rate,
    true_positive_rate,
)
from sklearn.metrics import precision_score

warnings.simplefilter("ignore")
data, out = sys.argv[1], sys.argv[2]
df = pd.read_csv(data)
frame = MetricFrame(
    metrics={
        "selection_rate": selection_rate,
        "tpr": true_positive_rate,
        "fpr": false_positive_rate,
        "ppv": precision_score,
    },
    y_true=df["y"],
    y_pred=df["yhat"],
    sensitive_features=df["sex"],
)
by_group = {str(k): v for k, v in frame.by_group.to_dict(orient="index").items()}
with open(out, "w") as fh:
    json.dump({"by_group": by_group, "difference": frame.difference().to_dict()}, fh)
