"""Forward references for the Keras 3 layers of issue 24 (test/layers/keras3_*.test.ts), computed
with PyTorch (float64, channels-first ops on permuted tensors; TensorFlow's 'same' padding done by
hand). Inputs and weights are formulas the tests repeat:
  seq(n, a) = [sin(0.7 i + a) for i in range(n)], reshaped row-major; weights in Keras's layouts.
Run `/usr/bin/python3 test/reference/keras3_layer_references.py` (python3-torch); the tests hold its output.
"""
import math
import torch
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)

def seq(shape, a=0.0):
    n = math.prod(shape)
    return torch.tensor([math.sin(0.7 * i + a) for i in range(n)]).reshape(shape)

def show(name, t):
    print(f"{name}: shape {list(t.shape)}")
    print("  [" + ", ".join(f"{v:.6f}" for v in t.flatten().tolist()) + "]")

def cl_to_cf(x):  # channels last -> first
    return x.permute(0, x.dim() - 1, *range(1, x.dim() - 1))

def cf_to_cl(x):
    return x.permute(0, *range(2, x.dim()), 1)

def same_pads(sizes, ks, ss, ds):
    pads = []
    for n, k, s, d in zip(sizes, ks, ss, ds):
        eff = (k - 1) * d + 1
        out = -(-n // s)
        total = max((out - 1) * s + eff - n, 0)
        pads.append((total // 2, total - total // 2))
    return pads

def conv_nd(x, w, strides, padding, dil):
    """x channels-last, w Keras [*k, in, out]."""
    r = x.dim() - 2
    xc = cl_to_cf(x)
    wc = w.permute(r + 1, r, *range(r))
    if padding == "same":
        pads = same_pads(x.shape[1:-1], w.shape[:r], strides, dil)
        flat = [p for pair in reversed(pads) for p in pair]
        xc = F.pad(xc, flat)
    fn = [F.conv1d, F.conv2d, F.conv3d][r - 1]
    return cf_to_cl(fn(xc, wc, stride=strides, dilation=dil))

def conv_transpose_nd(x, w, strides, padding):
    """w Keras [*k, filters, in]; Keras/TF output lengths and 'same' cropping."""
    r = x.dim() - 2
    xc = cl_to_cf(x)
    wc = w.permute(r + 1, r, *range(r))  # [in, out, *k]
    fn = [F.conv_transpose1d, F.conv_transpose2d, F.conv_transpose3d][r - 1]
    full = fn(xc, wc, stride=strides)
    for i in range(r):
        n, k, s = x.shape[1 + i], w.shape[i], strides[i]
        length = n * s if padding == "same" else n * s + max(k - s, 0)
        before = max(k - s, 0) // 2 if padding == "same" else 0
        ax = 2 + i
        full = full.narrow(ax, before, min(length, full.shape[ax] - before))
        if full.shape[ax] < length:
            pad_shape = list(full.shape); pad_shape[ax] = length - full.shape[ax]
            full = torch.cat([full, torch.zeros(pad_shape)], ax)
    return cf_to_cl(full)

# --- convolutions
x = seq([1, 4, 5, 3, 2]); w = seq([2, 3, 2, 2, 3], 1.0) * 0.5
show("Conv3D same strides [1,2,1]", conv_nd(x, w, (1, 2, 1), "same", (1, 1, 1)))
w = seq([2, 2, 2, 2, 2], 0.5) * 0.5
show("Conv3D valid dilation [1,2,1]", conv_nd(x, w, (1, 1, 1), "valid", (1, 2, 1)))

x = seq([1, 5, 2]); w = seq([3, 3, 2], 1.0) * 0.5
show("Conv1DTranspose valid strides 2", conv_transpose_nd(x, w, (2,), "valid"))
show("Conv1DTranspose same strides 2", conv_transpose_nd(x, w, (2,), "same"))
w = seq([4, 3, 2], 0.3) * 0.5
show("Conv1DTranspose same strides 3 kernel 4", conv_transpose_nd(x, w, (3,), "same"))

x = seq([1, 2, 3, 2, 2]); w = seq([2, 2, 3, 2, 2], 1.0) * 0.5
show("Conv3DTranspose same strides [2,1,2]", conv_transpose_nd(x, w, (2, 1, 2), "same"))
show("Conv3DTranspose valid strides [2,1,2]", conv_transpose_nd(x, w, (2, 1, 2), "valid"))

# depthwise 1-D: kernel [k, C, M]; output channel c*M + m
x = seq([1, 7, 3]); w = seq([3, 3, 2], 1.0) * 0.5
xc = cl_to_cf(x); pads = same_pads([7], [3], [2], [1])
wt = w.permute(1, 2, 0).reshape(6, 1, 3)
show("DepthwiseConv1D same strides 2 multiplier 2", cf_to_cl(F.conv1d(F.pad(xc, list(pads[0])), wt, stride=2, groups=3)))

x = seq([1, 8, 2]); dw = seq([3, 2, 2], 1.0) * 0.5; pw = seq([1, 4, 3], 2.0) * 0.5
d = F.conv1d(cl_to_cf(x), dw.permute(1, 2, 0).reshape(4, 1, 3), dilation=2, groups=2)
show("SeparableConv1D valid dilation 2", cf_to_cl(F.conv1d(d, pw.permute(2, 1, 0))))

# --- pooling
x = seq([1, 4, 5, 3, 2])
show("MaxPooling3D 2 valid", cf_to_cl(F.max_pool3d(cl_to_cf(x), 2)))
show("AveragePooling3D [2,2,1] strides 1 valid", cf_to_cl(F.avg_pool3d(cl_to_cf(x), (2, 2, 1), stride=1)))
show("AdaptiveAveragePooling1D 3", cf_to_cl(F.adaptive_avg_pool1d(cl_to_cf(seq([2, 7, 2])), 3)))
show("AdaptiveMaxPooling1D 3", cf_to_cl(F.adaptive_max_pool1d(cl_to_cf(seq([2, 7, 2])), 3)))
show("AdaptiveAveragePooling2D [3,4]", cf_to_cl(F.adaptive_avg_pool2d(cl_to_cf(seq([1, 5, 7, 2])), (3, 4))))
show("AdaptiveMaxPooling2D [3,4]", cf_to_cl(F.adaptive_max_pool2d(cl_to_cf(seq([1, 5, 7, 2])), (3, 4))))
show("AdaptiveAveragePooling3D [2,3,2]", cf_to_cl(F.adaptive_avg_pool3d(cl_to_cf(x), (2, 3, 2))))
show("AdaptiveMaxPooling3D [2,3,2]", cf_to_cl(F.adaptive_max_pool3d(cl_to_cf(x), (2, 3, 2))))

# --- normalization
x = seq([2, 5, 6]) * 2 + 0.3; gamma = seq([6], 1.0); beta = seq([6], 2.0)
show("GroupNormalization groups 3 eps 1e-3", cf_to_cl(F.group_norm(cl_to_cf(x), 3, gamma, beta, eps=1e-3)))
x = seq([2, 3, 4]) * 2 + 0.3; scale = seq([4], 1.0)
show("RMSNormalization eps 1e-6", x * torch.rsqrt(torch.mean(x * x, -1, keepdim=True) + 1e-6) * scale)
scale2 = seq([3, 4], 1.5)
show("RMSNormalization axis [1,2]", x * torch.rsqrt(torch.mean(x * x, (1, 2), keepdim=True) + 1e-6) * scale2)
show("UnitNormalization axis -1", F.normalize(x, dim=-1))

# --- PReLU: alpha per channel (sharedAxes [1]) through torch's own prelu on channels-first
x = seq([2, 3, 4]) * 2; alpha = seq([4], 1.0)
show("PReLU sharedAxes [1]", cf_to_cl(F.prelu(cl_to_cf(x), alpha)))

# --- EinsumDense
x = seq([2, 3, 4]); k = seq([4, 5], 1.0) * 0.5; b = seq([5], 2.0)
show("EinsumDense abc,cd->abd bias d", torch.einsum("abc,cd->abd", x, k) + b)
k = seq([4, 2, 3], 1.0) * 0.5; b = seq([2, 3], 2.0)
show("EinsumDense abc,cde->abde bias de", torch.einsum("abc,cde->abde", x, k) + b)
k = seq([3, 5], 0.4) * 0.5
show("EinsumDense ...b,bc->...c on [2,4,3]", torch.einsum("...b,bc->...c", seq([2, 4, 3]), k))
k = seq([4, 3, 2], 0.2) * 0.5
show("EinsumDense abc,cbd->abd (b shared)", torch.einsum("abc,cbd->abd", x, k))

# --- SpectralNormalization(Dense(3)), one power iteration from u0, as Keras 3's algorithm
x = seq([2, 4]); W = seq([4, 3], 1.0); b = seq([3], 2.0) * 0.1; u = seq([1, 3], 3.0)
v = u @ W.T; v = v / v.norm()
u = v @ W; u = u / u.norm()
sigma = (v @ W @ u.T).item()
show("SpectralNormalization Dense training output", x @ (W / sigma) + b)
show("SpectralNormalization Dense vector_u", u)
print(f"SpectralNormalization Dense largest singular value: {torch.linalg.svdvals(W)[0].item():.6f}")
