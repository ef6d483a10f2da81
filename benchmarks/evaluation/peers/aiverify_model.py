"""Build the identity model AI Verify's toolbox needs: a tree fitted on the prediction column.

Run inside the AI Verify venv: python aiverify_model.py DATA.csv MODEL.sav
The data the toolbox hands to the model is every column but the ground truth (yhat, sex), so
the tree is fitted on those with yhat as target: it splits on yhat only and reproduces it.
"""

import pickle
import sys

import pandas as pd
from sklearn.tree import DecisionTreeClassifier

data, model_path = sys.argv[1], sys.argv[2]
df = pd.read_csv(data, nrows=200_000)
features = df.drop(columns=["y"])
model = DecisionTreeClassifier(random_state=0).fit(features, df["yhat"])
assert (model.predict(features) == df["yhat"]).all()
with open(model_path, "wb") as fh:
    pickle.dump(model, fh)
