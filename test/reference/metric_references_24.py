"""Reference values for the metrics of issue 24 (NumPy, float64), each written from its
definition in Keras's documentation, not from keras-ts's code.

Run `python3 test/reference/metric_references_24.py`; test/metrics/more_metrics.test.ts holds the output.
"""
import numpy as np

np.set_printoptions(precision=10)
y = np.array([1, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0, 1], dtype=float)
p = np.array([0.9, 0.4, 0.35, 0.8, 0.1, 0.6, 0.7, 0.2, 0.55, 0.65, 0.05, 0.45])
w = np.array([1, 2, 1, 0.5, 1, 1, 3, 1, 1, 2, 1, 1], dtype=float)


def counts(th, weights):
    pos = p[:, None] > np.asarray(th)[None, :]
    lab = y[:, None] > 0
    ww = weights[:, None]
    return [((a) * ww).sum(0) for a in (lab & pos, ~lab & ~pos, ~lab & pos, lab & ~pos)]  # tp, tn, fp, fn


print("counts [0.3, 0.5, 0.7] weighted: tp tn fp fn", [c.tolist() for c in counts([0.3, 0.5, 0.7], w)])
print("counts 0.5 unweighted: tp tn fp fn", [c.tolist() for c in counts([0.5], np.ones(12))])

n = 200
th = [0.0] + [(i + 1) / (n - 1) for i in range(n - 2)] + [1.0]


def div(a, b):
    return np.divide(a, b, out=np.zeros_like(a), where=b > 0)


def constrained(weights, constrained_name, value, dependent_name):
    tp, tn, fp, fn = counts(th, weights)
    rates = {"recall": div(tp, tp + fn), "precision": div(tp, tp + fp), "specificity": div(tn, tn + fp)}
    ok = rates[constrained_name] >= value
    return max(0.0, np.max(np.where(ok, rates[dependent_name], 0.0)))


for weights, label in ((np.ones(12), "unweighted"), (w, "weighted")):
    print(label, "PrecisionAtRecall(0.8)", constrained(weights, "recall", 0.8, "precision"))
    print(label, "RecallAtPrecision(0.75)", constrained(weights, "precision", 0.75, "recall"))
    print(label, "SensitivityAtSpecificity(0.8)", constrained(weights, "specificity", 0.8, "recall"))
    print(label, "SpecificityAtSensitivity(0.8)", constrained(weights, "recall", 0.8, "specificity"))

# F-beta on (batch, classes)
yt = np.array([[1, 1, 1], [1, 0, 0], [1, 1, 0], [0, 1, 0], [0, 0, 1]], dtype=float)
yp = np.array([[0.2, 0.6, 0.7], [0.2, 0.6, 0.6], [0.6, 0.8, 0.0], [0.9, 0.3, 0.1], [0.1, 0.2, 0.65]])
sw = np.array([1.0, 2.0, 0.5, 1.0, 3.0])
e = 1e-7


def fbeta(beta, average, threshold, weights):
    if threshold is None:
        pred = ((yp >= yp.max(-1, keepdims=True)) & (np.abs(yp) > 1e-9)).astype(float)
    else:
        pred = (yp > threshold).astype(float)
    ww = weights[:, None]
    axis = None if average == "micro" else 0
    tp = (pred * yt * ww).sum(axis)
    fp = (pred * (1 - yt) * ww).sum(axis)
    fn = ((1 - pred) * yt * ww).sum(axis)
    sup = (yt * ww).sum(axis)
    prec = tp / (tp + fp + e)
    rec = tp / (tp + fn + e)
    f = (1 + beta**2) * prec * rec / (beta**2 * prec + rec + e)
    if average == "weighted":
        return (f * sup / (sup.sum() + e)).sum()
    if average is not None:
        return f.mean()
    return f


print("FBeta(beta=2, threshold=0.5)", fbeta(2, None, 0.5, np.ones(5)))
print("F1(threshold=0.5) weighted", fbeta(1, None, 0.5, sw))
print("F1(argmax) micro", fbeta(1, "micro", None, np.ones(5)), "macro", fbeta(1, "macro", None, np.ones(5)), "weighted", fbeta(1, "weighted", None, sw))


def iou(t, pr, nc, targets, weights, ignore=None):
    cm = np.zeros((nc, nc))
    for a, b, ww in zip(t, pr, weights):
        if ignore is not None and a == ignore:
            continue
        if 0 <= a < nc and 0 <= b < nc:
            cm[a, b] += ww
    tp = np.diag(cm)
    den = cm.sum(0) + cm.sum(1) - tp
    ids = np.array(targets)
    valid = den[ids] > 1e-9
    v = np.where(valid, tp[ids] / (den[ids] + e), 0)
    return v.sum() / (valid.sum() + e)


seg_t = np.array([0, 1, 2, 2, 1, 0, 3, 2, 1, 1])
seg_p = np.array([0, 2, 2, 1, 1, 0, 2, 2, 0, 1])
seg_w = np.array([1, 0.5, 2, 1, 1, 3, 1, 0.25, 1, 2])
print("MeanIoU(4) weighted", iou(seg_t, seg_p, 4, range(4), seg_w))
print("IoU(4, [1, 2]) ignore 3", iou(seg_t, seg_p, 4, [1, 2], np.ones(10), ignore=3))

# R2 on (batch, 2 outputs), weighted
ry = np.array([[1.0, 2.0], [4.0, 0.5], [3.0, 1.5], [2.5, 3.0], [0.0, 2.5], [5.0, 1.0]])
rp = np.array([[1.5, 2.2], [3.5, 0.0], [3.2, 1.0], [2.0, 3.5], [0.5, 2.0], [4.0, 1.5]])
rw = np.array([1.0, 2.0, 0.5, 1.0, 1.5, 1.0])


def r2(agg, weights, regressors=0):
    ww = np.broadcast_to(weights[:, None], ry.shape)
    mean = (ww * ry).sum(0) / ww.sum(0)
    ss_tot = (ww * (ry - mean) ** 2).sum(0)
    ss_res = (ww * (ry - rp) ** 2).sum(0)
    raw = 1 - ss_res / ss_tot
    out = {"uniform": raw.mean(), "variance": (ss_tot * raw).sum() / ss_tot.sum(), "none": raw}[agg]
    if regressors:
        n_ = ry.size
        out = 1 - (1 - out) * (n_ - 1) / (n_ - regressors - 1)
    return out


print("R2 uniform", r2("uniform", np.ones(6)), "variance weighted", r2("variance", rw), "none", r2("none", rw), "adjusted p=2", r2("uniform", np.ones(6), 2))

# correlations per sample along the last axis, then the mean over samples
cy = np.array([[0, 1, 0.5, 2.0], [1, 1, 0.2, 0.3], [0.5, 2.0, 1.5, 1.0], [3.0, 1.0, 2.0, 0.0]])
cp = np.array([[0.1, 0.9, 0.5, 1.5], [1, 0.9, 0.2, 0.5], [0.4, 1.5, 1.0, 1.2], [2.5, 1.5, 2.5, 0.5]])


def pearson(a, b):
    return np.mean([np.corrcoef(u, v)[0, 1] for u, v in zip(a, b)])


def ccc_keras(a, b):
    # Keras 3's formula: covariance term mean((y - mean(p)) (p - mean(p)))
    out = []
    for u, v in zip(a, b):
        cov = np.mean((u - v.mean()) * (v - v.mean()))
        out.append(2 * cov / (u.var() + v.var() + (u.mean() - v.mean()) ** 2 + e))
    return np.mean(out)


print("Pearson", pearson(cy, cp), "Concordance (Keras)", ccc_keras(cy, cp))

# loss metrics: mean over samples of the per-sample losses
ly = np.array([[1.0, 2.0, 0.5], [0.2, 3.0, 1.0]])
lp = np.array([[1.2, 1.5, 0.7], [0.5, 2.5, 1.5]])
mape = np.mean(100 * np.mean(np.abs((ly - lp) / np.maximum(np.abs(ly), 1e-7)), -1))
msle = np.mean(np.mean((np.log1p(lp) - np.log1p(ly)) ** 2, -1))
logcosh = np.mean(np.mean(np.log(np.cosh(lp - ly)), -1))
pois = np.mean(np.mean(lp - ly * np.log(lp + 1e-7), -1))
print("MAPE", mape, "MSLE", msle, "LogCosh", logcosh, "Poisson", pois)
