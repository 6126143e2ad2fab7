"""Forward references for keras-ts's recurrent and attention layers, computed with PyTorch
(Debian's python3-torch: nn.RNN, nn.LSTM, nn.GRU, nn.MultiheadAttention, the weights converted
from Keras's layouts) and, where PyTorch has no equivalent (GRU without reset_after, Keras's
Attention and AdditiveAttention, MultiHeadAttention with value_dim != key_dim), NumPy in float64.

Inputs and weights come from formulas the tests repeat: seq(n, a)[i] = sin(0.7 i + a), scaled.
Run `/usr/bin/python3 test/reference/recurrent_references.py > test/layers/recurrent_refs.ts`.
"""
import math
import numpy as np
import torch

torch.set_default_dtype(torch.float64)


def seq(n, a=0.0, scale=1.0):
    return np.array([scale * math.sin(0.7 * i + a) for i in range(n)])


B, T, F, U = 2, 5, 3, 4
x = seq(B * T * F, 0.5).reshape(B, T, F)
h0 = seq(B * U, 3.0, 0.5).reshape(B, U)
c0 = seq(B * U, 4.0, 0.5).reshape(B, U)


def weights(gates, bias_rows=1):
    g = gates * U
    kernel = seq(F * g, 0.3, 0.5).reshape(F, g)
    recurrent = seq(U * g, 1.1, 0.5).reshape(U, g)
    bias = seq(bias_rows * g, 2.0, 0.3).reshape((bias_rows, g) if bias_rows > 1 else (g,))
    return kernel, recurrent, bias


def t(a):
    return torch.tensor(a)


def lstm(inputs, init=None):
    k, r, b = weights(4)
    m = torch.nn.LSTM(F, U, batch_first=True)
    with torch.no_grad():
        # Keras gates i, f, c, o = PyTorch's i, f, g, o; PyTorch computes x W^T: transpose.
        m.weight_ih_l0.copy_(t(k.T)); m.weight_hh_l0.copy_(t(r.T))
        m.bias_ih_l0.copy_(t(b)); m.bias_hh_l0.zero_()
    state = None if init is None else (t(init[0])[None], t(init[1])[None])
    out, (h, c) = m(t(inputs), state)
    return out.detach().numpy(), h[0].detach().numpy(), c[0].detach().numpy()


def gru_torch_order(a):
    # Keras z, r, h -> PyTorch r, z, n along the last axis
    z, r, h = np.split(a, 3, axis=-1)
    return np.concatenate([r, z, h], axis=-1)


def gru(inputs, init=None):
    k, r, b = weights(3, bias_rows=2)
    m = torch.nn.GRU(F, U, batch_first=True)
    with torch.no_grad():
        m.weight_ih_l0.copy_(t(gru_torch_order(k).T)); m.weight_hh_l0.copy_(t(gru_torch_order(r).T))
        m.bias_ih_l0.copy_(t(gru_torch_order(b[0]))); m.bias_hh_l0.copy_(t(gru_torch_order(b[1])))
    out, h = m(t(inputs), None if init is None else t(init)[None])
    return out.detach().numpy(), h[0].detach().numpy()


def simple_rnn(inputs, nonlinearity='tanh'):
    k, r, b = weights(1)
    m = torch.nn.RNN(F, U, batch_first=True, nonlinearity=nonlinearity)
    with torch.no_grad():
        m.weight_ih_l0.copy_(t(k.T)); m.weight_hh_l0.copy_(t(r.T))
        m.bias_ih_l0.copy_(t(b)); m.bias_hh_l0.zero_()
    out, h = m(t(inputs))
    return out.detach().numpy(), h[0].detach().numpy()


def sigmoid(v):
    return 1 / (1 + np.exp(-v))


def gru_reset_before(inputs):
    """Keras's GRU with reset_after=False: hh = tanh(x W_h + b_h + (r * h) U_h), bias [3u]."""
    k, r, b = weights(3)
    h = np.zeros((B, U))
    outs = []
    for step in range(inputs.shape[1]):
        xw = inputs[:, step] @ k + b
        z = sigmoid(xw[:, :U] + h @ r[:, :U])
        rr = sigmoid(xw[:, U:2 * U] + h @ r[:, U:2 * U])
        hh = np.tanh(xw[:, 2 * U:] + (rr * h) @ r[:, 2 * U:])
        h = z * h + (1 - z) * hh
        outs.append(h)
    return np.stack(outs, 1), h


def bidirectional_lstm(inputs):
    """PyTorch's bidirectional LSTM = Keras's Bidirectional(LSTM) with merge 'concat': the backward
    layer gets the same formula weights, scaled by -1 (so the two differ)."""
    k, r, b = weights(4)
    m = torch.nn.LSTM(F, U, batch_first=True, bidirectional=True)
    with torch.no_grad():
        m.weight_ih_l0.copy_(t(k.T)); m.weight_hh_l0.copy_(t(r.T)); m.bias_ih_l0.copy_(t(b)); m.bias_hh_l0.zero_()
        m.weight_ih_l0_reverse.copy_(t(-k.T)); m.weight_hh_l0_reverse.copy_(t(-r.T)); m.bias_ih_l0_reverse.copy_(t(-b)); m.bias_hh_l0_reverse.zero_()
    out, _ = m(t(inputs))
    return out.detach().numpy()


# MultiHeadAttention: query [2, 3, 8], value [2, 4, 6], key [2, 4, 5]; 2 heads, key_dim 4.
E, H, K = 8, 2, 4
q_in = seq(2 * 3 * E, 0.2).reshape(2, 3, E)
v_in = seq(2 * 4 * 6, 0.9).reshape(2, 4, 6)
k_in = seq(2 * 4 * 5, 1.7).reshape(2, 4, 5)


def mha_weights(value_dim=K, q_dim=E, k_dim=6, v_dim=6, out_dim=E):
    wq = seq(q_dim * H * K, 0.1, 0.4).reshape(q_dim, H, K); bq = seq(H * K, 0.6, 0.1).reshape(H, K)
    wk = seq(k_dim * H * K, 1.3, 0.4).reshape(k_dim, H, K); bk = seq(H * K, 1.9, 0.1).reshape(H, K)
    wv = seq(v_dim * H * value_dim, 2.1, 0.4).reshape(v_dim, H, value_dim); bv = seq(H * value_dim, 2.6, 0.1).reshape(H, value_dim)
    wo = seq(H * value_dim * out_dim, 3.3, 0.3).reshape(H, value_dim, out_dim); bo = seq(out_dim, 3.8, 0.1)
    return wq, bq, wk, bk, wv, bv, wo, bo


def mha_numpy(query, value, key, w, mask=None, causal=False):
    wq, bq, wk, bk, wv, bv, wo, bo = w
    q = np.einsum('btd,dhk->bthk', query, wq) + bq
    k = np.einsum('bsd,dhk->bshk', key, wk) + bk
    v = np.einsum('bsd,dhk->bshk', value, wv) + bv
    scores = np.einsum('bshk,bthk->bhts', k, q / math.sqrt(K))
    allowed = np.ones(scores.shape, dtype=bool)
    if mask is not None:
        allowed &= mask[:, None]
    if causal:
        allowed &= np.tril(np.ones((query.shape[1], value.shape[1]), dtype=bool))[None, None]
    scores = np.where(allowed, scores, -1e9)
    p = np.exp(scores - scores.max(-1, keepdims=True)); p /= p.sum(-1, keepdims=True)
    p = np.where(allowed, p, 0.0)
    out = np.einsum('bhts,bshk->bthk', p, v)
    return np.einsum('bthk,hko->bto', out, wo) + bo, p


def mha_torch(query, value, key, w, mask=None):
    """PyTorch's MultiheadAttention with Keras's weights: in-proj rows = the [dim, heads*key_dim] kernels transposed."""
    wq, bq, wk, bk, wv, bv, wo, bo = w
    m = torch.nn.MultiheadAttention(E, H, batch_first=True, kdim=key.shape[-1], vdim=value.shape[-1])
    with torch.no_grad():
        m.q_proj_weight.copy_(t(wq.reshape(E, H * K).T)); m.k_proj_weight.copy_(t(wk.reshape(-1, H * K).T)); m.v_proj_weight.copy_(t(wv.reshape(-1, H * K).T))
        m.in_proj_bias.copy_(t(np.concatenate([bq.ravel(), bk.ravel(), bv.ravel()])))
        m.out_proj.weight.copy_(t(wo.reshape(H * K, E).T)); m.out_proj.bias.copy_(t(bo))
    attn_mask = None if mask is None else t(~np.repeat(mask, H, axis=0))
    out, p = m(t(query), t(key), t(value), attn_mask=attn_mask, average_attn_weights=False)
    return out.detach().numpy(), p.detach().numpy()


att_mask = np.array([[[1, 1, 0, 1], [1, 0, 0, 1], [1, 1, 1, 1]], [[0, 1, 1, 1], [1, 1, 1, 0], [1, 0, 1, 0]]], dtype=bool)


def softmax(s):
    p = np.exp(s - s.max(-1, keepdims=True))
    return p / p.sum(-1, keepdims=True)


# Attention (Luong) and AdditiveAttention (Bahdanau) on query [2, 3, 4], value [2, 5, 4] (key = value).
aq = seq(2 * 3 * 4, 0.4).reshape(2, 3, 4)
av = seq(2 * 5 * 4, 1.4).reshape(2, 5, 4)
value_mask = np.array([[1, 1, 1, 0, 0], [1, 1, 1, 1, 1]], dtype=bool)


def luong(scale=1.0, mask=None, causal=False):
    s = scale * np.einsum('btd,bsd->bts', aq, av)
    allowed = np.ones(s.shape, dtype=bool)
    if mask is not None:
        allowed &= mask[:, None, :]
    if causal:
        allowed &= np.tril(np.ones((3, 5), dtype=bool))[None]
    s = np.where(allowed, s, s - 1e9)
    p = softmax(s)
    return p @ av, p


def bahdanau(scale):
    s = np.tanh(aq[:, :, None, :] + av[:, None, :, :])
    s = (s * scale).sum(-1)
    p = softmax(s)
    return p @ av, p


def lit(a):
    flat = np.asarray(a, dtype=float).ravel()
    return '[' + ', '.join(f'{v:.8f}' for v in flat) + ']'


def main():
    refs = {}
    refs['lstm_seq'], refs['lstm_h'], refs['lstm_c'] = lstm(x)
    refs['lstm_init_seq'], refs['lstm_init_h'], refs['lstm_init_c'] = lstm(x, (h0, c0))
    back, refs['lstm_back_h'], _ = lstm(x[:, ::-1].copy())
    refs['lstm_back_seq'] = back
    refs['gru_seq'], refs['gru_h'] = gru(x)
    refs['gru_init_seq'], refs['gru_init_h'] = gru(x, h0)
    refs['gru_reset_before_seq'], refs['gru_reset_before_h'] = gru_reset_before(x)
    refs['rnn_seq'], refs['rnn_h'] = simple_rnn(x)
    refs['rnn_relu_seq'], _ = simple_rnn(x, 'relu')
    refs['bilstm_concat'] = bidirectional_lstm(x)
    w = mha_weights(k_dim=5)
    refs['mha_out'], refs['mha_scores'] = mha_torch(q_in, v_in, k_in, w)
    refs['mha_masked_out'], refs['mha_masked_scores'] = mha_torch(q_in, v_in, k_in, w, att_mask)
    np_out, _ = mha_numpy(q_in, v_in, k_in, w, att_mask)
    assert np.abs(np_out - refs['mha_masked_out']).max() < 1e-9, 'NumPy and PyTorch MHA disagree'
    w2 = mha_weights(value_dim=3, k_dim=6, out_dim=5)
    refs['mha_vdim_causal_out'], refs['mha_vdim_causal_scores'] = mha_numpy(q_in, v_in, v_in, w2, causal=True)
    refs['attention_out'], refs['attention_scores'] = luong()
    refs['attention_scaled_masked_out'], _ = luong(scale=0.7, mask=value_mask)
    refs['attention_causal_out'], _ = luong(causal=True)
    refs['additive_out'], refs['additive_scores'] = bahdanau(seq(4, 2.2, 0.5))
    print('// Generated by test/reference/recurrent_references.py (PyTorch ' + torch.__version__ + ', NumPy ' + np.__version__ + '); do not edit.')
    print('export const REF: Record<string, number[]> = {')
    for name, value in refs.items():
        print(f'  {name}: {lit(value)},')
    print('};')


main()
