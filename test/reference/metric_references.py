"""Reference values for keras-ts's confusion and accuracy metrics (NumPy, float64).

AUC follows Keras's definition: 200 evenly spaced thresholds (plus -eps and 1+eps), predictions
above a threshold count as positive, trapezoids for ROC, Davis & Goadrich interpolation for PR.
Run `python3 test/reference/metric_references.py`; test/metrics/metrics.test.ts holds the output.
"""
import numpy as np

y = np.array([1, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0, 1], dtype=float)
p = np.array([0.9, 0.4, 0.35, 0.8, 0.1, 0.6, 0.7, 0.2, 0.55, 0.65, 0.05, 0.45])
w = np.array([1, 2, 1, 0.5, 1, 1, 3, 1, 1, 2, 1, 1], dtype=float)

def counts(th, weights):
    pos = p[:, None] > th[None, :]
    lab = y[:, None] > 0
    ww = weights[:, None]
    return [((a) * ww).sum(0) for a in (lab & pos, ~lab & pos, ~lab & ~pos, lab & ~pos)]

n = 200; eps = 1e-7
th = np.array([-eps] + [(i + 1) / (n - 1) for i in range(n - 2)] + [1 + eps])

def roc(weights):
    tp, fp, tn, fn = counts(th, weights)
    tpr = np.divide(tp, tp + fn, out=np.zeros_like(tp), where=(tp + fn) > 0)
    fpr = np.divide(fp, fp + tn, out=np.zeros_like(fp), where=(fp + tn) > 0)
    return np.sum((fpr[:-1] - fpr[1:]) * (tpr[:-1] + tpr[1:]) / 2)

def pr(weights):
    tp, fp, tn, fn = counts(th, weights)
    dtp = tp[:-1] - tp[1:]
    P = tp + fp
    dp = P[:-1] - P[1:]
    slope = np.divide(dtp, np.maximum(dp, 0), out=np.zeros_like(dtp), where=np.maximum(dp, 0) > 0)
    intercept = tp[1:] - slope * P[1:]
    ratio = np.where((P[:-1] > 0) & (P[1:] > 0), np.divide(P[:-1], np.maximum(P[1:], 0), out=np.ones_like(dp), where=P[1:] > 0), 1.0)
    denom = np.maximum(tp[1:] + fn[1:], 0)
    num = slope * (dtp + intercept * np.log(ratio))
    return np.sum(np.divide(num, denom, out=np.zeros_like(num), where=denom > 0))

def prec_rec(weights, t=0.5):
    tp, fp, tn, fn = counts(np.array([t]), weights)
    return (tp / (tp + fp))[0], (tp / (tp + fn))[0]

ones = np.ones_like(w)
print("precision", prec_rec(ones)[0], "recall", prec_rec(ones)[1])
print("weighted precision", prec_rec(w)[0], "weighted recall", prec_rec(w)[1])
print("precision@0.7", prec_rec(ones, 0.7)[0])
print("roc_auc", roc(ones), "weighted", roc(w))
print("pr_auc", pr(ones))
# exact ROC AUC (Mann-Whitney) for a sanity bound
pos, neg = p[y == 1], p[y == 0]
print("exact_roc_auc", np.mean([(a > b) + 0.5 * (a == b) for a in pos for b in neg]))

# top-k: 4 samples, 5 classes
scores = np.array([[0.1, 0.3, 0.2, 0.25, 0.15], [0.5, 0.1, 0.1, 0.2, 0.1], [0.05, 0.05, 0.6, 0.2, 0.1], [0.3, 0.2, 0.1, 0.15, 0.25]])
labels = np.array([3, 4, 2, 2])
rank = lambda i: (scores[i] > scores[i, labels[i]]).sum()
print("top2", np.mean([rank(i) < 2 for i in range(4)]), "top3", np.mean([rank(i) < 3 for i in range(4)]))
