"""What each metric means and when it fits: the short guide printed in evaluation reports.

Kept as data so the HTML report, the web page and the docs say the same thing.
"""

from __future__ import annotations

#: Metric → (display name, what it measures, when it fits).
METRICS: dict[str, tuple[str, str, str]] = {
    "selection_rate": (
        "Selection rate",
        "Share of the group predicted positive.",
        "Allocation harms (loans, jobs, benefits) where the outcome itself is what is shared "
        "out; basis of demographic parity and the four-fifths rule. Ignores whether the "
        "prediction was right.",
    ),
    "base_rate": (
        "Base rate",
        "Share of the group that is actually positive.",
        "Context, not a target: when base rates differ, the parity metrics below cannot all "
        "hold at once.",
    ),
    "tpr": (
        "True-positive rate (recall)",
        "Of those actually positive, the share predicted positive.",
        "Harms of being missed (a qualified applicant rejected, an illness not detected); "
        "basis of equal opportunity.",
    ),
    "fpr": (
        "False-positive rate",
        "Of those actually negative, the share predicted positive.",
        "Harms of being wrongly flagged (fraud, risk, policing); with TPR, basis of "
        "equalized odds.",
    ),
    "ppv": (
        "Precision (PPV)",
        "Of those predicted positive, the share actually positive.",
        "When a positive prediction triggers action and its reliability must not depend on "
        "the group; basis of predictive parity, close to calibration.",
    ),
    "accuracy": (
        "Accuracy",
        "Share of correct predictions.",
        "A summary only: it can hide opposite errors, and is misleading when classes are "
        "imbalanced.",
    ),
    "f1": (
        "F1",
        "Harmonic mean of precision and recall.",
        "When positives are rare and both missing and wrongly flagging them matter.",
    ),
    "roc_auc": (
        "ROC AUC",
        "Probability that a random positive scores above a random negative.",
        "Ranking quality of the score, whatever the threshold.",
    ),
    "ece": (
        "Expected calibration error",
        "Average gap between the score and the observed rate of positives (binned).",
        "When the score is read as a probability (a risk score shown to a decision-maker); "
        "lower is better.",
    ),
    "mae": ("MAE", "Mean absolute error.", "Typical size of an error, in the target's unit."),
    "rmse": (
        "RMSE",
        "Root mean squared error.",
        "Like MAE, but large errors weigh more.",
    ),
    "r2": (
        "R²",
        "Share of the target's variance explained.",
        "Comparing fit across groups with different spreads; can be negative.",
    ),
}

INCOMPATIBILITY = (
    "Calibration and error-rate balance cannot both hold. When the groups' base rates differ "
    "and the classifier is not perfect, a score that is equally calibrated (or equally "
    "precise) in every group cannot also give every group the same false-positive and "
    "false-negative rates (Chouldechova 2017; Kleinberg, Mullainathan and Raghavan 2016). "
    "Choose the metric that matches the harm: equal error rates when being wrongly flagged "
    "or missed is the harm; calibration or predictive parity when people act on the score "
    "itself. A spec that bounds both will usually fail one of them, and that is a property "
    "of the data, not a bug."
)

DISPARITIES: dict[str, str] = {
    "demographic_parity": "Selection rates compared across groups (ignores the true labels).",
    "disparate_impact": "Lowest selection rate divided by the highest; the four-fifths rule "
    "asks for at least 0.8.",
    "equalized_odds": "Both TPR and FPR compared; the worse of the two counts.",
    "equal_opportunity": "TPR compared across groups.",
    "predictive_parity": "Precision (PPV) compared across groups.",
    "accuracy_parity": "Accuracy compared across groups.",
    "mae": "MAE compared across groups.",
    "rmse": "RMSE compared across groups.",
    "r2": "R² compared across groups.",
}
