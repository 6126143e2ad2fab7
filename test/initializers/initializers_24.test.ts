/**
 * Issue 24's initializers and regularizer: Identity (by hand), STFT (against SciPy's windows and
 * Keras's formula, test/reference/init_reg_references_24.py), deserializeInitializer (Keras's dict),
 * OrthogonalRegularizer (NumPy, same script); config round trips, leak counts, refusals.
 */
import * as tfc from '@tensorflow/tfjs-core';
import * as k from '../../src';
import { expectClose, expectNoLeak, testBackend } from '../helpers';

// Printed by test/reference/init_reg_references_24.py (float64).
const REF: Record<string, number[]> = {
  stft_real_hann: [0.0000000000, 0.0000000000, 0.0000000000, 0.7071067812, 0.0000000000, -0.7071067812, 0.7071067812, -0.7071067812, 0.7071067812, 0.0000000000, -0.0000000000, -0.0000000000],
  stft_imag_hamming_periodic_spectrum: [0.0000000000, 0.0000000000, 0.0000000000, 0.0000000000, 0.0000000000, 0.0000000000, -0.0000000000, -0.2500000000, -0.0000000000, -0.0000000000, -0.2500000000, -0.0000000000, -0.0000000000, -0.0000000000, 0.0000000000, -0.0000000000, -0.0000000000, 0.0000000000, -0.0000000000, 0.2500000000, -0.0000000000, -0.0000000000, 0.2500000000, -0.0000000000],
  stft_real_hamming_periodic: [0.0518084299, 0.0518084299, 0.0518084299, 0.0518084299, 0.2007576657, 0.1003788328, -0.1003788328, -0.2007576657, 0.4986561373, -0.2493280687, -0.2493280687, 0.4986561373, 0.6476053732, -0.6476053732, 0.6476053732, -0.6476053732, 0.4986561373, -0.2493280687, -0.2493280687, 0.4986561373, 0.2007576657, 0.1003788328, -0.1003788328, -0.2007576657],
  stft_blackman: [-0.0000000000, -0.0000000000, 0.3064182399, -0.3064182399, 0.9012301174, 0.9012301174, 0.3064182399, -0.3064182399, -0.0000000000, -0.0000000000],
  stft_bartlett_periodic: [0.0000000000, 0.0000000000, 0.4082482905, -0.4082482905, 0.8164965809, 0.8164965809, 0.4082482905, -0.4082482905],
  orthogonal_rows: [0.0380084900],
  orthogonal_columns: [0.0460680593],
};

beforeAll(async () => {
  await k.setBackend(testBackend());
});

const I = k.initializers;
const flat = (t: tfc.Tensor): number[] => {
  const out = Array.from(t.dataSync());
  t.dispose();
  return out;
};

test('Identity: gain · eye, also non-square; 2-D only', () => {
  expect(flat(new I.Identity({ gain: 2 }).call([2, 3], 'float32'))).toEqual([2, 0, 0, 0, 2, 0]);
  expect(flat(new I.Identity().call([3, 2], 'float32'))).toEqual([1, 0, 0, 1, 0, 0]);
  expect(() => new I.Identity().call([2, 2, 2], 'float32')).toThrow(/2-D matrices only, got shape \[2,2,2\].*help:/);
  const dense = new k.layers.Dense({ units: 3, kernelInitializer: 'identity', useBias: false });
  const x = tfc.tensor2d([[1, 2, 3]]);
  const y = dense.apply(x) as tfc.Tensor;
  expectClose(y, [[1, 2, 3]]);
  tfc.dispose([x, y]);
  dense.dispose();
});

test.each([
  ['stft_real_hann', [4, 1, 3], {}],
  ['stft_imag_hamming_periodic_spectrum', [4, 2, 3], { side: 'imag', window: 'hamming', periodic: true, scaling: 'spectrum' }],
  ['stft_real_hamming_periodic', [6, 1, 4], { window: 'hamming', periodic: true }],
  ['stft_blackman', [5, 1, 2], { window: 'blackman' }],
  ['stft_bartlett_periodic', [4, 1, 2], { window: 'bartlett', periodic: true }],
] as Array<[string, number[], k.initializers.STFTArgs]>)('STFT %s against SciPy', (name, shape, args) => {
  expectClose(flat(new I.STFT(args).call(shape, 'float32')), REF[name], 1e-6);
});

test('STFT: a window given as values, none, and refusals', () => {
  // no window: plain cos(-2π t f / 4)
  expectClose(flat(new I.STFT({ window: null }).call([2, 1, 3], 'float32')), [1, 1, 1, 1, 0, -1], 1e-6);
  // values [1, 1] with density scaling: divided by sqrt(2)
  expectClose(flat(new I.STFT({ window: [1, 1] }).call([2, 1, 2], 'float32')), [1 / Math.SQRT2, 1 / Math.SQRT2, 1 / Math.SQRT2, -1 / Math.SQRT2], 1e-6);
  expect(() => new I.STFT({ window: 'kaiser' as k.initializers.StftWindow })).toThrow(/unknown window 'kaiser'.*help:/);
  expect(() => new I.STFT({ window: [1, 2, 3] }).call([2, 1, 2], 'float32')).toThrow(/3 values, but the frame length is 2.*help:/);
  expect(() => new I.STFT({ side: 'both' as 'real' })).toThrow(/side.*help:/);
});

test("by name, config round trips, and Keras's serialized dicts", () => {
  expect(I.getInitializer('stft', 't')).toBeInstanceOf(I.STFT);
  expect(I.getInitializer('identity', 't')).toBeInstanceOf(I.Identity);
  const stft = new I.STFT({ side: 'imag', window: 'hamming', periodic: true, scaling: null });
  expect(I.deserializeInitializer(I.serializeInitializer(stft)).getConfig()).toEqual(stft.getConfig());
  // keras.initializers.serialize(keras.initializers.Identity(gain=3.0)) in Keras 3.15
  const id = I.deserializeInitializer({ module: 'keras.initializers', class_name: 'Identity', config: { gain: 3.0 }, registered_name: null } as never);
  expect(id.getConfig()).toEqual({ gain: 3 });
  const st = k.saving.deserializeKerasObject({ module: 'keras.initializers', class_name: 'STFT', config: { side: 'real', window: 'hann', periodic: false, scaling: null }, registered_name: null }) as k.initializers.STFT;
  expect(st.scaling).toBeNull();
  expect(st).toBeInstanceOf(I.STFT);
  expect(() => I.deserializeInitializer({} as never)).toThrow(/expected \{className, config\}.*help:/);
});

describe('OrthogonalRegularizer', () => {
  const X = [[1.0, 2.0, 0.5], [-0.3, 1.0, 2.0], [0.7, -1.2, 0.4], [0.2, 0.1, -0.9]];

  test('rows and columns against NumPy; 0 for orthogonal rows', () => {
    const x = tfc.tensor2d(X);
    expectClose(flat(new k.regularizers.OrthogonalRegularizer({ factor: 0.1 }).call(x)), REF.orthogonal_rows, 1e-6);
    expectClose(flat(new k.regularizers.OrthogonalRegularizer({ factor: 0.2, mode: 'columns' }).call(x)), REF.orthogonal_columns, 1e-6);
    const eye = tfc.tensor2d([[3, 0], [0, -2]]);
    expectClose(flat(k.regularizers.orthogonalRegularizer(1).call(eye)), [0], 1e-7);
    tfc.dispose([x, eye]);
  });

  test('in a Dense layer, by name, saved and refused', async () => {
    const reg = k.regularizers.getRegularizer('orthogonal_regularizer', 't');
    expect(reg).toBeInstanceOf(k.regularizers.OrthogonalRegularizer);
    const spec = k.regularizers.serializeRegularizer(new k.regularizers.OrthogonalRegularizer({ factor: 0.3, mode: 'columns' }));
    expect(k.regularizers.deserializeRegularizer(spec)?.getConfig()).toEqual({ factor: 0.3, mode: 'columns' });
    const dense = new k.layers.Dense({ units: 2, kernelRegularizer: new k.regularizers.OrthogonalRegularizer({ factor: 0.5 }) });
    const back = k.layers.Dense.fromConfig(dense.getConfig()) as k.layers.Dense;
    expect((back.getConfig().kernelRegularizer as { config: unknown }).config).toEqual({ factor: 0.5, mode: 'rows' });
    const v = tfc.ones([2, 2, 2]);
    expect(() => new k.regularizers.OrthogonalRegularizer().call(v)).toThrow(/rank 2, got shape \[2,2,2\].*help:/);
    v.dispose();
    expect(() => new k.regularizers.OrthogonalRegularizer({ mode: 'diag' as 'rows' })).toThrow(/mode.*'rows' or 'columns'.*help:/);
  });
});

test('leak no tensors', async () => {
  const x = tfc.tensor2d([[1, 2], [3, 4]]);
  await expectNoLeak(() => {
    new I.STFT().call([8, 1, 5], 'float32').dispose();
    new I.Identity().call([3, 3], 'float32').dispose();
    new k.regularizers.OrthogonalRegularizer().call(x).dispose();
  });
  x.dispose();
});
