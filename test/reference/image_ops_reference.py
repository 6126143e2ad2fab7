"""Reference values for k.ops.image's newer ops (issue 24, item 7), NumPy in float64 written from
the definitions Keras's NumPy backend follows (scipy's ndimage.sobel and map_coordinates, which are
not installed here, written out: symmetric edge extension for sobel; corner-wise fill for
map_coordinates; JAX's scale_and_translate weights, as Keras's NumPy backend writes them),
colorsys for HSV, and Keras's SSIM formula (11-tap Gaussian window, 'valid').

Run `/usr/bin/python3 test/reference/image_ops_reference.py`; it prints the cases of
test/ops/image_ops_more.test.ts, pasted there as is.
"""
import colorsys

import numpy as np

IMG = (np.arange(1 * 4 * 5 * 2).reshape(1, 4, 5, 2) * 7 % 11) / 10.0  # (n, h, w, c)
RGB = np.array([[[0.2, 0.4, 0.6], [0.9, 0.1, 0.3]], [[0.5, 0.5, 0.5], [0.0, 0.8, 0.1]]])


def show(label, ts, v):
    v = np.asarray(v, dtype=np.float64)
    vals = ", ".join(f"{a:.10g}" for a in v.reshape(-1))
    print(f"  ['{label}', () => {ts}, [{', '.join(str(d) for d in v.shape)}], [{vals}]],")


def sobel(img):  # img (h, w): scipy.ndimage.sobel, mode 'reflect' (= NumPy's 'symmetric' pad)
    p = np.pad(img, 1, mode="symmetric")
    h, w = img.shape
    dy = np.zeros_like(img)
    dx = np.zeros_like(img)
    for i in range(h):
        for j in range(w):
            win = p[i:i + 3, j:j + 3]
            dy[i, j] = (win[2] - win[0]) @ np.array([1, 2, 1])
            dx[i, j] = (win[:, 2] - win[:, 0]) @ np.array([1, 2, 1])
    return dy, dx


edges = np.zeros(IMG.shape + (2,))
for c in range(2):
    edges[0, :, :, c, 0], edges[0, :, :, c, 1] = sobel(IMG[0, :, :, c])


def patches(img, ph, pw, s):
    n, h, w, c = img.shape
    oh, ow = (h - ph) // s + 1, (w - pw) // s + 1
    out = np.zeros((n, oh, ow, ph * pw * c))
    for i in range(oh):
        for j in range(ow):
            out[:, i, j] = img[:, i * s:i * s + ph, j * s:j * s + pw, :].reshape(n, -1)
    return out


def fill_index(i, n, mode):
    if 0 <= i < n:
        return i
    if mode == "constant":
        return None
    if mode == "nearest":
        return min(max(i, 0), n - 1)
    if mode == "wrap":
        return i % n
    if mode == "mirror":
        period = 2 * (n - 1)
        m = i % period
        return m if m < n else period - m
    m = i % (2 * n)  # reflect
    return m if m < n else 2 * n - 1 - m


def map_coordinates(x, coords, order, mode, cval=0.0):
    out = np.zeros(coords.shape[1:])
    for p in np.ndindex(*coords.shape[1:]):
        pt = coords[(slice(None),) + p]
        if order == 0:
            idx = [fill_index(int(np.floor(v + 0.5)), n, mode) for v, n in zip(pt, x.shape)]
            out[p] = cval if None in idx else x[tuple(idx)]
            continue
        total = 0.0
        for corner in np.ndindex(*([2] * x.ndim)):
            w, idx = 1.0, []
            for d, up in enumerate(corner):
                lo = int(np.floor(pt[d]))
                f = pt[d] - lo
                w *= f if up else 1 - f
                idx.append(fill_index(lo + up, x.shape[d], mode))
            total += w * (cval if None in idx else x[tuple(idx)])
        out[p] = total
    return out


G = np.arange(12, dtype=float).reshape(3, 4) ** 1.5 / 5
COORDS = np.array([[[0.5, -1.25, 2.0], [2.7, 1.0, 3.5]], [[0.25, 3.5, -0.5], [1.5, 4.2, 0.0]]])  # (2, 2, 3)


def ssim(a, b, max_val=1.0, size=11, sigma=1.5):
    g = np.exp(-0.5 * ((np.arange(size) - (size - 1) / 2) / sigma) ** 2)
    g /= g.sum()
    k = np.outer(g, g)

    def blur(z):
        h, w = z.shape
        return np.array([[np.sum(z[i:i + size, j:j + size] * k) for j in range(w - size + 1)] for i in range(h - size + 1)])

    c1, c2 = (0.01 * max_val) ** 2, (0.03 * max_val) ** 2
    vals = []
    for ch in range(a.shape[-1]):
        x, y = a[..., ch], b[..., ch]
        m1, m2 = blur(x), blur(y)
        s1, s2, s12 = blur(x * x) - m1 ** 2, blur(y * y) - m2 ** 2, blur(x * y) - m1 * m2
        vals.append(np.mean((2 * m1 * m2 + c1) * (2 * s12 + c2) / ((m1 ** 2 + m2 ** 2 + c1) * (s1 + s2 + c2))))
    return np.mean(vals)


S1 = (np.arange(13 * 12 * 2).reshape(13, 12, 2) * 37 % 101) / 100.0
S2 = np.clip(S1 + ((np.arange(13 * 12 * 2).reshape(13, 12, 2) * 11 % 7) - 3) / 40.0, 0, 1)
print(f"// SSIM inputs: S1 = (arange(312).reshape(13, 12, 2) * 37 % 101) / 100, S2 = clip(S1 + ((arange * 11 % 7) - 3) / 40, 0, 1)")
cases = [
    ("rgbToGrayscale", "ops.image.rgbToGrayscale(RGB)", (RGB @ np.array([0.2989, 0.5870, 0.1140]))[..., None]),
    ("rgbToHsv", "ops.image.rgbToHsv(RGB)", np.array([[colorsys.rgb_to_hsv(*px) for px in row] for row in RGB])),
    ("sobelEdges", "ops.image.sobelEdges(IMG)", edges),
    ("cropImages sides", "ops.image.cropImages(IMG, { top: 1, left: 2, bottom: 1 })", IMG[:, 1:3, 2:, :]),
    ("cropImages target", "ops.image.cropImages(IMG, { top: 1, targetHeight: 2, left: 1, targetWidth: 3 })", IMG[:, 1:3, 1:4, :]),
    ("padImages target", "ops.image.padImages(IMG, { top: 1, targetHeight: 6, right: 1 })", np.pad(IMG, ((0, 0), (1, 1), (0, 1), (0, 0)))),
    ("extractPatches 2x2 stride 1", "ops.image.extractPatches(IMG, 2, { strides: 1 })", patches(IMG, 2, 2, 1)),
    ("extractPatches 2x3 default strides", "ops.image.extractPatches(IMG, [2, 3])", patches(IMG, 2, 3, 1)[:, ::2, ::3]),
    ("mapCoordinates linear constant", "ops.image.mapCoordinates(G, COORDS, 1)", map_coordinates(G, COORDS, 1, "constant")),
    ("mapCoordinates linear nearest", "ops.image.mapCoordinates(G, COORDS, 1, 'nearest')", map_coordinates(G, COORDS, 1, "nearest")),
    ("mapCoordinates linear mirror", "ops.image.mapCoordinates(G, COORDS, 1, 'mirror')", map_coordinates(G, COORDS, 1, "mirror")),
    ("mapCoordinates linear reflect fill", "ops.image.mapCoordinates(G, COORDS, 1, 'reflect')", map_coordinates(G, COORDS, 1, "reflect")),
    ("mapCoordinates nearest wrap", "ops.image.mapCoordinates(G, COORDS, 0, 'wrap')", map_coordinates(G, COORDS, 0, "wrap")),
    ("mapCoordinates constant 7", "ops.image.mapCoordinates(G, COORDS, 1, 'constant', 7)", map_coordinates(G, COORDS, 1, "constant", 7.0)),
    ("ssim", "ops.image.ssim(S1, S2)", ssim(S1, S2)),
]


def weights(m, n, scale, translation, kernel, antialias):  # JAX's scale_and_translate, written out
    inv = 1.0 / scale
    kscale = max(inv, 1.0) if antialias else 1.0
    f = (np.arange(n) + 0.5) * inv - translation * inv - 0.5
    w = kernel(np.abs(f[None, :] - np.arange(m)[:, None]) / kscale)
    total = w.sum(0, keepdims=True)
    w = np.where(np.abs(total) > 1000 * np.finfo(np.float32).eps, w / np.where(total != 0, total, 1), 0)
    return np.where(((f >= -0.5) & (f <= m - 0.5))[None], w, 0)


tri = lambda x: np.maximum(0, 1 - np.abs(x))
keys = lambda x: np.where(x >= 2, 0, np.where(x >= 1, ((-0.5 * x + 2.5) * x - 4) * x + 2, ((1.5 * x - 2.5) * x) * x + 1))


def lanczos3(x):
    with np.errstate(divide="ignore", invalid="ignore"):
        y = 3 * np.sin(np.pi * x) * np.sin(np.pi * x / 3) / (np.pi ** 2 * x ** 2)
    return np.where(x > 3, 0, np.where(x > 1e-3, y, 1))


def sat(img, out_hw, scale, trans, kernel, antialias=True):
    x = np.tensordot(img, weights(img.shape[1], out_hw[0], scale[0], trans[0], kernel, antialias), axes=(1, 0))  # (n, w, c, H)
    x = np.moveaxis(x, -1, 1)
    x = np.tensordot(x, weights(img.shape[2], out_hw[1], scale[1], trans[1], kernel, antialias), axes=(2, 0))
    return np.moveaxis(x, -1, 2)


cases += [
    ("scaleAndTranslate linear up", "ops.image.scaleAndTranslate(IMG, [1, 6, 7, 2], [1.5, 1.4], [0.5, -1], [1, 2], 'linear')", sat(IMG, (6, 7), (1.5, 1.4), (0.5, -1), tri)),
    ("scaleAndTranslate cubic down antialias", "ops.image.scaleAndTranslate(IMG, [1, 2, 3, 2], [0.5, 0.6], [0, 0.2], [1, 2], 'bicubic')", sat(IMG, (2, 3), (0.5, 0.6), (0, 0.2), keys)),
    ("scaleAndTranslate lanczos3 down no antialias", "ops.image.scaleAndTranslate(IMG, [1, 3, 3, 2], [0.75, 0.6], [0, 0], [1, 2], 'lanczos3', false)", sat(IMG, (3, 3), (0.75, 0.6), (0, 0), lanczos3, False)),
]
for c in cases:
    show(*c)
