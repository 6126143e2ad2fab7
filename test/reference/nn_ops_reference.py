"""Reference values for k.ops' neural-network ops (issue 24, item 7): PyTorch's functional ops
(convolutions, pools, adaptive pools, ctc_loss, layer_norm) in
float64 with Keras's channels_last layouts transposed around them, and NumPy for the formulas Keras
writes out (softmax attention, batch/rms normalization, normalize, cross-entropies, psnr, multi_hot, in_top_k).

Run `/usr/bin/python3 test/reference/nn_ops_reference.py`; it prints the cases of
test/ops/nn_ops.test.ts, pasted there as is.
"""
import numpy as np
import torch
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)
X = np.arange(2 * 5 * 4 * 3).reshape(2, 5, 4, 3) % 7 * 0.5 - 1.2  # (B, H, W, C) channels_last
K = (np.arange(3 * 2 * 3 * 2).reshape(3, 2, 3, 2) % 5 - 2) * 0.25  # (kh, kw, in, out)
X1 = X[:, :, 0, :]  # (B, W, C)
K1 = K[:, 0]  # (k, in, out)
DW = (np.arange(2 * 2 * 3 * 2).reshape(2, 2, 3, 2) % 4 - 1.5) * 0.3  # (kh, kw, in, mult)
PW = (np.arange(6 * 2).reshape(1, 1, 6, 2) % 3 - 1) * 0.5  # (1, 1, in*mult, out)
KT = (np.arange(2 * 2 * 2 * 3).reshape(2, 2, 2, 3) % 5 - 2) * 0.4  # (kh, kw, out, in)
A = np.array([[-2.5, -1.0, 0.0, 0.5], [1.5, 2.0, -0.3, 3.7], [0.25, -4.0, 2.5, 1.0]])


def t(x):
    return torch.tensor(np.asarray(x, dtype=np.float64))


def nchw(x):
    return t(x).permute(0, 3, 1, 2)


def nhwc(y):
    return y.permute(0, 2, 3, 1).numpy()


def show(label, ts, v):
    v = np.asarray(v, dtype=np.float64)
    vals = ", ".join(f"{a:.10g}" for a in v.reshape(-1))
    print(f"  ['{label}', () => {ts}, [{', '.join(str(d) for d in v.shape)}], [{vals}]],")


w2 = t(K).permute(3, 2, 0, 1)  # (out, in, kh, kw)
# conv 'same' with stride 2: TF pads H (5, k 3) by 1 and 1, W (4, k 2) by none
cases = [
    ("conv 2-D valid", "ops.conv(X, K)", nhwc(F.conv2d(nchw(X), w2))),
    ("conv 2-D same stride 2", "ops.conv(X, K, 2, 'same')", nhwc(F.conv2d(F.pad(nchw(X), (0, 0, 1, 1)), w2, stride=2))),
    ("conv 2-D dilation 2", "ops.conv(X, K, 1, 'valid', null, [1, 2])", nhwc(F.conv2d(nchw(X), w2, dilation=(1, 2)))),
    ("conv 2-D channels_first", "ops.conv(ops.transpose(X, [0, 3, 1, 2]), K, 1, 'valid', 'channels_first')", F.conv2d(nchw(X), w2).numpy()),
    ("conv 1-D", "ops.conv(X1, K1, 2)", F.conv1d(t(X1).permute(0, 2, 1), t(K1).permute(2, 1, 0), stride=2).permute(0, 2, 1).numpy()),
    ("depthwiseConv 2-D", "ops.depthwiseConv(X, DW)", nhwc(F.conv2d(nchw(X), t(DW).reshape(2, 2, 6, 1).permute(2, 3, 0, 1), groups=3))),
    ("separableConv 2-D", "ops.separableConv(X, DW, PW)", nhwc(F.conv2d(F.conv2d(nchw(X), t(DW).reshape(2, 2, 6, 1).permute(2, 3, 0, 1), groups=3), t(PW).permute(3, 2, 0, 1)))),
    ("convTranspose 2-D stride 2 valid", "ops.convTranspose(X, KT, 2)", nhwc(F.conv_transpose2d(nchw(X), t(KT).permute(3, 2, 0, 1), stride=2))),
    ("maxPool 2-D", "ops.maxPool(X, 2)", nhwc(F.max_pool2d(nchw(X), 2))),
    ("averagePool 2-D pool 3 stride 1", "ops.averagePool(X, 3, 1)", nhwc(F.avg_pool2d(nchw(X), 3, 1))),
    ("averagePool 2-D same (TF: the real cells averaged)", "ops.averagePool(X, [3, 2], [2, 1], 'same')", nhwc(F.avg_pool2d(F.pad(nchw(X), (0, 1, 1, 1)), (3, 2), (2, 1)) / F.avg_pool2d(F.pad(torch.ones(1, 1, 5, 4), (0, 1, 1, 1)), (3, 2), (2, 1)))),
    ("maxPool 1-D", "ops.maxPool(X1, 2, 1)", F.max_pool1d(t(X1).permute(0, 2, 1), 2, 1).permute(0, 2, 1).numpy()),
    ("adaptiveAveragePool 2-D to [2, 3]", "ops.adaptiveAveragePool(X, [2, 3])", nhwc(F.adaptive_avg_pool2d(nchw(X), (2, 3)))),
    ("adaptiveMaxPool 1-D to 3", "ops.adaptiveMaxPool(X1, 3)", F.adaptive_max_pool1d(t(X1).permute(0, 2, 1), 3).permute(0, 2, 1).numpy()),
]

mean, var = np.array([0.5, -1.0, 2.0, 0.0]), np.array([1.0, 0.25, 4.0, 2.0])
off, sc = np.array([0.1, 0.2, 0.3, 0.4]), np.array([2.0, 1.0, 0.5, -1.0])
cases += [
    ("batchNormalization", "ops.batchNormalization(A, [0.5, -1, 2, 0], [1, 0.25, 4, 2], -1, [0.1, 0.2, 0.3, 0.4], [2, 1, 0.5, -1])", (A - mean) / np.sqrt(var + 1e-3) * sc + off),
    ("batchNormalization axis 0", "ops.batchNormalization(A, [1, 0, -1], [1, 2, 3], 0)", (A - np.array([[1], [0], [-1]])) / np.sqrt(np.array([[1], [2], [3]]) + 1e-3)),
    ("layerNormalization", "ops.layerNormalization(A, [2, 1, 0.5, -1], [0.1, 0.2, 0.3, 0.4])", F.layer_norm(t(A), (4,), t(sc), t(off), eps=1e-7).numpy()),
    ("rmsNormalization", "ops.rmsNormalization(A, [2, 1, 0.5, -1])", A / np.sqrt(np.mean(A ** 2, -1, keepdims=True) + 1e-7) * sc),
    ("normalize L2", "ops.normalize(A)", A / np.linalg.norm(A, axis=-1, keepdims=True)),
    ("normalize L1 axis 0", "ops.normalize(A, 0, 1)", A / np.sum(np.abs(A), 0, keepdims=True)),
]

P = np.array([[0.1, 0.6, 0.3], [0.8, 0.15, 0.05]])
T = np.array([[0.0, 1.0, 0.0], [0.0, 0.0, 1.0]])
Lg = np.array([[1.5, -0.5, 0.2], [-1.0, 2.0, 0.3]])
sig = 1 / (1 + np.exp(-Lg))
cases += [
    ("binaryCrossentropy", "ops.binaryCrossentropy(T, P)", -(T * np.log(P) + (1 - T) * np.log(1 - P))),
    ("binaryCrossentropy logits", "ops.binaryCrossentropy(T, Lg, true)", -(T * np.log(sig) + (1 - T) * np.log(1 - sig))),
    ("categoricalCrossentropy", "ops.categoricalCrossentropy(T, P)", -np.sum(T * np.log(P), -1)),
    ("categoricalCrossentropy logits", "ops.categoricalCrossentropy(T, Lg, true)", F.cross_entropy(t(Lg), t([1, 2]).long(), reduction="none").numpy()),
    ("sparseCategoricalCrossentropy logits", "ops.sparseCategoricalCrossentropy([1, 2], Lg, true)", F.cross_entropy(t(Lg), t([1, 2]).long(), reduction="none").numpy()),
    ("psnr", "ops.psnr(P, T, 1)", 20 * np.log10(1) - 10 * np.log10(np.mean((P - T) ** 2))),
    ("multiHot", "ops.multiHot([[0, 2], [1, 1]], 4)", np.array([[1, 0, 1, 0], [0, 1, 0, 0]])),
    ("inTopK", "ops.inTopK([1, 2, 0], A.map((r) => r.slice(0, 3)), 2)", np.sum(A[:, :3] > A[[0, 1, 2], [1, 2, 0]][:, None], 1) < 2),
]

# attention: (B, T, N, H) query, (B, S, K, H) key/value, torch wants (B, N, T, H)
rng = np.random.default_rng(0)
Q = np.round(rng.normal(size=(1, 3, 2, 4)), 2)
Kk = np.round(rng.normal(size=(1, 4, 1, 4)), 2)
V = np.round(rng.normal(size=(1, 4, 1, 4)), 2)
print("// Q, K, V for the attention cases")
for name, arr in (("Q", Q), ("KK", Kk), ("V", V)):
    print(f"const {name} = {arr.tolist()};")


def sdpa(q, k, v, mask=None, causal=False):
    kq = np.repeat(k, 2, axis=2)
    vq = np.repeat(v, 2, axis=2)
    if causal:
        mask = np.tril(np.ones((3, 4), dtype=bool))
    logits = np.einsum("BTNH,BSNH->BNTS", q, kq) / np.sqrt(q.shape[-1])
    if mask is not None:
        logits = np.where(mask, logits, -np.inf)
    p = np.exp(logits - logits.max(-1, keepdims=True))
    p /= p.sum(-1, keepdims=True)
    return np.einsum("BNTS,BSNH->BTNH", p, vq)


M = np.array([[True, True, False, True]])
cases += [
    ("dotProductAttention grouped heads", "ops.dotProductAttention(Q, KK, V)", sdpa(Q, Kk, V)),
    ("dotProductAttention mask", "ops.dotProductAttention(Q, KK, V, null, [[[[true, true, false, true]]]])", sdpa(Q, Kk, V, np.broadcast_to(M, (3, 4)))),
    ("dotProductAttention causal", "ops.dotProductAttention(Q, KK, V, null, null, null, true)", sdpa(Q, Kk, V, causal=True)),
]

logits = np.round(rng.normal(size=(2, 5, 4)), 2)
print(f"const CTC_LOGITS = {logits.tolist()};")
lp = F.log_softmax(t(logits), -1).permute(1, 0, 2)
ctc = F.ctc_loss(lp, torch.tensor([[1, 2, 0], [3, 3, 1]]), torch.tensor([5, 4]), torch.tensor([2, 3]), blank=0, reduction="none")
cases += [("ctcLoss", "ops.ctcLoss([[1, 2, 0], [3, 3, 1]], CTC_LOGITS, [2, 3], [5, 4])", ctc.numpy())]
XF = nchw(X)  # (2, 3, 5, 4) channels first, as unfold / fold take it
cols = F.unfold(XF, (2, 3), dilation=1, padding=1, stride=(2, 1))
cases += [
    ("unfold", "ops.unfold(ops.transpose(X, [0, 3, 1, 2]), [2, 3], 1, 1, [2, 1])", cols.numpy()),
    ("unfold dilation 2", "ops.unfold(ops.transpose(X, [0, 3, 1, 2]), 2, 2)", F.unfold(XF, 2, dilation=2).numpy()),
    ("fold", "ops.fold(ops.unfold(ops.transpose(X, [0, 3, 1, 2]), [2, 3], 1, 1, [2, 1]), [5, 4], [2, 3], 1, 1, [2, 1])", F.fold(cols, (5, 4), (2, 3), padding=1, stride=(2, 1)).numpy()),
]
for c in cases:
    show(*c)
