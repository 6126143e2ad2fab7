"""PyTorch references for the native BatchNormTrain kernels' fused relu and relu6 over many rows
(test/ops/batch_norm.test.ts): x of shape [16, 16, 16, 24] channels last (98,304 values: both
threads, many 64-row blocks), normalized with the batch statistics, then relu or relu6, with outputs
on both sides of 0 and of 6. Printed: dgamma and dbeta of sum(y * w), dx at a few flat indices, and
sum(dx * v) over all of dx, from torch.nn.functional.batch_norm(training=True) in float64 on x
rounded to float32 (what the test's tensor holds). Inputs, by formulas the test repeats:
  x[i] = 2.5 sin(0.37 i) + 0.5 cos(0.011 i) + (i mod 24) / 8, w[i] = cos(0.11 i), v[i] = sin(0.05 i),
  gamma[c] = 2.5 + 0.1 c, beta[c] = 1.5 - 0.05 c, epsilon 1e-3.
Also the smallest distance of z (before the activation) from 0 and from 6: the masks must not
depend on float32 rounding. Run `/usr/bin/python3 test/reference/batch_norm_act_reference.py`.
"""
import math
import torch

torch.set_default_dtype(torch.float64)
shape = (16, 16, 16, 24)
n = 16 * 16 * 16 * 24
x = torch.tensor([2.5 * math.sin(0.37 * i) + 0.5 * math.cos(0.011 * i) + (i % 24) / 8 for i in range(n)], dtype=torch.float32).double().reshape(shape)
w = torch.tensor([math.cos(0.11 * i) for i in range(n)]).reshape(shape)
v = torch.tensor([math.sin(0.05 * i) for i in range(n)]).reshape(shape)
gamma0 = torch.tensor([2.5 + 0.1 * c for c in range(24)])
beta0 = torch.tensor([1.5 - 0.05 * c for c in range(24)])
eps = 1e-3
INDICES = [0, 1, 23, 4097, 50000, 98303]


def fmt(t):
    return "[" + ", ".join(f"{v:.7g}" for v in t.reshape(-1).tolist()) + "]"


for act in ["relu", "relu6"]:
    xs = x.clone().requires_grad_(True)
    gamma = gamma0.clone().requires_grad_(True)
    beta = beta0.clone().requires_grad_(True)
    z = torch.nn.functional.batch_norm(xs.permute(0, 3, 1, 2), None, None, gamma, beta, training=True, eps=eps).permute(0, 2, 3, 1)
    y = torch.relu(z) if act == "relu" else torch.nn.functional.relu6(z)
    (y * w).sum().backward()
    zd = z.detach()
    print(f"{act}: below 0 {int((zd < 0).sum())}, above 6 {int((zd > 6).sum())}, min |z| {float(zd.abs().min()):.3g}, min |z - 6| {float((zd - 6).abs().min()):.3g}")
    print(f"{act}: dgamma = {fmt(gamma.grad)}")
    print(f"{act}: dbeta = {fmt(beta.grad)}")
    print(f"{act}: dx at {INDICES} = {fmt(xs.grad.reshape(-1)[INDICES])}")
    print(f"{act}: sum(dx * v) = {float((xs.grad * v).sum()):.9g}")
