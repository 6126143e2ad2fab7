"""Gradient references for keras-ts's LSTM and GRU sequence kernels (forward outputs, final states,
and the gradients of a fixed loss with respect to the inputs, kernels, biases and initial states),
computed with PyTorch's nn.LSTMCell and nn.GRUCell run step by step in float64 under autograd, the
weights converted from Keras's layouts; masked steps and go_backwards as Keras defines them (a
masked step keeps the states and repeats the previous output, zeros before the first real step;
go_backwards reads the sequence from its end and returns the outputs in that order).

Inputs and weights come from formulas the test repeats: seq(n, a)[i] = scale * sin(0.7 i + a).
Run `/usr/bin/python3 test/reference/recurrent_grad_references.py > test/layers/recurrent_grad_refs.ts`.
"""
import math
import numpy as np
import torch

torch.set_default_dtype(torch.float64)
B, T, F, U = 2, 5, 3, 4
MASK = np.array([[1, 1, 1, 0, 0], [0, 1, 1, 1, 1]], dtype=np.float64)


def seq(n, a=0.0, scale=1.0):
    return np.array([scale * math.sin(0.7 * i + a) for i in range(n)])


def weights(gates, bias_rows=1, sign=1.0):
    g = gates * U
    kernel = sign * seq(F * g, 0.3, 0.5).reshape(F, g)
    recurrent = sign * seq(U * g, 1.1, 0.5).reshape(U, g)
    bias = sign * seq(bias_rows * g, 2.0, 0.3).reshape((bias_rows, g) if bias_rows > 1 else (g,))
    return kernel, recurrent, bias


def leaf(a):
    return torch.tensor(np.ascontiguousarray(a), requires_grad=True)


def gru_torch(a):  # Keras z, r, h -> PyTorch r, z, n (last axis)
    z, r, h = np.split(a, 3, axis=-1)
    return np.concatenate([r, z, h], axis=-1)


def gru_keras(a):  # PyTorch r, z, n -> Keras z, r, h
    r, z, h = np.split(a, 3, axis=-1)
    return np.concatenate([z, r, h], axis=-1)


def run(cell, x, state, mask, go_backwards, zero_output_for_mask=False):
    """Keras's RNN loop over a PyTorch cell: the outputs [B, T, U] and the final states."""
    steps = list(range(T))[::-1] if go_backwards else list(range(T))
    prev_out = torch.zeros(B, U)
    outs = []
    for s in steps:
        new = cell(x[:, s], state)
        new = new if isinstance(new, tuple) else (new,)
        old = state if isinstance(state, tuple) else (state,)
        if mask is not None:
            m = torch.tensor(mask[:, s:s + 1])
            new = tuple(o + m * (n - o) for n, o in zip(new, old))
            prev_out = m * new[0] if zero_output_for_mask else prev_out + m * (new[0] - prev_out)
        else:
            prev_out = new[0]
        outs.append(prev_out)
        state = new if len(new) > 1 else new[0]
    return torch.stack(outs, 1), (state if isinstance(state, tuple) else (state,))


def lstm_case(mask=None, go_backwards=False, sign=1.0):
    k, r, b = weights(4, sign=sign)
    cell = torch.nn.LSTMCell(F, U)
    x, h0, c0 = leaf(seq(B * T * F, 0.5).reshape(B, T, F)), leaf(seq(B * U, 3.0, 0.5).reshape(B, U)), leaf(seq(B * U, 4.0, 0.5).reshape(B, U))
    with torch.no_grad():
        cell.weight_ih.copy_(torch.tensor(k.T)); cell.weight_hh.copy_(torch.tensor(r.T))
        cell.bias_ih.copy_(torch.tensor(b)); cell.bias_hh.zero_()
    out, (h, c) = run(cell, x, (h0, c0), mask, go_backwards)
    loss = (out * torch.tensor(seq(B * T * U, 5.0).reshape(B, T, U))).sum() + (h * torch.tensor(seq(B * U, 6.0).reshape(B, U))).sum() \
        + (c * torch.tensor(seq(B * U, 7.0).reshape(B, U))).sum()
    loss.backward()
    return {'out': out, 'h': h, 'c': c, 'loss': loss, 'dx': x.grad, 'dkernel': cell.weight_ih.grad.T, 'drecurrent': cell.weight_hh.grad.T,
            'dbias': cell.bias_ih.grad, 'dh0': h0.grad, 'dc0': c0.grad}


def gru_case(mask=None, go_backwards=False, initial=True):
    k, r, b = weights(3, bias_rows=2)
    cell = torch.nn.GRUCell(F, U)
    x, h0 = leaf(seq(B * T * F, 0.5).reshape(B, T, F)), leaf(seq(B * U, 3.0, 0.5).reshape(B, U) if initial else np.zeros((B, U)))
    with torch.no_grad():
        cell.weight_ih.copy_(torch.tensor(gru_torch(k).T)); cell.weight_hh.copy_(torch.tensor(gru_torch(r).T))
        cell.bias_ih.copy_(torch.tensor(gru_torch(b[0]))); cell.bias_hh.copy_(torch.tensor(gru_torch(b[1])))
    out, (h,) = run(cell, x, h0, mask, go_backwards)
    loss = (out * torch.tensor(seq(B * T * U, 5.0).reshape(B, T, U))).sum() + (h * torch.tensor(seq(B * U, 6.0).reshape(B, U))).sum()
    loss.backward()
    g = lambda v: torch.tensor(gru_keras(v.detach().numpy()))
    refs = {'out': out, 'h': h, 'loss': loss, 'dx': x.grad, 'dkernel': g(cell.weight_ih.grad.T), 'drecurrent': g(cell.weight_hh.grad.T),
            'dbias': torch.stack([g(cell.bias_ih.grad), g(cell.bias_hh.grad)])}
    if initial:
        refs['dh0'] = h0.grad
    return refs


def bidirectional_case():
    """Bidirectional(LSTM, merge 'concat', return_sequences) over x with a mask: the backward layer's
    weights are the formula's times -1; both layers start from zeros and, as Keras's Bidirectional sets
    zero_output_for_mask to return_sequences, output zeros at masked steps. Loss = sum(outputs * seq(B T 2U, 8))."""
    x = leaf(seq(B * T * F, 0.5).reshape(B, T, F))
    layers, outs = [], []
    for sign, back in [(1.0, False), (-1.0, True)]:
        k, r, b = weights(4, sign=sign)
        cell = torch.nn.LSTMCell(F, U)
        with torch.no_grad():
            cell.weight_ih.copy_(torch.tensor(k.T)); cell.weight_hh.copy_(torch.tensor(r.T))
            cell.bias_ih.copy_(torch.tensor(b)); cell.bias_hh.zero_()
        out, _ = run(cell, x, (torch.zeros(B, U), torch.zeros(B, U)), MASK, back, zero_output_for_mask=True)
        # Keras's Bidirectional reverses the backward layer's sequence back to time order.
        outs.append(out.flip(1) if back else out)
        layers.append(cell)
    both = torch.cat(outs, 2)
    loss = (both * torch.tensor(seq(B * T * 2 * U, 8.0).reshape(B, T, 2 * U))).sum()
    loss.backward()
    return {'out': both, 'loss': loss, 'dx': x.grad, 'dkernel_fw': layers[0].weight_ih.grad.T, 'drecurrent_fw': layers[0].weight_hh.grad.T,
            'dkernel_bw': layers[1].weight_ih.grad.T, 'dbias_bw': layers[1].bias_ih.grad}


def lit(v):
    a = np.asarray(v.detach().numpy() if torch.is_tensor(v) else v, dtype=np.float64).ravel()
    return '[' + ', '.join(f'{e:.8f}' for e in a) + ']'


def main():
    cases = {
        'lstm': lstm_case(),
        'lstm_masked_back': lstm_case(MASK, True),
        'gru': gru_case(),
        'gru_masked': gru_case(MASK, False, initial=False),
        'gru_masked_back': gru_case(MASK, True),
        'bilstm_masked': bidirectional_case(),
    }
    print('// Generated by test/reference/recurrent_grad_references.py (PyTorch ' + torch.__version__ + ', NumPy ' + np.__version__ + '); do not edit.')
    print('export const GRAD_REF: Record<string, Record<string, number[]>> = {')
    for name, refs in cases.items():
        print(f'  {name}: {{')
        for key, value in refs.items():
            print(f'    {key}: {lit(value)},')
        print('  },')
    print('};')


main()
