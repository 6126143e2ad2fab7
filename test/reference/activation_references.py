"""Reference values for Keras 3's activations added in issue 24: PyTorch's functional ops where
PyTorch has the function (celu, glu, hardshrink, hardtanh, logsigmoid, mish, softshrink, tanhshrink,
threshold, gelu tanh, elu, relu-family), NumPy from Keras's documented formulas for the others
(sparse_plus, sparse_sigmoid, sparsemax, squareplus), in float64.

Run `/usr/bin/python3 test/reference/activation_references.py`; test/activations/functions.test.ts
holds the output.
"""
import numpy as np
import torch
import torch.nn.functional as F

X = [-3.0, -1.5, -0.75, -0.25, 0.3, 0.9, 1.6, 4.0]
x = torch.tensor(X, dtype=torch.float64)
xn = np.array(X)


def show(name, v):
    v = v.numpy() if isinstance(v, torch.Tensor) else np.asarray(v)
    print(f"  {name}: [{', '.join(f'{a:.10g}' for a in v.reshape(-1))}],")


print("// x =", X)
show("celu", F.celu(x))
show("celu alpha 2", F.celu(x, alpha=2.0))
show("hard_shrink", F.hardshrink(x))
show("hard_shrink 1", F.hardshrink(x, lambd=1.0))
show("hard_tanh", F.hardtanh(x))
show("log_sigmoid", F.logsigmoid(x))
show("mish", F.mish(x))
show("soft_shrink", F.softshrink(x))
show("soft_shrink 1", F.softshrink(x, lambd=1.0))
show("tanh_shrink", F.tanhshrink(x))
show("threshold 0.5 -2", F.threshold(x, 0.5, -2.0))
show("gelu approximate", F.gelu(x, approximate="tanh"))
show("elu alpha 0.5", F.elu(x, alpha=0.5))
# Keras's relu(x, negative_slope, max_value, threshold): x above threshold (else 0), clipped to
# [0, max_value], minus negative_slope * relu(threshold - x).
def keras_relu(z, slope=0.0, max_value=None, thr=0.0):
    y = np.where(z > thr, z, 0.0)
    y = np.clip(y, 0, max_value if max_value is not None else np.inf)
    return y - slope * np.maximum(thr - z, 0)


show("relu slope 0.1 max 2 threshold 0.5", keras_relu(xn, 0.1, 2.0, 0.5))
show("relu max 6 threshold -1", keras_relu(xn, 0.0, 6.0, -1.0))
show("relu slope 0.1", keras_relu(xn, 0.1))
show("sparse_plus", np.where(xn <= -1, 0, np.where(xn < 1, (xn + 1) ** 2 / 4, xn)))
show("sparse_sigmoid", np.where(xn <= -1, 0, np.where(xn >= 1, 1, 0.5 * (xn + 1))))
show("squareplus", (xn + np.sqrt(xn ** 2 + 4)) / 2)
show("squareplus b 1", (xn + np.sqrt(xn ** 2 + 1)) / 2)

# glu over the last axis of a [2, 4] input, and over axis 0.
g = torch.tensor([X[:4], X[4:]], dtype=torch.float64)
show("glu", F.glu(g, dim=-1))
show("glu axis 0", F.glu(g, dim=0))


def sparsemax(z, axis=-1):
    """Martins & Astudillo (2016), Algorithm 1."""
    z = np.moveaxis(np.asarray(z, dtype=float), axis, -1)
    s = -np.sort(-z, axis=-1)
    c = np.cumsum(s, axis=-1)
    r = np.arange(1, z.shape[-1] + 1)
    support = 1 + r * s > c
    k = support.sum(-1, keepdims=True)
    tau = (np.take_along_axis(c, k - 1, -1) - 1) / k
    return np.moveaxis(np.maximum(z - tau, 0), -1, axis)


S = np.array([[0.5, 1.7, -0.3, 1.2], [0.1, 0.2, 0.15, 0.05], [3.0, -1.0, 0.0, 2.9]])
show("sparsemax", sparsemax(S))
show("sparsemax axis 0", sparsemax(S, axis=0))
# Its Jacobian-vector product for the loss sum(w * sparsemax(S)), w = [1, 2, 3, 4] per row:
# d/dz_i = m_i (w_i - mean of w over the support).
w = np.array([1.0, 2.0, 3.0, 4.0])
p = sparsemax(S)
m = (p > 0).astype(float)
show("sparsemax grad", m * (w - (m * w).sum(-1, keepdims=True) / m.sum(-1, keepdims=True)))
show("sparsemax of x / 4", sparsemax(xn / 4))
