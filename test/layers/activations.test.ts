import * as tfc from '@tensorflow/tfjs-core';
import * as k from '../../src';
import { expectClose, testBackend } from '../helpers';

beforeAll(async () => {
  await k.setBackend(testBackend());
});

// x = [-2, -0.5, 0, 1.5]; references from test/reference/make_references.py (act_*) or by hand.
const X = [-2, -0.5, 0, 1.5];
const cases: Array<[string, number[]]> = [
  ['linear', [-2, -0.5, 0, 1.5]],
  ['sigmoid', [0.1192029220, 0.3775406688, 0.5, 0.8175744762]],
  ['relu', [0, 0, 0, 1.5]],
  ['tanh', [-0.9640275801, -0.4621171573, 0, 0.9051482536]],
  ['elu', [-0.8646647168, -0.3934693403, 0, 1.5]],
  ['selu', [-1.5201664685, -0.6917581878, 0, 1.576051481]],
  ['softplus', [0.1269280110, 0.4740769842, 0.6931471806, 1.7014132779]],
  ['softsign', [-0.6666666667, -0.3333333333, 0, 0.6]],
  ['gelu', [-0.0455002639, -0.1542687694, 0, 1.3997891981]],
  ['swish', [-0.2384058440, -0.1887703344, 0, 1.2263617143]],
  ['silu', [-0.2384058440, -0.1887703344, 0, 1.2263617143]],
  ['relu6', [0, 0, 0, 1.5]],
  ['leaky_relu', [-0.4, -0.1, 0, 1.5]],
  ['leakyRelu', [-0.4, -0.1, 0, 1.5]],
  ['hard_sigmoid', [0.1666666667, 0.4166666667, 0.5, 0.75]],
];

test.each(cases)('%s', (name, expected) => {
  const layer = new k.layers.Activation({ activation: name as k.layers.ActivationArgs['activation'] });
  const x = tfc.tensor1d(X);
  const y = layer.apply(x);
  expectClose(y, expected, 1e-5);
  tfc.dispose([x, y]);
});

test('softmax over the last axis', () => {
  const x = tfc.tensor2d([[1, 2, 3], [0, 0, 0]]);
  const y = new k.layers.Activation({ activation: 'softmax' }).apply(x);
  expectClose(y, [[0.0900305732, 0.2447284711, 0.6652409558], [1 / 3, 1 / 3, 1 / 3]]);
  tfc.dispose([x, y]);
});
