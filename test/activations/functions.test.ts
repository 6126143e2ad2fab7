/**
 * Keras 3's activations as functions (`k.activations.mish(x)`) and by name in layers. Values from
 * test/reference/activation_references.py (PyTorch's functional ops, NumPy for sparse_plus,
 * sparse_sigmoid, sparsemax and squareplus); gradients against central finite differences.
 */
import * as tfc from '@tensorflow/tfjs-core';
import * as k from '../../src';
import { expectClose, expectNoLeak, testBackend } from '../helpers';

beforeAll(async () => {
  await k.setBackend(testBackend());
});

const A = k.activations;
const X = [-3.0, -1.5, -0.75, -0.25, 0.3, 0.9, 1.6, 4.0];
const G = [X.slice(0, 4), X.slice(4)];
const S = [[0.5, 1.7, -0.3, 1.2], [0.1, 0.2, 0.15, 0.05], [3.0, -1.0, 0.0, 2.9]];

type Fn = (x: tfc.Tensor) => tfc.Tensor;
// [label, function, input, reference]
const cases: Array<[string, Fn, number[] | number[][], number[]]> = [
  ['celu', (x) => A.celu(x), X, [-0.9502129316, -0.7768698399, -0.5276334473, -0.2211992169, 0.3, 0.9, 1.6, 4]],
  ['celu alpha 2', (x) => A.celu(x, 2), X, [-1.55373968, -1.055266895, -0.6254214424, -0.2350061948, 0.3, 0.9, 1.6, 4]],
  ['hardShrink', (x) => A.hardShrink(x), X, [-3, -1.5, -0.75, 0, 0, 0.9, 1.6, 4]],
  ['hardShrink 1', (x) => A.hardShrink(x, 1), X, [-3, -1.5, 0, 0, 0, 0, 1.6, 4]],
  ['hardTanh', (x) => A.hardTanh(x), X, [-1, -1, -0.75, -0.25, 0.3, 0.9, 1, 1]],
  ['logSigmoid', (x) => A.logSigmoid(x), X, [-3.048587352, -1.701413278, -1.136871006, -0.8259394199, -0.5543552445, -0.3411538747, -0.1839007409, -0.01814992792]],
  ['mish', (x) => A.mish(x), X, [-0.1456474613, -0.2980997422, -0.2764947145, -0.1299269637, 0.2080013723, 0.761205929, 1.512181027, 3.997412807]],
  ['softShrink', (x) => A.softShrink(x), X, [-2.5, -1, -0.25, 0, 0, 0.4, 1.1, 3.5]],
  ['softShrink 1', (x) => A.softShrink(x, 1), X, [-2, -0.5, 0, 0, 0, 0, 0.6, 3]],
  ['tanhShrink', (x) => A.tanhShrink(x), X, [-2.004945246, -0.5948517464, -0.1148510476, -0.005081337596, 0.008687387548, 0.1837021298, 0.6783314456, 3.0006707]],
  ['threshold 0.5 -2', (x) => A.threshold(x, 0.5, -2), X, [-2, -2, -2, -2, -2, 0.9, 1.6, 4]],
  ['gelu approximate', (x) => A.gelu(x, true), X, [-0.003637392082, -0.100428423, -0.1700394448, -0.1003246493, 0.1853709235, 0.7342284887, 1.512136962, 3.999929754]],
  ['elu alpha 0.5', (x) => A.elu(x, 0.5), X, [-0.4751064658, -0.3884349199, -0.2638167236, -0.1105996085, 0.3, 0.9, 1.6, 4]],
  ['relu slope 0.1 max 2 threshold 0.5', (x) => A.relu(x, { negativeSlope: 0.1, maxValue: 2, threshold: 0.5 }), X, [-0.35, -0.2, -0.125, -0.075, -0.02, 0.9, 1.6, 2]],
  ['relu max 6 threshold -1', (x) => A.relu(x, { maxValue: 6, threshold: -1 }), X, [0, 0, 0, 0, 0.3, 0.9, 1.6, 4]],
  ['relu slope 0.1', (x) => A.relu(x, { negativeSlope: 0.1 }), X, [-0.3, -0.15, -0.075, -0.025, 0.3, 0.9, 1.6, 4]],
  ['sparsePlus', (x) => A.sparsePlus(x), X, [0, 0, 0.015625, 0.140625, 0.4225, 0.9025, 1.6, 4]],
  ['sparseSigmoid', (x) => A.sparseSigmoid(x), X, [0, 0, 0.125, 0.375, 0.65, 0.95, 1, 1]],
  ['squareplus', (x) => A.squareplus(x), X, [0.3027756377, 0.5, 0.6930004682, 0.8827822185, 1.161187421, 1.54658561, 2.080624847, 4.236067977]],
  ['squareplus b 1', (x) => A.squareplus(x, 1), X, [0.08113883008, 0.1513878189, 0.25, 0.3903882032, 0.6720153254, 1.122681202, 1.743398113, 4.061552813]],
  ['glu', (x) => A.glu(x), G, [-0.9624639025, -0.6567352487, 0.2496055155, 0.883812411]],
  ['glu axis 0', (x) => A.glu(x, 0), G, [-1.72332755, -1.066424254, -0.6240137889, -0.2455034475]],
  ['sparsemax', (x) => A.sparsemax(x), S, [0, 0.75, 0, 0.25, 0.225, 0.325, 0.275, 0.175, 0.55, 0, 0, 0.45]],
  ['sparsemax axis 0', (x) => A.sparsemax(x, 0), S, [0, 1, 0.08333333333, 0, 0, 0, 0.5333333333, 0, 1, 0, 0.3833333333, 1]],
];

describe('values against PyTorch / NumPy', () => {
  test.each(cases)('%s', (_label, f, input, expected) => {
    const x = tfc.tensor(input);
    const y = f(x);
    expectClose(y, expected, 1e-5);
    expect(x.isDisposed).toBe(false);
    tfc.dispose([x, y]);
  });

  test('the Keras 2 names are the same functions as the layers use', () => {
    const x = tfc.tensor1d(X);
    const pairs: Array<[string, Fn]> = [
      ['relu', A.relu], ['sigmoid', A.sigmoid], ['softmax', A.softmax], ['log_softmax', A.logSoftmax], ['tanh', A.tanh],
      ['elu', A.elu], ['selu', A.selu], ['softplus', A.softplus], ['softsign', A.softsign], ['gelu', A.gelu],
      ['swish', A.swish], ['silu', A.silu], ['relu6', A.relu6], ['leaky_relu', A.leakyRelu], ['hard_sigmoid', A.hardSigmoid],
      ['hard_silu', A.hardSilu], ['hard_swish', A.hardSwish], ['exponential', A.exponential], ['linear', A.linear],
    ];
    for (const [name, f] of pairs) {
      const [a, b] = [f(x), A.getActivation(name, 'test')(x)];
      expectClose(a, Array.from(b.dataSync()), 0);
      tfc.dispose([a, b]);
    }
    tfc.dispose(x);
  });

  test('a few of the existing ones by hand on plain arrays', () => {
    // leaky_relu slope 0.2; hard_silu x relu6(x + 3) / 6; softmax over axis 0 of [[0, 0], [ln 3, 0]].
    const checks: Array<[tfc.Tensor, number[]]> = [
      [A.leakyRelu([-2, 3]), [-0.4, 3]],
      [A.leakyRelu([-2, 3], 0.5), [-1, 3]],
      [A.hardSilu([-4, -1, 1, 4]), [0, -1 / 3, 2 / 3, 4]],
      [A.softmax([[0, 0], [Math.log(3), 0]], 0), [0.25, 0.5, 0.75, 0.5]],
      [A.logSoftmax([0, Math.log(3)]), [Math.log(0.25), Math.log(0.75)]],
    ];
    for (const [y, e] of checks) expectClose(y, e, 1e-6);
    tfc.dispose(checks.map(([y]) => y));
  });
});

describe('gradients against central finite differences', () => {
  // loss = sum(w * f(x)), w a fixed ramp; no x lies within h of a kink.
  test.each(cases)('%s', (_label, f, input) => {
    const x = tfc.tensor(input);
    const w = tfc.add(tfc.mul(tfc.range(0, x.size / (f === cases[20][1] || f === cases[21][1] ? 2 : 1)), 0.3), 1);
    const loss = (t: tfc.Tensor): tfc.Scalar => tfc.sum(tfc.mul(tfc.reshape(f(t), [-1]), w));
    const g = tfc.grad(loss)(x);
    const xs = Array.from(x.dataSync());
    const h = 1e-2;
    const numeric = xs.map((_, i) => {
      const at = (d: number): number => {
        const shifted = xs.slice();
        shifted[i] += d;
        return tfc.tidy(() => loss(tfc.tensor(shifted, x.shape)).dataSync()[0]);
      };
      return (at(h) - at(-h)) / (2 * h);
    });
    expectClose(g, numeric, 3e-3);
    tfc.dispose([x, w, g]);
  });

  test('sparsemax gradient equals its Jacobian (NumPy)', () => {
    const x = tfc.tensor2d(S);
    const w = tfc.tensor1d([1, 2, 3, 4]);
    const g = tfc.grad((t: tfc.Tensor) => tfc.sum(tfc.mul(A.sparsemax(t), w)))(x);
    expectClose(g, [0, -1, 0, 1, -1.5, -0.5, 0.5, 1.5, -1.5, 0, 0, 1.5], 1e-5);
    tfc.dispose([x, w, g]);
  });
});

describe('by name in a Dense layer', () => {
  // Dense with an identity kernel and no bias: its output is the activation of the input, so the
  // references above apply. sparsemax gets x / 4 (support of three), glu halves the 8 units.
  const named: Array<[string, number[]]> = [
    ['celu', cases[0][3]], ['hard_shrink', cases[2][3]], ['hardTanh', cases[4][3]], ['log_sigmoid', cases[5][3]],
    ['mish', cases[6][3]], ['softShrink', cases[7][3]], ['tanh_shrink', cases[9][3]], ['sparse_plus', cases[16][3]],
    ['sparseSigmoid', cases[17][3]], ['squareplus', cases[18][3]], ['glu', cases[21][3]],
    ['sparsemax', [0, 0, 0, 0, 0, 0.01666666667, 0.1916666667, 0.7916666667]],
  ];
  test.each(named)('%s, and its config round trip, leaving no tensors', (name, expected) => {
    const before = tfc.memory().numTensors;
    const canonical = name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
    const x = tfc.tensor2d([name === 'sparsemax' ? X.map((v) => v / 4) : X]);
    const eye = tfc.eye(8);
    const dense = new k.layers.Dense({ units: 8, activation: name as k.activations.ActivationName, useBias: false });
    tfc.dispose(dense.apply(x));
    dense.setWeights([eye]);
    const config = dense.getConfig();
    expect(config.activation).toBe(canonical);
    const copy = k.layers.Dense.fromConfig(JSON.parse(JSON.stringify(config)));
    tfc.dispose(copy.apply(x));
    copy.setWeights([eye]);
    expect(copy.getConfig()).toEqual(config);
    const [y, z] = [dense.apply(x) as tfc.Tensor, copy.apply(x) as tfc.Tensor];
    expectClose(y, expected, 1e-5);
    expectClose(z, expected, 1e-5);
    tfc.dispose([x, eye, y, z]);
    dense.dispose();
    copy.dispose();
    expect(tfc.memory().numTensors).toBe(before);
  });

  test('an Activation layer by camelCase name', () => {
    const x = tfc.tensor1d(X);
    const y = new k.layers.Activation({ activation: 'tanhShrink' }).apply(x);
    expectClose(y, cases[9][3], 1e-5);
    tfc.dispose([x, y]);
  });

  test("'threshold' has no name (Keras gives it no defaults) and the refusal lists the new names", () => {
    expect(() => new k.layers.Dense({ units: 2, activation: 'threshold' as k.activations.ActivationName })).toThrow(/unknown activation 'threshold'.*'mish'.*'sparsemax'/);
  });
});

describe('errors', () => {
  test('glu refuses an odd axis with the fix', () => {
    expect(() => A.glu([[1, 2, 3]])).toThrow(/activations\.glu: the size of axis -1 must be even, got shape \[1, 3\]\. help:/);
  });
  test('an axis out of range is refused', () => {
    expect(() => A.softmax([1, 2], 1)).toThrow(/activations\.softmax: axis 1 is out of range for an input of rank 1\. help:/);
    expect(() => A.sparsemax([[1, 2]], -3)).toThrow(/help:/);
  });
});

describe('tensor memory', () => {
  const every: Array<[string, Fn]> = [
    ...cases.map(([label, f]): [string, Fn] => [label, f]),
    ...(['relu', 'sigmoid', 'softmax', 'logSoftmax', 'tanh', 'elu', 'selu', 'softplus', 'softsign', 'gelu', 'silu', 'relu6', 'leakyRelu', 'hardSigmoid', 'hardSilu', 'exponential', 'linear'] as const)
      .map((n): [string, Fn] => [n, (x) => (A[n] as Fn)(x)]),
  ];
  test.each(every)('%s leaves only its result, on a tensor and on an array, and under grad', async (_label, f) => {
    const input = _label.startsWith('glu') ? G : _label.startsWith('sparsemax') ? S : [X];
    const x = tfc.tensor(input);
    await expectNoLeak(() => tfc.dispose(f(x)));
    await expectNoLeak(() => tfc.dispose((f as (t: tfc.Tensor | number[][]) => tfc.Tensor)(input)));
    await expectNoLeak(() => tfc.dispose(tfc.grad((t: tfc.Tensor) => tfc.sum(f(t)))(x)));
    x.dispose();
  });
});

describe('serialize and deserialize, as Keras 3', () => {
  test('functions serialize to their Keras names', () => {
    expect(A.serialize(A.mish)).toBe('mish');
    expect(A.serialize(A.leakyRelu)).toBe('leaky_relu');
    expect(A.serialize(A.swish)).toBe('silu');
    expect(A.serialize(A.hardSwish)).toBe('hard_silu');
    expect(A.serialize(A.sparseSigmoid)).toBe('sparse_sigmoid');
    expect(A.serialize(A.threshold)).toBe('threshold');
    expect(A.serialize(A.getActivation('tanhShrink', 'test'))).toBe('tanh_shrink');
    expect(() => A.serialize((x: tfc.Tensor) => x)).toThrow(/activations\.serialize: .* help:/);
  });

  test('names and Keras configs deserialize to the activation with Keras defaults', () => {
    const x = tfc.tensor1d(X);
    const [a, b] = [A.deserialize('soft_shrink')(x), A.deserialize({ class_name: 'function', config: 'celu' })(x)];
    expectClose(a, cases[7][3], 1e-5);
    expectClose(b, cases[0][3], 1e-5);
    expect(() => A.deserialize('threshold')).toThrow(/activations\.deserialize: unknown activation 'threshold'.*help:/);
    tfc.dispose([x, a, b]);
  });
});
