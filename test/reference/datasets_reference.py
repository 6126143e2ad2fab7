"""Fixtures and reference numbers for test/datasets/datasets.test.ts.

Writes small files in the formats of Keras's datasets, under Keras's file names, into
test/fixtures/datasets/ (committed), then loads them with Keras's own load_data logic
(keras/src/datasets/*.py, restated here over local files: np.random.RandomState shuffles,
remove_long_seq, the num_words/skip_top/oov arithmetic, the CIFAR channels-last transpose)
and prints the numbers the test asserts, as JSON.

CIFAR-10's test_batch is written as Python 2's cPickle wrote the real files (protocol 2,
SHORT_BINSTRING/BINSTRING strings, bytes keys), assembled opcode by opcode and checked with
pickle.loads; the other batch files are Python 3 pickles (protocol 3), as np.save writes
object arrays.

Run: /usr/bin/python3 test/reference/datasets_reference.py
"""
import gzip
import io
import json
import os
import pickle
import struct
import tarfile

import numpy as np

OUT = os.path.join(os.path.dirname(__file__), "..", "fixtures", "datasets")
os.makedirs(OUT, exist_ok=True)
rng = np.random.RandomState(2026)


def py2_pickle(d):
    """A protocol-2 pickle of a dict of bytes keys -> bytes / list of ints / uint8 2-D array, as Python 2 wrote it."""
    out = bytearray(b"\x80\x02}q\x01(")

    def s(b):
        return (b"U" + bytes([len(b)]) + b) if len(b) < 256 else (b"T" + struct.pack("<I", len(b)) + b)

    def i(n):
        return b"K" + bytes([n]) if n < 256 else b"M" + struct.pack("<H", n)

    for k, v in d.items():
        out += s(k)
        if isinstance(v, bytes):
            out += s(v)
        elif isinstance(v, list):
            out += b"](" + b"".join(s(x) if isinstance(x, bytes) else i(x) for x in v) + b"e"
        else:
            out += b"cnumpy.core.multiarray\n_reconstruct\nq\x02cnumpy\nndarray\nq\x03K\x00\x85U\x01b\x87R("
            out += b"K\x01" + i(v.shape[0]) + i(v.shape[1]) + b"\x86"
            out += b"cnumpy\ndtype\nq\x04U\x02u1K\x00K\x01\x87R(K\x03U\x01|NNNJ\xff\xff\xff\xffJ\xff\xff\xff\xffK\x00tb"
            out += b"\x89" + s(v.tobytes()) + b"tb"
    out += b"u."
    back = pickle.loads(bytes(out), encoding="bytes")
    assert set(back) == set(d) and all(
        (np.array_equal(back[k], d[k]) if isinstance(d[k], np.ndarray) else back[k] == d[k]) for k in d
    )
    return bytes(out)


def summary(a):
    a = np.asarray(a)
    return {"shape": list(a.shape), "dtype": str(a.dtype), "sum": int(a.astype(np.int64).sum()) if a.dtype.kind in "iu" else float(a.astype(np.float64).sum()), "first": a.reshape(-1)[:8].tolist(), "last": a.reshape(-1)[-4:].tolist()}


ref = {}

# mnist.npz (uint8, as Keras's)
m = {"x_train": rng.randint(0, 256, (6, 28, 28)).astype(np.uint8), "y_train": rng.randint(0, 10, 6).astype(np.uint8),
     "x_test": rng.randint(0, 256, (3, 28, 28)).astype(np.uint8), "y_test": rng.randint(0, 10, 3).astype(np.uint8)}
np.savez_compressed(os.path.join(OUT, "mnist.npz"), **m)
ref["mnist"] = {k: summary(v) for k, v in m.items()}

# fashion-mnist: gzipped IDX files
f = {"train": (rng.randint(0, 256, (5, 28, 28)).astype(np.uint8), rng.randint(0, 10, 5).astype(np.uint8)),
     "t10k": (rng.randint(0, 256, (2, 28, 28)).astype(np.uint8), rng.randint(0, 10, 2).astype(np.uint8))}
os.makedirs(os.path.join(OUT, "fashion-mnist"), exist_ok=True)
for split, (x, y) in f.items():
    with gzip.open(os.path.join(OUT, "fashion-mnist", f"{split}-labels-idx1-ubyte.gz"), "wb") as g:
        g.write(struct.pack(">II", 2049, len(y)) + y.tobytes())
    with gzip.open(os.path.join(OUT, "fashion-mnist", f"{split}-images-idx3-ubyte.gz"), "wb") as g:
        g.write(struct.pack(">IIII", 2051, len(x), 28, 28) + x.tobytes())
ref["fashion"] = {"x_train": summary(f["train"][0]), "y_train": summary(f["train"][1]), "x_test": summary(f["t10k"][0]), "y_test": summary(f["t10k"][1])}


def add_tar(tar, name, data):
    info = tarfile.TarInfo(name)
    info.size = len(data)
    tar.addfile(info, io.BytesIO(data))


# cifar-10-python.tar.gz: 5 train batches of 2, a test batch of 3 (Python 2 style)
c10 = {}
with tarfile.open(os.path.join(OUT, "cifar-10-python.tar.gz"), "w:gz") as tar:
    for name, n in [(f"data_batch_{i}", 2) for i in range(1, 6)] + [("test_batch", 3)]:
        d = {b"batch_label": name.encode(), b"labels": rng.randint(0, 10, n).tolist(), b"data": rng.randint(0, 256, (n, 3072)).astype(np.uint8), b"filenames": [b"x.png"] * n}
        c10[name] = d
        add_tar(tar, f"cifar-10-batches-py/{name}", py2_pickle(d) if name == "test_batch" else pickle.dumps(d, protocol=3))
# Keras's cifar10.load_data over these batches
x_train = np.concatenate([c10[f"data_batch_{i}"][b"data"] for i in range(1, 6)]).reshape(-1, 3, 32, 32).transpose(0, 2, 3, 1)
y_train = np.array(sum((c10[f"data_batch_{i}"][b"labels"] for i in range(1, 6)), []), dtype=np.uint8).reshape(-1, 1)
x_test = c10["test_batch"][b"data"].reshape(-1, 3, 32, 32).transpose(0, 2, 3, 1)
y_test = np.array(c10["test_batch"][b"labels"], dtype=np.uint8).reshape(-1, 1)
ref["cifar10"] = {"x_train": summary(x_train), "y_train": summary(y_train), "x_test": summary(x_test), "y_test": summary(y_test),
                  "pixel_1_2_3_train": [int(x_train[1, 2, 3, c]) for c in range(3)]}

# cifar-100-python.tar.gz: train 4, test 2, fine and coarse labels
c100 = {}
with tarfile.open(os.path.join(OUT, "cifar-100-python.tar.gz"), "w:gz") as tar:
    for name, n in [("train", 4), ("test", 2)]:
        d = {b"filenames": [b"y.png"] * n, b"fine_labels": rng.randint(0, 100, n).tolist(), b"coarse_labels": rng.randint(0, 20, n).tolist(), b"data": rng.randint(0, 256, (n, 3072)).astype(np.uint8)}
        c100[name] = d
        add_tar(tar, f"cifar-100-python/{name}", pickle.dumps(d, protocol=3))
ref["cifar100"] = {mode: {"y_train": np.reshape(c100["train"][f"{mode}_labels".encode()], (-1, 1)).tolist(), "y_test": np.reshape(c100["test"][f"{mode}_labels".encode()], (-1, 1)).tolist()} for mode in ["fine", "coarse"]}
ref["cifar100"]["x_test"] = summary(c100["test"][b"data"].reshape(-1, 3, 32, 32).transpose(0, 2, 3, 1))


def ragged(lists):
    a = np.empty(len(lists), dtype=object)
    for i, l in enumerate(lists):
        a[i] = l
    return a


def seqs(n, lo=1, hi=30):
    return [rng.randint(lo, hi, rng.randint(1, 9)).tolist() for _ in range(n)]


def remove_long_seq(maxlen, seq, label):
    new_seq, new_label = [], []
    for x, y in zip(seq, label):
        if len(x) < maxlen:
            new_seq.append(x)
            new_label.append(y)
    return new_seq, new_label


def keras_imdb(f, num_words=None, skip_top=0, maxlen=None, seed=113, start_char=1, oov_char=2, index_from=3):
    x_train, labels_train = f["x_train"], f["y_train"]
    x_test, labels_test = f["x_test"], f["y_test"]
    r = np.random.RandomState(seed)
    indices = np.arange(len(x_train)); r.shuffle(indices)
    x_train = x_train[indices]; labels_train = labels_train[indices]
    indices = np.arange(len(x_test)); r.shuffle(indices)
    x_test = x_test[indices]; labels_test = labels_test[indices]
    if start_char is not None:
        x_train = [[start_char] + [w + index_from for w in x] for x in x_train]
        x_test = [[start_char] + [w + index_from for w in x] for x in x_test]
    elif index_from:
        x_train = [[w + index_from for w in x] for x in x_train]
        x_test = [[w + index_from for w in x] for x in x_test]
    else:
        x_train = [[w for w in x] for x in x_train]
        x_test = [[w for w in x] for x in x_test]
    if maxlen:
        x_train, labels_train = remove_long_seq(maxlen, x_train, labels_train)
        x_test, labels_test = remove_long_seq(maxlen, x_test, labels_test)
    xs = x_train + x_test
    labels = np.concatenate([labels_train, labels_test])
    if not num_words:
        num_words = max(max(x) for x in xs)
    if oov_char is not None:
        xs = [[w if (skip_top <= w < num_words) else oov_char for w in x] for x in xs]
    else:
        xs = [[w for w in x if skip_top <= w < num_words] for x in xs]
    idx = len(x_train)
    return [[xs[:idx], labels[:idx].tolist()], [xs[idx:], labels[idx:].tolist()]]


def keras_reuters(f, num_words=None, skip_top=0, maxlen=None, test_split=0.2, seed=113, start_char=1, oov_char=2, index_from=3):
    xs, labels = f["x"], f["y"]
    r = np.random.RandomState(seed)
    indices = np.arange(len(xs)); r.shuffle(indices)
    xs = xs[indices]; labels = labels[indices]
    if start_char is not None:
        xs = [[start_char] + [w + index_from for w in x] for x in xs]
    elif index_from:
        xs = [[w + index_from for w in x] for x in xs]
    if maxlen:
        xs, labels = remove_long_seq(maxlen, xs, labels)
    if not num_words:
        num_words = max(max(x) for x in xs)
    if oov_char is not None:
        xs = [[w if skip_top <= w < num_words else oov_char for w in x] for x in xs]
    else:
        xs = [[w for w in x if skip_top <= w < num_words] for x in xs]
    idx = int(len(xs) * (1 - test_split))
    return [[xs[:idx], np.array(labels[:idx]).tolist()], [xs[idx:], np.array(labels[idx:]).tolist()]]


imdb = {"x_train": ragged(seqs(7)), "y_train": rng.randint(0, 2, 7).astype(np.int64), "x_test": ragged(seqs(5)), "y_test": rng.randint(0, 2, 5).astype(np.int64)}
np.savez(os.path.join(OUT, "imdb.npz"), **imdb)
loaded = dict(np.load(os.path.join(OUT, "imdb.npz"), allow_pickle=True))
IMDB_CASES = [{}, {"num_words": 15, "skip_top": 5}, {"maxlen": 6, "seed": 7, "index_from": 0, "start_char": None}, {"oov_char": None, "num_words": 20, "start_char": 0, "index_from": 2}]
ref["imdb"] = [{"options": c, "result": keras_imdb(loaded, **c)} for c in IMDB_CASES]

reuters = {"x": ragged(seqs(11, 1, 40)), "y": rng.randint(0, 46, 11).astype(np.int64)}
np.savez(os.path.join(OUT, "reuters.npz"), **reuters)
loaded = dict(np.load(os.path.join(OUT, "reuters.npz"), allow_pickle=True))
REUTERS_CASES = [{}, {"num_words": 25, "skip_top": 4, "test_split": 0.3}, {"maxlen": 7, "seed": 1, "oov_char": None}]
ref["reuters"] = [{"options": c, "result": keras_reuters(loaded, **c)} for c in REUTERS_CASES]

with open(os.path.join(OUT, "imdb_word_index.json"), "w") as fh:
    json.dump({"the": 1, "and": 2, "a": 3}, fh)
with open(os.path.join(OUT, "reuters_word_index.json"), "w") as fh:
    json.dump({"the": 1, "of": 2, "to": 3, "said": 4}, fh)


def keras_housing(x, y, test_split=0.2, seed=113, limit=None):
    if limit:
        x, y = x[:limit], y[:limit]
    r = np.random.RandomState(seed)
    indices = np.arange(len(x)); r.shuffle(indices)
    x = x[indices]; y = y[indices]
    cut = int(len(x) * (1 - test_split))
    return {"x_train": summary(x[:cut]), "y_train": summary(y[:cut]), "x_test": summary(x[cut:]), "y_test": summary(y[cut:]), "y_test_all": y[cut:].tolist()}


bx, by = rng.rand(12, 13) * 100, rng.rand(12) * 50
np.savez(os.path.join(OUT, "boston_housing.npz"), x=bx, y=by)
ref["boston"] = {"default": keras_housing(bx, by), "split": keras_housing(bx, by, test_split=0.5, seed=3)}
cx, cy = (rng.rand(700, 8) * 10).astype(np.float32), (rng.rand(700) * 5e5).astype(np.float32)
np.savez(os.path.join(OUT, "california_housing.npz"), x=cx, y=cy)
ref["california"] = {"large": keras_housing(cx, cy), "small": keras_housing(cx, cy, limit=600, test_split=0.1, seed=5)}

print(json.dumps(ref))
