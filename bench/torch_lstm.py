"""PyTorch's nn.LSTM on the sizes of bench/lstm.ts: an LSTM over 28 steps of 28 features (the MNIST
rows), 128 units, then Linear(128, 10), Adam, cross-entropy, trained on the digits bench/lstm.ts
passes in (raw float32). Prints RESULT {"threads", "batch", "secPerEpoch"} per thread count and batch.

    OMP_NUM_THREADS=N OPENBLAS_NUM_THREADS=N python3 bench/torch_lstm.py DATA.f32 LABELS.u8 SAMPLES N BATCH[,BATCH]
"""
import json, sys
import numpy as np
import torch
from torch_common import epoch_times, median

data, labels, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
x = torch.from_numpy(np.fromfile(data, dtype=np.float32).reshape(n, 28, 28))
y = torch.from_numpy(np.fromfile(labels, dtype=np.uint8).astype(np.int64))


class Net(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = torch.nn.LSTM(28, 128, batch_first=True)
        self.head = torch.nn.Linear(128, 10)

    def forward(self, v):
        _, (h, _) = self.lstm(v)
        return self.head(h[0])


for threads in map(int, sys.argv[4].split(',')):
    torch.set_num_threads(threads)
    for batch in map(int, sys.argv[5].split(',')):
        torch.manual_seed(1)
        model = Net()
        opt = torch.optim.Adam(model.parameters(), lr=1e-3)
        times = epoch_times(model, opt, x, y, batch, epochs=3, warmup=1)
        print("RESULT " + json.dumps({"threads": threads, "batch": batch, "secPerEpoch": median(times[1:])}), flush=True)
