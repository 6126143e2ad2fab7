"""References for k.utils.timeseriesDatasetFromArray (src/utils/dataset/timeseries_dataset.ts):
Keras 3's index arithmetic of keras.utils.timeseries_dataset_from_array
(keras/src/utils/timeseries_dataset_utils.py, the tf path: start positions np.arange(0, num_seqs,
sequence_stride), windows gathered from data[start_index:end_index], targets from
targets[start_index:end_index]), written with NumPy, unshuffled, batched as tf.data's batch().
Data: seq(n, f) = [sin(0.3 i) + 0.01 i for i in range(n * f)] reshaped to [n, f] (f = 0: 1-D [n]);
targets: tseq(m) = [cos(0.5 i) for i in range(m)].
Run `python3 test/reference/timeseries_reference.py`; test/utils/timeseries_dataset.test.ts holds
the output (values rounded to 6 decimals).
"""
import json
import math
import numpy as np


def seq(n, f):
    values = np.array([math.sin(0.3 * i) + 0.01 * i for i in range(n * max(f, 1))], dtype=np.float32)
    return values.reshape(n, f) if f else values


def tseq(m):
    return np.array([math.cos(0.5 * i) for i in range(m)], dtype=np.float32)


def keras_windows(data, targets, sequence_length, sequence_stride=1, sampling_rate=1,
                  batch_size=128, start_index=None, end_index=None):
    """The batches Keras yields, unshuffled: [(windows, targets or None), ...]."""
    if start_index is None:
        start_index = 0
    if end_index is None:
        end_index = len(data)
    num_seqs = end_index - start_index - (sequence_length - 1) * sampling_rate
    if targets is not None:
        num_seqs = min(num_seqs, len(targets))
    start_positions = np.arange(0, num_seqs, sequence_stride)
    steps = data[start_index:end_index]
    windows = [steps[np.arange(p, p + sequence_length * sampling_rate, sampling_rate)] for p in start_positions]
    ys = None if targets is None else [targets[start_index:end_index][p] for p in start_positions]
    size = len(windows) if batch_size is None else batch_size
    batches = []
    for b in range(0, len(windows), size):
        x = np.stack(windows[b:b + size])
        y = None if ys is None else np.stack(ys[b:b + size])
        batches.append((x, y))
    return start_positions, batches


CASES = [
    # name, n, f, targets length (None: no targets), options
    ("1-D, length 5, batch 4", 12, 0, 12, dict(sequence_length=5, batch_size=4)),
    ("2 features, stride 3, rate 2, batch 3", 20, 2, 20, dict(sequence_length=4, sequence_stride=3, sampling_rate=2, batch_size=3)),
    ("start 3, end 17, rate 2, batch 2", 20, 1, 20, dict(sequence_length=3, sampling_rate=2, start_index=3, end_index=17, batch_size=2)),
    ("no targets, stride 2, start 1, batch 5", 15, 3, None, dict(sequence_length=2, sequence_stride=2, start_index=1, batch_size=5)),
    ("short targets cap the windows", 16, 1, 7, dict(sequence_length=3, batch_size=4)),
]

if __name__ == "__main__":
    out = {}
    for name, n, f, m, o in CASES:
        data = seq(n, f)
        targets = None if m is None else tseq(m)
        starts, batches = keras_windows(data, targets, **o)
        out[name] = {
            "starts": starts.tolist(),
            "batches": [
                {"xShape": list(x.shape), "x": np.round(x.astype(np.float64).ravel(), 6).tolist(),
                 "y": None if y is None else np.round(y.astype(np.float64).ravel(), 6).tolist()}
                for x, y in batches
            ],
        }
    print(json.dumps(out, separators=(",", ":")))
