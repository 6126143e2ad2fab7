"""Reference values for test/utils/sequence_utils.test.ts: Keras's normalize (its NumPy path:
x / np.linalg.norm(x, order, axis), zero norms left at 1) and pad_sequences's rules, in NumPy.
Run: python3 test/reference/utils_references.py"""
import numpy as np

x = np.array([[3.0, -4.0, 0.0], [1.0, 2.0, 2.0], [0.0, 0.0, 0.0]])
for order in (2, 1, np.inf):
    for axis in (-1, 0):
        norm = np.atleast_1d(np.linalg.norm(x, order, axis))
        norm[norm == 0] = 1
        print(f"order={order} axis={axis}", np.round(x / np.expand_dims(norm, axis), 6).tolist())

# pad_sequences on a float sequence cast to int32 (NumPy truncates toward zero), value -1.5 -> -1
seqs = [[1.7, -2.7], [3.2, 4.9, 5.1, 6.0]]
out = np.full((2, 3), -1.5, dtype="int32")
for i, s in enumerate(seqs):
    t = np.asarray(s[:3], dtype="int32")  # truncating='post'
    out[i, -len(t):] = t                   # padding='pre'
print("int32 cast", out.tolist())
