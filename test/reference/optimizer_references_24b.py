"""Reference trajectories for issue 24's optimizer additions: Muon, ScheduleFreeAdamW, and Keras 3's base
options (use_ema / ema_momentum / ema_overwrite_frequency, gradient_accumulation_steps) on
f(w) = sum(c w^2) + d.w (and the 2x3 matrix problem for Muon's matrix rule).

NumPy, float64, written from the update rules in keras/src/optimizers/{muon,schedule_free_adamw,
base_optimizer}.py, independently of keras-ts's code.
Run `python3 test/reference/optimizer_references_24b.py`; test/optimizers/optimizers_24b.test.ts holds the output.
"""
import numpy as np

c = np.array([0.5, 1.5, 2.0])
d = np.array([0.1, -0.3, 0.2])
w0 = np.array([1.0, -2.0, 0.5])
C2 = np.array([[0.5, 1.5, 2.0], [1.0, 0.25, 3.0]])
D2 = np.array([[0.1, -0.3, 0.2], [-0.2, 0.4, 0.0]])
W2 = np.array([[1.0, -2.0, 0.5], [0.3, 1.2, -0.7]])


def adam_step(w, g, s, lr, t, b1=0.9, b2=0.999, eps=1e-7):
    s["m"] = s.get("m", 0) + (g - s.get("m", 0)) * (1 - b1)
    s["v"] = s.get("v", 0) + (g * g - s.get("v", 0)) * (1 - b2)
    alpha = lr * np.sqrt(1 - b2 ** t) / (1 - b1 ** t)
    return w - s["m"] * alpha / (np.sqrt(s["v"]) + eps)


def newton_schulz(x, steps=5, a=3.4445, b=-4.7750, cc=2.0315):
    tall = x.shape[0] > x.shape[1]
    if tall:
        x = x.T
    x = x / (np.linalg.norm(x) + 1e-7)
    for _ in range(steps):
        A = x @ x.T
        B = b * A + cc * A @ A
        x = a * x + B @ x
    return x.T if tall else x


def muon(w, g, s, lr, t, momentum=0.95, wd=0.004, adam_wd=0.004, rms_rate=0.2, nesterov=True):
    if w.ndim != 2:  # the AdamW rule
        w = w - w * adam_wd * lr
        return adam_step(w, g, s, lr, t)
    w = w - w * wd * lr
    m = s.get("m", np.zeros_like(w))
    m = m + g + m * (momentum - 1)
    s["m"] = m
    u = g + momentum * m if nesterov else m
    upd = lr * newton_schulz(u)
    upd = upd * np.sqrt(max(w.shape)) * rms_rate
    return w - upd


def schedule_free(w, g, s, lr, t, b1=0.9, b2=0.999, eps=1e-8, warmup=0):
    if warmup > 0:
        lr = lr * min(t / warmup, 1.0)
    z = s.get("z", w.copy())  # Keras's `momentum`, built as a copy of the variable
    v = s.get("v", np.zeros_like(w))
    v = v + (g * g - v) * (1 - b2)
    denom = np.sqrt(v / (1 - b2 ** t)) + eps
    z_new = z - lr * g / denom
    x = (w - (1 - b1) * z) / b1
    x_new = (1 - 1 / t) * x + (1 / t) * z_new
    s["z"], s["v"] = z_new, v
    return (1 - b1) * z_new + b1 * x_new


def run(step_fn, lr, calls=3, w_init=w0, cc=c, dd=d, accumulate=None, ema=None, overwrite=None):
    """Keras's base apply loop: accumulation, update, then the moving average (and its overwrite)."""
    w = w_init.copy(); s = {}; out = []; averages = []
    acc = np.zeros_like(w); iterations = 0; calls_done = 0; avg = np.zeros_like(w)
    for _ in range(calls):
        g = 2 * cc * w + dd
        updates = accumulate is None or (calls_done + 1) % accumulate == 0
        if accumulate is not None:
            if updates:
                g = (g + acc) / accumulate
                acc = np.zeros_like(w)
            else:
                acc = acc + g
        if updates:
            w = step_fn(w, g, s, lr, iterations + 1)
        if ema is not None:
            m = 0.0 if iterations == 0 else ema
            avg = m * avg + (1 - m) * w
            if overwrite is not None and (iterations + 1) % overwrite == 0:
                w = avg.copy()
            averages.append(avg.copy())
        calls_done += 1
        if updates:
            iterations += 1
        out.append(w.copy())
    return out, averages


def sgd(w, g, s, lr, t):
    return w - lr * g


def show(name, traj):
    print(f"  {name}: [" + ", ".join("[" + ", ".join(f"{v:.10f}" for v in np.ravel(w)) + "]" for w in traj) + "],")


show("muon_matrix", run(muon, 0.1, w_init=W2, cc=C2, dd=D2)[0])
show("muon_vector_adam", run(muon, 0.1)[0])
show("schedule_free", run(schedule_free, 0.1)[0])
show("schedule_free_warmup", run(lambda w, g, s, lr, t: schedule_free(w, g, s, lr, t, warmup=2), 0.1)[0])
show("sgd_accumulate_2", run(sgd, 0.1, calls=4, accumulate=2)[0])
w, a = run(sgd, 0.1, ema=0.9)
show("sgd_ema", w)
show("sgd_ema_averages", a)
w, a = run(sgd, 0.1, calls=4, ema=0.5, overwrite=2)
show("sgd_ema_overwrite_2", w)
w, a = run(adam_step, 0.1, calls=4, accumulate=2, ema=0.9)
show("adam_accumulate_ema", w)
show("adam_accumulate_ema_averages", a)
