"""Hostile HDF5-based model files for test/saving/hostile.test.ts, made with h5py (Debian's
python3-h5py, the library Keras reads and writes its files with) and Python's zipfile.

usage: make_h5_cases.py <dir>   (dir holds base.keras and base.h5, saved by keras-ts: one Dense
layer 'd', 3 inputs, 2 units). Writes the cases into <dir> and prints a JSON object of what the
test must expect (e.g. the float16 kernel as NumPy rounds it).
"""
import io
import json
import shutil
import sys
import zipfile

import h5py
import numpy as np

out = sys.argv[1]
expect = {}


def keras_parts(path):
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist()}


def write_keras(path, parts):
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_STORED) as z:
        for name, data in parts.items():
            z.writestr(name, data)


def with_weights(edit):
    """base.keras with its model.weights.h5 edited by `edit(h5py.File)`."""
    parts = keras_parts(f"{out}/base.keras")
    buf = io.BytesIO(parts["model.weights.h5"])
    with h5py.File(buf, "r+") as f:
        edit(f)
    parts["model.weights.h5"] = buf.getvalue()
    return parts


def kernel_path(f):
    found = []
    f.visititems(lambda name, obj: found.append(name) if isinstance(obj, h5py.Dataset) and obj.shape == (3, 2) else None)
    return found[0]


def replace(f, path, data):
    del f[path]
    f.create_dataset(path, data=data)


# int64 kernel holding 2**40: float32 weights cannot hold it exactly (the old reader wrapped it to 0).
def int64_kernel(f):
    k = np.zeros((3, 2), dtype=np.int64)
    k[0, 0] = 2**40
    replace(f, kernel_path(f), k)


write_keras(f"{out}/int64.keras", with_weights(int64_kernel))

# small int64 kernel: read exactly.
def int64_small(f):
    replace(f, kernel_path(f), np.array([[1, -2], [3, 4], [-5, 6]], dtype=np.int64))


write_keras(f"{out}/int64_small.keras", with_weights(int64_small))
expect["int64_small"] = [[1, -2], [3, 4], [-5, 6]]

# uint64 kernel beyond 2**63: refused.
def uint64_kernel(f):
    k = np.zeros((3, 2), dtype=np.uint64)
    k[2, 1] = 2**63 + 5
    replace(f, kernel_path(f), k)


write_keras(f"{out}/uint64.keras", with_weights(uint64_kernel))

# float16 kernel: read, as NumPy rounds the values to half precision.
F16 = np.array([[0.1, -0.2], [0.3, 65504.0], [-1e-5, 2.5]], dtype=np.float32)


def float16_kernel(f):
    replace(f, kernel_path(f), F16.astype(np.float16))


write_keras(f"{out}/float16.keras", with_weights(float16_kernel))
expect["float16"] = F16.astype(np.float16).astype(np.float32).astype(float).tolist()

# a string "kernel": not numeric.
def string_kernel(f):
    path = kernel_path(f)
    del f[path]
    f.create_dataset(path, data=np.array([[b"a", b"b"], [b"c", b"d"], [b"e", b"f"]]))


write_keras(f"{out}/string.keras", with_weights(string_kernel))

# 8 KB .keras whose config and a chunked dataset never written declare a 1.2 GB kernel.
parts = keras_parts(f"{out}/base.keras")
config = json.loads(parts["config.json"])
layers = config["config"]["layers"]
dense = [l for l in layers if l["class_name"] == "Dense"][0]
dense["config"]["units"] = 100_000
for l in layers:
    if l["class_name"] == "InputLayer":
        l["config"]["batch_shape"] = [None, 3000]
if "batch_input_shape" in dense["config"]:
    dense["config"]["batch_input_shape"] = [None, 3000]
for c in (config, dense):
    if "build_config" in c:
        c["build_config"] = {"input_shape": [None, 3000]}
parts["config.json"] = json.dumps(config).encode()
buf = io.BytesIO(parts["model.weights.h5"])
with h5py.File(buf, "r+") as f:
    kp = kernel_path(f)
    bp = kp[:-1] + "1"
    del f[kp]
    f.create_dataset(kp, shape=(3000, 100_000), dtype="f4", chunks=(100, 1000))
    del f[bp]
    f.create_dataset(bp, shape=(100_000,), dtype="f4", chunks=(1000,))
parts["model.weights.h5"] = buf.getvalue()
write_keras(f"{out}/sparse.keras", parts)
expect["sparse_bytes"] = sum(len(v) for v in parts.values())

# legacy .h5 whose layer_names attribute is split into 20,000 parts (Keras splits attributes over 64 KB).
shutil.copy(f"{out}/base.h5", f"{out}/split_names.h5")
with h5py.File(f"{out}/split_names.h5", "r+") as f:
    g = f["model_weights"] if "model_weights" in f else f
    if "layer_names" in g.attrs:
        del g.attrs["layer_names"]
    for i in range(20_000):
        g.attrs[f"layer_names{i}"] = np.array([f"layer_{i:05d}".encode()])

print(json.dumps(expect))
