"""References for keras-ts's affine-transform op (src/ops/affine_transform.ts), computed the way
Keras 3's NumPy backend does it (keras/src/backend/numpy/image.py: affine_transform ->
map_coordinates: np.pad with the fill mode, then scipy.ndimage.map_coordinates), in float64.
Input: seq(n, a) = [sin(0.7 i + a) for i in range(n)] reshaped to [2, 5, 6, 2] (two images).
Matrices: image 0 = a rotation by 30 degrees about the centre, shifted by (0.7, -1.3);
image 1 = a zoom by 1.4 about the centre with a shear, shifted by 0.13 in x; both as [a0, a1, a2, b0, b1, b2, 0, 0].
Run `python3 test/reference/affine_reference.py`; test/layers/image_augmentation.test.ts holds the output.
"""
import math
import numpy as np
import scipy.ndimage

def seq(n, a=0.0):
    return np.array([math.sin(0.7 * i + a) for i in range(n)])

H, W, C = 5, 6, 2
images = seq(2 * H * W * C).reshape(2, H, W, C)
t = math.radians(30); cx, cy = (W - 1) / 2, (H - 1) / 2
a0, a1, b0, b1 = math.cos(t), -math.sin(t), math.sin(t), math.cos(t)
m0 = [a0, a1, cx - cx * a0 - cy * a1 + 0.7, b0, b1, cy - cx * b0 - cy * b1 - 1.3, 0, 0]
z, sh = 1.4, 0.25
m1 = [z, sh, cx - cx * z - cy * sh + 0.13, 0.1, z, cy - cx * 0.1 - cy * z, 0, 0]

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

def transform(image, m, order, mode, cval):
    y, x, c = np.meshgrid(np.arange(H), np.arange(W), np.arange(C), indexing="ij")
    xin = m[0] * x + m[1] * y + m[2]
    yin = m[3] * x + m[4] * y + m[5]
    for v in (xin, yin):  # no ties for 'nearest' (rounding of .5 differs between implementations)
        assert np.all(np.abs(np.abs(v - np.floor(v)) - 0.5) > 1e-6)
    return keras_map_coordinates(image, [yin, xin, c.astype(float)], order, mode, cval)

def fmt(a):
    return "[" + ", ".join(f"{v:.6f}" for v in np.asarray(a).ravel()) + "]"

for mode in ["reflect", "wrap", "constant", "nearest"]:
    out = np.stack([transform(images[0], m0, 1, mode, 0.5), transform(images[1], m1, 1, mode, 0.5)])
    print(f"  bilinear_{mode}: {fmt(out)},")
out = np.stack([transform(images[0], m0, 0, "reflect", 0.0), transform(images[1], m1, 0, "reflect", 0.0)])
print(f"  nearest_reflect: {fmt(out)},")
print(f"  matrices: {fmt(m0 + m1)},")

# Resizing (src/ops/image_resize.ts) as TensorFlow's resize with half-pixel centres, written out:
# bilinear: in = (o + 0.5) * scale - 0.5, rows floor(in) and ceil(in) clamped into the image;
# nearest: in = min(floor((o + 0.5) * scale), n - 1).
def resize_bilinear(img, oh, ow):
    h, w, _ = img.shape
    def axis(o, n, size):
        v = (o + 0.5) * (n / size) - 0.5
        f = math.floor(v)
        return max(f, 0), min(math.ceil(v), n - 1), v - f
    out = np.zeros((oh, ow, img.shape[2]))
    for i in range(oh):
        y0, y1, dy = axis(i, h, oh)
        for j in range(ow):
            x0, x1, dx = axis(j, w, ow)
            top = img[y0, x0] * (1 - dx) + img[y0, x1] * dx
            bottom = img[y1, x0] * (1 - dx) + img[y1, x1] * dx
            out[i, j] = top * (1 - dy) + bottom * dy
    return out

def resize_nearest(img, oh, ow):
    h, w, _ = img.shape
    rows = [min(math.floor((i + 0.5) * h / oh), h - 1) for i in range(oh)]
    cols = [min(math.floor((j + 0.5) * w / ow), w - 1) for j in range(ow)]
    return img[rows][:, cols]

print(f"  resize_bilinear_3x4: {fmt(resize_bilinear(images[0], 3, 4))},")
print(f"  resize_nearest_7x9: {fmt(resize_nearest(images[0], 7, 9))},")
# Keras's smart_resize of the 5 x 6 image to 4 x 4: the centred 5 x 5 window (rows 0-4, columns 0-4), resized.
print(f"  smart_resize_4x4: {fmt(resize_bilinear(images[0][0:5, 0:5], 4, 4))},")
# pad_to_aspect_ratio to 4 x 2 (ratio 2:1): 6 * 4 / 2 = 12 rows, (12 - 5) // 2 = 3 rows of 0.25 above and below, then the resize.
padded = np.pad(images[0], ((3, 3), (0, 0), (0, 0)), constant_values=0.25)
print(f"  pad_resize_4x2: {fmt(resize_bilinear(padded, 4, 2))},")
