"""Reference values for k.ops (issue 24, item 7): NumPy's functions, which Keras 3's keras.ops
follow by name and argument order, in float64 (scipy-free: logsumexp written out, as Keras defines it).

Run `/usr/bin/python3 test/reference/ops_reference.py`; it prints the cases of
test/ops/keras_ops.test.ts (label, the k.ops call, NumPy's shape and values), pasted there as is.
"""
import numpy as np

A = np.array([[-2.5, -1.0, 0.0, 0.5], [1.5, 2.0, -0.3, 3.7], [0.25, -4.0, 2.5, 1.0]])
P = np.array([[0.5, 1.0, 2.0, 4.0], [0.1, 3.0, 7.5, 10.0]])
B = np.array([[1.0, -2.0, 0.5, 3.0]])
T3 = np.arange(24).reshape(2, 3, 4) * 0.5 - 3
U = np.array([-0.9, -0.5, 0.0, 0.3, 0.8])
I = np.array([[2, 0, 1, 3], [1, 1, 0, -1], [3, 2, 2, 0]])


def logsumexp(x, axis=None, keepdims=False):
    m = np.max(x, axis=axis, keepdims=True)
    out = np.log(np.sum(np.exp(x - m), axis=axis, keepdims=True)) + m
    return out if keepdims else np.squeeze(out, axis=axis) if axis is not None else out.reshape(())


def show(label, ts, v):
    v = np.asarray(v, dtype=np.float64)
    vals = ", ".join(f"{a:.10g}" for a in v.reshape(-1))
    print(f"  ['{label}', () => {ts}, [{', '.join(str(d) for d in v.shape)}], [{vals}]],")


cases = [
    ("abs", "ops.abs(A)", np.abs(A)),
    ("add broadcast", "ops.add(A, B)", A + B),
    ("subtract", "ops.subtract(A, B)", A - B),
    ("multiply", "ops.multiply(A, 2)", A * 2),
    ("divide", "ops.divide(A, B)", A / B),
    ("negative", "ops.negative(A)", -A),
    ("square", "ops.square(A)", A ** 2),
    ("sqrt", "ops.sqrt(P)", np.sqrt(P)),
    ("exp", "ops.exp(A)", np.exp(A)),
    ("expm1", "ops.expm1(U)", np.expm1(U)),
    ("log", "ops.log(P)", np.log(P)),
    ("log1p", "ops.log1p(P)", np.log1p(P)),
    ("log2", "ops.log2(P)", np.log2(P)),
    ("log10", "ops.log10(P)", np.log10(P)),
    ("power", "ops.power(P, B)", np.power(P, B)),
    ("maximum", "ops.maximum(A, B)", np.maximum(A, B)),
    ("minimum", "ops.minimum(A, B)", np.minimum(A, B)),
    ("clip", "ops.clip(A, -1, 2)", np.clip(A, -1, 2)),
    ("sign", "ops.sign(A)", np.sign(A)),
    ("floor", "ops.floor(A)", np.floor(A)),
    ("ceil", "ops.ceil(A)", np.ceil(A)),
    ("round half to even", "ops.round(A)", np.round(A)),
    ("round 1 decimal", "ops.round([0.25, 1.37, -2.45, 3.14159], 1)", np.round(np.array([0.25, 1.37, -2.45, 3.14159]), 1)),
    ("sin", "ops.sin(A)", np.sin(A)),
    ("cos", "ops.cos(A)", np.cos(A)),
    ("tan", "ops.tan(U)", np.tan(U)),
    ("arcsin", "ops.arcsin(U)", np.arcsin(U)),
    ("arctan2", "ops.arctan2(A, B)", np.arctan2(A, B)),
    ("tanh", "ops.tanh(A)", np.tanh(A)),
    ("sigmoid", "ops.sigmoid(A)", 1 / (1 + np.exp(-A))),
    ("floorDivide", "ops.floorDivide(A, B)", np.floor_divide(A, B)),
    ("mod", "ops.mod(A, 1.5)", np.mod(A, 1.5)),
    ("greater", "ops.greater(A, B)", A > B),
    ("sum all", "ops.sum(A)", np.sum(A)),
    ("sum axis 0", "ops.sum(A, 0)", np.sum(A, axis=0)),
    ("sum axis -1 keepdims", "ops.sum(A, -1, true)", np.sum(A, axis=-1, keepdims=True)),
    ("sum axes [0, 2]", "ops.sum(T3, [0, 2])", np.sum(T3, axis=(0, 2))),
    ("mean axis 1", "ops.mean(A, 1)", np.mean(A, axis=1)),
    ("mean all keepdims", "ops.mean(A, null, true)", np.mean(A, keepdims=True)),
    ("max axis 0", "ops.max(A, 0)", np.max(A, axis=0)),
    ("min axis 1 keepdims", "ops.min(A, 1, true)", np.min(A, axis=1, keepdims=True)),
    ("prod axis 1", "ops.prod(P, 1)", np.prod(P, axis=1)),
    ("std all", "ops.std(A)", np.std(A)),
    ("std axis 0", "ops.std(A, 0)", np.std(A, axis=0)),
    ("var axis 1 keepdims", "ops.var(A, 1, true)", np.var(A, axis=1, keepdims=True)),
    ("argmax all", "ops.argmax(A)", np.argmax(A)),
    ("argmax axis 1", "ops.argmax(A, 1)", np.argmax(A, axis=1)),
    ("argmin axis 0 keepdims", "ops.argmin(A, 0, true)", np.expand_dims(np.argmin(A, axis=0), 0)),
    ("any axis 1", "ops.any(ops.greater(A, 3), 1)", np.any(A > 3, axis=1)),
    ("all axis 0", "ops.all(ops.greater(A, -3), 0)", np.all(A > -3, axis=0)),
    ("logsumexp all", "ops.logsumexp(A)", logsumexp(A)),
    ("logsumexp axis 1 keepdims", "ops.logsumexp(A, 1, true)", logsumexp(A, axis=1, keepdims=True)),
    ("reshape", "ops.reshape(A, [4, 3])", A.reshape(4, 3)),
    ("transpose", "ops.transpose(T3)", np.transpose(T3)),
    ("transpose axes", "ops.transpose(T3, [1, 0, 2])", np.transpose(T3, (1, 0, 2))),
    ("expandDims -1", "ops.expandDims(A, -1)", np.expand_dims(A, -1)),
    ("squeeze", "ops.squeeze(B, 0)", np.squeeze(B, 0)),
    ("concatenate axis 0", "ops.concatenate([A, B], 0)", np.concatenate([A, B], 0)),
    ("concatenate axis -1", "ops.concatenate([A, A], -1)", np.concatenate([A, A], -1)),
    ("stack axis 1", "ops.stack([A, A * 0 + 1], 1)".replace("A * 0 + 1", "ops.onesLike(A)"), np.stack([A, np.ones_like(A)], 1)),
    ("split sections [1]", "ops.split(A, 2, 1)[1]", np.split(A, 2, 1)[1]),
    ("split indices [1]", "ops.split(A, [1, 3], 1)[1]", np.split(A, [1, 3], 1)[1]),
    ("split indices [2]", "ops.split(A, [1, 3], 1)[2]", np.split(A, [1, 3], 1)[2]),
    ("tile", "ops.tile(B, [2, 2])", np.tile(B, (2, 2))),
    ("tile short reps", "ops.tile(A, 2)", np.tile(A, 2)),
    ("repeat axis 0", "ops.repeat(A, 2, 0)", np.repeat(A, 2, 0)),
    ("repeat flat counts", "ops.repeat([1, 2, 3], [3, 0, 2])", np.repeat([1, 2, 3], [3, 0, 2])),
    ("broadcastTo", "ops.broadcastTo(B, [3, 4])", np.broadcast_to(B, (3, 4))),
    ("take flat", "ops.take(A, [0, 5, -1])", np.take(A, [0, 5, -1])),
    ("take axis 1", "ops.take(A, [[3, 0], [-1, 1]], 1)", np.take(A, [[3, 0], [-1, 1]], 1)),
    ("takeAlongAxis axis 1", "ops.takeAlongAxis(A, I, 1)", np.take_along_axis(A, I, 1)),
    ("takeAlongAxis axis 0", "ops.takeAlongAxis(A, [[2, 0, 1, 1]], 0)", np.take_along_axis(A, np.array([[2, 0, 1, 1]]), 0)),
    ("takeAlongAxis argsort-style", "ops.takeAlongAxis(T3, ops.expandDims(ops.argmax(T3, -1), -1), -1)", np.take_along_axis(T3, np.expand_dims(np.argmax(T3, -1), -1), -1)),
    ("where", "ops.where(ops.greater(A, 0), A, B)", np.where(A > 0, A, B)),
    ("slice", "ops.slice(T3, [1, 0, 1], [1, 2, 3])", T3[1:2, 0:2, 1:4]),
    ("roll flat", "ops.roll(A, 2)", np.roll(A, 2)),
    ("roll axis 1", "ops.roll(A, -1, 1)", np.roll(A, -1, 1)),
    ("roll two axes", "ops.roll(A, [1, 2], [0, 1])", np.roll(A, (1, 2), (0, 1))),
    ("flip all", "ops.flip(A)", np.flip(A)),
    ("flip axis 1", "ops.flip(A, 1)", np.flip(A, 1)),
    ("diff", "ops.diff(A)", np.diff(A)),
    ("diff n 2 axis 0", "ops.diff(A, 2, 0)", np.diff(A, 2, 0)),
    ("trace", "ops.trace(A)", np.trace(A)),
    ("trace offset 1", "ops.trace(A, 1)", np.trace(A, 1)),
    ("trace 3-D axes 1 2", "ops.trace(T3, -1, 1, 2)", np.trace(T3, -1, 1, 2)),
    ("matmul", "ops.matmul(A, ops.transpose(P))", A @ P.T),
    ("matmul batched", "ops.matmul(T3, ops.transpose(A))", T3 @ A.T),
    ("matmul vector", "ops.matmul(A, [1, 2, 3, 4])", A @ np.array([1, 2, 3, 4.0])),
    ("dot 2-D", "ops.dot(A, ops.transpose(B))", A @ B.T),
    ("dot 3-D", "ops.dot(A, ops.transpose(T3, [0, 2, 1]))", np.dot(A, np.transpose(T3, (0, 2, 1)))),
    ("einsum ij,kj->ik", "ops.einsum('ij,kj->ik', A, P)", np.einsum("ij,kj->ik", A, P)),
    ("softmax", "ops.softmax(A)", np.exp(A) / np.exp(A).sum(-1, keepdims=True)),
    ("logSoftmax axis 0", "ops.logSoftmax(A, 0)", A - logsumexp(A, axis=0, keepdims=True)),
    ("relu", "ops.relu(A)", np.maximum(A, 0)),
    ("arange stop", "ops.arange(5)", np.arange(5)),
    ("arange float step", "ops.arange(1, 2, 0.25)", np.arange(1, 2, 0.25)),
    ("eye k 1", "ops.eye(3, 4, 1)", np.eye(3, 4, 1)),
    ("linspace", "ops.linspace(0, 1, 5)", np.linspace(0, 1, 5)),
    ("linspace no endpoint", "ops.linspace(0, 1, 4, false)", np.linspace(0, 1, 4, endpoint=False)),
    ("full", "ops.full([2, 3], 7)", np.full((2, 3), 7.0)),
]
for label, ts, v in cases:
    show(label, ts, v)
