"""Independent reference values for the keras-ts tests, computed with NumPy in float64.

Run `python3 test/reference/make_references.py` to print them; the tests hold the printed numbers.
Gradients are central finite differences, so they do not depend on any analytic derivation.
"""
import numpy as np

np.set_printoptions(precision=10, suppress=False)
EPS = 1e-7


def fd_grad(f, x, h=1e-6):
    g = np.zeros_like(x)
    it = np.nditer(x, flags=["multi_index"])
    for _ in it:
        i = it.multi_index
        xp = x.copy(); xp[i] += h
        xm = x.copy(); xm[i] -= h
        g[i] = (f(xp) - f(xm)) / (2 * h)
    return g


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def show(name, v):
    print(name, np.array2string(np.asarray(v), separator=", ", precision=10))


# Dense forward, sigmoid
x = np.array([[0.1, -0.2, 0.3], [0.5, 0.4, -0.6]])
W = np.array([[0.2, -0.1], [0.4, 0.3], [-0.5, 0.25]])
b = np.array([0.05, -0.02])
show("dense_sigmoid", sigmoid(x @ W + b))
# gradient of sum(sigmoid(xW+b)) w.r.t. W and b
show("dense_dW", fd_grad(lambda w: sigmoid(x @ w + b).sum(), W))
show("dense_db", fd_grad(lambda bb: sigmoid(x @ W + bb).sum(), b))

# Losses
def cce(t, p):
    p = p / p.sum(-1, keepdims=True)
    p = np.clip(p, EPS, 1 - EPS)
    return -(t * np.log(p)).sum(-1)

def cce_logits(t, z):
    z = z - z.max(-1, keepdims=True)
    logp = z - np.log(np.exp(z).sum(-1, keepdims=True))
    return -(t * logp).sum(-1)

def bce(t, p):
    p = np.clip(p, EPS, 1 - EPS)
    return -(t * np.log(p) + (1 - t) * np.log(1 - p)).mean(-1)

def bce_logits(t, z):
    return bce(t, sigmoid(z))

def mse(t, p):
    return ((p - t) ** 2).mean(-1)

yt = np.array([[0, 1, 0], [0, 0, 1.0]])
yp = np.array([[0.1, 0.7, 0.2], [0.3, 0.3, 0.4]])
show("cce_per_sample", cce(yt, yp))
show("cce_mean", cce(yt, yp).mean())
show("cce_grad", fd_grad(lambda p: cce(yt, p).mean(), yp))
sw = np.array([1.0, 3.0])
show("cce_weighted", (cce(yt, yp) * sw).sum() / 2)
zl = np.array([[1.0, 2.0, 0.5], [-1.0, 0.0, 3.0]])
show("cce_logits_mean", cce_logits(yt, zl).mean())
show("cce_logits_grad", fd_grad(lambda z: cce_logits(yt, z).mean(), zl))

bt = np.array([[1, 0], [0, 1.0]])
bp = np.array([[0.8, 0.3], [0.4, 0.9]])
show("bce_mean", bce(bt, bp).mean())
show("bce_grad", fd_grad(lambda p: bce(bt, p).mean(), bp))
bz = np.array([[2.0, -1.0], [0.5, -3.0]])
show("bce_logits_mean", bce_logits(bt, bz).mean())
show("bce_logits_grad", fd_grad(lambda z: bce_logits(bt, z).mean(), bz))

mt = np.array([[1.0, 2.0], [3.0, 4.0]])
mp = np.array([[1.5, 1.5], [2.0, 5.0]])
show("mse_mean", mse(mt, mp).mean())
show("mse_grad", fd_grad(lambda p: mse(mt, p).mean(), mp))
show("mse_sum", mse(mt, mp).sum())

# Optimizers on f(w) = sum(c * w^2) + d . w, gradient 2 c w + d (PyTorch-style formulations)
c = np.array([0.5, 1.5, 2.0])
d = np.array([0.1, -0.3, 0.2])
w0 = np.array([1.0, -2.0, 0.5])
grad = lambda w: 2 * c * w + d

def sgd(lr, mu=0.0, nesterov=False, steps=3):
    w = w0.copy(); buf = None; out = []
    for _ in range(steps):
        g = grad(w)
        if mu:
            buf = g.copy() if buf is None else mu * buf + g
            g = g + mu * buf if nesterov else buf
        w = w - lr * g
        out.append(w.copy())
    return out

def adam(lr, b1=0.9, b2=0.999, eps=1e-7, steps=3):
    w = w0.copy(); m = np.zeros_like(w); v = np.zeros_like(w); out = []
    for t in range(1, steps + 1):
        g = grad(w)
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g * g
        mhat = m / (1 - b1 ** t); vhat = v / (1 - b2 ** t)
        # Keras puts epsilon outside the bias correction: eps_hat = eps * sqrt(1 - b2^t)
        w = w - lr * mhat / (np.sqrt(vhat) + eps / np.sqrt(1 - b2 ** t))
        out.append(w.copy())
    return out

for i, w in enumerate(sgd(0.1)): show(f"sgd_step{i+1}", w)
for i, w in enumerate(sgd(0.1, 0.9)): show(f"sgd_momentum_step{i+1}", w)
for i, w in enumerate(sgd(0.1, 0.9, True)): show(f"sgd_nesterov_step{i+1}", w)
for i, w in enumerate(adam(0.01)): show(f"adam_step{i+1}", w)

# Activations at x = [-2, -0.5, 0, 1.5], from their definitions (math.erf for gelu)
import math
X = np.array([-2, -0.5, 0, 1.5])
alpha, scale = 1.6732632423543772, 1.0507009873554805
acts = {
    "sigmoid": sigmoid(X),
    "tanh": np.tanh(X),
    "elu": np.where(X > 0, X, np.exp(X) - 1),
    "selu": scale * np.where(X > 0, X, alpha * (np.exp(X) - 1)),
    "softplus": np.log1p(np.exp(X)),
    "softsign": X / (1 + np.abs(X)),
    "gelu": np.array([0.5 * v * (1 + math.erf(v / math.sqrt(2))) for v in X]),
    "swish": X * sigmoid(X),
    "hard_sigmoid": np.clip(X / 6 + 0.5, 0, 1),
}
for name, v in acts.items():
    show(f"act_{name}", v)
