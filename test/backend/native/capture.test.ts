/**
 * compile's jitCompile on 'native' (src/backend/capture): a captured step's replays give the losses
 * and weights of the eager run of the same model (same seed, same batches), steps that cannot be
 * captured run eagerly with one line, a new batch shape is recorded anew, nothing leaks, and
 * another backend ignores the flag with a line ('auto': silently); a step with dropout replays with a
 * new mask each step. The reference is the eager run
 * of the same code: a replay calls the same addon functions on the same values, so the two agree
 * to float32 rounding (they agree bit for bit here; 1e-6 allows for the threads' summation order).
 */
import * as tfc from '@tensorflow/tfjs-core';
import * as k from '../../../src';
import { NativeRecorder, replayRunner } from '../../../src/backend/capture/native_capture';
import type { NativeBackend } from '../../../src/backend/native/native_backend';
import { FusedKernel, runFused } from '../../../src/engine/fused_kernels';
import { aleaState } from '../../../src/ops/alea';
import type { StepCapture } from '../../../src/backend/capture/step_capture';
import { nativeBuilt } from '../../helpers';

const onNative = nativeBuilt() ? describe : describe.skip;

type Opt = () => k.optimizers.Optimizer;
interface Run { losses: number[]; weights: Float32Array[]; capture: StepCapture | null; lines: string[] }

const N = 96;
const x = Float32Array.from({ length: N * 20 }, (_, i) => Math.sin(i * 0.37));
const oneHot = Float32Array.from({ length: N * 10 }, (_, i) => (i % 10 === Math.floor(i / 10) % 10 ? 1 : 0));
const binary = Float32Array.from({ length: N * 3 }, (_, i) => (Math.cos(i) > 0 ? 1 : 0));

function mlp(last: { units: number; activation: 'sigmoid' | 'softmax' }, dropout = false): k.Model {
  const inputs = k.Input({ shape: [20] });
  let h = new k.layers.Dense({ units: 16, activation: 'sigmoid' }).apply(inputs);
  if (dropout) h = new k.layers.Dropout({ rate: 0.3 }).apply(h);
  h = new k.layers.Dense({ units: 8, activation: 'sigmoid' }).apply(h);
  return new k.Model({ inputs, outputs: new k.layers.Dense(last).apply(h) });
}

async function train(jit: boolean | 'auto', opt: Opt, o: { loss?: 'categorical_crossentropy' | 'binary_crossentropy'; dropout?: boolean; batchSize?: number; epochs?: number } = {}): Promise<Run> {
  k.utils.setRandomSeed(7);
  const sigmoid = o.loss === 'binary_crossentropy';
  const model = mlp(sigmoid ? { units: 3, activation: 'sigmoid' } : { units: 10, activation: 'softmax' }, o.dropout);
  model.compile({ optimizer: opt(), loss: o.loss ?? 'categorical_crossentropy', jitCompile: jit });
  const lines: string[] = [];
  k.utils.setLogger({ write: () => undefined, warn: (t) => lines.push(t) });
  try {
    const ys = sigmoid ? tfc.tensor2d(binary, [N, 3]) : tfc.tensor2d(oneHot, [N, 10]);
    const xs = tfc.tensor2d(x, [N, 20]);
    const h = await model.fit(xs, ys, { epochs: o.epochs ?? 4, batchSize: o.batchSize ?? 16, shuffle: false, verbose: 0 });
    tfc.dispose([xs, ys]);
    const capture = (model as unknown as { training: { trainer: { step: { capture: StepCapture | null } } } }).training.trainer.step.capture;
    const run = { losses: h.history.loss as number[], weights: model.getWeights().map((w) => w.dataSync() as Float32Array), capture, lines };
    model.dispose();
    return run;
  } finally {
    k.utils.setLogger(null);
  }
}

function expectSame(a: Run, b: Run): void {
  expect(a.losses.length).toBe(b.losses.length);
  a.losses.forEach((l, i) => expect(Math.abs(l - b.losses[i])).toBeLessThan(1e-6));
  expect(a.weights.length).toBe(b.weights.length);
  a.weights.forEach((w, i) => {
    let worst = 0;
    w.forEach((v, j) => (worst = Math.max(worst, Math.abs(v - b.weights[i][j]))));
    expect(worst).toBeLessThan(1e-6);
  });
}

const sgd: Opt = () => new k.optimizers.SGD({ learningRate: 0.5, momentum: 0.9 });
const adam: Opt = () => new k.optimizers.Adam({ learningRate: 0.01 });

onNative('jitCompile on the native backend', () => {
  beforeAll(async () => {
    await k.setBackend('native');
  });

  test.each([
    ['SGD with momentum, softmax + categorical cross-entropy', sgd, 'categorical_crossentropy' as const],
    ['Adam, softmax + categorical cross-entropy', adam, 'categorical_crossentropy' as const],
    ['Adam, sigmoid + binary cross-entropy', adam, 'binary_crossentropy' as const],
    ['SGD, sigmoid + binary cross-entropy', (() => new k.optimizers.SGD({ learningRate: 0.3 })) as Opt, 'binary_crossentropy' as const],
  ])('%s: replayed steps give the eager run\'s losses and weights', async (_, opt, loss) => {
    const eager = await train(false, opt, { loss });
    const jit = await train(true, opt, { loss });
    expect(jit.lines).toEqual([]);
    // 24 steps of one shape: 1 warm-up, 2 recorded, the other 21 replayed
    expect(jit.capture?.counts).toEqual({ eager: 1, recorded: 2, replayed: 21 });
    expectSame(jit, eager);
    expect(eager.losses[3]).toBeLessThan(eager.losses[0]); // it trains
  });

  test('a new batch shape is recorded anew (the last, smaller batch of each epoch) and replayed', async () => {
    const eager = await train(false, adam, { batchSize: 40, epochs: 5 }); // 96 = 40 + 40 + 16
    const jit = await train(true, adam, { batchSize: 40, epochs: 5 });
    // shape 40: 1 eager + 2 recorded + 7 replayed; shape 16 (one a epoch): 1 eager + 2 recorded + 2 replayed
    expect(jit.capture?.counts).toEqual({ eager: 2, recorded: 4, replayed: 9 });
    expectSame(jit, eager);
  });

  test('a step with dropout is replayed with a new mask each step (its alea state drawn per replay): the eager run\'s losses and weights, bit for bit', async () => {
    const eager = await train(false, adam, { dropout: true });
    const jit = await train(true, adam, { dropout: true });
    expect(jit.lines).toEqual([]);
    expect(jit.capture?.counts).toEqual({ eager: 1, recorded: 2, replayed: 21 });
    expectSame(jit, eager);
    // one epoch of 6 steps: 1 warm-up, 2 recorded, then 3 consecutive replays, each with the mask the eager step drew
    const [eager1, jit1] = [await train(false, adam, { dropout: true, epochs: 1 }), await train(true, adam, { dropout: true, epochs: 1 })];
    expect(jit1.capture?.counts).toEqual({ eager: 1, recorded: 2, replayed: 3 });
    expect(jit1.capture?.runners).toEqual({ native: 3, loop: 0 });
    expect(jit1.losses).toEqual(eager1.losses);
    expect(jit1.weights).toEqual(eager1.weights);
    replayRunner.mode = 'loop'; // the same from the loop of addon calls
    try {
      const loop = await train(true, adam, { dropout: true, epochs: 1 });
      expect(loop.capture?.runners).toEqual({ native: 0, loop: 3 });
      expect(loop.weights).toEqual(eager1.weights);
    } finally {
      replayRunner.mode = 'native';
    }
  });

  test('a random kernel that does not say how to draw the next step\'s state is never recorded (no replay could reuse its mask)', () => {
    const x = tfc.ones([4, 5]);
    const recorder = new NativeRecorder(tfc.backend() as unknown as NativeBackend, [x]);
    recorder.start();
    let y: tfc.Tensor;
    try {
      y = runFused(FusedKernel.Dropout, { x }, { rate: 0.5, state: aleaState('3') })[0]; // not through ops/dropout.ts
    } finally {
      recorder.stop();
    }
    expect(recorder.finish([y])).toMatch(/kernel KerasDropout draws random numbers without saying how to draw the next step's/);
    tfc.dispose([x, y]);
  });

  test('an optimizer without a fused kernel runs eagerly with one line', async () => {
    const adamax: Opt = () => new k.optimizers.Adamax({ learningRate: 0.01 }); // RMSprop's and Adagrad's steps are fused now
    const eager = await train(false, adamax);
    const jit = await train(true, adamax);
    expect(jit.lines).toEqual([expect.stringMatching(/runs eagerly: the optimizer's update is not one fused kernel/)]);
    expect(jit.capture?.counts.replayed).toBe(0);
    expectSame(jit, eager);
  });

  test('gradient accumulation (an update every other step) runs eagerly with one line', async () => {
    const accumulating: Opt = () => new k.optimizers.SGD({ learningRate: 0.5, gradientAccumulationSteps: 2 });
    const eager = await train(false, accumulating);
    const jit = await train(true, accumulating);
    expect(jit.lines).toEqual([expect.stringMatching(/runs eagerly: the optimizer's update is not one fused kernel/)]);
    expect(jit.capture?.counts.replayed).toBe(0);
    expectSame(jit, eager);
  });

  test('setWeights between fits: the replay sees the new weights (the step is recorded again)', async () => {
    k.utils.setRandomSeed(3);
    const model = mlp({ units: 10, activation: 'softmax' });
    model.compile({ optimizer: 'sgd', loss: 'categorical_crossentropy', jitCompile: true });
    const initial = model.getWeights().map((w) => w.clone());
    const xs = tfc.tensor2d(x, [N, 20]);
    const ys = tfc.tensor2d(oneHot, [N, 10]);
    const first = await model.fit(xs, ys, { epochs: 2, batchSize: 16, shuffle: false, verbose: 0 });
    model.setWeights(initial);
    model.optimizer.iterations = 0;
    const again = await model.fit(xs, ys, { epochs: 2, batchSize: 16, shuffle: false, verbose: 0 });
    (again.history.loss as number[]).forEach((l, i) => expect(Math.abs(l - (first.history.loss as number[])[i])).toBeLessThan(1e-6));
    const capture = (model as unknown as { training: { trainer: { step: { capture: StepCapture } } } }).training.trainer.step.capture;
    expect(capture.counts).toEqual({ eager: 2, recorded: 4, replayed: 18 }); // each fit: 1 warm-up, 2 recorded, 9 replayed
    tfc.dispose([xs, ys, ...initial]);
    model.dispose();
  });

  test('fit with jitCompile leaks no tensors', async () => {
    k.utils.setRandomSeed(1);
    const model = mlp({ units: 10, activation: 'softmax' });
    model.compile({ optimizer: 'adam', loss: 'categorical_crossentropy', metrics: ['accuracy'], jitCompile: true });
    await model.fit(x, oneHot, { epochs: 1, batchSize: 16, verbose: 0 }); // builds the optimizer's slots and the metrics
    const before = tfc.memory().numTensors;
    await model.fit(x, oneHot, { epochs: 3, batchSize: 16, verbose: 0 });
    expect(tfc.memory().numTensors).toBe(before);
    model.dispose();
  });
});

describe('jitCompile on another backend', () => {
  test("is ignored with one line (true) or silently ('auto'), and training is unchanged", async () => {
    const previous = k.getBackend();
    await k.setBackend('cpu');
    try {
      const eager = await train(false, sgd, { epochs: 2 });
      const jit = await train(true, sgd, { epochs: 2 });
      const auto = await train('auto', sgd, { epochs: 2 });
      expect(jit.lines).toEqual([expect.stringMatching(/jitCompile: the training step runs eagerly on '(keras-)?cpu': only the 'native' backend captures steps/)]);
      expect(auto.lines).toEqual([]);
      expect(jit.capture?.counts.replayed).toBe(0);
      expectSame(jit, eager);
      expectSame(auto, eager);
    } finally {
      await k.setBackend(previous);
    }
  });
});
