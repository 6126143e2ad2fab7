"""The image tests' independent reference: Pillow (Debian's python3-pil) and NumPy.
Run by test/utils/image.test.ts as `/usr/bin/python3 test/reference/image_references.py JOBS.json`;
it reads a JSON list of jobs and prints a JSON list of results, one per job, in order:
  {"op": "write", "file", "mode", "width", "height", "data", "palette"?}  Pillow writes the pixels
      (BMP variants: RGB -> 24-bit, L and P -> 8-bit paletted, 1 -> 1-bit, RGBA -> 32-bit).
  {"op": "write_gif", "file", "width", "height", "frames"}  Pillow writes an animated GIF of RGB frames.
  {"op": "load", "file", "color_mode", "target_size", "interpolation", "keep_aspect_ratio"}
      Keras 3's keras.utils.load_img, its body copied below with Pillow: -> {width, height, mode, data}.
  {"op": "smart_resize", "data", "shape", "size", "interpolation"}  Keras's smart_resize crop, then
      TensorFlow's half-pixel resize (no antialias) written in NumPy: -> {shape, data}.
"""
import json
import sys

import numpy as np
from PIL import Image

PIL_INTERPOLATION = {
    "nearest": Image.NEAREST, "bilinear": Image.BILINEAR, "bicubic": Image.BICUBIC,
    "hamming": Image.HAMMING, "box": Image.BOX, "lanczos": Image.LANCZOS,
}


def load_img(path, color_mode="rgb", target_size=None, interpolation="nearest", keep_aspect_ratio=False):
    """keras/src/utils/image_utils.py load_img, as in Keras 3."""
    with open(path, "rb") as f:
        img = Image.open(f)
        img.load()
    if color_mode == "grayscale":
        if img.mode not in ("L", "I;16", "I"):
            img = img.convert("L")
    elif color_mode == "rgba":
        if img.mode != "RGBA":
            img = img.convert("RGBA")
    elif color_mode == "rgb":
        if img.mode != "RGB":
            img = img.convert("RGB")
    if target_size is not None:
        width_height_tuple = (target_size[1], target_size[0])
        if img.size != width_height_tuple:
            resample = PIL_INTERPOLATION[interpolation]
            if keep_aspect_ratio:
                width, height = img.size
                target_width, target_height = width_height_tuple
                crop_height = (width * target_height) // target_width
                crop_width = (height * target_width) // target_height
                crop_height = min(height, crop_height)
                crop_width = min(width, crop_width)
                crop_box_hstart = (height - crop_height) // 2
                crop_box_wstart = (width - crop_width) // 2
                crop_box = [crop_box_wstart, crop_box_hstart,
                            crop_box_wstart + crop_width, crop_box_hstart + crop_height]
                img = img.resize(width_height_tuple, resample, box=crop_box)
            else:
                img = img.resize(width_height_tuple, resample)
    return img


def tf_resize_axis(in_size, out_size):
    """TensorFlow's half-pixel rule: source coordinate (i + 0.5) * in / out - 0.5."""
    scale = in_size / out_size
    src = (np.arange(out_size) + 0.5) * scale - 0.5
    lo = np.floor(src)
    frac = src - lo
    lo_i = np.clip(lo, 0, in_size - 1).astype(int)
    hi_i = np.clip(lo + 1, 0, in_size - 1).astype(int)
    nearest = np.minimum(np.floor((np.arange(out_size) + 0.5) * scale), in_size - 1).astype(int)
    return lo_i, hi_i, frac, nearest


def smart_resize(x, size, interpolation):
    """keras/src/utils/image_utils.py smart_resize's crop, then tf.image.resize (antialias=False)."""
    height, width = x.shape[-3], x.shape[-2]
    th, tw = size
    crop_height = max(min(height, int(float(width * th) / tw)), 1)
    crop_width = max(min(width, int(float(height * tw) / th)), 1)
    h0 = int(float(height - crop_height) / 2)
    w0 = int(float(width - crop_width) / 2)
    img = x[..., h0:h0 + crop_height, w0:w0 + crop_width, :].astype(np.float64)
    ylo, yhi, fy, yn = tf_resize_axis(crop_height, th)
    xlo, xhi, fx, xn = tf_resize_axis(crop_width, tw)
    if interpolation == "nearest":
        return img[..., yn, :, :][..., :, xn, :]
    top = img[..., ylo, :, :] * (1 - fy)[:, None, None] + img[..., yhi, :, :] * fy[:, None, None]
    return top[..., :, xlo, :] * (1 - fx)[:, None] + top[..., :, xhi, :] * fx[:, None]


def run(job):
    if job["op"] == "write_gif":
        frames = [Image.fromarray(np.array(f, dtype=np.uint8).reshape(job["height"], job["width"], 3), "RGB")
                  for f in job["frames"]]
        frames[0].save(job["file"], save_all=True, append_images=frames[1:], duration=100, loop=0)
        return {"ok": True}
    if job["op"] == "write":
        data = np.array(job["data"], dtype=np.uint8)
        mode = job["mode"]
        if mode in ("L", "P", "1"):
            arr = data.reshape(job["height"], job["width"])
            img = Image.fromarray(arr, "L")
            if mode == "P":
                img = img.convert("P") if "palette" not in job else Image.frombytes("P", img.size, arr.tobytes())
                if "palette" in job:
                    img.putpalette(job["palette"])
            elif mode == "1":
                img = img.convert("1")
        else:
            img = Image.fromarray(data.reshape(job["height"], job["width"], len(mode)), mode)
        img.save(job["file"])
        return {"ok": True}
    if job["op"] == "load":
        img = load_img(job["file"], job.get("color_mode", "rgb"), job.get("target_size"),
                       job.get("interpolation", "nearest"), job.get("keep_aspect_ratio", False))
        return {"width": img.size[0], "height": img.size[1], "mode": img.mode,
                "data": np.asarray(img).astype(int).ravel().tolist()}
    if job["op"] == "smart_resize":
        x = np.array(job["data"], dtype=np.float64).reshape(job["shape"])
        out = smart_resize(x, job["size"], job["interpolation"])
        return {"shape": list(out.shape), "data": out.ravel().tolist()}
    raise ValueError(job["op"])


if __name__ == "__main__":
    with open(sys.argv[1]) as f:
        jobs = json.load(f)
    print(json.dumps([run(j) for j in jobs]))
