/**
 * Gradients of every layer with weights, against central finite differences. Most layers are
 * linear in their weights (activation 'linear'), so the differences are exact up to float32
 * rounding; for Dense with a nonlinear activation the step is small enough for the tolerance.
 */
import * as tfc from '@tensorflow/tfjs-core';
import * as k from '../../src';
import { testedBackends } from '../helpers';

const seq = (n: number, a = 0): number[] => Array.from({ length: n }, (_, i) => Math.sin(0.7 * i + a));
const size = (s: number[]): number => s.reduce((p, q) => p * q, 1);

type Case = [string, () => k.Layer, number[]];
const cases: Case[] = [
  ['Dense', () => new k.layers.Dense({ units: 3 }), [2, 4]],
  ['Dense sigmoid', () => new k.layers.Dense({ units: 3, activation: 'sigmoid' }), [3, 4]],
  ['Dense relu', () => new k.layers.Dense({ units: 3, activation: 'relu' }), [3, 4]],
  ['Dense relu6 without bias', () => new k.layers.Dense({ units: 3, activation: 'relu6', useBias: false, kernelInitializer: 'he_normal' }), [3, 4]],
  ['Dense elu', () => new k.layers.Dense({ units: 3, activation: 'elu' }), [3, 4]],
  ['Dense on 3-D input', () => new k.layers.Dense({ units: 2, activation: 'sigmoid' }), [2, 3, 4]],
  ['Conv1D causal', () => new k.layers.Conv1D({ filters: 2, kernelSize: 3, padding: 'causal', dilationRate: 2 }), [2, 7, 3]],
  ['Conv2D same stride 2', () => new k.layers.Conv2D({ filters: 3, kernelSize: 3, strides: 2, padding: 'same' }), [2, 5, 6, 2]],
  ['Conv2D dilated', () => new k.layers.Conv2D({ filters: 2, kernelSize: 2, dilationRate: 2 }), [1, 5, 5, 2]],
  ['Conv2DTranspose', () => new k.layers.Conv2DTranspose({ filters: 2, kernelSize: 3, strides: 2, padding: 'same' }), [1, 3, 4, 2]],
  ['DepthwiseConv2D', () => new k.layers.DepthwiseConv2D({ kernelSize: 3, depthMultiplier: 2, padding: 'same' }), [1, 4, 5, 2]],
  ['SeparableConv2D', () => new k.layers.SeparableConv2D({ filters: 3, kernelSize: 2 }), [1, 4, 4, 2]],
  ['BatchNormalization', () => new k.layers.BatchNormalization(), [5, 3]],
  ['LayerNormalization', () => new k.layers.LayerNormalization(), [3, 4]],
  ['Embedding', () => new k.layers.Embedding({ inputDim: 5, outputDim: 3 }), [2, 3]],
  ['LSTM (sequences)', () => new k.layers.LSTM({ units: 3, returnSequences: true }), [2, 4, 3]],
  ['LSTM (last output, goBackwards)', () => new k.layers.LSTM({ units: 3, goBackwards: true }), [2, 4, 3]],
  ['GRU', () => new k.layers.GRU({ units: 3, returnSequences: true }), [2, 4, 3]],
  ['GRU resetAfter false', () => new k.layers.GRU({ units: 3, returnSequences: true, resetAfter: false }), [2, 4, 3]],
  ['SimpleRNN', () => new k.layers.SimpleRNN({ units: 3, returnSequences: true }), [2, 4, 3]],
  ['Bidirectional(GRU)', () => new k.layers.Bidirectional({ layer: new k.layers.GRU({ units: 2, returnSequences: true }) }), [2, 3, 2]],
  ['TimeDistributed(Dense)', () => new k.layers.TimeDistributed({ layer: new k.layers.Dense({ units: 2, activation: 'sigmoid' }) }), [2, 3, 2]],
];

describe.each(testedBackends())('on %s', (backend) => {
  beforeAll(async () => {
    await k.setBackend(backend);
  });

  test.each(cases)('%s', (_name, make, shape) => {
    k.utils.setRandomSeed(3); // fixed weights: no pre-activation lands on a relu kink by chance
    const layer = make();
    const isEmbedding = layer instanceof k.layers.Embedding;
    const x = isEmbedding ? tfc.tensor(seq(size(shape)).map((v) => Math.floor((v + 1) * 2.4)), shape) : tfc.tensor(seq(size(shape)), shape);
    tfc.dispose(layer.apply(x, { training: true }));
    const out = layer.apply(x, { training: true });
    const r = tfc.tensor(seq(out.size, 2.0), out.shape);
    out.dispose();
    const weights = layer.trainableWeights;
    const loss = (): tfc.Scalar => tfc.sum(tfc.mul(layer.apply(x, { training: true }), r)) as tfc.Scalar;
    const { grads } = tfc.variableGrads(loss, weights.map((w) => w.value));
    const eps = 1e-2;
    for (const w of weights) {
      const analytic = Array.from(grads[w.value.name].dataSync());
      const base = Array.from(w.value.dataSync());
      const at = (i: number, delta: number): number => {
        const v = base.slice();
        v[i] += delta;
        const t = tfc.tensor(v, w.shape);
        w.value.assign(t);
        t.dispose();
        return tfc.tidy(() => loss().dataSync()[0]);
      };
      // every coordinate for small weights, a spread sample for larger ones
      const step = Math.max(1, Math.floor(base.length / 24));
      for (let i = 0; i < base.length; i += step) {
        const numeric = (at(i, eps) - at(i, -eps)) / (2 * eps);
        expect(Math.abs(numeric - analytic[i])).toBeLessThan(2e-3 * Math.max(1, Math.abs(analytic[i])));
      }
      const restore = tfc.tensor(base, w.shape);
      w.value.assign(restore);
      restore.dispose();
    }
    tfc.dispose([x, r, ...Object.values(grads)]);
    layer.dispose();
  });
});
