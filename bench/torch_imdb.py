"""PyTorch's side of bench/lstm.ts's IMDB-shaped row: Keras's IMDB example model (Embedding 20000 x 128,
two bidirectional LSTM(64), the first returning sequences, the second its final states of both
directions, then Linear(128, 2)), Adam 1e-3, cross-entropy, on the token ids bench/lstm.ts passes in
(raw int32 [N, 200]) and their 0/1 labels. Prints RESULT {"threads", "batch", "secPerEpoch", "epochs"}.

    OMP_NUM_THREADS=N OPENBLAS_NUM_THREADS=N python3 bench/torch_imdb.py TOKENS.i32 LABELS.u8 SAMPLES N BATCH EPOCHS
"""
import json, sys
import numpy as np
import torch
from torch_common import epoch_times, median

tokens, labels, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
threads, batch, epochs = int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6])
x = torch.from_numpy(np.fromfile(tokens, dtype=np.int32).reshape(n, -1).astype(np.int64))
y = torch.from_numpy(np.fromfile(labels, dtype=np.uint8).astype(np.int64))


class Net(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.embed = torch.nn.Embedding(20000, 128)
        self.lstm1 = torch.nn.LSTM(128, 64, batch_first=True, bidirectional=True)
        self.lstm2 = torch.nn.LSTM(128, 64, batch_first=True, bidirectional=True)
        self.head = torch.nn.Linear(128, 2)

    def forward(self, v):
        seq, _ = self.lstm1(self.embed(v))
        _, (h, _) = self.lstm2(seq)
        return self.head(torch.cat([h[0], h[1]], 1))


torch.set_num_threads(threads)
torch.manual_seed(1)
model = Net()
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
times = epoch_times(model, opt, x, y, batch, epochs=epochs, warmup=1)
print("RESULT " + json.dumps({"threads": threads, "batch": batch, "secPerEpoch": median(times[1:]), "epochs": times[1:]}), flush=True)
