"""Reference trajectories for every keras-ts optimizer: three steps on f(w) = sum(c w^2) + d.w.

NumPy, float64, written from the papers' / Keras 3 documentation's update rules (not from our code).
Run `python3 test/reference/optimizer_references.py`; test/optimizers/*.test.ts hold the output.
"""
import math
import numpy as np

c = np.array([0.5, 1.5, 2.0])
d = np.array([0.1, -0.3, 0.2])
w0 = np.array([1.0, -2.0, 0.5])
grad = lambda w: 2 * c * w + d


def run(step_fn, state, steps=3, lr=lambda t: 0.01, clip=None, wd=None):
    w = w0.copy(); out = []
    for t in range(1, steps + 1):
        g = grad(w)
        if clip is not None:
            g = clip(g)
        if wd:
            w = w - w * wd * lr(t - 1)
        w = step_fn(w, g, state, lr(t - 1), t)
        out.append(w.copy())
    return out


def adam(amsgrad=False, b1=0.9, b2=0.999, eps=1e-7):
    def f(w, g, s, lr, t):
        s["m"] = b1 * s.get("m", 0) + (1 - b1) * g
        s["v"] = b2 * s.get("v", 0) + (1 - b2) * g * g
        v = s["v"]
        if amsgrad:
            s["vmax"] = np.maximum(s.get("vmax", 0), v); v = s["vmax"]
        mhat = s["m"] / (1 - b1 ** t)
        return w - lr * mhat / (np.sqrt(v / (1 - b2 ** t)) + eps / math.sqrt(1 - b2 ** t))
    return f


def rmsprop(rho=0.9, momentum=0.0, centered=False, eps=1e-7):
    def f(w, g, s, lr, t):
        s["v"] = rho * s.get("v", 0) + (1 - rho) * g * g
        denom = s["v"] + eps
        if centered:
            s["a"] = rho * s.get("a", 0) + (1 - rho) * g
            denom = s["v"] - s["a"] ** 2 + eps
        inc = lr * g / np.sqrt(denom)
        if momentum:
            s["mom"] = momentum * s.get("mom", 0) + inc
            return w - s["mom"]
        return w - inc
    return f


def adagrad(init=0.1, eps=1e-7):
    def f(w, g, s, lr, t):
        s["acc"] = s.get("acc", init) + g * g
        return w - lr * g / np.sqrt(s["acc"] + eps)
    return f


def adadelta(rho=0.95, eps=1e-7):
    def f(w, g, s, lr, t):
        s["eg"] = rho * s.get("eg", 0) + (1 - rho) * g * g
        delta = -np.sqrt(s.get("ed", 0) + eps) / np.sqrt(s["eg"] + eps) * g
        s["ed"] = rho * s.get("ed", 0) + (1 - rho) * delta * delta
        return w + lr * delta
    return f


def adamax(b1=0.9, b2=0.999, eps=1e-7):
    def f(w, g, s, lr, t):
        s["m"] = b1 * s.get("m", 0) + (1 - b1) * g
        s["u"] = np.maximum(b2 * s.get("u", 0), np.abs(g))
        return w - lr / (1 - b1 ** t) * s["m"] / (s["u"] + eps)
    return f


def nadam(b1=0.9, b2=0.999, eps=1e-7):
    mu = lambda t: b1 * (1 - 0.5 * 0.96 ** t)
    def f(w, g, s, lr, t):
        s["prod"] = s.get("prod", 1.0) * mu(t)
        s["m"] = b1 * s.get("m", 0) + (1 - b1) * g
        s["v"] = b2 * s.get("v", 0) + (1 - b2) * g * g
        mhat = mu(t + 1) * s["m"] / (1 - s["prod"] * mu(t + 1)) + (1 - mu(t)) * g / (1 - s["prod"])
        vhat = s["v"] / (1 - b2 ** t)
        return w - lr * mhat / (np.sqrt(vhat) + eps)
    return f


def lion(b1=0.9, b2=0.99):
    def f(w, g, s, lr, t):
        m = s.get("m", 0)
        w = w - lr * np.sign(b1 * m + (1 - b1) * g)
        s["m"] = b2 * m + (1 - b2) * g
        return w
    return f


def sgd_torch(mu=0.0):
    def f(w, g, s, lr, t):
        if mu:
            s["buf"] = g.copy() if "buf" not in s else mu * s["buf"] + g
            g = s["buf"]
        return w - lr * g
    return f


def show(name, traj):
    print(f"  {name}: [" + ", ".join("[" + ", ".join(f"{v:.10f}" for v in w) + "]" for w in traj) + "],")


show("adam_amsgrad", run(adam(True, b2=0.5), {}, lr=lambda t: 0.5))
show("adam_b2_05", run(adam(False, b2=0.5), {}, lr=lambda t: 0.5))
show("adamw", run(adam(), {}, wd=0.004))
show("rmsprop", run(rmsprop(), {}))
show("rmsprop_momentum_centered", run(rmsprop(momentum=0.9, centered=True), {}))
show("adagrad", run(adagrad(), {}))
show("adadelta", run(adadelta(), {}, lr=lambda t: 1.0))
show("adamax", run(adamax(), {}))
show("nadam", run(nadam(), {}))
show("lion", run(lion(), {}))
norm_clip = lambda g: g * 1.0 / max(np.linalg.norm(g), 1.0)
show("sgd_clipnorm1", run(sgd_torch(), {}, lr=lambda t: 0.1, clip=norm_clip))
show("sgd_clipvalue05", run(sgd_torch(), {}, lr=lambda t: 0.1, clip=lambda g: np.clip(g, -0.5, 0.5)))
show("sgd_exponential_decay", run(sgd_torch(), {}, lr=lambda t: 0.1 * 0.5 ** (t / 2)))

# Schedules at steps 0..6
steps = range(7)
print("  exponential_staircase:", [0.1 * 0.5 ** math.floor(t / 2) for t in steps])
print("  inverse_time:", [0.1 / (1 + 0.5 * t / 2) for t in steps])
print("  piecewise:", [1.0 if t <= 2 else 0.5 if t <= 4 else 0.1 for t in steps])
print("  polynomial:", [(0.1 - 0.01) * (1 - min(t, 4) / 4) ** 2 + 0.01 for t in steps])
def cosine(t, lr0=0.1, n=4, alpha=0.1, target=None, warm=0):
    if target is None:
        t = min(t, n); return lr0 * ((1 - alpha) * 0.5 * (1 + math.cos(math.pi * t / n)) + alpha)
    t = min(t, n + warm)
    if t < warm:
        return lr0 + (target - lr0) * t / warm
    return target * ((1 - alpha) * 0.5 * (1 + math.cos(math.pi * (t - warm) / n)) + alpha)
print("  cosine:", [cosine(t) for t in steps])
print("  cosine_warmup:", [cosine(t, lr0=0.0, target=0.1, warm=2) for t in steps])
def sgdr(t, lr0=0.1, first=2, tmul=2.0, mmul=0.5, alpha=0.0):
    # periods: [0,2) length 2, [2,6) length 4, [6,14) length 8, ...
    start, length, i = 0, first, 0
    while t >= start + length:
        start += length; length *= tmul; i += 1
    frac = (t - start) / length
    return lr0 * ((1 - alpha) * 0.5 * mmul ** i * (1 + math.cos(math.pi * frac)) + alpha)
print("  cosine_restarts:", [sgdr(t) for t in steps])
