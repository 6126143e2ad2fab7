"""The native image decoder's independent reference (test/utils/image_native.test.ts): Debian's
Pillow writes JPEG and PNG variants and reads them back, NumPy resizes with TensorFlow's rule.
Run as `/usr/bin/python3 test/reference/image_codec_reference.py DIR`; writes the files into DIR
and prints one JSON object {file: {mode: {width, height, data}, ...}, "resized": [...]}:
  - each file read as Keras's load_img reads it (Image.open, then convert to 'L', 'RGB', 'RGBA'
    unless already in that mode: the rules of keras/src/utils/image_utils.py), pixels as ints;
  - "resized": for each (file, mode, size, crop, pad[, interpolation]) in RESIZES, the PIL pixels
    resized as tf.image.resize (bilinear or nearest, half-pixel centres, no antialias) after Keras's smart_resize crop or
    pad_to_aspect_ratio padding (black, the same border on both sides), float64 values.
"""
import json
import os
import sys

import numpy as np
from PIL import Image


def noise(shape, seed):
    return np.random.default_rng(seed).integers(0, 256, size=shape, dtype=np.uint8)


def smooth(h, w):
    y, x = np.mgrid[0:h, 0:w]
    return np.stack([127 + 100 * np.sin(x / 5), 255 * y / h, 127 + 100 * np.cos((x + y) / 7)], -1).round().astype(np.uint8)


def png_with_filters(path, pixels):
    """An 8-bit PNG written here by hand, row y filtered with PNG filter y % 5 (None, Sub, Up,
    Average, Paeth; PNG spec section 9), so that every filter is decoded; Pillow reads it back."""
    import struct
    import zlib
    h, w, c = pixels.shape
    rows = pixels.reshape(h, w * c).astype(int)
    out = bytearray()
    for y in range(h):
        f = y % 5
        row, prev = rows[y], rows[y - 1] if y > 0 else np.zeros(w * c, int)
        left = np.concatenate([np.zeros(c, int), row[:-c]])
        upleft = np.concatenate([np.zeros(c, int), prev[:-c]])
        if f == 0:
            pred = np.zeros_like(row)
        elif f == 1:
            pred = left
        elif f == 2:
            pred = prev
        elif f == 3:
            pred = (left + prev) // 2
        else:
            p = left + prev - upleft
            pa, pb, pc = abs(p - left), abs(p - prev), abs(p - upleft)
            pred = np.where((pa <= pb) & (pa <= pc), left, np.where(pb <= pc, prev, upleft))
        out.append(f)
        out.extend(((row - pred) % 256).astype(np.uint8).tobytes())

    def chunk(name, data):
        return struct.pack(">I", len(data)) + name + data + struct.pack(">I", zlib.crc32(name + data) & 0xffffffff)

    colour = {1: 0, 2: 4, 3: 2, 4: 6}[c]
    png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, colour, 0, 0, 0))
    png += chunk(b"IDAT", zlib.compress(bytes(out), 6)) + chunk(b"IEND", b"")
    with open(path, "wb") as f:
        f.write(png)


def write(d):
    """The variants: name -> how Pillow saves them."""
    files = {}

    def save(name, img, **kw):
        img.save(os.path.join(d, name), **kw)
        files[name] = True

    for name, channels in (("filters_rgb.png", 3), ("filters_grey_alpha.png", 2), ("filters_rgba.png", 4), ("filters_grey.png", 1)):
        png_with_filters(os.path.join(d, name), noise((21, 13, channels), 10 + channels))
        files[name] = True
    save("rgb.png", Image.fromarray(noise((37, 53, 3), 1), "RGB"))
    save("rgba.png", Image.fromarray(noise((21, 30, 4), 2), "RGBA"))
    save("grey.png", Image.fromarray(noise((40, 26), 3), "L"))
    save("grey_alpha.png", Image.fromarray(noise((19, 23, 2), 4), "LA"))
    save("bw1.png", Image.fromarray(noise((15, 35), 5), "L").convert("1"))
    pal = Image.fromarray(noise((33, 41), 6) % 7, "P")
    pal.putpalette([255, 0, 0, 0, 200, 30, 10, 20, 250, 7, 7, 7, 128, 64, 32, 250, 250, 250, 1, 2, 3])
    save("palette.png", pal)
    save("palette_bits4.png", pal, bits=4)
    save("palette_trns.png", pal, transparency=2)
    save("grey_trns.png", Image.fromarray(noise((24, 18), 7), "L"), transparency=17)
    save("rgb_trns.png", Image.fromarray(noise((12, 16, 3), 8) // 64 * 64, "RGB"), transparency=(64, 0, 128))
    big = smooth(240, 320)
    save("q90.jpg", Image.fromarray(big, "RGB"), quality=90)
    save("q75_444.jpg", Image.fromarray(big, "RGB"), quality=75, subsampling=0)
    save("q85_422.jpg", Image.fromarray(big[:97, :131], "RGB"), quality=85, subsampling=1)
    save("progressive.jpg", Image.fromarray(big, "RGB"), quality=88, progressive=True)
    save("grey.jpg", Image.fromarray(big[..., 1], "L"), quality=90)
    save("odd.jpg", Image.fromarray(big[:61, :45], "RGB"), quality=95)
    return files


def load(path, color_mode):
    with open(path, "rb") as f:
        img = Image.open(f)
        img.load()
    target = {"grayscale": "L", "rgb": "RGB", "rgba": "RGBA"}[color_mode]
    if color_mode == "grayscale":
        if img.mode not in ("L", "I;16", "I"):
            img = img.convert("L")
    elif img.mode != target:
        img = img.convert(target)
    return img


def axis(in_size, out_size):
    src = (np.arange(out_size) + 0.5) * (in_size / out_size) - 0.5
    lo = np.floor(src)
    return np.clip(lo, 0, in_size - 1).astype(int), np.clip(lo + 1, 0, in_size - 1).astype(int), src - lo


def tf_resize(img, size, crop, pad, interpolation="bilinear"):
    h, w = img.shape[:2]
    th, tw = size
    if crop:
        ch = max(min(h, int(float(w * th) / tw)), 1)
        cw = max(min(w, int(float(h * tw) / th)), 1)
        h0, w0 = int(float(h - ch) / 2), int(float(w - cw) / 2)
        img = img[h0:h0 + ch, w0:w0 + cw]
    if pad:
        top = (max(h, int(w * th / tw)) - h) // 2
        left = (max(w, int(h * tw / th)) - w) // 2
        img = np.pad(img, [[top, top], [left, left], [0, 0]])
    if interpolation == "nearest":  # TF's half-pixel nearest: min(floor((i + 0.5) * in / out), in - 1)
        yn = np.minimum(np.floor((np.arange(th) + 0.5) * (img.shape[0] / th)), img.shape[0] - 1).astype(int)
        xn = np.minimum(np.floor((np.arange(tw) + 0.5) * (img.shape[1] / tw)), img.shape[1] - 1).astype(int)
        return img[yn][:, xn].astype(np.float64)
    ylo, yhi, fy = axis(img.shape[0], th)
    xlo, xhi, fx = axis(img.shape[1], tw)
    img = img.astype(np.float64)
    rows = img[ylo] * (1 - fy)[:, None, None] + img[yhi] * fy[:, None, None]
    return rows[:, xlo] * (1 - fx)[:, None] + rows[:, xhi] * fx[:, None]


RESIZES = [
    ("q90.jpg", "rgb", [64, 64], False, False), ("q90.jpg", "rgb", [224, 224], False, False),
    ("q90.jpg", "grayscale", [50, 70], True, False), ("q75_444.jpg", "rgba", [70, 30], False, True),
    ("grey.jpg", "rgb", [31, 17], False, False), ("rgb.png", "rgb", [90, 120], False, False),
    ("rgba.png", "rgba", [16, 9], True, False), ("palette_trns.png", "rgba", [20, 50], False, True),
    ("grey_alpha.png", "grayscale", [7, 40], False, False), ("bw1.png", "rgb", [30, 30], False, False),
    ("q85_422.jpg", "rgb", [20, 30], False, False), ("progressive.jpg", "rgb", [40, 40], False, False),
    ("odd.jpg", "rgb", [10, 7], True, False), ("q90.jpg", "rgb", [17, 100], False, True),
    ("progressive.jpg", "grayscale", [9, 200], True, False), ("grey.jpg", "grayscale", [33, 33], False, False),
    ("q90.jpg", "rgb", [64, 64], False, False, "nearest"), ("q85_422.jpg", "rgba", [150, 40], True, False, "nearest"),
    ("rgb.png", "grayscale", [30, 90], False, True, "nearest"), ("filters_rgba.png", "rgb", [5, 7], False, False, "nearest"),
]


def main():
    d = sys.argv[1]
    files = write(d)
    out = {name: {m: None for m in ("grayscale", "rgb", "rgba")} for name in files}
    for name in files:
        for m in out[name]:
            img = load(os.path.join(d, name), m)
            out[name][m] = {"width": img.size[0], "height": img.size[1], "data": np.asarray(img).astype(int).ravel().tolist()}
    resized = []
    for name, mode, size, crop, pad, *rest in RESIZES:
        interpolation = rest[0] if rest else "bilinear"
        px = np.asarray(load(os.path.join(d, name), mode)).reshape(out[name][mode]["height"], out[name][mode]["width"], -1)
        resized.append({"file": name, "mode": mode, "size": size, "crop": crop, "pad": pad, "interpolation": interpolation,
                        "data": tf_resize(px, size, crop, pad, interpolation).ravel().tolist()})
    out["resized"] = resized
    print(json.dumps(out))


if __name__ == "__main__":
    main()
