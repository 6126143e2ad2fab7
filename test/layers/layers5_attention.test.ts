/**
 * GroupQueryAttention against Keras's einsums written out in PyTorch (test/reference/layers5_references.py,
 * numbers in layers5_refs.ts): grouped heads, the gate, the sliding window and the causal mask;
 * gradients against central differences; weights as Keras names them; .keras/.h5; leaks; refusals.
 */
import * as tfc from '@tensorflow/tfjs-core';
import * as k from '../../src';
import { expectClose, expectNoLeak, testBackend } from '../helpers';
import { checkGradients, expectModelRoundTrip, seq } from './layers5_helpers';
import { LAYERS5_REFS } from './layers5_refs';

const L = k.layers;

beforeAll(async () => {
  await k.setBackend(testBackend());
});

/** The reference's weights: for the i-th projection, kernel seq(kshape, 1 + i, 0.5) and bias seq(bshape, 5 + i, 0.3). */
function referenceWeights(layer: k.Layer): tfc.Tensor[] {
  const shapes = layer.weights.map((w) => w.shape);
  const out: tfc.Tensor[] = [];
  for (let i = 0; i < shapes.length / 2; i++) out.push(seq(shapes[2 * i], 1 + i, 0.5), seq(shapes[2 * i + 1], 5 + i, 0.3));
  return out;
}

test('4 query heads over 2 key/value heads: output and scores equal the reference', () => {
  const layer = new L.GroupQueryAttention(2, 4, 2);
  const [q, v] = [seq([2, 3, 4], 0), seq([2, 5, 4], 0.5)];
  tfc.dispose(layer.apply([q, v]));
  expect(layer.weights.map((w) => [w.name.split('/').slice(-2).join('/'), w.shape])).toEqual([
    ['query/kernel', [4, 4, 2]], ['query/bias', [4, 2]], ['key/kernel', [4, 2, 2]], ['key/bias', [2, 2]],
    ['value/kernel', [4, 2, 2]], ['value/bias', [2, 2]], ['attention_output/kernel', [4, 2, 4]], ['attention_output/bias', [4]],
  ]);
  const w = referenceWeights(layer);
  layer.setWeights(w);
  const [y, scores] = layer.apply([q, v], { returnAttentionScores: true });
  expect(y.shape).toEqual(LAYERS5_REFS['GroupQueryAttention 4/2 heads'].shape);
  expectClose(y, LAYERS5_REFS['GroupQueryAttention 4/2 heads'].values, 1e-5);
  expect(scores.shape).toEqual([2, 4, 3, 5]);
  expectClose(scores, LAYERS5_REFS['GroupQueryAttention 4/2 heads scores'].values, 1e-5);
  tfc.dispose([q, v, y, scores, ...w]);
  layer.dispose();
});

test('the gate, a sliding window of 2 and the causal mask together equal the reference', () => {
  const layer = new L.GroupQueryAttention({ headDim: 2, numQueryHeads: 3, numKeyValueHeads: 1, useGate: true, slidingWindow: 2 });
  const x = seq([2, 4, 6], 0.2);
  tfc.dispose(layer.apply([x, x]));
  expect(layer.weights.map((w) => w.name.split('/').slice(-2)[0])).toEqual(['query', 'query', 'key', 'key', 'gate', 'gate', 'value', 'value', 'attention_output', 'attention_output']);
  const w = referenceWeights(layer);
  layer.setWeights(w);
  const [y, scores] = layer.apply([x, x], { returnAttentionScores: true, useCausalMask: true });
  expectClose(y, LAYERS5_REFS['GroupQueryAttention gate, window 2, causal'].values, 1e-5);
  expectClose(scores, LAYERS5_REFS['GroupQueryAttention gate, window 2, causal scores'].values, 1e-5);
  const symbolic = layer.apply([k.Input({ shape: [4, 6] }), k.Input({ shape: [4, 6] })]);
  expect(symbolic.shape).toEqual([null, 4, 6]);
  tfc.dispose([x, y, scores, ...w]);
  layer.dispose();
});

test('gradients of every projection and the inputs equal central differences', () => {
  k.utils.setRandomSeed(4);
  const layer = new L.GroupQueryAttention(2, 2, 1, { useGate: true, biasInitializer: 'random_normal' });
  const q = tfc.variable(seq([1, 3, 4], 0.3));
  const v = tfc.variable(seq([1, 2, 4], 0.9));
  checkGradients('GroupQueryAttention', () => layer.apply([q, v], { useCausalMask: true }), [...layer.trainableWeights.map((w) => w.value), q, v]);
  tfc.dispose([q, v]);
  layer.dispose();
});

test('no leaks, in training with dropout and in inference; masks carry through', async () => {
  const layer = new L.GroupQueryAttention(2, 4, 2, { dropout: 0.3, seed: 1 });
  const x = seq([2, 3, 4]);
  const mask = tfc.tensor2d([[1, 1, 0], [1, 0, 0]], [2, 3], 'bool');
  tfc.dispose(layer.apply([x, x]));
  await expectNoLeak(() => tfc.dispose(layer.apply([x, x], { training: true })));
  await expectNoLeak(() => tfc.dispose(layer.apply([x, x], { mask: [null, mask], useCausalMask: true })));
  const [, scores] = layer.apply([x, x], { mask: [null, mask], returnAttentionScores: true });
  expectClose(tfc.slice(scores, [1, 0, 0, 1], [1, 4, 3, 2]), new Array(24).fill(0)); // the masked value steps get no weight
  tfc.dispose([x, mask, scores]);
  layer.dispose();
});

test('config round trip and refusals', () => {
  const layer = new L.GroupQueryAttention(4, 4, 2, { slidingWindow: 3, useGate: true, dropout: 0.1 });
  const config = layer.getConfig();
  expect(config).toMatchObject({ headDim: 4, numQueryHeads: 4, numKeyValueHeads: 2, useBias: true, useGate: true, slidingWindow: 3, dropout: 0.1 });
  expect(new L.GroupQueryAttention(config as never).getConfig()).toEqual({ ...config, name: expect.any(String) });
  expect(() => new L.GroupQueryAttention(2, 3, 2)).toThrow(/`numQueryHeads` \(3\) must be a multiple of `numKeyValueHeads` \(2\)\. help:/);
  expect(() => new L.GroupQueryAttention(2, 4, 2, { slidingWindow: 0 })).toThrow(/`slidingWindow` must be a positive integer, got 0.*help:/);
  expect(() => new L.GroupQueryAttention(2, 4, 2).apply([seq([1, 2, 3]), seq([1, 2, 4])])).toThrow(/same last dimension.*help:/);
  layer.dispose();
});

test('a self-attention model round-trips through .keras and .h5', async () => {
  k.utils.setRandomSeed(2);
  const q = k.Input({ shape: [3, 4] });
  const gqa = new L.GroupQueryAttention(2, 4, 2, { biasInitializer: 'random_normal', useGate: true, slidingWindow: 2 });
  const x = seq([2, 3, 4]);
  await expectModelRoundTrip(new k.Model({ inputs: q, outputs: gqa.apply([q, q]) }), x);
  x.dispose();
});
