"""PyTorch's side of bench/transformer.ts: the model of examples/transformer_model.ts (Keras's "Text
classification with Transformer" example) with the same sizes and the same arithmetic:
token + position embedding (vocabulary x 32, 16 x 32); multi-head attention as Keras's
MultiHeadAttention computes it (2 heads of key size 32, so query/key/value project 32 -> 2 x 32 and
the output 64 -> 32, q scaled by 1/sqrt(32), scores where a padded query or key step is set to -1e9
before the softmax and the masked probabilities to 0 after); dropout 0.1 + residual +
LayerNorm(eps 1e-6); Linear(32, 32) relu, Linear(32, 32), dropout 0.1 + residual + LayerNorm;
the mean over the real tokens (GlobalAveragePooling1D with the padding mask); dropout 0.1,
Linear(32, 20) relu, dropout 0.1, Linear(20, 2); Adam 1e-3; cross-entropy on the logits (keras-ts: a
softmax layer and sparse categorical cross-entropy, the same function). Dropout draws its own random
masks (PyTorch's generator, not keras-ts's): the same rate, not the same units dropped.
Token ids are raw int32 [N, 16] (0: padding), labels uint8. Prints RESULT {"threads", "batch", "secPerEpoch", "cpuSecPerEpoch" (this process's CPU seconds), "epochs"}.

    OMP_NUM_THREADS=N OPENBLAS_NUM_THREADS=N python3 bench/torch_transformer.py TOKENS.i32 LABELS.u8 SAMPLES VOCABULARY N BATCH EPOCHS [WARMUP]

EPOCHS timed epochs after WARMUP warm-up epochs (default 1).
"""
import json, math, sys, time
import numpy as np
import torch
from torch_common import epoch_times, median

tokens, labels, n, vocabulary = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
threads, batch, epochs = int(sys.argv[5]), int(sys.argv[6]), int(sys.argv[7])
warmup = int(sys.argv[8]) if len(sys.argv) > 8 else 1
x = torch.from_numpy(np.fromfile(tokens, dtype=np.int32).reshape(n, -1).astype(np.int64))
y = torch.from_numpy(np.fromfile(labels, dtype=np.uint8).astype(np.int64))
DIM, HEADS, FF, RATE, HIDDEN = 32, 2, 32, 0.1, 20
LENGTH = x.shape[1]


class Attention(torch.nn.Module):
    """Keras's MultiHeadAttention(num_heads=2, key_dim=32) on x attending to itself, with the padding mask."""

    def __init__(self):
        super().__init__()
        self.q = torch.nn.Linear(DIM, HEADS * DIM)
        self.k = torch.nn.Linear(DIM, HEADS * DIM)
        self.v = torch.nn.Linear(DIM, HEADS * DIM)
        self.out = torch.nn.Linear(HEADS * DIM, DIM)

    def forward(self, v, mask):
        b, t, _ = v.shape
        split = lambda z: z.view(b, t, HEADS, DIM).transpose(1, 2)  # [B, H, T, D]
        q = split(self.q(v)) * (1 / math.sqrt(DIM))
        k, val = split(self.k(v)), split(self.v(v))
        allowed = (mask[:, :, None] & mask[:, None, :])[:, None]  # [B, 1, T, T]
        scores = torch.softmax((q @ k.transpose(2, 3)).masked_fill(~allowed, -1e9), -1).masked_fill(~allowed, 0)
        heads = (scores @ val).transpose(1, 2).reshape(b, t, HEADS * DIM)
        return self.out(heads)


class Net(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.tokens = torch.nn.Embedding(vocabulary, DIM)
        self.positions = torch.nn.Parameter(torch.empty(LENGTH, DIM).uniform_(-0.05, 0.05))
        self.attention = Attention()
        self.norm1 = torch.nn.LayerNorm(DIM, eps=1e-6)
        self.ff1 = torch.nn.Linear(DIM, FF)
        self.ff2 = torch.nn.Linear(FF, DIM)
        self.norm2 = torch.nn.LayerNorm(DIM, eps=1e-6)
        self.hidden = torch.nn.Linear(DIM, HIDDEN)
        self.head = torch.nn.Linear(HIDDEN, 2)
        self.drop = torch.nn.Dropout(RATE)

    def forward(self, ids):
        mask = ids != 0
        e = self.tokens(ids) + self.positions
        out1 = self.norm1(e + self.drop(self.attention(e, mask)))
        out2 = self.norm2(out1 + self.drop(self.ff2(torch.relu(self.ff1(out1)))))
        m = mask.unsqueeze(-1).to(out2.dtype)
        pooled = (out2 * m).sum(1) / m.sum(1)
        return self.head(self.drop(torch.relu(self.hidden(self.drop(pooled)))))


torch.set_num_threads(threads)
torch.manual_seed(1)
model = Net()
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
times, cpu = [], []
for _ in range(warmup + epochs):  # the warm-up epochs, then the measured ones: wall seconds and this process's CPU seconds
    c = time.process_time()
    times += epoch_times(model, opt, x, y, batch, epochs=1, warmup=0)
    cpu.append(time.process_time() - c)
print("RESULT " + json.dumps({"threads": threads, "batch": batch, "secPerEpoch": median(times[warmup:]), "cpuSecPerEpoch": median(cpu[warmup:]), "epochs": times[warmup:]}), flush=True)
