/**
 * Attention's masked softmax (ops/attention.ts's maskedSoftmax): on every backend the probabilities
 * and the gradient of sum(p * w) against PyTorch (test/reference/masked_softmax_reference.py, whose
 * formulas are repeated here), a mask broadcast over the heads and a row with nothing allowed; on
 * 'native', where it is one kernel each way, also against the where / softmax / where path on random
 * data split across threads, with a lower-rank mask.
 */
import * as tfc from '@tensorflow/tfjs-core';
import * as k from '../../src';
import { FusedKernel, hasKernel } from '../../src/engine/fused_kernels';
import { maskedSoftmax } from '../../src/ops/attention';
import { expectClose, testBackend } from '../helpers';

const onNative = testBackend() === 'native';

beforeAll(async () => {
  await k.setBackend(testBackend());
});

const scoresValues = Array.from({ length: 48 }, (_, i) => 2 * Math.sin(0.9 * i) + 0.1 * i);
const wValues = Array.from({ length: 48 }, (_, i) => Math.cos(0.4 * i));
const maskValues: boolean[] = [];
for (let b = 0; b < 2; b++) for (let t = 0; t < 3; t++) for (let s = 0; s < 4; s++) maskValues.push((b + t + s) % 3 !== 0 && !(b === 1 && t === 2));

// PyTorch 1.13, float64 (masked_softmax_reference.py).
const TORCH = {
  p: [0, 0.3820062, 0.6179938, 0, 0.2100065, 0.07960837, 0, 0.7103851, 0.5952457, 0, 0.3389578, 0.06579651, 0, 0.1556164, 0.8443836, 0, 0.7238195, 0.256392, 0, 0.01978841, 0.01421246, 0, 0.3968035, 0.5889841, 0.7473839, 0.145435, 0, 0.1071812, 0.09360962, 0, 0.676863, 0.2295274, 0, 0, 0, 0, 0.4013117, 0.5622108, 0, 0.03647748, 0.01545379, 0, 0.1678124, 0.8167339, 0, 0, 0, 0],
  dscores: [0, 0.05296499, -0.05296499, 0, 0.1426789, 0.02328185, 0, -0.1659607, -0.09659949, 0, 0.0618144, 0.03478509, 0, -0.04034624, 0.04034624, 0, 0.03359944, -0.01983649, 0, -0.01376295, 0.01069601, 0, 0.03451666, -0.04521267, -0.07913989, 0.005777711, 0, 0.07336217, -0.05743231, 0, 0.01849129, 0.03894103, 0, 0, 0, 0, 0.09096665, -0.07244751, 0, -0.01851914, -0.01238302, 0, -0.05106738, 0.0634504, 0, 0, 0, 0],
};

test('maskedSoftmax: probabilities and the scores\' gradient equal PyTorch\'s, the mask broadcast over heads, an empty row all 0', () => {
  const scores = tfc.tensor4d(scoresValues, [2, 2, 3, 4]);
  const w = tfc.tensor4d(wValues, [2, 2, 3, 4]);
  const mask = tfc.tensor4d(maskValues, [2, 1, 3, 4], 'bool');
  const start = tfc.memory().numTensors;
  const p = maskedSoftmax(scores, mask);
  expectClose(p, TORCH.p, 2e-6);
  const dscores = tfc.grad((s: tfc.Tensor) => tfc.sum(tfc.mul(maskedSoftmax(s, mask), w)))(scores);
  expectClose(dscores, TORCH.dscores, 2e-6);
  tfc.dispose([p, dscores]);
  expect(tfc.memory().numTensors).toBe(start);
  tfc.dispose([scores, w, mask]);
});

/** Keras's arithmetic as tfjs ops (the path other backends take), differentiated by tfjs. */
function byOps(scores: tfc.Tensor, mask: tfc.Tensor): tfc.Tensor {
  const full = tfc.logicalAnd(mask, tfc.ones(scores.shape, 'bool'));
  const p = tfc.softmax(tfc.where(full, scores, tfc.fill(scores.shape, -1e9)));
  return tfc.where(full, p, tfc.zerosLike(p));
}

(onNative ? describe : describe.skip)('on native (one kernel each way)', () => {
  test.each([
    ['[B, 1, T, S], broadcast over heads', [8, 1, 64, 48]],
    ['[T, S], of lower rank', [64, 48]],
    ['[B, H, T, 1], one flag per query step', [8, 4, 64, 1]],
  ])('equals the where / softmax / where path with a mask %s', (_name, maskShape) => {
    expect(hasKernel(FusedKernel.MaskedSoftmax) && hasKernel(FusedKernel.SoftmaxGrad)).toBe(true);
    const scores = tfc.mul(tfc.randomNormal([8, 4, 64, 48], 0, 1, 'float32', 11), 3); // 98,304 values: above kParallelMin
    const w = tfc.randomNormal([8, 4, 64, 48], 0, 1, 'float32', 12);
    const mask = tfc.greater(tfc.randomUniform(maskShape as number[], 0, 1, 'float32', 13), 0.3);
    const start = tfc.memory().numTensors;
    const [fused, reference] = [maskedSoftmax, byOps].map((f) => {
      let out: number[][] = [];
      tfc.tidy(() => {
        const p = f(scores, mask);
        const g = tfc.grad((s: tfc.Tensor) => tfc.sum(tfc.mul(f(s, mask), w)))(scores);
        out = [Array.from(p.dataSync()), Array.from(g.dataSync())];
      });
      return out;
    });
    expect(tfc.memory().numTensors).toBe(start);
    expectClose(fused[0], reference[0], 1e-6);
    expectClose(fused[1], reference[1], 1e-5);
    tfc.dispose([scores, w, mask]);
  });

  test('forward and backward are one kernel each', async () => {
    const scores = tfc.randomNormal([2, 2, 3, 4], 0, 1, 'float32', 14);
    const mask = tfc.tensor4d(maskValues, [2, 1, 3, 4], 'bool');
    const profile = await tfc.profile(() => {
      tfc.grad((s: tfc.Tensor) => tfc.sum(maskedSoftmax(s, mask)))(scores).dispose();
    });
    const names = profile.kernels.map((kk) => kk.name);
    expect(names.filter((n) => n === FusedKernel.MaskedSoftmax)).toHaveLength(1);
    expect(names.filter((n) => n === FusedKernel.SoftmaxGrad)).toHaveLength(1);
    expect(names).not.toContain('Select');
    tfc.dispose([scores, mask]);
  });
});
