"""References for issue 24's STFT initializer and OrthogonalRegularizer, written from Keras 3's
formulas (keras/src/initializers/constant_initializers.py, keras/src/regularizers/regularizers.py)
with SciPy's windows and NumPy, independently of keras-ts's code.
Run `python3 test/reference/init_reg_references_24.py`; test/initializers/initializers_24.test.ts holds the output.
"""
import numpy as np
import scipy.signal


def stft(shape, side="real", window="hann", scaling="density", periodic=False):
    T, C, F = shape
    win = scipy.signal.get_window(window, T, fftbins=periodic) if window is not None else None
    scale = 1.0
    if win is not None:
        scale = np.sqrt(np.sum(win ** 2)) if scaling == "density" else (np.sum(np.abs(win)) if scaling == "spectrum" else 1.0)
    freq = np.arange(F).reshape(1, 1, F) / ((F - 1) * 2)
    time = np.arange(T).reshape(T, 1, 1)
    args = -2 * time * freq * np.pi
    k = np.cos(args) if side == "real" else np.sin(args)
    k = np.broadcast_to(k, (T, C, F))
    if win is not None:
        k = k * win.reshape(T, 1, 1) / scale
    return k


def orthogonal(x, factor=0.01, mode="rows"):
    v = x if mode == "rows" else x.T
    v = v / np.linalg.norm(v, axis=1, keepdims=True)
    p = v @ v.T
    n = v.shape[0]
    return factor * 0.5 * np.sum(np.abs(p * (1 - np.eye(n)))) / (n * (n - 1) / 2)


def show(name, a):
    print(f"  {name}: [" + ", ".join(f"{v:.10f}" for v in np.ravel(a)) + "],")


show("stft_real_hann", stft((4, 1, 3)))
show("stft_imag_hamming_periodic_spectrum", stft((4, 2, 3), side="imag", window="hamming", periodic=True, scaling="spectrum"))
show("stft_real_hamming_periodic", stft((6, 1, 4), window="hamming", periodic=True))
show("stft_blackman", stft((5, 1, 2), window="blackman"))
show("stft_bartlett_periodic", stft((4, 1, 2), window="bartlett", periodic=True))
X = np.array([[1.0, 2.0, 0.5], [-0.3, 1.0, 2.0], [0.7, -1.2, 0.4], [0.2, 0.1, -0.9]])
show("orthogonal_rows", [orthogonal(X, 0.1)])
show("orthogonal_columns", [orthogonal(X, 0.2, "columns")])
