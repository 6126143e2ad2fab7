"""Reference values for the losses of issue 24: NumPy from the formulas in Keras's documentation,
and PyTorch's ctc_loss for CTC (value and gradient).

Run `/usr/bin/python3 test/reference/loss_references_24.py`; test/losses/more_losses.test.ts holds the output.
"""
import numpy as np
import torch

np.set_printoptions(precision=10, linewidth=250)
e = 1e-7
yt = np.array([[0, 1, 0], [0, 0, 1], [1, 0, 0]], dtype=float)
yp = np.array([[0.1, 0.7, 0.2], [0.3, 0.3, 0.4], [0.5, 0.25, 0.25]])
logits = np.array([[1.0, 2.0, -1.0], [0.5, -0.5, 0.0], [2.0, 1.0, 0.5]])


def focal(t, probs, alpha=0.25, gamma=2.0, smoothing=0.0):
    if smoothing:
        t = t * (1 - smoothing) + smoothing / t.shape[-1]
    p = np.clip(probs / probs.sum(-1, keepdims=True), e, 1 - e)
    return (alpha * (1 - p) ** gamma * -t * np.log(p)).sum(-1)


def softmax(x):
    z = np.exp(x - x.max(-1, keepdims=True))
    return z / z.sum(-1, keepdims=True)


print("focal default", focal(yt, yp))
print("focal alpha 0.5 gamma 1 smoothing 0.1", focal(yt, yp, 0.5, 1.0, 0.1))
print("focal from logits", focal(yt, softmax(logits)))

labels = np.array([1, 2, 0])
py = yp[np.arange(3), labels]
print("gce q=0.5", (1 - py**0.5) / 0.5, "q=0.7", (1 - py**0.7) / 0.7)

st = np.array([[[1, 0], [1, 1]], [[0, 0], [1, 0]]], dtype=float)  # (2, 2, 2) masks
sp = np.array([[[0.9, 0.2], [0.6, 0.8]], [[0.1, 0.3], [0.7, 0.4]]])


def dice(t, p, axis=None):
    return 1 - 2 * (t * p).sum(axis) / (t.sum(axis) + p.sum(axis) + e)


def tversky(t, p, alpha=0.5, beta=0.5, axis=None):
    tp = (t * p).sum(axis)
    fp = ((1 - p) * t).sum(axis)
    fn = (p * (1 - t)).sum(axis)
    return 1 - tp / (tp + alpha * fp + beta * fn + e)


print("dice all", dice(st, sp), "dice axis (1, 2)", dice(st, sp, (1, 2)))
print("tversky all 0.7/0.3", tversky(st, sp, 0.7, 0.3), "tversky axis (1, 2) default", tversky(st, sp, axis=(1, 2)))

# circle: 6 L2-normalized embeddings of 3 classes
emb = np.array([[1.0, 0.2, 0.1], [0.9, 0.3, -0.1], [0.1, 1.0, 0.2], [0.2, 0.8, 0.4], [-0.3, 0.1, 1.0], [0.9, -0.2, 0.3]])
emb = emb / np.linalg.norm(emb, axis=1, keepdims=True)
lab = np.array([0, 0, 1, 1, 2, 0])


def circle(y, x, gamma=80.0, m=0.4, remove_diag=True):
    d = np.maximum(1 - x @ x.T, 0)
    pos = y[:, None] == y[None, :]
    neg = ~pos
    if remove_diag:
        pos = pos & ~np.eye(len(y), dtype=bool)
    ap = np.maximum((m + d) * pos, 0)
    an = np.maximum((1 + m - d) * neg, 0)
    sp_ = -gamma * ap * (m - d)
    sn_ = gamma * an * ((1 - m) - d)

    def lse(v, mask):  # log(sum(exp)) over the masked entries of each row; -inf for none
        return np.array([np.log(np.exp(r[k]).sum()) if k.any() else -np.inf for r, k in zip(v, mask)])

    return np.logaddexp(0, lse(sp_, pos) + lse(sn_, neg))


c = circle(lab, emb)
print("circle per sample", c, "mean over positive", c[c > 0].mean())
c2 = circle(lab, emb, 10.0, 0.25)
print("circle gamma 10 margin 0.25", c2, "mean over positive", c2[c2 > 0].mean(), "keep diagonal", circle(lab, emb, 10.0, 0.25, False))

# CTC against torch
torch.manual_seed(0)
ctc_logits = torch.tensor(np.round(np.random.RandomState(0).randn(2, 5, 4), 3), dtype=torch.float64, requires_grad=True)
ctc_labels = [[1, 2, 2], [3, 1, 0]]  # 0 pads the second sample's labels
targets = torch.tensor([1, 2, 2, 3, 1])
lp = torch.log_softmax(ctc_logits, -1).transpose(0, 1)
loss = torch.nn.functional.ctc_loss(lp, targets, torch.tensor([5, 5]), torch.tensor([3, 2]), blank=0, reduction="none", zero_infinity=False)
print("ctc logits", ctc_logits.detach().numpy().round(3).tolist())
print("ctc loss", loss.detach().numpy())
loss.sum().backward()
print("ctc grad of the sum", ctc_logits.grad.numpy().round(7).tolist())
