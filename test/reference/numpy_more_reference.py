"""Reference values for the NumPy-style k.ops added for issue 24 (item 7): NumPy's functions in
float64 (int32 for the integer ops), which Keras 3's keras.ops follow by name and argument order;
math.erfc / erfinv by bisection on math.erf; np.i0; np.fft for the Fourier ops (Keras passes
complex values as [real, imag] pairs); the stft reference frames, windows (periodic Hann, as
scipy.signal.get_window) and rffts by hand, as Keras's numpy backend does.

Run `/usr/bin/python3 test/reference/numpy_more_reference.py`; it prints the cases of
test/ops/numpy_more_ops.test.ts, pasted there as is.
"""
import math

import numpy as np

A = np.array([[-2.5, -1.0, 0.0, 0.5], [1.5, 2.0, -0.3, 3.7], [0.25, -4.0, 2.5, 1.0]])
V = np.array([3.0, -1.0, 4.0, 1.0, -5.0, 9.0])
N = np.array([[1.0, np.nan, 3.0], [np.nan, np.nan, 2.0], [5.0, 4.0, np.nan]])
I1 = np.array([12, -7, 5, 0, 255, 1024], dtype=np.int32)
I2 = np.array([18, 3, -10, 4, 15, 3], dtype=np.int32)
SIG = np.sin(np.arange(16) * 0.7) + 0.3 * np.cos(np.arange(16) * 2.1)


def show(label, ts, v):
    v = np.asarray(v, dtype=np.float64)
    vals = ", ".join("NaN" if np.isnan(a) else f"{a:.10g}" for a in v.reshape(-1))
    print(f"  ['{label}', () => {ts}, [{', '.join(str(d) for d in v.shape)}], [{vals}]],")


def erfinv(y):
    lo, hi = -6.0, 6.0
    for _ in range(200):
        mid = (lo + hi) / 2
        if math.erf(mid) < y:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2


def stft(x, seq_len, stride, fft_len):
    w = 0.5 - 0.5 * np.cos(2 * np.pi * np.arange(seq_len) / seq_len)
    left = (fft_len - seq_len) // 2
    w = np.pad(w, (left, fft_len - seq_len - left))
    x = np.pad(x, fft_len // 2, mode="reflect")
    frames = np.stack([x[i:i + fft_len] for i in range(0, len(x) - fft_len + 1, stride)])
    return np.fft.rfft(frames * w, fft_len)


def space_to_depth(x, b):
    n, h, w, c = x.shape
    return x.reshape(n, h // b, b, w // b, b, c).transpose(0, 1, 3, 2, 4, 5).reshape(n, h // b, w // b, b * b * c)


X4 = np.arange(2 * 4 * 4 * 2, dtype=float).reshape(2, 4, 4, 2)
F = np.fft.fft(A + 1j * A[::-1])
F2 = np.fft.fft2(A + 1j * A[::-1])
cases = [
    ("erfc", "ops.erfc([-1, 0, 0.5, 2])", [math.erfc(v) for v in [-1, 0, 0.5, 2]]),
    ("erfinv", "ops.erfinv([-0.9, -0.3, 0, 0.5, 0.99])", [erfinv(v) for v in [-0.9, -0.3, 0, 0.5, 0.99]]),
    ("i0", "ops.i0([0, 1, -2.5, 3.75, 8])", np.i0([0, 1, -2.5, 3.75, 8])),
    ("sinc", "ops.sinc([-1.5, 0, 0.25, 2])", np.sinc([-1.5, 0, 0.25, 2])),
    ("ldexp", "ops.ldexp([1, 3, -0.5], [3, -1, 4])", np.ldexp([1, 3, -0.5], [3, -1, 4])),
    ("nextafter", "ops.nextafter([1, 0, -2], [2, -1, -3])", np.nextafter(np.float32([1, 0, -2]), np.float32([2, -1, -3]))),
    ("fabs", "ops.fabs(A)", np.fabs(A)),
    ("geomspace", "ops.geomspace(1, 1000, 4)", np.geomspace(1, 1000, 4)),
    ("geomspace negative no endpoint", "ops.geomspace(-2, -32, 4, false)", np.geomspace(-2, -32, 4, endpoint=False)),
    ("meshgrid xy [0]", "ops.meshgrid([1, 2, 3], [4, 5])[0]", np.meshgrid([1, 2, 3], [4, 5])[0]),
    ("meshgrid ij [1]", "ops.meshgrid([1, 2, 3], [4, 5], { indexing: 'ij' })[1]", np.meshgrid([1, 2, 3], [4, 5], indexing="ij")[1]),
    ("vander", "ops.vander([1, 2, 3], 4)", np.vander([1, 2, 3], 4)),
    ("vander increasing", "ops.vander([2, -1], null, true)", np.vander([2, -1], increasing=True)),
    ("diagflat k -1", "ops.diagflat([[1, 2], [3, 4]], -1)", np.diagflat([[1, 2], [3, 4]], -1)),
    ("arraySplit 3 [2]", "ops.arraySplit(V, 4)[2]", np.array_split(V, 4)[2]),
    ("append flat", "ops.append(A, [7, 8])", np.append(A, [7, 8])),
    ("append axis 0", "ops.append(A, [[7, 8, 9, 10]], 0)", np.append(A, [[7, 8, 9, 10]], 0)),
    ("isin", "ops.isin(A, [0.5, -4, 9])", np.isin(A, [0.5, -4, 9])),
    ("isin invert", "ops.isin([1, 2, 3], [2], false, true)", np.isin([1, 2, 3], [2], invert=True)),
    ("allclose", "ops.allclose([1, 2], [1.000001, 2])", np.allclose([1, 2], [1.000001, 2])),
    ("select", "ops.select([ops.less(V, 0), ops.greater(V, 3)], [ops.negative(V), ops.multiply(V, 10)], -1)", np.select([V < 0, V > 3], [-V, V * 10], -1)),
    ("kron", "ops.kron([[1, 2], [3, 4]], [[0, 1], [1, 0], [2, 2]])", np.kron([[1, 2], [3, 4]], [[0, 1], [1, 0], [2, 2]])),
    ("tensordot axes 1", "ops.tensordot(A, ops.transpose(A), 1)", np.tensordot(A, A.T, 1)),
    ("tensordot axes lists", "ops.tensordot(A, A, [[0], [0]])", np.tensordot(A, A, [[0], [0]])),
    ("cross", "ops.cross([[1, 2, 3], [-1, 0, 2]], [[4, 5, 6], [2, 2, 1]])", np.cross([[1, 2, 3], [-1, 0, 2]], [[4, 5, 6], [2, 2, 1]])),
    ("cross 2-D vectors", "ops.cross([1, 2], [3, 4])", np.cross([1, 2], [3, 4])),
    ("correlate valid", "ops.correlate(V, [1, 0.5, -1])", np.correlate(V, [1, 0.5, -1], "valid")),
    ("correlate full", "ops.correlate(V, [1, 0.5, -1], 'full')", np.correlate(V, [1, 0.5, -1], "full")),
    ("correlate same", "ops.correlate(V, [1, 0.5, -1, 2], 'same')", np.correlate(V, [1, 0.5, -1, 2], "same")),
    ("cdist", "ops.cdist(A, [[0, 0, 0, 0], [1, 1, 1, 1]])", np.sqrt(((A[:, None] - np.array([[0, 0, 0, 0], [1, 1, 1, 1]])[None]) ** 2).sum(-1))),
    ("corrcoef", "ops.corrcoef(A)", np.corrcoef(A)),
    ("trapezoid", "ops.trapezoid(A)", np.trapz(A)),
    ("trapezoid x axis 0", "ops.trapezoid(A, [0, 1, 3], 1, 0)", np.trapz(A, [0, 1, 3], axis=0)),
    ("rot90", "ops.rot90(A)", np.rot90(A)),
    ("rot90 k -1", "ops.rot90(A, -1)", np.rot90(A, -1)),
    ("rot90 k 2", "ops.rot90(A, 2)", np.rot90(A, 2)),
    ("angle", "ops.angle([-2, 0, 3])", np.angle([-2, 0, 3])),
    ("bitwiseAnd", "ops.bitwiseAnd(I1, I2)", I1 & I2),
    ("bitwiseOr", "ops.bitwiseOr(I1, I2)", I1 | I2),
    ("bitwiseXor", "ops.bitwiseXor(I1, I2)", I1 ^ I2),
    ("bitwiseInvert", "ops.bitwiseInvert(I1)", ~I1),
    ("leftShift", "ops.leftShift(I1, [1, 2, 3, 4, 0, 5])", np.left_shift(I1, [1, 2, 3, 4, 0, 5])),
    ("rightShift", "ops.rightShift(I1, [1, 2, 1, 4, 3, 5])", np.right_shift(I1, [1, 2, 1, 4, 3, 5])),
    ("gcd", "ops.gcd(I1, I2)", np.gcd(I1, I2)),
    ("lcm", "ops.lcm(I1, I2)", np.lcm(I1, I2)),
    ("scatter", "ops.scatter([[0, 1], [2, 3], [0, 1]], [5, 7, 1], [3, 4])", np.array([[0, 6, 0, 0], [0, 0, 0, 0], [0, 0, 0, 7]])),
    ("scatterUpdate", "ops.scatterUpdate(A, [[0, 0], [2, 3]], [9, 8])", np.where([[1, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]], 9, np.where([[0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 1]], 8, A))),
    ("scatterUpdate rows", "ops.scatterUpdate(A, [[1]], [[0, 0, 0, 0]])", np.concatenate([A[:1], np.zeros((1, 4)), A[2:]])),
    ("sliceUpdate", "ops.sliceUpdate(A, [1, 2], [[7, 8], [9, 10]])", np.concatenate([A[:1], np.concatenate([A[1:, :2], [[7, 8], [9, 10]]], 1)])),
    ("getItem", "ops.getItem(A, [1, [1, null]])", A[1, 1:]),
    ("getItem negative", "ops.getItem(A, [-1])", A[-1]),
    ("segmentSum", "ops.segmentSum(A, [0, 0, 2])", np.stack([A[0] + A[1], np.zeros(4), A[2]])),
    ("segmentMax", "ops.segmentMax(A, [1, 0, 1], 2)", np.stack([A[1], np.maximum(A[0], A[2])])),
    ("segmentMin", "ops.segmentMin(V, [0, 0, 1, 1, 1, 2])", [-1, -5, 9]),
    ("segmentProd", "ops.segmentProd(V, [0, 0, 1, 1, 1, 2])", [-3, -20, 9]),
    ("searchsorted left", "ops.searchsorted([1, 2, 2, 3, 5], [2, 0, 4, 6])", np.searchsorted([1, 2, 2, 3, 5], [2, 0, 4, 6])),
    ("searchsorted right", "ops.searchsorted([1, 2, 2, 3, 5], [2, 0, 4, 6], 'right')", np.searchsorted([1, 2, 2, 3, 5], [2, 0, 4, 6], "right")),
    ("digitize", "ops.digitize(V, [-2, 0, 2, 5])", np.digitize(V, [-2, 0, 2, 5])),
    ("bincount", "ops.bincount([1, 3, 1, 0, 3, 3])", np.bincount([1, 3, 1, 0, 3, 3])),
    ("bincount weights minlength", "ops.bincount([1, 3, 1], [0.5, 2, 1.5], 6)", np.bincount([1, 3, 1], [0.5, 2, 1.5], 6)),
    ("histogram counts", "ops.histogram(V, 4)[0]", np.histogram(V, 4)[0]),
    ("histogram edges", "ops.histogram(V, 4)[1]", np.histogram(V, 4)[1]),
    ("histogram range", "ops.histogram(V, 3, [0, 6])[0]", np.histogram(V, 3, (0, 6))[0]),
    ("unique", "ops.unique([3, 1, 3, 2, 1]) as tfc.Tensor", np.unique([3, 1, 3, 2, 1])),
    ("unique inverse", "(ops.unique([3, 1, 3, 2, 1], true, true) as tfc.Tensor[])[1]", np.unique([3, 1, 3, 2, 1], return_inverse=True)[1]),
    ("unique counts", "(ops.unique([3, 1, 3, 2, 1], true, false, true) as tfc.Tensor[])[1]", np.unique([3, 1, 3, 2, 1], return_counts=True)[1]),
    ("nonzero rows", "ops.nonzero(A)[0]", np.nonzero(A)[0]),
    ("nonzero cols", "ops.nonzero(A)[1]", np.nonzero(A)[1]),
    ("unravelIndex [1]", "ops.unravelIndex([0, 5, 11], [3, 4])[1]", np.unravel_index([0, 5, 11], (3, 4))[1]),
    ("nanargmax axis 1", "ops.nanargmax(N, 1)", np.nanargmax(N, 1)),
    ("nanargmin", "ops.nanargmin(N)", np.nanargmin(N)),
    ("nancumsum axis 0", "ops.nancumsum(N, 0)", np.nancumsum(N, 0)),
    ("nancumprod", "ops.nancumprod(N)", np.nancumprod(N)),
    ("nanmedian axis 0", "ops.nanmedian(N, 0)", np.nanmedian(N, 0)),
    ("nanquantile 0.3 axis 1 keepdims", "ops.nanquantile(N, 0.3, 1, true)", np.nanquantile(N, 0.3, 1, keepdims=True)),
    ("nanpercentile 80", "ops.nanpercentile(N, 80)", np.nanpercentile(N, 80)),
    ("bartlett", "ops.bartlett(5)", np.bartlett(5)),
    ("blackman", "ops.blackman(6)", np.blackman(6)),
    ("hamming", "ops.hamming(5)", np.hamming(5)),
    ("hanning", "ops.hanning(6)", np.hanning(6)),
    ("kaiser", "ops.kaiser(7, 5.5)", np.kaiser(7, 5.5)),
    ("fft real", "ops.fft([A, ops.flipud(A)])[0]", F.real),
    ("fft imag", "ops.fft([A, ops.flipud(A)])[1]", F.imag),
    ("fft2 real", "ops.fft2([A, ops.flipud(A)])[0]", F2.real),
    ("ifft2 imag", "ops.ifft2([A, ops.flipud(A)])[1]", np.fft.ifft2(A + 1j * A[::-1]).imag),
    ("rfft real", "ops.rfft(SIG)[0]", np.fft.rfft(SIG).real),
    ("rfft imag fftLength 10", "ops.rfft(SIG, 10)[1]", np.fft.rfft(SIG, 10).imag),
    ("irfft", "ops.irfft(ops.rfft(A))", np.fft.irfft(np.fft.rfft(A))),
    ("irfft odd fftLength", "ops.irfft(ops.rfft(SIG), 9)", np.fft.irfft(np.fft.rfft(SIG), 9)),
    ("stft real", "ops.stft(SIG, 6, 4, 8)[0]", stft(SIG, 6, 4, 8).real),
    ("stft imag", "ops.stft(SIG, 6, 4, 8)[1]", stft(SIG, 6, 4, 8).imag),
    ("extractSequences", "ops.extractSequences(A, 2, 1)", np.stack([A[:, i:i + 2] for i in range(3)], 1)),
    ("spaceToDepth", "ops.spaceToDepth(X4, 2)", space_to_depth(X4, 2)),
    ("depthToSpace inverts it", "ops.depthToSpace(ops.spaceToDepth(X4, 2), 2)", X4),
]
for c in cases:
    show(*c)
