/**
 * The layer pieces the applications needed: Conv2D's `groups` (ConvNeXt's depthwise convolution),
 * LayerScale, StochasticDepth, Rescaling by channel, Normalization with given statistics (no
 * weights, as Keras 3), and the 'hard_silu' activation (MobileNetV3's hard swish); values from
 * test/reference/application_layers_reference.py (NumPy).
 */
import * as tfc from '@tensorflow/tfjs-core';
import * as k from '../../src';
import { expectClose, expectNoLeak, testBackend } from '../helpers';

const L = k.layers;
const seq = (n: number, f: (i: number) => number) => Array.from({ length: n }, (_, i) => f(i));

beforeAll(async () => {
  await k.setBackend(testBackend());
});

describe('Conv2D groups', () => {
  // python3 test/reference/application_layers_reference.py
  test.each([
    [2, 4, [-0.470745, -1.244222, -0.223469, -1.068751, 2.880341, 2.285336, 2.863258, 2.470751, -1.026394, -0.183342, -1.197488, -0.398542, -3.302015, -3.033311, -3.166355, -3.148172]],
    [4, 8, [0.327387, -0.066507, 0.040088, -0.386731, -0.354349, -0.7864, -0.757815, -1.16058, 1.882333, 1.643824, 1.579011, 1.314716, 1.321159, 1.05998, 1.186067, 0.941085, -1.130971, -0.732268, -0.778747, -0.343941, -0.370467, 0.066651, -0.013929, 0.394275, -1.856401, -1.788498, -1.668615, -1.588785, -1.580296, -1.506281, -1.627471, -1.556861]],
  ])('groups %d, %d filters equal NumPy, inside a model too (no fusion)', async (groups, filters, expected) => {
    const x = tfc.tensor(seq(36, (i) => Math.sin(0.3 * i)), [1, 3, 3, 4]);
    const conv = new L.Conv2D({ filters, kernelSize: 2, groups });
    conv.apply(x);
    const kernelShape = [2, 2, 4 / groups, filters];
    expect(conv.weights[0].shape).toEqual(kernelShape);
    conv.setWeights([tfc.tensor(seq(16 * filters / groups, (i) => Math.cos(0.2 * i)), kernelShape), tfc.zeros([filters])]);
    await expectNoLeak(() => {
      const y = conv.apply(x) as tfc.Tensor;
      expectClose(y, expected, 1e-4);
      y.dispose();
    });
    const input = k.Input({ shape: [3, 3, 4] });
    const model = new k.Model({ inputs: input, outputs: conv.apply(input) as k.SymbolicTensor });
    const y = model.predict(x) as tfc.Tensor;
    expectClose(y, expected, 1e-4);
    expect(L.Conv2D.fromConfig(conv.getConfig()).getConfig()).toEqual(conv.getConfig());
    tfc.dispose([x, y]);
  });

  test('groups must divide the filters and the channels', () => {
    expect(() => new L.Conv2D({ filters: 6, kernelSize: 1, groups: 4 })).toThrow(/filters \(6\) must be a multiple of groups \(4\).*help:/);
    expect(() => new L.Conv2D({ filters: 4, kernelSize: 1, groups: 4 }).apply(k.Input({ shape: [3, 3, 6] }))).toThrow(/6 channels must be a multiple of groups \(4\)/);
  });
});

describe('LayerScale and StochasticDepth', () => {
  test('LayerScale multiplies each channel by gamma (initValues), trainable, and round-trips its config', async () => {
    const layer = new L.LayerScale({ initValues: 0.5, projectionDim: 3, name: 'ls' });
    const x = tfc.tensor([[1, 2, 3], [4, 5, 6]]);
    tfc.dispose(layer.apply(x) as tfc.Tensor); // the first call creates gamma
    await expectNoLeak(() => {
      const y = layer.apply(x) as tfc.Tensor;
      expectClose(y, [0.5, 1, 1.5, 2, 2.5, 3]);
      y.dispose();
    });
    expect(layer.trainableWeights.map((w) => w.name)).toEqual(['ls/gamma']);
    expect(L.LayerScale.fromConfig(layer.getConfig()).getConfig()).toEqual(layer.getConfig());
    expect(() => new L.LayerScale({ initValues: 1e-6, projectionDim: 4 }).apply(x)).toThrow(/3 channels, projectionDim is 4.*help:/);
    x.dispose();
  });

  test('StochasticDepth: identity in inference; in training whole samples are zero or scaled by 1/keep', async () => {
    const layer = new L.StochasticDepth({ dropPathRate: 0.5 });
    const x = tfc.ones([64, 2, 3]);
    await expectNoLeak(() => {
      const inference = layer.apply(x) as tfc.Tensor;
      expectClose(inference, new Array(384).fill(1));
      const out = layer.apply(x, { training: true }) as tfc.Tensor;
      const trained = out.arraySync() as number[][][];
      out.dispose();
      const kept = trained.filter((row) => row.flat().every((v) => Math.abs(v - 2) < 1e-6)).length;
      const dropped = trained.filter((row) => row.flat().every((v) => v === 0)).length;
      expect(kept + dropped).toBe(64);
      expect(kept).toBeGreaterThan(10);
      expect(dropped).toBeGreaterThan(10);
      inference.dispose();
    }, 0);
    expect(() => new L.StochasticDepth({ dropPathRate: 1 })).toThrow(/dropPathRate.*\[0, 1\).*help:/);
    x.dispose();
  });
});

describe('Rescaling, Normalization and hard_silu as the applications use them', () => {
  test('Rescaling takes one scale per channel', () => {
    const x = tfc.tensor([[[[1, 1, 1]]]]);
    const y = new L.Rescaling({ scale: [1, 2, 4], offset: [0, 1, 0] }).apply(x) as tfc.Tensor;
    expectClose(y, [1, 3, 4]);
    tfc.dispose([x, y]);
  });

  test('a Normalization with given mean and variance has no weights (Keras 3) and still normalises', () => {
    const layer = new L.Normalization({ mean: [1, 2], variance: [4, 16], axis: -1 });
    const x = tfc.tensor([[3, 10]]);
    const y = layer.apply(x) as tfc.Tensor;
    expectClose(y, [1, 2]);
    expect(layer.weights).toHaveLength(0);
    expect(() => layer.adapt([[1, 2]])).toThrow(/were given as options.*help:/);
    tfc.dispose([x, y]);
  });

  test("'hard_silu' (alias 'hard_swish') is x * relu6(x + 3) / 6", () => {
    const x = tfc.tensor([-4, -1, 0, 1, 4]);
    for (const name of ['hard_silu', 'hard_swish'] as const) {
      const y = new L.Activation({ activation: name }).apply(x) as tfc.Tensor;
      expectClose(y, [-0.0, -0.333333, 0.0, 0.666667, 4.0], 1e-5);
      y.dispose();
    }
    x.dispose();
  });
});
