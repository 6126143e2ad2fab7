"""References for keras-ts's RandomShear, RandomGaussianBlur, RandomElasticTransform's sampler and
RandomPerspective's homography (test/layers/image_augmentation_geo.test.ts), computed independently
of keras-ts, the way Keras 3's NumPy backend does it (keras/src/backend/numpy/image.py), in float64:
- sampling: np.pad with the fill mode, then scipy.ndimage.map_coordinates (as affine_reference.py);
- the Gaussian blur: Keras's 1-D kernels exp(-0.5 (t / sigma)^2) normalised, their outer product,
  zero padding, a 2-D correlation written out (the kernel is symmetric, so it equals convolve2d);
- the homography: Keras's 8 x 8 system solved by np.linalg.solve.
Input: seq(n, a) = [sin(0.7 i + a) for i in range(n)]; images = 127.5 + 120 * seq reshaped to [2, 5, 6, 2].
Run `python3 test/reference/geo_augment_reference.py`; the test holds the output.
"""
import math
import numpy as np
import scipy.ndimage

def seq(n, a=0.0):
    return np.array([math.sin(0.7 * i + a) for i in range(n)])

H, W, C = 5, 6, 2
images = (127.5 + 120 * seq(2 * H * W * C)).reshape(2, H, W, C)

def keras_map_coordinates(image, coords, order, mode, cval):
    padding = [(max(-int(np.floor(c.min())) + 1, 0), max(int(np.ceil(c.max())) + 1 - size, 0))
               for c, size in zip(coords, image.shape)]
    shifted = [c + p[0] for p, c in zip(padding, coords)]
    pad_mode = {"nearest": "edge", "reflect": "symmetric"}.get(mode, mode)
    if mode == "constant":
        padded = np.pad(image, padding, mode=pad_mode, constant_values=cval)
    else:
        padded = np.pad(image, padding, mode=pad_mode)
    return scipy.ndimage.map_coordinates(padded, shifted, order=order, mode=mode, cval=cval)

def sample(image, xin, yin, order, mode, cval):
    c = np.broadcast_to(np.arange(C), (H, W, C)).astype(float)
    xin = np.broadcast_to(xin[:, :, None], (H, W, C))
    yin = np.broadcast_to(yin[:, :, None], (H, W, C))
    return keras_map_coordinates(image, [yin, xin, c], order, mode, cval)

y, x = np.meshgrid(np.arange(H, dtype=float), np.arange(W, dtype=float), indexing="ij")

def fmt(a):
    return "[" + ", ".join(f"{v:.6f}" for v in np.asarray(a).ravel()) + "]"

# RandomShear's matrix [1, sx, 0, sy, 1, 0, 0, 0]: output (x, y) reads the input at (x + sx y, y + sy x).
for s in (0.3, -0.3):
    print(f"  shear_x_{'pos' if s > 0 else 'neg'}: {fmt(sample(images[0], x + s * y, y, 1, 'reflect', 0.0))},")
for s in (0.15, -0.15):
    yin = y + s * x
    assert np.all(np.abs(np.abs(yin - np.floor(yin)) - 0.5) > 1e-6)  # no ties for nearest
    print(f"  shear_y_{'pos' if s > 0 else 'neg'}: {fmt(sample(images[1], x, yin, 0, 'constant', 50.0))},")

# The displacement sampler: dx = 0.8 sin(0.3 p), dy = 0.6 cos(0.5 p), p the pixel index over [2, H, W].
p = np.arange(2 * H * W, dtype=float).reshape(2, H, W)
dx, dy = 0.8 * np.sin(0.3 * p), 0.6 * np.cos(0.5 * p)
for mode in ("wrap", "constant"):
    out = np.stack([sample(images[b], x + 1.7 * dx[b], y + 1.7 * dy[b], 1, mode, 10.0) for b in range(2)])
    print(f"  displace_{mode}: {fmt(out)},")

def kernel1d(size, sigma):
    t = np.arange(size) - (size - 1) / 2
    k = np.exp(-0.5 * (t / sigma) ** 2)
    return k / k.sum()

def blur(img, kx, ky, sx, sy):
    k2 = np.outer(kernel1d(ky, sy), kernel1d(kx, sx))
    py, px = (ky - 1) // 2, (kx - 1) // 2
    out = np.zeros_like(img)
    for ch in range(img.shape[2]):
        padded = np.pad(img[:, :, ch], ((py, py), (px, px)))
        for i in range(img.shape[0]):
            for j in range(img.shape[1]):
                out[i, j, ch] = np.sum(padded[i:i + ky, j:j + kx] * k2)
    return out

print(f"  blur_3x5_sigma_06_09: {fmt(np.stack([blur(im, 3, 5, 0.6, 0.9) for im in images]))},")
s = 0.7 + 1e-6
print(f"  blur_5x3_sigma_07: {fmt(np.stack([blur(im, 5, 3, s, s) for im in images]))},")

# Keras's compute_homography_matrix: the transform mapping end points to start points.
start = np.array([[0, 0], [W - 1, 0], [0, H - 1], [W - 1, H - 1]], dtype=float)
u = np.array([[0.1, -0.2], [0.25, -0.15], [-0.3, 0.05], [0.2, 0.3]])
end = start + start * u
rows, target = [], []
for (sx_, sy_), (ex, ey) in zip(start, end):
    rows.append([ex, ey, 1, 0, 0, 0, -sx_ * ex, -sx_ * ey]); target.append(sx_)
    rows.append([0, 0, 0, ex, ey, 1, -sy_ * ex, -sy_ * ey]); target.append(sy_)
print(f"  homography: {fmt(np.linalg.solve(np.array(rows), np.array(target)))},")
