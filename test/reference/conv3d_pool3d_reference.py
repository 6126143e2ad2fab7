"""Reference values for the native 3-D kernels (issue 23, zero fallbacks): PyTorch's conv3d,
max_pool3d and avg_pool3d with autograd, in float64, with tfjs's NDHWC layout and filters
[kd, kh, kw, c, f] transposed around them, and tfjs's 'same' padding (total = (out - 1) * stride +
effective filter - in, the smaller half before) written out with F.pad: -inf for max pooling; for
average pooling the window's sum over its count of real cells (a pooled mask of ones), which is
TensorFlow's rule. Inputs and the upstream gradients come from match_cpu.ts's random(shape, seed)
(a 32-bit LCG), rebuilt here bit for bit.

Run `/usr/bin/python3 test/reference/conv3d_pool3d_reference.py > test/backend/native/conv3d_pool3d_references.ts`.
"""
import math

import numpy as np
import torch
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)


def random(shape, seed):
    """match_cpu.ts's random(): s = seed * 2654435761; s = s * 1664525 + 1013904223 (mod 2^32); s / 2^31 - 1 in float32."""
    n = int(np.prod(shape))
    s = (seed * 2654435761) & 0xFFFFFFFF
    out = np.empty(n, dtype=np.float32)
    for i in range(n):
        s = (s * 1664525 + 1013904223) & 0xFFFFFFFF
        out[i] = np.float32(s / 2**31 - 1)
    return out.astype(np.float64).reshape(shape)


def pads(in_sizes, k, strides, dilations, pad):
    """tfjs's output sizes and [(before, after)] per spatial axis."""
    out, p = [], []
    for n, kk, s, d in zip(in_sizes, k, strides, dilations):
        eff = (kk - 1) * d + 1
        if pad == 'valid':
            out.append(math.ceil((n - eff + 1) / s))
            p.append((0, 0))
        else:
            o = math.ceil(n / s)
            total = max((o - 1) * s + eff - n, 0)
            out.append(o)
            p.append((total // 2, total - total // 2))
    return out, p


def torch_pad(p):
    return [v for before_after in reversed(p) for v in before_after]  # F.pad: last axis first


def ncdhw(a):
    return torch.tensor(a).permute(0, 4, 1, 2, 3).contiguous().requires_grad_(True)


def ndhwc(t):
    return t.detach().permute(0, 2, 3, 4, 1).contiguous().numpy()


def conv_case(x_shape, f_shape, strides, pad, dilations, grads=True):
    x, f = ncdhw(random(x_shape, 11)), torch.tensor(random(f_shape, 12)).permute(4, 3, 0, 1, 2).contiguous().requires_grad_(True)
    _, p = pads(x_shape[1:4], f_shape[:3], strides, dilations, pad)
    y = F.conv3d(F.pad(x, torch_pad(p)), f, stride=strides, dilation=dilations)
    y_ndhwc = ndhwc(y)
    case = dict(x=x_shape, filter=f_shape, strides=strides, pad=pad, dilations=dilations, yShape=list(y_ndhwc.shape), y=y_ndhwc, dx=[], dfilter=[])
    if grads:
        w = torch.tensor(random(list(y_ndhwc.shape), 13)).permute(0, 4, 1, 2, 3)
        y.backward(w)
        case['dx'] = ndhwc(x.grad)
        case['dfilter'] = f.grad.permute(2, 3, 4, 1, 0).numpy()
    return case


def pool_case(kind, x_shape, size, strides, pad):
    x = ncdhw(random(x_shape, 14))
    _, p = pads(x_shape[1:4], size, strides, [1, 1, 1], pad)
    if kind == 'max':
        y = F.max_pool3d(F.pad(x, torch_pad(p), value=-math.inf), size, strides)
    else:
        sums = F.avg_pool3d(F.pad(x, torch_pad(p)), size, strides, divisor_override=1)
        counts = F.avg_pool3d(F.pad(torch.ones_like(x), torch_pad(p)), size, strides, divisor_override=1)
        y = sums / counts.detach()
    y_ndhwc = ndhwc(y)
    w = torch.tensor(random(list(y_ndhwc.shape), 15)).permute(0, 4, 1, 2, 3)
    y.backward(w)
    return dict(x=x_shape, size=size, strides=strides, pad=pad, yShape=list(y_ndhwc.shape), y=y_ndhwc, dx=ndhwc(x.grad))


CONV = {
    'same, strides [1, 2, 1]': conv_case([1, 4, 5, 4, 2], [2, 3, 2, 2, 3], [1, 2, 1], 'same', [1, 1, 1]),
    'valid, strides [2, 1, 2]': conv_case([2, 5, 4, 5, 2], [3, 2, 2, 2, 2], [2, 1, 2], 'valid', [1, 1, 1]),
    'same, strides 2 (uneven padding)': conv_case([1, 4, 5, 6, 1], [3, 2, 3, 1, 2], [2, 2, 2], 'same', [1, 1, 1]),
    'dilations [2, 1, 2], same (forward only)': conv_case([1, 5, 4, 5, 2], [2, 2, 2, 2, 2], [1, 1, 1], 'same', [2, 1, 2], grads=False),
}
POOL = {
    'max [2, 3, 2], strides [2, 2, 1], same': pool_case('max', [1, 5, 7, 4, 2], [2, 3, 2], [2, 2, 1], 'same'),
    'avg [2, 3, 2], strides [2, 2, 1], same': pool_case('avg', [1, 5, 7, 4, 2], [2, 3, 2], [2, 2, 1], 'same'),
    'max 2x2x2, strides 2, valid': pool_case('max', [2, 4, 5, 5, 2], [2, 2, 2], [2, 2, 2], 'valid'),
    'max [3, 2, 3], strides [1, 3, 2], valid': pool_case('max', [1, 4, 6, 5, 2], [3, 2, 3], [1, 3, 2], 'valid'),
    'avg [3, 2, 3], strides [1, 3, 2], valid': pool_case('avg', [1, 4, 6, 5, 2], [3, 2, 3], [1, 3, 2], 'valid'),
    'avg [3, 3, 3], stride 1, same': pool_case('avg', [1, 3, 4, 3, 2], [3, 3, 3], [1, 1, 1], 'same'),
}


def fmt(v):
    if isinstance(v, np.ndarray):
        return '[' + ', '.join(f'{x:.7g}' for x in v.reshape(-1)) + ']'
    if isinstance(v, list):
        return '[' + ', '.join(fmt(x) for x in v) + ']'
    return repr(v) if isinstance(v, str) else str(v)


def emit(name, cases):
    print(f'  {name}: {{')
    for key, case in cases.items():
        print(f'    {fmt(key)}: {{')
        for field, v in case.items():
            print(f'      {field}: {fmt(v)},')
        print('    },')
    print('  },')


print('/** PyTorch\'s values for conv3d_pool3d.test.ts, printed by test/reference/conv3d_pool3d_reference.py (do not edit). */')
print('/* eslint-disable max-len */')
print('export const TORCH = {')
emit('conv', CONV)
emit('pool', POOL)
print('};')
