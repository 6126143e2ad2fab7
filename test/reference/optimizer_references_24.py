"""Reference trajectories for Ftrl, Lamb and Adafactor (issue 24): three steps on f(w) = sum(c w^2) + d.w
(and, for Adafactor's factored second moment, on a 2x3 matrix).

NumPy, float64, the update rules as Keras 3 documents and implements them (keras/src/optimizers/
{ftrl,lamb,adafactor}.py), written here independently of keras-ts's code.
Run `python3 test/reference/optimizer_references_24.py`; test/optimizers/optimizers_24.test.ts holds the output.
"""
import numpy as np

c = np.array([0.5, 1.5, 2.0])
d = np.array([0.1, -0.3, 0.2])
w0 = np.array([1.0, -2.0, 0.5])
C2 = np.array([[0.5, 1.5, 2.0], [1.0, 0.25, 3.0]])
D2 = np.array([[0.1, -0.3, 0.2], [-0.2, 0.4, 0.0]])
W2 = np.array([[1.0, -2.0, 0.5], [0.3, 1.2, -0.7]])


def run(step_fn, lr, steps=3, wd=None, w_init=w0, cc=c, dd=d):
    w = w_init.copy(); s = {}; out = []
    for t in range(1, steps + 1):
        g = 2 * cc * w + dd
        if wd:
            w = w - w * wd * lr
        w = step_fn(w, g, s, lr, t)
        out.append(w.copy())
    return out


def ftrl(power=-0.5, init=0.1, l1=0.0, l2=0.0, shrink=0.0, beta=0.0):
    def f(w, g, s, lr, t):
        n = s.get("n", np.full_like(w, init))
        z = s.get("z", np.zeros_like(w))
        n_new = n + g * g
        z = z + (g + 2 * shrink * w) - (n_new ** -power - n ** -power) / lr * w
        quad = n_new ** -power / lr + 2 * (l2 + beta / (2 * lr))
        w = (np.clip(z, -l1, l1) - z) / quad
        s["n"], s["z"] = n_new, z
        return w
    return f


def lamb(b1=0.9, b2=0.999, eps=1e-7):
    def f(w, g, s, lr, t):
        s["m"] = s.get("m", 0) + (g - s.get("m", 0)) * (1 - b1)
        s["v"] = s.get("v", 0) + (g * g - s.get("v", 0)) * (1 - b2)
        u = (s["m"] / (1 - b1 ** t)) / (np.sqrt(s["v"] / (1 - b2 ** t)) + eps)
        wn, un = np.linalg.norm(w), np.linalg.norm(u)
        ratio = wn / un if wn > 0 and un > 0 else 1.0
        return w - ratio * lr * u
    return f


def adafactor(decay=-0.8, eps1=1e-30, eps2=1e-3, clip=1.0, relative=True):
    rms = lambda x: np.sqrt(np.mean(x * x))
    def f(w, g, s, lr, t):
        if relative:
            lr = min(lr, 1 / np.sqrt(t))
        rho = min(lr, 1 / np.sqrt(t))
        alpha = max(eps2, rms(w)) * rho
        g2 = g * g + eps1
        b2t = 1 - t ** decay
        if w.ndim >= 2:
            s["r"] = b2t * s.get("r", 0) + (1 - b2t) * g2.mean(axis=-1)
            s["c"] = b2t * s.get("c", 0) + (1 - b2t) * g2.mean(axis=-2)
            v = (s["r"] / s["r"].mean(axis=-1, keepdims=True))[..., None] * s["c"][..., None, :]
        else:
            v = b2t * s.get("v", 0) + (1 - b2t) * g2
            s["v"] = v
        u = g / np.sqrt(v)
        u = u / max(1.0, rms(u) / clip)
        return w - alpha * u
    return f


def show(name, traj):
    print(f"  {name}: [" + ", ".join("[" + ", ".join(f"{v:.10f}" for v in np.ravel(w)) + "]" for w in traj) + "],")


show("ftrl", run(ftrl(), 0.1))
show("ftrl_regularized", run(ftrl(l1=0.05, l2=0.01, shrink=0.02, beta=0.1, init=0.2), 0.1))
show("ftrl_fixed_rate", run(ftrl(power=0.0, l1=0.3), 0.1))
show("lamb", run(lamb(), 0.01))
show("lamb_weight_decay", run(lamb(b1=0.5, b2=0.9), 0.1, wd=0.1))
show("adafactor", run(adafactor(), 0.1))
show("adafactor_no_relative_step", run(adafactor(relative=False, clip=0.5), 0.1))
show("adafactor_matrix", run(adafactor(), 0.1, w_init=W2, cc=C2, dd=D2))
