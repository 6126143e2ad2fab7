"""References for the layers the applications added (test/layers/application_layers.test.ts), in NumPy:
Conv2D with groups (valid padding, stride 1) as `groups` separate convolutions, channels last;
hard_silu(x) = x * relu6(x + 3) / 6.
Input: x[i] = sin(0.3 i) reshaped to [1, 3, 3, 4]; kernels k[i] = cos(0.2 i) reshaped to
[2, 2, 4 / groups, filters]; bias 0.
Run `python3 test/reference/application_layers_reference.py`.
"""
import numpy as np

x = np.sin(0.3 * np.arange(36)).reshape(1, 3, 3, 4)


def grouped_conv(x, k, groups):
    kh, kw, cin_g, cout = k.shape
    out_g = cout // groups
    h, w = x.shape[1] - kh + 1, x.shape[2] - kw + 1
    y = np.zeros((1, h, w, cout))
    for g in range(groups):
        xs = x[..., g * cin_g:(g + 1) * cin_g]
        ks = k[..., g * out_g:(g + 1) * out_g]
        for i in range(h):
            for j in range(w):
                y[0, i, j, g * out_g:(g + 1) * out_g] = np.tensordot(xs[0, i:i + kh, j:j + kw, :], ks, axes=3)
    return y


for groups, filters in [(2, 4), (4, 8)]:
    k = np.cos(0.2 * np.arange(2 * 2 * (4 // groups) * filters)).reshape(2, 2, 4 // groups, filters)
    print(f'groups={groups} filters={filters}', [round(float(v), 6) for v in grouped_conv(x, k, groups).ravel()])
v = np.array([-4.0, -1.0, 0.0, 1.0, 4.0])
print('hard_silu', [round(float(t), 6) for t in v * np.clip(v + 3, 0, 6) / 6])
