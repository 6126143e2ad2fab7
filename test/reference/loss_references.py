"""Reference values for every keras-ts loss (NumPy, float64), from Keras 3's documented formulas.

Run `python3 test/reference/loss_references.py`; test/losses/all_losses.test.ts holds the output.
Each line: name, per-sample values, and the finite-difference gradient of the mean w.r.t. yPred.
"""
import numpy as np

EPS = 1e-7
yt = np.array([[0.0, 1.0, 0.0], [1.0, 0.0, 1.0]])
yp = np.array([[0.2, 0.7, 0.4], [0.6, 0.1, 0.9]])  # in (0, 1), not normalized
yr = np.array([[1.5, -0.5, 2.0], [0.2, 3.0, -1.0]])  # regression targets
pr = np.array([[1.0, 0.5, 2.5], [-0.3, 2.0, 0.5]])  # regression predictions (pr - yr spans |e|<1 and >1)
sig = lambda z: 1 / (1 + np.exp(-z))


def bce(t, p, ls=0.0):
    t = t * (1 - ls) + 0.5 * ls
    p = np.clip(p, EPS, 1 - EPS)
    return -(t * np.log(p) + (1 - t) * np.log(1 - p)).mean(-1)

def cce(t, p, ls=0.0):
    t = t * (1 - ls) + ls / t.shape[-1]
    p = np.clip(p / p.sum(-1, keepdims=True), EPS, 1 - EPS)
    return -(t * np.log(p)).sum(-1)

def focal(t, p, gamma=2.0, alpha=0.25, balance=False, logits=False):
    if logits:
        p = sig(p)
    pc = np.clip(p, EPS, 1 - EPS)
    b = -(t * np.log(pc) + (1 - t) * np.log(1 - pc))
    pt = t * p + (1 - t) * (1 - p)
    f = (1 - pt) ** gamma * b
    if balance:
        f = f * (t * alpha + (1 - t) * (1 - alpha))
    return f.mean(-1)

def huber(t, p, d=1.0):
    e = p - t; a = np.abs(e)
    return np.where(a <= d, 0.5 * e * e, d * a - 0.5 * d * d).mean(-1)

def cos(t, p):
    n = lambda x: x / np.sqrt(np.maximum((x * x).sum(-1, keepdims=True), 1e-12))
    return -(n(t) * n(p)).sum(-1)

def hinge_labels(t):
    return 2 * t - 1 if np.all((t == 0) | (t == 1)) else t

cases = {
    "bce_smooth": (lambda p: bce(yt, p, 0.2), yp),
    "cce_smooth": (lambda p: cce(yt[:, :], p, 0.1), yp),
    "focal": (lambda p: focal(yt, p), yp),
    "focal_balanced_logits": (lambda p: focal(yt, p, gamma=1.5, balance=True, logits=True), pr),
    "mse": (lambda p: ((p - yr) ** 2).mean(-1), pr),
    "mae": (lambda p: np.abs(p - yr).mean(-1), pr),
    "mape": (lambda p: 100 * np.abs((yr - p) / np.maximum(np.abs(yr), EPS)).mean(-1), pr),
    "msle": (lambda p: ((np.log1p(np.maximum(p, EPS)) - np.log1p(np.maximum(yr, EPS))) ** 2).mean(-1), pr),
    "huber": (lambda p: huber(yr, p), pr),
    "huber_delta2": (lambda p: huber(yr, p, 2.0), pr),
    "log_cosh": (lambda p: np.log(np.cosh(p - yr)).mean(-1), pr),
    "kl_divergence": (lambda p: (np.clip(yt, EPS, 1) * np.log(np.clip(yt, EPS, 1) / np.clip(p, EPS, 1))).sum(-1), yp),
    "poisson": (lambda p: (p - yt * np.log(p + EPS)).mean(-1), yp),
    "cosine_similarity": (lambda p: cos(yr, p), pr),
    "hinge": (lambda p: np.maximum(1 - hinge_labels(yt) * p, 0).mean(-1), pr),
    "squared_hinge": (lambda p: (np.maximum(1 - hinge_labels(yt) * p, 0) ** 2).mean(-1), pr),
    "categorical_hinge": (lambda p: np.maximum((( 1 - yt) * p).max(-1) - (yt * p).sum(-1) + 1, 0), pr),
}


def fd(f, x, h=1e-6):
    g = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        xp = x.copy(); xp[i] += h
        xm = x.copy(); xm[i] -= h
        g[i] = (f(xp).mean() - f(xm).mean()) / (2 * h)
    return g

fmt = lambda a: "[" + ", ".join(f"{v:.10f}" for v in np.ravel(a)) + "]"
for name, (f, x) in cases.items():
    print(f"  {name}: {{ values: {fmt(f(x))}, grad: {fmt(fd(f, x))} }},")
