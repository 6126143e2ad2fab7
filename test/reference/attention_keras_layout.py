"""Weights files in Keras 3's layout for MultiHeadAttention and GroupQueryAttention
(test/saving/attention_layout.test.ts), written with h5py as Keras's H5IOStore writes them:
Keras 3.15's attention layers keep their variables in EinsumDense sublayers, so saving_lib stores
them at layers/<layer>/_query_dense/vars/0 (kernel), vars/1 (bias), and likewise _key_dense,
_value_dense, _output_dense; the attention layer's own `vars` group is empty. Prints, as JSON, the
arrays written and the MultiHeadAttention output for the test's input, computed in NumPy (float64)
with Keras's einsums (query/key/value 'btd,dhk->bthk', scores 'bshk,bthk->bhts'... see below).
Run: /usr/bin/python3 test/reference/attention_keras_layout.py OUT_DIR
"""
import json
import os
import sys

import h5py
import numpy as np


def arr(shape, seed):
    n = int(np.prod(shape))
    return (np.sin(np.arange(n) * 0.37 + seed) * 0.5).reshape(shape).astype(np.float32)


def write(path, layer, groups):
    with h5py.File(path, "w") as f:
        f.create_group("layers/input_layer/vars")
        f.create_group(f"layers/{layer}/vars")
        for sub, arrays in groups.items():
            g = f.create_group(f"layers/{layer}/{sub}/vars")
            for i, a in enumerate(arrays):
                g.create_dataset(str(i), data=a)
        f.create_group("optimizer/vars")


out_dir = sys.argv[1]
D, H, K, T = 4, 2, 3, 3  # features, heads, key_dim, steps
mha = {
    "_query_dense": [arr((D, H, K), 1), arr((H, K), 2)],
    "_key_dense": [arr((D, H, K), 3), arr((H, K), 4)],
    "_value_dense": [arr((D, H, K), 5), arr((H, K), 6)],
    "_output_dense": [arr((H, K, D), 7), arr((D,), 8)],
}
write(os.path.join(out_dir, "mha.weights.h5"), "multi_head_attention", mha)

x = arr((2, T, D), 9).astype(np.float64)
w = {k: [a.astype(np.float64) for a in v] for k, v in mha.items()}
q = np.einsum("btd,dhk->bthk", x, w["_query_dense"][0]) + w["_query_dense"][1]
k = np.einsum("btd,dhk->bthk", x, w["_key_dense"][0]) + w["_key_dense"][1]
v = np.einsum("btd,dhk->bthk", x, w["_value_dense"][0]) + w["_value_dense"][1]
scores = np.einsum("bshk,bthk->bhts", k, q / np.sqrt(K))
scores = np.exp(scores - scores.max(-1, keepdims=True))
scores /= scores.sum(-1, keepdims=True)
heads = np.einsum("bhts,bshk->bthk", scores, v)
y = np.einsum("bthk,hko->bto", heads, w["_output_dense"][0]) + w["_output_dense"][1]

HQ, HKV, HD = 4, 2, 2  # GroupQueryAttention: query heads, key/value heads, head_dim
gqa = {
    "_query_dense": [arr((D, HQ, HD), 11), arr((HQ, HD), 12)],
    "_key_dense": [arr((D, HKV, HD), 13), arr((HKV, HD), 14)],
    "_value_dense": [arr((D, HKV, HD), 15), arr((HKV, HD), 16)],
    "_output_dense": [arr((HQ, HD, D), 17), arr((D,), 18)],
}
write(os.path.join(out_dir, "gqa.weights.h5"), "group_query_attention", gqa)

print(json.dumps({
    "x": x.tolist(), "mha_output": y.tolist(),
    "mha": {k: [a.tolist() for a in v] for k, v in mha.items()},
    "gqa": {k: [a.tolist() for a in v] for k, v in gqa.items()},
}))
