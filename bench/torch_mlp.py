"""The seed MLP in PyTorch on one CPU thread, same sizes and optimizer, for the ratio in bench/fit.ts.
Prints RESULT {"secPerEpoch": ...} per batch size given on the command line."""
import json, sys, time
import torch

torch.set_num_threads(1)
n = int(sys.argv[1])
x = torch.rand(n, 784)
y = torch.randint(0, 10, (n,))
for batch in map(int, sys.argv[2:]):
    model = torch.nn.Sequential(
        torch.nn.Linear(784, 64), torch.nn.Sigmoid(), torch.nn.Linear(64, 32), torch.nn.Sigmoid(),
        torch.nn.Linear(32, 16), torch.nn.Sigmoid(), torch.nn.Linear(16, 10))
    opt = torch.optim.SGD(model.parameters(), lr=0.05)
    times = []
    for epoch in range(4):
        t = time.perf_counter()
        perm = torch.randperm(n)
        for i in range(0, n, batch):
            idx = perm[i:i + batch]
            opt.zero_grad()
            loss = torch.nn.functional.cross_entropy(model(x[idx]), y[idx])
            loss.backward()
            opt.step()
        if epoch > 0:
            times.append(time.perf_counter() - t)
    times.sort()
    print("RESULT " + json.dumps({"batch": batch, "secPerEpoch": times[len(times) // 2]}))
