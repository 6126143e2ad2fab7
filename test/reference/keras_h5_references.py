"""The predictions of test/fixtures/keras-h5/simple_lstm_tf_keras_2_model.h5 for the inputs
saved beside it, computed in NumPy (float64) from the file's weights with Keras 2's LSTM formula
(hard_sigmoid = clip(0.2 x + 0.5, 0, 1), gates i, f, c, o). That fixture's `outputs/dense_1` holds
the training targets, not Keras's predictions (the other fixtures have `predictions/`), so the test
compares with these instead. Run `/usr/bin/python3 test/reference/keras_h5_references.py`.
"""
import os
import h5py
import numpy as np

here = os.path.dirname(os.path.abspath(__file__))
d = os.path.join(here, '..', 'fixtures', 'keras-h5')
w = h5py.File(os.path.join(d, 'simple_lstm_tf_keras_2_model.h5'), 'r')['model_weights']
K = w['lstm_1/lstm_1/kernel:0'][()].astype(np.float64)
R = w['lstm_1/lstm_1/recurrent_kernel:0'][()].astype(np.float64)
b = w['lstm_1/lstm_1/bias:0'][()].astype(np.float64)
Dk = w['dense_1/dense_1/kernel:0'][()].astype(np.float64)
Db = w['dense_1/dense_1/bias:0'][()].astype(np.float64)
x = h5py.File(os.path.join(d, 'simple_lstm_tf_keras_2_inputs_and_outputs.h5'), 'r')['inputs/lstm_1_input'][()].astype(np.float64)


def hard_sigmoid(z):
    return np.clip(0.2 * z + 0.5, 0, 1)


U = R.shape[0]
h = np.zeros((x.shape[0], U))
c = np.zeros_like(h)
for t in range(x.shape[1]):
    z = x[:, t] @ K + h @ R + b
    i, f, g, o = hard_sigmoid(z[:, :U]), hard_sigmoid(z[:, U:2 * U]), np.tanh(z[:, 2 * U:3 * U]), hard_sigmoid(z[:, 3 * U:])
    c = f * c + i * g
    h = o * np.tanh(c)
pred = h @ Dk + Db
print('[' + ', '.join(f'{v:.7f}' for v in pred.ravel()) + ']')
