"""What the PyTorch sides of the benchmarks share: one training epoch as Keras's fit runs it (shuffled,
gathered by index, the loss and accuracy kept on the side, read once per epoch), and the median of
the measured epochs."""
import time
import torch


def epoch_times(model, opt, xs, ys, batch, epochs, warmup=1):
    """Seconds of each of warmup + epochs training epochs."""
    model.train()
    n, times = len(ys), []
    for _ in range(epochs + warmup):
        t = time.perf_counter()
        perm = torch.randperm(n)
        total, correct = torch.zeros(()), torch.zeros((), dtype=torch.long)
        for i in range(0, n, batch):
            idx = perm[i:i + batch]
            xb, yb = xs[idx], ys[idx]
            opt.zero_grad()
            out = model(xb)
            loss = torch.nn.functional.cross_entropy(out, yb)
            loss.backward()
            opt.step()
            with torch.no_grad():
                total += loss.detach() * len(yb)
                correct += (out.argmax(1) == yb).sum()
        (total / n).item(), (correct / n).item()  # the epoch's logs, read once
        times.append(time.perf_counter() - t)
    return times


def median(values):
    v = sorted(values)
    m = len(v) // 2
    return v[m] if len(v) % 2 else (v[m - 1] + v[m]) / 2
