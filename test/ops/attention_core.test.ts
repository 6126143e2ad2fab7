/**
 * The fused scaled dot-product attention (ops/attention.ts's attentionCore: one AttentionCore kernel
 * forward, one AttentionCoreGrad backward, on native/cpu/attention_core.cc) and the dense op on
 * N-D operands it is fed by (ops/dense.ts: one KerasDense kernel, no reshapes). On 'native': the
 * heads, probabilities and the gradients for q, k and v against PyTorch
 * (test/reference/attention_core_reference.py, whose formulas are repeated here; a row with nothing
 * allowed gives 0), against the transpose / matmul / masked-softmax path on random data split across
 * threads, and the dense op against reshape + matMul; an attention block trains in fit without
 * leaking and its captured steps (jitCompile) replay to the eager run's numbers; elsewhere
 * attentionCore is null (the layers run the ops) and the dense op still equals the reference.
 */
import * as tfc from '@tensorflow/tfjs-core';
import * as k from '../../src';
import { FusedKernel, hasKernel } from '../../src/engine/fused_kernels';
import { attentionCore, maskedSoftmax } from '../../src/ops/attention';
import { dense } from '../../src/ops/dense';
import { expectClose, testBackend } from '../helpers';

const onNative = testBackend() === 'native';

beforeAll(async () => {
  await k.setBackend(testBackend());
});

const [B, T, S, H, D, DV, SCALE] = [2, 3, 4, 2, 3, 2, 0.6];
const filled = (shape: number[], f: (i: number) => number): tfc.Tensor => tfc.tensor(Array.from({ length: shape.reduce((a, b) => a * b) }, (_, i) => f(i)), shape);
const inputs = (): tfc.Tensor[] => [
  filled([B, T, H, D], (i) => Math.sin(0.37 * i + 0.1)),
  filled([B, S, H, D], (i) => Math.cos(0.23 * i) - 0.2),
  filled([B, S, H, DV], (i) => Math.sin(0.11 * i + 0.5) + 0.05 * i),
];
const maskValues: boolean[] = [];
for (let b = 0; b < B; b++) for (let t = 0; t < T; t++) for (let s = 0; s < S; s++) maskValues.push((b + 2 * t + s) % 4 !== 1 && !(b === 1 && t === 1));

// PyTorch 1.13, float64 (attention_core_reference.py).
const TORCH = {
  heads: [0.8754588, 0.9765609, 1.103971, 1.178744, 0.7545195, 0.877628, 1.296502, 1.367238, 1.40347, 1.45859, 1.361781, 1.408574, 1.343544, 1.291098, 1.170069, 1.119063, 0, 0, 0, 0, 1.084285, 1.032467, 1.089931, 1.041626],
  probs: [0.6129283, 0, 0.1375253, 0.2495464, 0.5742598, 0.2914968, 0.1342434, 0, 0.02794328, 0, 0.7219548, 0.2501019, 0.5806825, 0, 0.04887918, 0.3704383, 0.1134982, 0.4210534, 0.4654484, 0, 0.2230716, 0, 0.4810828, 0.2958456, 0, 0.7406305, 0.147583, 0.1117866, 0, 0, 0, 0, 0, 0.05968786, 0.3618525, 0.5784597, 0, 0.5988957, 0.1199818, 0.2811225, 0, 0, 0, 0, 0, 0.3333753, 0.2965929, 0.3700319],
  dq: [-0.6657656, -0.6080593, -0.5183281, 0.05297211, 0.02075545, -0.01255433, 0.1201317, 0.1293414, 0.131739, -0.05595678, -0.03620934, -0.01455485, 0.006009924, 0.007941275, 0.009454382, 0.2287624, 0.1407335, 0.0452926, -0.2214427, -0.2005526, -0.1690998, -0.06099541, -0.03969502, -0.016304, 0, 0, 0, 0, 0, 0, 0.03325851, 0.02906008, 0.02333115, -0.02581551, -0.01925589, -0.01168211],
  dk: [0.02009021, -0.1456466, -0.2916708, -0.06403384, 0.0290411, 0.1181855, -0.02756554, -0.01642865, -0.003068225, 0.01529834, 0.03290987, 0.04606719, -0.01232827, 0.04770548, 0.1012825, 0.01765557, -0.02646293, -0.0669998, 0.0198036, 0.1143698, 0.1934565, 0.03107993, -0.03548804, -0.09725287, 0, 0, 0, 0, 0, 0, -0.08077964, -0.117609, -0.1385205, -0.05724021, -0.06170592, -0.05782003, 0.01833235, 0.02948259, 0.03664251, 0.01707792, 0.02092229, 0.02193493, 0.06244729, 0.0881264, 0.101878, 0.04016229, 0.04078363, 0.0358851],
  dv: [0.8004106, 0.6009116, 0.2326317, 0.08338021, 0.1056261, 0.02061966, -0.09566422, -0.2125672, -0.3461955, -0.5118203, -0.5416775, -0.6796556, 0.06512286, 0.01229066, 0.01285107, -0.06187335, 0, 0, 0, 0, -0.6068561, -0.4779682, 0.02316893, 0.1456979, 0.2150937, 0.2546661, 0.2230098, 0.2166466, 0.4551742, 0.4972284, 0.213793, 0.2425849],
};

/** The path the layers take without the kernel: scale, heads first, q·kᵀ, masked softmax, ·v, steps first. */
function byOps(q: tfc.Tensor, kk: tfc.Tensor, v: tfc.Tensor, mask: tfc.Tensor | null, scale: number): tfc.Tensor[] {
  const first = (x: tfc.Tensor): tfc.Tensor => tfc.transpose(x, [0, 2, 1, 3]);
  const scores = tfc.matMul(tfc.mul(first(q), scale), first(kk), false, true);
  const probs = maskedSoftmax(scores, mask ? tfc.expandDims(mask, 1) : null);
  return [first(tfc.matMul(probs, first(v))), probs];
}

(onNative ? describe : describe.skip)('on native (one kernel each way)', () => {
  test('heads, probabilities and the gradients for q, k, v equal PyTorch\'s; a row with nothing allowed is 0; no tensor left', () => {
    const [q, kk, v] = inputs();
    const wh = filled([B, T, H, DV], (i) => Math.cos(0.3 * i));
    const wp = filled([B, H, T, S], (i) => Math.sin(0.7 * i));
    const mask = tfc.tensor3d(maskValues, [B, T, S], 'bool');
    const start = tfc.memory().numTensors;
    const out = attentionCore(q, kk, v, mask, SCALE);
    expect(out).not.toBeNull();
    const { heads, probs } = out as { heads: tfc.Tensor; probs: tfc.Tensor };
    expect(heads.shape).toEqual([B, T, H, DV]);
    expect(probs.shape).toEqual([B, H, T, S]);
    expectClose(heads, TORCH.heads, 2e-6);
    expectClose(probs, TORCH.probs, 2e-6);
    const loss = (a: tfc.Tensor, b: tfc.Tensor, c: tfc.Tensor): tfc.Scalar => {
      const r = attentionCore(a, b, c, mask, SCALE) as { heads: tfc.Tensor; probs: tfc.Tensor };
      return tfc.add(tfc.sum(tfc.mul(r.heads, wh)), tfc.sum(tfc.mul(r.probs, wp))) as tfc.Scalar;
    };
    const [dq, dk, dv] = tfc.grads(loss)([q, kk, v]);
    expectClose(dq, TORCH.dq, 5e-6);
    expectClose(dk, TORCH.dk, 5e-6);
    expectClose(dv, TORCH.dv, 5e-6);
    tfc.dispose([heads, probs, dq, dk, dv]);
    expect(tfc.memory().numTensors).toBe(start);
    tfc.dispose([q, kk, v, wh, wp, mask]);
  });

  test.each([
    ['[B, T, S]', [8, 64, 64]],
    ['[B, 1, S], one flag per key step', [8, 1, 64]],
    ['absent', null],
  ])('equals the transpose / matmul / masked-softmax path with a mask %s, split across threads', (_name, maskShape) => {
    expect(hasKernel(FusedKernel.AttentionCore) && hasKernel(FusedKernel.AttentionCoreGrad)).toBe(true);
    const q = tfc.randomNormal([8, 64, 4, 48], 0, 1, 'float32', 21); // 8·4·64·64·(48 + 40) multiply-adds: above kParallelMinWork
    const kk = tfc.randomNormal([8, 64, 4, 48], 0, 1, 'float32', 22);
    const v = tfc.randomNormal([8, 64, 4, 40], 0, 1, 'float32', 23);
    const wh = tfc.randomNormal([8, 64, 4, 40], 0, 1, 'float32', 24);
    const wp = tfc.randomNormal([8, 4, 64, 64], 0, 1, 'float32', 25);
    const mask = maskShape === null ? null : tfc.greater(tfc.randomUniform(maskShape as number[], 0, 1, 'float32', 26), 0.3);
    const start = tfc.memory().numTensors;
    const fusedCore = (a: tfc.Tensor, b: tfc.Tensor, c: tfc.Tensor, m: tfc.Tensor | null, s: number): tfc.Tensor[] => {
      const r = attentionCore(a, b, c, m, s) as { heads: tfc.Tensor; probs: tfc.Tensor };
      return [r.heads, r.probs];
    };
    const [fused, reference] = [fusedCore, byOps].map((f) => {
      let got: number[][] = [];
      tfc.tidy(() => {
        const [heads, probs] = f(q, kk, v, mask, 0.125);
        const g = tfc.grads((a: tfc.Tensor, b: tfc.Tensor, c: tfc.Tensor) => {
          const [h, p] = f(a, b, c, mask, 0.125);
          return tfc.add(tfc.sum(tfc.mul(h, wh)), tfc.sum(tfc.mul(p, wp))) as tfc.Scalar;
        })([q, kk, v]);
        got = [heads, probs, ...g].map((t) => Array.from(t.dataSync()));
      });
      return got;
    });
    expect(tfc.memory().numTensors).toBe(start);
    fused.forEach((values, i) => expectClose(values, reference[i], 2e-5));
    tfc.dispose([q, kk, v, wh, wp, ...(mask ? [mask] : [])]);
  });

  test('forward and backward are one kernel each, with no transpose', async () => {
    const [q, kk, v] = inputs();
    const mask = tfc.tensor3d(maskValues, [B, T, S], 'bool');
    const profile = await tfc.profile(() => {
      tfc.grads((a: tfc.Tensor, b: tfc.Tensor, c: tfc.Tensor) => tfc.sum((attentionCore(a, b, c, mask, SCALE) as { heads: tfc.Tensor }).heads))([q, kk, v]).forEach((t) => t.dispose());
    });
    const names = profile.kernels.map((kernel) => kernel.name);
    expect(names.filter((n) => n === FusedKernel.AttentionCore)).toHaveLength(1);
    expect(names.filter((n) => n === FusedKernel.AttentionCoreGrad)).toHaveLength(1);
    expect(names).not.toContain('Transpose');
    expect(names).not.toContain('BatchMatMul');
    tfc.dispose([q, kk, v, mask]);
  });
});

/**
 * Losses and weights of 3 epochs of a self-attention block (MultiHeadAttention, residual, LayerNormalization, 3-D Dense)
 * at batch 8, with Embedding's maskZero or not (a masked step is not captured yet: the mask's NotEqual has no replay entry).
 */
async function trainBlock(jitCompile: boolean, maskZero: boolean): Promise<{ losses: number[]; weights: Float32Array[]; counts: unknown }> {
  k.utils.setRandomSeed(3);
  const inputs = k.Input({ shape: [6] });
  const x = new k.layers.Embedding({ inputDim: 10, outputDim: 8, maskZero }).apply(inputs);
  const attended = new k.layers.MultiHeadAttention({ numHeads: 2, keyDim: 4 }).apply([x, x]);
  let h = new k.layers.LayerNormalization().apply(new k.layers.Add().apply([x, attended]));
  h = new k.layers.Dense({ units: 5, activation: 'relu' }).apply(h);
  const outputs = new k.layers.Dense({ units: 3, activation: 'softmax' }).apply(new k.layers.GlobalAveragePooling1D().apply(h));
  const model = new k.Model({ inputs, outputs });
  model.compile({ optimizer: new k.optimizers.Adam({ learningRate: 0.01 }), loss: 'sparse_categorical_crossentropy', jitCompile });
  const xs = tfc.tensor2d(Array.from({ length: 32 * 6 }, (_, i) => (i % 6 < 2 + (i % 5) ? 1 + ((i * 7) % 9) : 0)), [32, 6]);
  const ys = tfc.tensor1d(Array.from({ length: 32 }, (_, i) => i % 3));
  const history = await model.fit(xs, ys, { epochs: 3, batchSize: 8, shuffle: false, verbose: 0 });
  const capture = (model as unknown as { training: { trainer: { step: { capture: { counts: unknown } | null } } } }).training.trainer.step.capture;
  const weights = model.getWeights();
  const run = { losses: history.history.loss as number[], weights: weights.map((w) => w.dataSync() as Float32Array), counts: capture?.counts };
  tfc.dispose([xs, ys, ...weights]);
  model.dispose();
  return run;
}

(onNative ? describe : describe.skip)('an attention block in fit on native', () => {
  test('trains with a mask without leaking; without one, with jitCompile, its steps (the fused kernels) replay to the eager run\'s losses and weights', async () => {
    const start = tfc.memory().numTensors;
    const masked = await trainBlock(false, true);
    expect(tfc.memory().numTensors).toBe(start);
    expect(masked.losses[2]).toBeLessThan(masked.losses[0]);
    const eager = await trainBlock(false, false);
    const jit = await trainBlock(true, false);
    expect(jit.counts).toEqual({ eager: 1, recorded: 2, replayed: 9 }); // 12 steps of one shape
    jit.losses.forEach((l, i) => expect(Math.abs(l - eager.losses[i])).toBeLessThan(1e-6));
    jit.weights.forEach((w, i) => w.forEach((v, j) => expect(Math.abs(v - eager.weights[i][j])).toBeLessThan(1e-6)));
    expect(tfc.memory().numTensors).toBe(start);
  });
});

(onNative ? describe.skip : describe)('without the kernel', () => {
  test('attentionCore is null: the layers run the ops', () => {
    const [q, kk, v] = inputs();
    expect(attentionCore(q, kk, v, null, SCALE)).toBeNull();
    tfc.dispose([q, kk, v]);
  });
});

test('dense on N-D operands (x [B, T, d] through [d, H, size], then [B, T, H, size] through [H, size, out]) equals reshape + matMul, values and gradients, no tensor left', () => {
  const x = tfc.randomNormal([3, 5, 4], 0, 1, 'float32', 31);
  const w1 = tfc.randomNormal([4, 2, 3], 0, 1, 'float32', 32);
  const b1 = tfc.randomNormal([2, 3], 0, 1, 'float32', 33);
  const w2 = tfc.randomNormal([2, 3, 6], 0, 1, 'float32', 34);
  const b2 = tfc.randomNormal([6], 0, 1, 'float32', 35);
  const r = tfc.randomNormal([3, 5, 6], 0, 1, 'float32', 36);
  const start = tfc.memory().numTensors;
  const viaOp = (a: tfc.Tensor, k1: tfc.Tensor, c1: tfc.Tensor, k2: tfc.Tensor, c2: tfc.Tensor): tfc.Scalar => {
    const h = dense<tfc.Tensor4D>(a, k1, c1, 'relu');
    expect(h.shape).toEqual([3, 5, 2, 3]);
    return tfc.sum(tfc.mul(dense(h, k2, c2, 'linear', true, 2), r));
  };
  const viaMatMul = (a: tfc.Tensor, k1: tfc.Tensor, c1: tfc.Tensor, k2: tfc.Tensor, c2: tfc.Tensor): tfc.Scalar => {
    const h = tfc.relu(tfc.add(tfc.matMul(tfc.reshape(a, [15, 4]), tfc.reshape(k1, [4, 6])), tfc.reshape(c1, [6])));
    return tfc.sum(tfc.mul(tfc.reshape(tfc.add(tfc.matMul(h, tfc.reshape(k2, [6, 6])), c2), [3, 5, 6]), r));
  };
  const [ours, reference] = [viaOp, viaMatMul].map((f) => tfc.tidy(() => {
    const { value, grads } = tfc.valueAndGrads(f)([x, w1, b1, w2, b2]);
    return [value, ...grads].map((t) => Array.from(t.dataSync()));
  }));
  expect(tfc.memory().numTensors).toBe(start);
  ours.forEach((values, i) => expectClose(values, reference[i], 1e-4));
  tfc.dispose([x, w1, b1, w2, b2, r]);
});
