"""Reference values for k.ops.linalg (issue 24, item 7): NumPy's linalg in float64 (Keras 3's numpy
backend calls these same functions), PyTorch's lu_factor for the pivots (made 0-based, SciPy's
convention, as Keras's numpy backend returns them), and gradients by central finite differences of
NumPy's functions in float64 (symmetric perturbations for cholesky and eigh, whose inputs are
symmetric).

Run `/usr/bin/python3 test/reference/linalg_reference.py`; it prints the cases and gradients of
test/ops/linalg_ops.test.ts, pasted there as is.
"""
import numpy as np
import torch

N = np.array([[2.0, -1.0, 0.5], [1.0, 3.0, 2.0], [0.0, -2.0, 4.0]])
M = np.array([[4.0, 1.0, -2.0], [1.0, 3.0, 0.5], [-2.0, 0.5, 5.0]])
R = np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.5]])
Bm = np.array([[1.0, 2.0], [0.0, -1.0], [3.0, 0.5]])
bv = np.array([1.0, -2.0, 0.5])
C = np.array([[0.3, -1.2, 0.7], [2.0, 0.1, -0.4], [-0.6, 0.9, 1.5]])  # loss weights: L = sum(f(x) * C)


def fmt(v):
    v = np.asarray(v, dtype=np.float64)
    return f"[{', '.join(str(d) for d in v.shape)}], [{', '.join(f'{a:.10g}' for a in v.reshape(-1))}]"


def show(label, ts, v):
    print(f"  ['{label}', () => {ts}, {fmt(v)}],")


def lu_factor(a):
    lu, piv = torch.linalg.lu_factor(torch.tensor(a))
    return lu.numpy(), piv.numpy() - 1


def chol_inv(l):
    li = np.linalg.inv(l)
    return li.T @ li


print("// cases")
cases = [
    ("inv", "ops.inv(N)", np.linalg.inv(N)),
    ("inv batched", "ops.linalg.inv([N, M])", np.linalg.inv(np.stack([N, M]))),
    ("det", "ops.det(N)", np.linalg.det(N)),
    ("det batched", "ops.det([N, M, R3])", np.linalg.det(np.stack([N, M, np.outer([1, 2, 3], [1, 1, 1])]))),
    ("slogdet sign", "ops.slogdet(ops.negative(M))[0]", np.linalg.slogdet(-M)[0]),
    ("slogdet logabsdet", "ops.slogdet(ops.negative(M))[1]", np.linalg.slogdet(-M)[1]),
    ("logdet", "ops.logdet(M)", np.log(np.linalg.det(M))),
    ("solve matrix", "ops.solve(N, Bm)", np.linalg.solve(N, Bm)),
    ("solve vector", "ops.solve(N, bv)", np.linalg.solve(N, bv)),
    ("solveTriangular lower", "ops.solveTriangular(N, Bm, true)", np.linalg.solve(np.tril(N), Bm)),
    ("solveTriangular upper vector", "ops.linalg.solveTriangular(N, bv)", np.linalg.solve(np.triu(N), bv)),
    ("cholesky", "ops.cholesky(M)", np.linalg.cholesky(M)),
    ("cholesky upper", "ops.cholesky(M, true)", np.linalg.cholesky(M).T),
    ("choleskyInverse", "ops.choleskyInverse(L)", chol_inv(np.linalg.cholesky(M))),
    ("choleskyInverse upper", "ops.choleskyInverse(ops.transpose(L), true)", chol_inv(np.linalg.cholesky(M))),
    ("luFactor lu", "ops.luFactor(N)[0]", lu_factor(N)[0]),
    ("luFactor pivots", "ops.luFactor(N)[1]", lu_factor(N)[1]),
    ("svd s only", "ops.svd(R, true, false) as tfc.Tensor", np.linalg.svd(R, compute_uv=False)),
    ("svd s batched wide", "ops.svd(ops.stack([ops.transpose(R), ops.transpose(R)]), false, false) as tfc.Tensor", np.linalg.svd(np.stack([R.T, R.T]), compute_uv=False)),
    ("eigh w", "ops.eigh(M)[0]", np.linalg.eigh(M)[0]),
    ("eig w (symmetric)", "ops.eig(M)[0]", np.sort(np.linalg.eig(M)[0].real)),
    ("pinv", "ops.pinv(R)", np.linalg.pinv(R)),
    ("lstsq matrix", "ops.lstsq(R, Bm)", np.linalg.lstsq(R, Bm, rcond=None)[0]),
    ("lstsq vector", "ops.lstsq(R, bv)", np.linalg.lstsq(R, bv, rcond=None)[0]),
    ("matrixRank", "ops.matrixRank([[[1, 2], [2, 4]], [[1, 2], [3, 4]]])", np.linalg.matrix_rank(np.array([[[1, 2], [2, 4]], [[1, 2], [3, 4]]]))),
    ("norm default", "ops.norm(N)", np.linalg.norm(N)),
    ("norm vector ord 3 axis 1", "ops.norm(N, 3, 1)", np.linalg.norm(N, 3, axis=1)),
    ("norm vector inf axis 0 keepdims", "ops.norm(N, Infinity, 0, true)", np.linalg.norm(N, np.inf, axis=0, keepdims=True)),
    ("norm vector ord 0", "ops.norm(N, 0, -1)", np.linalg.norm(N, 0, axis=-1)),
    ("norm matrix 1", "ops.norm(N, 1)", np.linalg.norm(N, 1)),
    ("norm matrix -inf", "ops.norm(N, -Infinity)", np.linalg.norm(N, -np.inf)),
    ("norm matrix 2", "ops.norm(N, 2)", np.linalg.norm(N, 2)),
    ("norm matrix nuc", "ops.norm(N, 'nuc')", np.linalg.norm(N, "nuc")),
    ("norm matrix -2 axes [2, 1] batched", "ops.norm([N, M], -2, [2, 1])", np.linalg.norm(np.stack([N, M]), -2, axis=(2, 1))),
    ("norm fro keepdims axes [0, 1]", "ops.norm(N, 'fro', [0, 1], true)", np.linalg.norm(N, "fro", axis=(0, 1), keepdims=True)),
]
for c in cases:
    show(*c)

print("// |svd u|, |svd vh|, |eigh v|, |qr r| (signs are unspecified)")
u, s, vh = np.linalg.svd(R, full_matrices=True)
print("svd full u", fmt(np.abs(u)))
print("svd vh", fmt(np.abs(vh)))
print("eigh v", fmt(np.abs(np.linalg.eigh(M)[1])))
print("qr r reduced", fmt(np.abs(np.linalg.qr(R)[1])))
print("qr r complete", fmt(np.abs(np.linalg.qr(R, mode="complete")[1])))


def fd(f, x, sym=False, h=1e-6):
    g = np.zeros_like(x)
    for i in range(x.shape[0]):
        for j in range(x.shape[1]):
            if sym and j > i:
                continue
            d = np.zeros_like(x)
            d[i, j] = h
            if sym:
                d[j, i] = h
            g[i, j] = (loss(f, x + d) - loss(f, x - d)) / (2 * h)
    if sym:  # the derivative along E_ij + E_ji is g_ij + g_ji of a symmetric gradient: split it evenly
        g = np.where(np.eye(len(x)) == 1, g, g / 2)
        g = np.tril(g) + np.tril(g, -1).T
    return g


def loss(f, x):
    y = f(x)
    w = C.reshape(-1)[: y.size].reshape(y.shape) if y.ndim else 1.0
    return float(np.sum(y * w))


print("// gradients of sum(f(x) * C[:size]) by central differences")
grads = [
    ("inv", lambda x: np.linalg.inv(x), N, False),
    ("det", lambda x: np.linalg.det(x), N, False),
    ("slogdet logabsdet", lambda x: np.linalg.slogdet(x)[1], -M, False),
    ("logdet", lambda x: np.log(np.linalg.det(x)), M, False),
    ("solve wrt a", lambda x: np.linalg.solve(x, Bm), N, False),
    ("solve wrt b", lambda x: np.linalg.solve(N, x), Bm, False),
    ("solveTriangular lower wrt a", lambda x: np.linalg.solve(np.tril(x), Bm), N, False),
    ("cholesky", lambda x: np.linalg.cholesky(x), M, True),
    ("eigh w", lambda x: np.linalg.eigh(x)[0], M, True),
    ("eigh v", lambda x: np.linalg.eigh(x)[1] * np.sign(np.linalg.eigh(x)[1][np.argmax(np.abs(np.linalg.eigh(x)[1]), axis=0), range(3)]), M, True),
]
for label, f, x, sym in grads:
    print(f"  ['{label}', {fmt(fd(f, x, sym))}],")
