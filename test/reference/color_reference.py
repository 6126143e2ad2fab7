"""References for keras-ts's colour augmentations (src/ops/color.ts, src/layers/preprocessing/image/):
- HSV numbers from Python's colorsys (independent of Keras's formulas), and hue / saturation changes
  made with colorsys on each pixel;
- Equalization: Keras 3's algorithm (keras/src/layers/preprocessing/image_preprocessing/equalization.py:
  one histogram per channel over the whole batch, cdf, round(255 (cdf - cdf_min) / (cdf[-1] - cdf_min)),
  a channel of at most one non-empty bin kept) written out in NumPy, float32 as Keras computes;
- RandomSharpness: the 3x3 kernel (1/13 around, 5/13 in the centre) with zero padding, in NumPy.
Inputs (the tests build the same): RGB[i] = (i * 53) % 256 shaped [1, 3, 4, 3];
EQ[i] = ((i * 37) % 23) * 11 shaped [2, 4, 5, 3], with channel 2 of both images set to 100 (one bin).
Run `python3 test/reference/color_reference.py`; test/layers/image_augmentation_color.test.ts holds the output.
"""
import colorsys
import numpy as np

RGB = np.array([(i * 53) % 256 for i in range(36)], dtype=np.float64).reshape(1, 3, 4, 3)
EQ = np.array([((i * 37) % 23) * 11 for i in range(120)], dtype=np.float32).reshape(2, 4, 5, 3)
EQ[..., 2] = 100


def fmt(name, values):
    print(f"  {name}: [{', '.join(f'{v:.6f}' for v in np.asarray(values, dtype=np.float64).ravel())}],")


def per_pixel(images, fn):
    flat = images.reshape(-1, 3) / 255.0
    return np.array([fn(*p) for p in flat]).reshape(images.shape) * 255.0


def hue_shift(delta):
    def fn(r, g, b):
        h, s, v = colorsys.rgb_to_hsv(r, g, b)
        return colorsys.hsv_to_rgb((h + delta) % 1.0, s, v)
    return per_pixel(RGB, fn)


def saturate(scale):
    def fn(r, g, b):
        h, s, v = colorsys.rgb_to_hsv(r, g, b)
        return colorsys.hsv_to_rgb(h, min(max(s * scale, 0.0), 1.0), v)
    return per_pixel(RGB, fn)


def equalize(images, value_range, bins):
    """Keras 3's Equalization.transform_images (channels_last), float32."""
    lo, hi = value_range
    def scale_values(x, src, dst):
        scale = (dst[1] - dst[0]) / (src[1] - src[0])
        return (x * np.float32(scale) + np.float32(dst[0] - src[0] * scale)).astype(np.float32)
    out = []
    for c in range(images.shape[-1]):
        channel = scale_values(images[..., c].astype(np.float32), (lo, hi), (0, 255))
        scaled = (channel - np.float32(0)) * np.float32(bins - 1) / np.float32(255)
        idx = np.clip(scaled.astype(np.int32), 0, bins - 1).ravel()
        hist = np.bincount(idx, minlength=bins)
        if np.count_nonzero(hist) <= 1:
            eq = channel
        else:
            cdf = np.cumsum(hist)
            cdf_min = cdf[np.nonzero(cdf)[0][0]]
            den = cdf[-1] - cdf_min
            den = 1 if den == 0 else den
            table = np.clip(np.round(((cdf - cdf_min) * 255) / den), 0, 255).astype(np.float32)
            look = (channel / np.float32(255.0)) * np.float32(bins - 1)
            eq = table[np.clip(look, 0, bins - 1).astype(np.int32)]
        out.append(scale_values(eq, (0, 255), (lo, hi)))
    return np.stack(out, axis=-1)


def sharpen(images, blend):
    """x + blend (smoothed - x), smoothed with the 3x3 kernel and zero padding; clipped to [0, 255]."""
    k = np.full((3, 3), 1 / 13); k[1, 1] = 5 / 13
    padded = np.pad(images, ((0, 0), (1, 1), (1, 1), (0, 0)))
    h, w = images.shape[1:3]
    smoothed = sum(k[i, j] * padded[:, i:i + h, j:j + w, :] for i in range(3) for j in range(3))
    return np.clip(images + blend * (smoothed - images), 0, 255)


hsv = np.array([colorsys.rgb_to_hsv(*p) for p in RGB.reshape(-1, 3) / 255.0])
print("// From `python3 test/reference/color_reference.py`.")
print("const REF: Record<string, number[]> = {")
fmt("hsv", hsv)
fmt("hue_plus_0_2", hue_shift(0.2))
fmt("hue_minus_0_2", hue_shift(-0.2))
fmt("saturation_third", saturate(1 / 3))
fmt("equalize_256", equalize(EQ, (0, 255), 256))
fmt("equalize_16_unit", equalize(EQ / np.float32(255), (0, 1), 16))
fmt("sharpen_1", sharpen(RGB, -1.0))
fmt("smooth_0", sharpen(RGB, 1.0))
print("};")
