"""PyTorch reference for the fused scaled dot-product attention (test/ops/attention_core.test.ts:
ops/attention.ts's attentionCore, one kernel each way on 'native'), in float64, on the projections'
layout q [B, T, H, D], k [B, S, H, D], v [B, S, H, Dv] with B 2, T 3, S 4, H 2, D 3, Dv 2, scale 0.6:
  scores = scale q·kᵀ per (b, h); masked scores set to -1e9, softmax over s, masked probabilities set
  to 0 (Keras's Softmax with a mask); heads [B, T, H, Dv] = probs·v.
Then the gradients of L = sum(heads * wh) + sum(probs * wp) for q, k and v (so both outputs carry a gradient).
Inputs by formulas the test repeats:
  q[i] = sin(0.37 i + 0.1), k[i] = cos(0.23 i) - 0.2, v[i] = sin(0.11 i + 0.5) + 0.05 i,
  wh[i] = cos(0.3 i), wp[i] = sin(0.7 i) (flat index i in the row-major order of each shape);
  mask [B, T, S]: (b + 2 t + s) mod 4 != 1, except row (b 1, t 1) all false.
Run `/usr/bin/python3 test/reference/attention_core_reference.py` (Debian python3-torch); the test holds the output.
"""
import math
import torch

torch.set_default_dtype(torch.float64)
B, T, S, H, D, DV, SCALE = 2, 3, 4, 2, 3, 2, 0.6


def filled(shape, f):
    n = math.prod(shape)
    return torch.tensor([f(i) for i in range(n)]).reshape(*shape)


q = filled([B, T, H, D], lambda i: math.sin(0.37 * i + 0.1)).requires_grad_(True)
k = filled([B, S, H, D], lambda i: math.cos(0.23 * i) - 0.2).requires_grad_(True)
v = filled([B, S, H, DV], lambda i: math.sin(0.11 * i + 0.5) + 0.05 * i).requires_grad_(True)
wh = filled([B, T, H, DV], lambda i: math.cos(0.3 * i))
wp = filled([B, H, T, S], lambda i: math.sin(0.7 * i))
mask = torch.tensor([[[(b + 2 * t + s) % 4 != 1 for s in range(S)] for t in range(T)] for b in range(B)])
mask[1, 1, :] = False
full = mask[:, None, :, :].expand(B, H, T, S)
scores = SCALE * torch.einsum("bthd,bshd->bhts", q, k)
probs = torch.where(full, torch.softmax(torch.where(full, scores, torch.tensor(-1e9)), -1), torch.tensor(0.0))
heads = torch.einsum("bhts,bshd->bthd", probs, v)
((heads * wh).sum() + (probs * wp).sum()).backward()


def fmt(t):
    return "[" + ", ".join(f"{x:.7g}" for x in t.reshape(-1).tolist()) + "]"


print(f"heads: {fmt(heads.detach())}")
print(f"probs: {fmt(probs.detach())}")
print(f"dq: {fmt(q.grad)}")
print(f"dk: {fmt(k.grad)}")
print(f"dv: {fmt(v.grad)}")
