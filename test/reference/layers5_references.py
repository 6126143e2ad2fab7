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



# ---- STFTSpectrogram: np.fft.rfft of each (zero-padded) windowed frame over the window's scaling
def stft_layer(x, mode, frame_length, frame_step, fft_length, window, periodic, scaling, padding, expand_dims):
    b, t, c = x.shape
    if window == "hann":
        w = np.hanning(frame_length + 1)[:-1] if periodic else np.hanning(frame_length)
    else:
        w = np.ones(frame_length)
    scale = np.sqrt((w ** 2).sum()) if scaling == "density" else np.abs(w).sum()
    if padding == "same":
        out = -(-t // frame_step)
        total = max((out - 1) * frame_step + frame_length - t, 0)
        x = np.pad(x, [(0, 0), (total // 2, total - total // 2), (0, 0)])
    n = (x.shape[1] - frame_length) // frame_step + 1
    frames = np.stack([x[:, i * frame_step: i * frame_step + frame_length, :] for i in range(n)], 1)  # b, n, L, c
    spec = np.fft.rfft(frames * w[None, None, :, None], n=fft_length, axis=2) / scale  # b, n, F, c
    re, im = spec.real, spec.imag
    if mode == "stft":
        y = np.concatenate([re, im], 2)
    elif mode == "log":
        y = np.log(np.maximum(np.sqrt(np.maximum(re ** 2 + im ** 2, 1e-7)), 1e-7))
    elif mode == "psd":
        p = re ** 2 + im ** 2
        p[:, :, 1:-1, :] *= 2
        y = p
    elif mode == "angle":
        y = np.arctan2(im, re)
    else:
        y = np.sqrt(np.maximum(re ** 2 + im ** 2, 1e-7))
    if expand_dims:
        return y  # b, n, F, c
    return y.transpose(0, 1, 3, 2).reshape(b, n, -1)  # channel-major, as Keras


sig = seq([2, 40, 2], 0.1).numpy()
keep("STFTSpectrogram log hann 16/8 fft 16 valid", stft_layer(sig, "log", 16, 8, 16, "hann", False, "density", "valid", False))
keep("STFTSpectrogram stft periodic 10/4 fft 16 same expandDims", stft_layer(sig, "stft", 10, 4, 16, "hann", True, "density", "same", True))
keep("STFTSpectrogram psd boxcar spectrum 8/3 fft 8", stft_layer(sig, "psd", 8, 3, 8, "boxcar", False, "spectrum", "valid", False))
keep("STFTSpectrogram angle 12/5 fft 16", stft_layer(sig, "angle", 12, 5, 16, "hann", False, "density", "valid", False))


# ---- MelSpectrogram: reflect padding, periodic hann, |rfft|^2, HTK mel filters (slaney-free), dB
def mel_layer(x, fft_length, stride, seq_len, rate, mels, fmin, fmax, to_db, top_db, mag_exp):
    half = fft_length // 2
    xp = np.pad(x, [(0, 0), (half, half)], mode="reflect")
    w = np.zeros(fft_length)
    left = (fft_length - seq_len) // 2
    w[left:left + seq_len] = np.hanning(seq_len + 1)[:-1]
    n = (xp.shape[1] - fft_length) // stride + 1
    frames = np.stack([xp[:, i * stride: i * stride + fft_length] for i in range(n)], 1)
    mag = np.abs(np.fft.rfft(frames * w, axis=-1)) ** mag_exp  # b, n, bins
    bins = mag.shape[-1]
    hz2mel = lambda f: 1127.0 * np.log(1.0 + f / 700.0)
    m = hz2mel(np.linspace(0, rate / 2, bins))[1:, None]
    edges = np.linspace(hz2mel(fmin), hz2mel(fmax), mels + 2)
    lo, ce, hi = edges[:-2][None], edges[1:-1][None], edges[2:][None]
    fb = np.maximum(0, np.minimum((m - lo) / (ce - lo), (hi - m) / (hi - ce)))
    fb = np.pad(fb, [(1, 0), (0, 0)])
    s = mag @ fb
    if to_db:
        s = 10 * np.log10(np.maximum(s, 1e-10)) - 10 * np.log10(1.0)
        s = np.maximum(s, s.max() - top_db)
    return s.transpose(0, 2, 1)


audio = seq([2, 200], 0.2).numpy() + 0.5 * np.sin(np.arange(200) * 0.31)[None]
keep("MelSpectrogram fft 64 stride 16 rate 8000, 10 mels, dB", mel_layer(audio, 64, 16, 64, 8000, 10, 20.0, 4000, True, 80.0, 2.0))
keep("MelSpectrogram fft 64 window 48 stride 20, magnitude, 8 mels 100-3000 Hz, topDb 30", mel_layer(audio, 64, 20, 48, 8000, 8, 100.0, 3000, True, 30.0, 1.0))



# ---- ReversibleEmbedding in reverse: hidden states times the transposed (or own) matrix, soft-capped
E = seq([5, 3], 1.0, 0.5).numpy()
R = seq([3, 5], 2.0, 0.5).numpy()
H = seq([2, 4, 3], 0.0).numpy()
keep("ReversibleEmbedding reverse tied", H @ E.T)
keep("ReversibleEmbedding reverse untied, soft cap 0.5", 0.5 * np.tanh((H @ R) / 0.5))



# ---- ContrastLimitedAdaptiveHistogramEqualization: Keras 3's _clahe transcribed in NumPy (float32)
def clahe(images, value_range, clip_limit, grid):
    lo, hi = value_range
    x = ((images - lo) / (hi - lo) * 255.0).astype(np.float32)
    n, h, w, c = x.shape
    gh, gw = grid
    th, tw = -(-h // gh), -(-w // gw)
    xp = np.pad(x, [(0, 0), (0, th * gh - h), (0, tw * gw - w), (0, 0)], mode="symmetric")
    tiles = xp.reshape(n, gh, th, gw, tw, c).transpose(0, 1, 3, 5, 2, 4).reshape(n, gh, gw, c, th * tw)
    idx = np.clip(tiles.astype(np.int32), 0, 255)
    hists = np.eye(256, dtype=np.float32)[idx].sum(-2)
    if clip_limit > 0:
        limit = np.float32(clip_limit * (th * tw) / 256.0)
        clipped = np.clip(hists, 0, limit)
        hists = clipped + (hists - clipped).sum(-1, keepdims=True) / 256.0
    cdf = np.cumsum(hists, -1)
    cmin = cdf.min(-1, keepdims=True)
    den = th * tw - cmin
    den = np.where(den == 0, 1, den)
    cdf = np.clip((cdf - cmin) * 255.0 / den, 0, 255)
    cdf = np.concatenate([cdf[:, :1], cdf, cdf[:, -1:]], 1)
    cdf = np.concatenate([cdf[:, :, :1], cdf, cdf[:, :, -1:]], 2)
    yg = (np.arange(th * gh) - th / 2.0) / th + 1.0
    xg = (np.arange(tw * gw) - tw / 2.0) / tw + 1.0
    y0, x0 = np.floor(yg), np.floor(xg)
    wy, wx = yg - y0, xg - x0
    y1, x1 = np.clip(y0 + 1, 0, gh + 1).astype(int), np.clip(x0 + 1, 0, gw + 1).astype(int)
    y0, x0 = np.clip(y0, 0, gh + 1).astype(int), np.clip(x0, 0, gw + 1).astype(int)
    pix = np.clip(xp, 0, 255).astype(np.int32)
    B = np.arange(n)[:, None, None, None]
    C = np.arange(c)[None, None, None, :]
    look = lambda yy, xx: cdf[B, yy[None, :, None, None], xx[None, None, :, None], C, pix]
    top = look(y0, x0) * (1 - wx[None, None, :, None]) + look(y0, x1) * wx[None, None, :, None]
    bot = look(y1, x0) * (1 - wx[None, None, :, None]) + look(y1, x1) * wx[None, None, :, None]
    out = (top * (1 - wy[None, :, None, None]) + bot * wy[None, :, None, None])[:, :h, :w, :]
    return out / 255.0 * (hi - lo) + lo


img = np.floor((seq([2, 13, 10, 2], 0.3).numpy() * 0.5 + 0.5) * 200.0 + np.arange(10)[None, None, :, None] * 5.0)
keep("CLAHE grid [3, 2], clip 2, [0, 255]", clahe(img, (0, 255), 2.0, (3, 2)))
keep("CLAHE grid [2, 3], no clip, [0, 1]", clahe(img / 255.0, (0, 1), 0.0, (2, 3)))


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
