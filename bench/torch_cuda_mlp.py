"""PyTorch eager on the GPU: the seed MLP, 60,000 samples, SGD 0.05, with an accuracy computed per
batch as Keras does; seconds per epoch (one warm-up epoch, then one measured) at batch 32, 128, 1024."""
import json, time
import torch

dev = "cuda"
n = 60000
x = torch.rand(n, 784, device=dev)
y = torch.randint(0, 10, (n,), device=dev)
print("PyTorch", torch.__version__, "on", torch.cuda.get_device_name(0))
for batch in (32, 128, 1024):
    model = torch.nn.Sequential(
        torch.nn.Linear(784, 64), torch.nn.Sigmoid(), torch.nn.Linear(64, 32), torch.nn.Sigmoid(),
        torch.nn.Linear(32, 16), torch.nn.Sigmoid(), torch.nn.Linear(16, 10)).to(dev)
    opt = torch.optim.SGD(model.parameters(), lr=0.05)
    for epoch in range(2):
        torch.cuda.synchronize()
        t = time.perf_counter()
        perm = torch.randperm(n, device=dev)
        correct = torch.zeros((), device=dev)
        for i in range(0, n, batch):
            idx = perm[i:i + batch]
            opt.zero_grad()
            out = model(x[idx])
            loss = torch.nn.functional.cross_entropy(out, y[idx])
            loss.backward()
            opt.step()
            correct += (out.argmax(1) == y[idx]).sum()
        torch.cuda.synchronize()
        sec = time.perf_counter() - t
    print("RESULT " + json.dumps({"batch": batch, "secPerEpoch": round(sec, 3)}))
