/**
 * RMSprop's, Adagrad's and Adam's fused steps on 'native' (native/cpu/train_optimizers.cc and
 * train.cc, the KerasRMSprop, KerasAdagrad and KerasAdam kernels), which let jitCompile capture
 * them: each equals the op chain of the optimizer's updateStep (run by a subclass whose own
 * updateStep turns the fused kernel off) for plain, momentum, centered, AMSGrad and weight-decayed
 * settings over several steps, and a captured fit replays it with the eager run's losses and
 * weights. The op chain is the independent reference: the same float32 operations one tfjs op at a
 * time. Adam's kernel on arrays small and large enough to be split among threads equals the same
 * float32 arithmetic written out in JavaScript (Math.fround after each operation).
 */
import * as tfc from '@tensorflow/tfjs-core';
import * as k from '../../../src';
import type { StepCapture } from '../../../src/backend/capture/step_capture';
import { nativeBuilt } from '../../helpers';

const onNative = nativeBuilt() ? describe : describe.skip;

/** RMSprop through its op chain: a subclass's updateStep is not fused. */
class ChainRMSprop extends k.optimizers.RMSprop {
  protected override updateStep(...args: Parameters<k.optimizers.RMSprop['updateStep']>): tfc.Tensor {
    return super.updateStep(...args);
  }
}

class ChainAdagrad extends k.optimizers.Adagrad {
  protected override updateStep(...args: Parameters<k.optimizers.Adagrad['updateStep']>): tfc.Tensor {
    return super.updateStep(...args);
  }
}

class ChainAdam extends k.optimizers.Adam {
  protected override updateStep(...args: Parameters<k.optimizers.Adam['updateStep']>): tfc.Tensor {
    return super.updateStep(...args);
  }
}

type Make = () => k.optimizers.Optimizer;
const rms = (a: k.optimizers.RMSpropArgs): [Make, Make] => [() => new k.optimizers.RMSprop(a), () => new ChainRMSprop(a)];
const adagrad = (a: k.optimizers.AdagradArgs): [Make, Make] => [() => new k.optimizers.Adagrad(a), () => new ChainAdagrad(a)];
const adam = (a: k.optimizers.AdamArgs): [Make, Make] => [() => new k.optimizers.Adam(a), () => new ChainAdam(a)];
const settings: Array<[string, string, Make, Make]> = [
  ['RMSprop', 'KerasRMSprop', ...rms({ learningRate: 0.01 })],
  ['RMSprop with momentum', 'KerasRMSprop', ...rms({ learningRate: 0.02, momentum: 0.9 })],
  ['RMSprop, centered', 'KerasRMSprop', ...rms({ learningRate: 0.01, centered: true, rho: 0.8 })],
  ['RMSprop with momentum, centered, weight decay', 'KerasRMSprop', ...rms({ learningRate: 0.05, momentum: 0.5, centered: true, weightDecay: 0.1 })],
  ['Adagrad', 'KerasAdagrad', ...adagrad({ learningRate: 0.1 })],
  ['Adagrad with weight decay', 'KerasAdagrad', ...adagrad({ learningRate: 0.05, initialAccumulatorValue: 0.5, weightDecay: 0.2, epsilon: 1e-4 })],
  ['Adam', 'KerasAdam', ...adam({ learningRate: 0.01 })],
  ['Adam, AMSGrad, weight decay', 'KerasAdam', ...adam({ learningRate: 0.02, amsgrad: true, weightDecay: 0.1, beta1: 0.8 })],
];

function steps(opt: k.optimizers.Optimizer): Float32Array[] {
  const w = tfc.tidy(() => [tfc.variable(tfc.tensor2d([[0.5, -1.25, 2], [3, -0.1, 0.7]])), tfc.variable(tfc.tensor1d([0.3, -0.2, 1e-3]))]);
  for (let s = 0; s < 5; s++) {
    const grads = w.map((v, i) => tfc.tidy(() => tfc.mul(tfc.sin(tfc.add(v, s + i)), 0.7 + 0.3 * s)));
    opt.applyGradients(grads.map((g, i) => [g, w[i]] as [tfc.Tensor, tfc.Variable]));
    tfc.dispose(grads);
  }
  const out = w.map((v) => v.dataSync() as Float32Array);
  tfc.dispose(w);
  opt.dispose();
  return out;
}

onNative("RMSprop's, Adagrad's and Adam's fused steps on native", () => {
  beforeAll(async () => {
    await k.setBackend('native');
  });

  test.each(settings)('%s: the fused kernel gives the op chain and leaks nothing', (_, kernel, make, chainOf) => {
    expect(tfc.getKernel(kernel, 'native')).toBeDefined(); // so the optimizer's step is the fused one here
    const before = tfc.memory().numTensors;
    const fused = steps(make());
    expect(tfc.memory().numTensors).toBe(before); // the slots and every step's temporaries are freed
    const chain = steps(chainOf());
    expect(tfc.memory().numTensors).toBe(before);
    fused.forEach((w, i) => w.forEach((v, j) => expect(Math.abs(v - chain[i][j])).toBeLessThanOrEqual(1e-7)));
    expect(fused[0][0]).not.toBeCloseTo(0.5, 3); // it moved
  });

  test.each(settings)('%s: a captured fit replays it with the eager run\'s losses and weights', async (_, __, make) => {
    const N = 64;
    const x = Float32Array.from({ length: N * 12 }, (_, i) => Math.sin(i * 0.41));
    const y = Float32Array.from({ length: N * 4 }, (_, i) => (i % 4 === Math.floor(i / 4) % 4 ? 1 : 0));
    const run = async (jit: boolean): Promise<{ losses: number[]; weights: Float32Array[]; capture: StepCapture }> => {
      k.utils.setRandomSeed(5);
      const inputs = k.Input({ shape: [12] });
      const model = new k.Model({ inputs, outputs: new k.layers.Dense({ units: 4, activation: 'softmax' }).apply(new k.layers.Dense({ units: 8, activation: 'sigmoid' }).apply(inputs)) });
      model.compile({ optimizer: make(), loss: 'categorical_crossentropy', jitCompile: jit });
      const h = await model.fit(x, y, { epochs: 3, batchSize: 16, shuffle: false, verbose: 0 });
      const capture = (model as unknown as { training: { trainer: { step: { capture: StepCapture } } } }).training.trainer.step.capture;
      const out = { losses: h.history.loss as number[], weights: model.getWeights().map((w) => w.dataSync() as Float32Array), capture };
      model.dispose();
      return out;
    };
    const eager = await run(false);
    const jit = await run(true);
    expect(jit.capture.counts).toEqual({ eager: 1, recorded: 2, replayed: 9 });
    expect(jit.capture.runners.native).toBe(9);
    jit.losses.forEach((l, i) => expect(Math.abs(l - eager.losses[i])).toBeLessThan(1e-6));
    jit.weights.forEach((w, i) => w.forEach((v, j) => expect(Math.abs(v - eager.weights[i][j])).toBeLessThan(1e-6)));
  });
});

onNative("Adam's kernel, vectorized, on one range and on one range per thread", () => {
  beforeAll(async () => {
    await k.setBackend('native');
  });

  // 1,000 elements run as one range; 600,000 (past native/cpu/ops.h's kParallelMinSimd, 524,288) as one per thread.
  test.each([1000, 600000])('%i elements, in place, AMSGrad and weight decay: the float32 arithmetic of adam.ts', (n) => {
    const addon = (tfc.backend() as unknown as { addon: { adam(...args: unknown[]): void } }).addon;
    const [alpha, c1, c2, eps, decay] = [0.01, 0.1, 0.001, 1e-7, 0.002].map(Math.fround);
    const f = Math.fround;
    const w = Float32Array.from({ length: n }, (_, i) => Math.sin(i * 0.37) * 2);
    const m = Float32Array.from({ length: n }, (_, i) => Math.cos(i * 0.11) * 0.1);
    const v = Float32Array.from({ length: n }, (_, i) => (i % 7) * 0.01);
    const vhat = Float32Array.from({ length: n }, (_, i) => (i % 5) * 0.012);
    const g = Float32Array.from({ length: n }, (_, i) => Math.sin(i * 1.3) * 0.5);
    const want = [new Float32Array(n), new Float32Array(n), new Float32Array(n), new Float32Array(n)];
    for (let i = 0; i < n; i++) {
      const w0 = f(w[i] - f(w[i] * decay));
      const mi = f(m[i] + f(f(g[i] - m[i]) * c1));
      const vi = f(v[i] + f(f(f(g[i] * g[i]) - v[i]) * c2));
      const vu = vhat[i] > vi ? vhat[i] : vi;
      want[0][i] = f(w0 - f(f(mi * alpha) / f(f(Math.sqrt(vu)) + eps)));
      [want[1][i], want[2][i], want[3][i]] = [mi, vi, vu];
    }
    addon.adam(w, g, m, v, vhat, w, m, v, vhat, alpha, c1, c2, eps, decay); // in place, as the optimizer's step runs
    [w, m, v, vhat].forEach((got, j) => expect(got).toEqual(want[j]));
  });
});
