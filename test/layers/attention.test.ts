/**
 * MultiHeadAttention against PyTorch's nn.MultiheadAttention (Keras's weights converted) and
 * NumPy; Attention and AdditiveAttention against NumPy (test/reference/recurrent_references.py).
 */
import * as tfc from '@tensorflow/tfjs-core';
import * as k from '../../src';
import type { LayerConfig } from '../../src/engine/layer';
import { expectClose } from '../helpers';
import { REF } from './recurrent_refs';

const L = k.layers;
const seq = (n: number, a = 0, scale = 1): number[] => Array.from({ length: n }, (_, i) => scale * Math.sin(0.7 * i + a));
const t = (shape: number[], a: number, scale = 1): tfc.Tensor => tfc.tensor(seq(shape.reduce((p, q) => p * q, 1), a, scale), shape);
const [E, H, K] = [8, 2, 4];
const query = (): tfc.Tensor => t([2, 3, E], 0.2);
const value = (): tfc.Tensor => t([2, 4, 6], 0.9);
const key = (): tfc.Tensor => t([2, 4, 5], 1.7);
/** The reference script's MHA weights, in Keras's order and shapes. */
function mhaWeights(valueDim = K, qDim = E, kDim = 6, vDim = 6, outDim = E): tfc.Tensor[] {
  return [
    t([qDim, H, K], 0.1, 0.4), t([H, K], 0.6, 0.1),
    t([kDim, H, K], 1.3, 0.4), t([H, K], 1.9, 0.1),
    t([vDim, H, valueDim], 2.1, 0.4), t([H, valueDim], 2.6, 0.1),
    t([H, valueDim, outDim], 3.3, 0.3), t([outDim], 3.8, 0.1),
  ];
}
const attentionMask = (): tfc.Tensor => tfc.tensor3d([[[1, 1, 0, 1], [1, 0, 0, 1], [1, 1, 1, 1]], [[0, 1, 1, 1], [1, 1, 1, 0], [1, 0, 1, 0]]], undefined, 'bool');

describe.each(['cpu', 'wasm'] as k.BackendName[])('on %s', (backend) => {
  beforeAll(async () => {
    await k.setBackend(backend);
  });

  test('MultiHeadAttention: output and per-head scores as PyTorch nn.MultiheadAttention, with and without an attention mask', () => {
    const mha = new L.MultiHeadAttention({ numHeads: H, keyDim: K });
    tfc.dispose(mha.apply([query(), value(), key()]));
    expect(mha.weights.map((w) => w.shape)).toEqual([[E, H, K], [H, K], [5, H, K], [H, K], [6, H, K], [H, K], [H, K, E], [E]]);
    mha.setWeights(mhaWeights(K, E, 5));
    const [out, scores] = mha.apply([query(), value(), key()], { returnAttentionScores: true });
    expect(scores.shape).toEqual([2, H, 3, 4]);
    expectClose(out, REF.mha_out, 1e-5);
    expectClose(scores, REF.mha_scores, 1e-5);
    const [masked, maskedScores] = mha.apply([query(), value(), key()], { returnAttentionScores: true, attentionMask: attentionMask() });
    expectClose(masked, REF.mha_masked_out, 1e-5);
    expectClose(maskedScores, REF.mha_masked_scores, 1e-5);
  });

  test('MultiHeadAttention: valueDim != keyDim, outputShape and a causal mask as NumPy', () => {
    const mha = new L.MultiHeadAttention({ numHeads: H, keyDim: K, valueDim: 3, outputShape: 5 });
    tfc.dispose(mha.apply([query(), value()]));
    mha.setWeights(mhaWeights(3, E, 6, 6, 5));
    const [out, scores] = mha.apply([query(), value()], { returnAttentionScores: true, useCausalMask: true });
    expect(out.shape).toEqual([2, 3, 5]);
    expectClose(out, REF.mha_vdim_causal_out, 1e-5);
    expectClose(scores, REF.mha_vdim_causal_scores, 1e-5);
  });

  test('Attention (dot, scaled, masked, causal) and AdditiveAttention as NumPy', () => {
    const q = t([2, 3, 4], 0.4);
    const v = t([2, 5, 4], 1.4);
    const [out, scores] = new L.Attention().apply([q, v], { returnAttentionScores: true });
    expectClose(out, REF.attention_out, 1e-5);
    expectClose(scores, REF.attention_scores, 1e-5);
    const scaled = new L.Attention({ useScale: true });
    tfc.dispose(scaled.apply([q, v]));
    scaled.setWeights([tfc.scalar(0.7)]);
    const valueMask = tfc.tensor2d([[1, 1, 1, 0, 0], [1, 1, 1, 1, 1]], undefined, 'bool');
    expectClose(scaled.apply([q, v], { mask: [null, valueMask] }), REF.attention_scaled_masked_out, 1e-5);
    expectClose(new L.Attention().apply([q, v], { useCausalMask: true }), REF.attention_causal_out, 1e-5);
    const additive = new L.AdditiveAttention();
    tfc.dispose(additive.apply([q, v]));
    additive.setWeights([t([4], 2.2, 0.5)]);
    const [aOut, aScores] = additive.apply([q, v], { returnAttentionScores: true });
    expectClose(aOut, REF.additive_out, 1e-5);
    expectClose(aScores, REF.additive_scores, 1e-5);
  });

  test('MultiHeadAttention gradients against finite differences', () => {
    k.utils.setRandomSeed(6);
    const mha = new L.MultiHeadAttention({ numHeads: 2, keyDim: 2, valueDim: 3 });
    const q = t([2, 3, 4], 0.3);
    const v = t([2, 2, 5], 1.2);
    const mask = tfc.tensor3d([[[1, 0], [1, 1], [0, 1]], [[1, 1], [1, 0], [1, 1]]], undefined, 'bool');
    const r = t([2, 3, 4], 2.0);
    const loss = (): tfc.Scalar => tfc.sum(tfc.mul(mha.apply([q, v], { attentionMask: mask }), r)) as tfc.Scalar;
    tfc.dispose(tfc.tidy(loss));
    const { grads } = tfc.variableGrads(loss, mha.trainableWeights.map((w) => w.value));
    const eps = 1e-2;
    for (const w of mha.trainableWeights) {
      const analytic = grads[w.value.name].dataSync();
      const base = Array.from(w.value.dataSync());
      const at = (i: number, d: number): number => {
        const moved = base.slice();
        moved[i] += d;
        w.value.assign(tfc.tensor(moved, w.shape));
        return tfc.tidy(() => loss().dataSync()[0]);
      };
      for (let i = 0; i < base.length; i += Math.max(1, Math.floor(base.length / 8))) {
        const numeric = (at(i, eps) - at(i, -eps)) / (2 * eps);
        expect(Math.abs(numeric - analytic[i])).toBeLessThan(2e-3 * Math.max(1, Math.abs(analytic[i])));
      }
      w.value.assign(tfc.tensor(base, w.shape));
    }
    tfc.dispose(Object.values(grads));
  });
});

describe('attention in models', () => {
  beforeAll(async () => {
    await k.setBackend('wasm');
  });

  test('query and value masks from Embedding({maskZero}) reach the attention; the output carries the query mask', async () => {
    k.utils.setRandomSeed(1);
    const ids = k.Input({ shape: [null] });
    const x = new L.Embedding({ inputDim: 10, outputDim: 8, maskZero: true }).apply(ids);
    const [attended, scores] = new L.MultiHeadAttention({ numHeads: 2, keyDim: 4 }).apply([x, x], { returnAttentionScores: true });
    const pooled = new L.GlobalAveragePooling1D().apply(attended);
    const model = new k.Model({ inputs: ids, outputs: [pooled, scores] });
    const padded = tfc.tensor2d([[3, 4, 5, 0, 0], [6, 7, 8, 9, 2]]);
    const [p, s] = model.predict(padded) as tfc.Tensor[];
    const sv = s.arraySync() as number[][][][];
    // padded key steps get no attention; the pooled output ignores padded query steps
    for (let h = 0; h < 2; h++) for (let i = 0; i < 3; i++) expect(sv[0][h][i][3] + sv[0][h][i][4]).toBe(0);
    const [alone] = model.predict(tfc.tensor2d([[3, 4, 5]])) as tfc.Tensor[];
    expectClose(tfc.slice(p, [0, 0], [1, 8]), Array.from(alone.dataSync()), 1e-5);
    model.dispose();
  });

  test('a functional model with a symbolic attention mask and a causal self-attention trains without leaking', async () => {
    k.utils.setRandomSeed(2);
    const inputs = k.Input({ shape: [4, 6] });
    const allowed = k.Input({ shape: [4, 4], dtype: 'bool' });
    const y1 = new L.MultiHeadAttention({ numHeads: 2, keyDim: 3, dropout: 0.1 }).apply([inputs, inputs], { attentionMask: allowed });
    const y2 = new L.MultiHeadAttention({ numHeads: 1, keyDim: 6 }).apply([y1, y1], { useCausalMask: true });
    const a = new L.Attention({ useScale: true, scoreMode: 'concat' }).apply([y2, inputs]);
    const b = new L.AdditiveAttention({ dropout: 0.1 }).apply([a, y2]);
    const out = new L.Dense({ units: 1 }).apply(new L.GlobalAveragePooling1D().apply(b));
    const model = new k.Model({ inputs: [inputs, allowed], outputs: out });
    model.compile({ optimizer: 'adam', loss: 'mse' });
    const xs = t([6, 4, 6], 0.5);
    const ms = tfc.cast(tfc.greater(t([6, 4, 4], 1.5), -0.5), 'bool');
    const ys = t([6, 1], 2.5);
    await model.fit([xs, ms], ys, { epochs: 1, batchSize: 3, verbose: 0 });
    const before = tfc.memory().numTensors;
    const history = await model.fit([xs, ms], ys, { epochs: 2, batchSize: 3, verbose: 0 });
    tfc.dispose(model.predict([xs, ms]));
    expect(tfc.memory().numTensors).toBe(before);
    expect(history.history.loss.every(Number.isFinite)).toBe(true);
    model.dispose();
  });

  test('config round trips and bad input', () => {
    for (const layer of [new L.MultiHeadAttention({ numHeads: 3, keyDim: 2, valueDim: 5, dropout: 0.2, outputShape: 7, useBias: false }), new L.Attention({ useScale: true, scoreMode: 'concat' }), new L.AdditiveAttention({ useScale: false })]) {
      const again = (layer.constructor as unknown as { fromConfig(c: LayerConfig): k.Layer }).fromConfig(layer.getConfig());
      expect(again.getConfig()).toEqual(layer.getConfig());
    }
    const mha = new L.MultiHeadAttention({ numHeads: 2, keyDim: 4 });
    expect(() => mha.apply(query())).toThrow(/apply it to \[query, value\] or \[query, value, key\], got 1 input.*help:/);
    expect(() => mha.apply([k.Input({ shape: [8] }), k.Input({ shape: [8] })])).toThrow(/query must be \(batch, steps, features\)/);
    expect(() => mha.apply([query(), value()], { attentionMask: tfc.ones([2, 3, 5], 'bool') })).toThrow(/attentionMask must be \[batch, query steps, key steps\] = \[2, 3, 4\], got \[2,3,5\]/);
    expect(() => mha.apply([query(), value()], { returnAttentionScore: true } as never)).toThrow(/unknown option 'returnAttentionScore'.*Did you mean 'returnAttentionScores'/);
    expect(() => new L.MultiHeadAttention({ numHeads: 2, keyDim: 4, attentionAxes: [1, 2] })).toThrow(/attention over axes \[1,2\] is not supported/);
    expect(() => new L.MultiHeadAttention({ numHeads: 0, keyDim: 4 })).toThrow(/`numHeads` must be a positive integer/);
    expect(() => new L.Attention({ scoreMode: 'add' as 'dot' })).toThrow(/unknown `scoreMode` 'add'/);
    expect(() => new L.Attention().apply([t([2, 3, 4], 0), t([2, 5, 3], 0)])).toThrow(/query and key of the same dim/);
  });
});
