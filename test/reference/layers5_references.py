"""References for the layers of issue 24, part 5 (test/layers/layers5*.test.ts): ConvLSTM1D/2D/3D,
GroupQueryAttention, Discretization, Hashing, HashedCrossing, STFTSpectrogram, MelSpectrogram, ...
computed independently of keras-ts: NumPy and PyTorch (float64), convolutions with TensorFlow's
'same' padding done by hand. Inputs and weights are formulas the tests repeat:
  seq(shape, a, scale) = [sin(0.7 i + a) * scale for i in range(n)], reshaped row-major.
Run `/usr/bin/python3 test/reference/layers5_references.py > test/layers/layers5_refs.ts`.
"""
import math
import numpy as np
import torch
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)
OUT = {}


def seq(shape, a=0.0, scale=1.0):
    n = math.prod(shape)
    return torch.tensor([math.sin(0.7 * i + a) * scale for i in range(n)]).reshape(shape)


def keep(name, t):
    t = torch.as_tensor(t)
    OUT[name] = (list(t.shape), [float(v) for v in t.flatten().tolist()])


def same_pads(sizes, ks, ss, ds):
    pads = []
    for n, k, s, d in zip(sizes, ks, ss, ds):
        eff = (k - 1) * d + 1
        out = -(-n // s)
        total = max((out - 1) * s + eff - n, 0)
        pads.append((total // 2, total - total // 2))
    return pads


def conv_nd(x, w, strides, padding, dil):
    """x channels-last [N, ...spatial, C], w Keras [...k, C, F]."""
    r = x.dim() - 2
    xc = x.permute(0, r + 1, *range(1, r + 1))
    wc = w.permute(r + 1, r, *range(r))
    if padding == "same":
        pads = same_pads(x.shape[1:-1], w.shape[:r], strides, dil)
        xc = F.pad(xc, [p for pair in reversed(pads) for p in pair])
    y = [F.conv1d, F.conv2d, F.conv3d][r - 1](xc, wc, stride=strides, dilation=dil)
    return y.permute(0, *range(2, r + 2), 1)


# ---- ConvLSTM: Keras's ConvLSTMCell step written out (gates i, f, c, o along the last kernel axis)
def conv_lstm(x, kernel, rkernel, bias, strides, padding, dil, return_sequences):
    r = x.dim() - 3
    ones = [1] * r
    h = c = None
    hs = []
    for t in range(x.shape[1]):
        z = conv_nd(x[:, t], kernel, strides, padding, dil)
        if h is None:
            h = torch.zeros_like(z[..., : kernel.shape[-1] // 4])
            c = torch.zeros_like(h)
        z = z + conv_nd(h, rkernel, ones, "same", ones) + bias
        zi, zf, zg, zo = torch.chunk(z, 4, dim=-1)
        c = torch.sigmoid(zf) * c + torch.sigmoid(zi) * torch.tanh(zg)
        h = torch.sigmoid(zo) * torch.tanh(c)
        hs.append(h)
    return (torch.stack(hs, 1) if return_sequences else h), h, c


def conv_lstm_case(name, xs, ks, chans, filters, strides, padding, dil, rs):
    x = seq(xs, 0.0)
    k = seq(ks + [chans, 4 * filters], 1.0, 0.5)
    rk = seq(ks + [filters, 4 * filters], 2.0, 0.5)
    b = seq([4 * filters], 3.0, 0.5)
    out, h, c = conv_lstm(x, k, rk, b, strides, padding, dil, rs)
    keep(name, out)
    keep(name + " c", c)


conv_lstm_case("ConvLSTM2D same, sequences", [2, 3, 4, 4, 2], [2, 2], 2, 3, [1, 1], "same", [1, 1], True)
conv_lstm_case("ConvLSTM2D valid strides 2", [1, 3, 5, 5, 2], [3, 2], 2, 2, [2, 2], "valid", [1, 1], False)
conv_lstm_case("ConvLSTM1D valid dilation 2", [2, 4, 6, 1], [2], 1, 3, [1], "valid", [2], True)
conv_lstm_case("ConvLSTM3D same", [1, 2, 3, 3, 2, 1], [2, 2, 1], 1, 2, [1, 1, 1], "same", [1, 1, 1], False)



# ---- GroupQueryAttention: Keras's einsums written out; kv heads repeated per group of query heads
def gqa(q_in, v_in, hq, hkv, hd, use_gate, window, causal):
    dim = q_in.shape[-1]
    w = {}
    names = ["query", "key"] + (["gate"] if use_gate else []) + ["value", "attention_output"]
    for i, n in enumerate(names):
        heads = hkv if n in ("key", "value") else hq
        kshape = [hq, hd, dim] if n == "attention_output" else [dim, heads, hd]
        bshape = [dim] if n == "attention_output" else [heads, hd]
        w[n] = (seq(kshape, 1.0 + i, 0.5), seq(bshape, 5.0 + i, 0.3))
    proj = lambda x, n: torch.einsum("bqm,muh->bquh", x, w[n][0]) + w[n][1]
    q = proj(q_in, "query") / math.sqrt(hd)
    k = torch.repeat_interleave(proj(v_in, "key"), hq // hkv, dim=2)
    v = torch.repeat_interleave(proj(v_in, "value"), hq // hkv, dim=2)
    scores = torch.einsum("bquh,bkuh->buqk", q, k)
    t, s = q_in.shape[1], v_in.shape[1]
    mask = torch.ones(t, s, dtype=torch.bool)
    if causal:
        mask &= torch.arange(t)[:, None] >= torch.arange(s)[None, :]
    if window is not None:
        mask &= (torch.arange(t)[:, None] - torch.arange(s)[None, :]).abs() < window
    p = torch.softmax(scores.masked_fill(~mask, -1e9), dim=-1)
    out = torch.einsum("buqk,bkuh->bquh", p, v)
    if use_gate:
        out = out * torch.sigmoid(proj(q_in, "gate"))
    y = torch.einsum("bquh,uhm->bqm", out, w["attention_output"][0]) + w["attention_output"][1]
    return y, p


y, p = gqa(seq([2, 3, 4], 0.0), seq([2, 5, 4], 0.5), 4, 2, 2, False, None, False)
keep("GroupQueryAttention 4/2 heads", y)
keep("GroupQueryAttention 4/2 heads scores", p)
x = seq([2, 4, 6], 0.2)
y, p = gqa(x, x, 3, 1, 2, True, 2, True)
keep("GroupQueryAttention gate, window 2, causal", y)
keep("GroupQueryAttention gate, window 2, causal scores", p)



# ---- Discretization.adapt: Keras's quantile summary (discretization.py), transcribed in NumPy
def summarize(values, epsilon):
    values = np.sort(np.reshape(values, [-1]))
    step = max(values.size / (1.0 / epsilon), 1)
    boundaries = values[int(step - 1):: int(step)]
    return np.stack([boundaries, np.ones_like(boundaries) * step])


def compress_summary(summary, epsilon):
    if summary.shape[1] * epsilon < 1:
        return summary
    percents = epsilon + np.arange(0.0, 1.0, epsilon)
    cum_weights = summary[1].cumsum()
    cum_weight_percents = cum_weights / cum_weights[-1]
    new_bins = np.interp(percents, cum_weight_percents, summary[0])
    cum_weights = np.interp(percents, cum_weight_percents, cum_weights)
    new_weights = cum_weights - np.concatenate((np.array([0]), cum_weights[:-1]))
    return np.stack((new_bins, new_weights)).astype("float32")


def adapt_boundaries(batches, num_bins, epsilon):
    summary = np.array([[], []], dtype="float32")
    for b in batches:
        merged = np.concatenate((summarize(np.array(b).astype("float32"), epsilon), summary), axis=1)
        summary = compress_summary(np.take(merged, np.argsort(merged[0]), axis=1), epsilon)
    return compress_summary(summary, 1.0 / num_bins)[0, :-1]


data = seq([3, 40], 0.3, 10.0).numpy()
keep("Discretization adapt 3 batches, 5 bins, epsilon 0.05", adapt_boundaries(list(data), 5, 0.05))
keep("Discretization adapt one batch, 4 bins, epsilon 0.01", adapt_boundaries([data.reshape(-1)], 4, 0.01))


def ts(values):
    return ", ".join(f"{v:.6f}" for v in values)


def main():
    print("/**")
    print(" * Printed by test/reference/layers5_references.py (NumPy / PyTorch, float64): the name, the")
    print(" * output's shape and its values, row-major, for the cases test/layers/layers5*.test.ts build.")
    print(" */")
    print("export const LAYERS5_REFS: Record<string, { shape: number[]; values: number[] }> = {")
    for name, (shape, values) in OUT.items():
        print(f"  '{name}': {{ shape: {shape}, values: [{ts(values)}] }},")
    print("};")


if __name__ == "__main__":
    main()
