/**
 * The one-call runner of captured steps (native/cpu/capture.cc, NativeReplay in
 * src/backend/capture/native_capture.ts): a program of addon calls (SGD, momentum, Nesterov, Adam,
 * AdamW, RMSprop; softmax and sigmoid cross-entropy) replayed in one native call
 * gives the eager run's losses and weights (to 1e-6) and the JavaScript loop's (bit for bit: the
 * same C++ bodies on the same values); each step's learning rate and the batch's buffers are bound
 * at each run; a program with a function the runner does not know, or an addon without the runner,
 * replays as the loop (with one line in fit); nothing leaks.
 * Hand-written expectations below are float32 arithmetic done with Math.fround.
 */
import * as tfc from '@tensorflow/tfjs-core';
import * as k from '../../../src';
import { NativeReplay, replayRunner } from '../../../src/backend/capture/native_capture';
import type { Program } from '../../../src/backend/capture/program';
import type { StepCapture } from '../../../src/backend/capture/step_capture';
import type { NativeBackend } from '../../../src/backend/native/native_backend';
import { nativeBuilt } from '../../helpers';

const onNative = nativeBuilt() ? describe : describe.skip;

type Opt = () => k.optimizers.Optimizer;
type Loss = 'categorical_crossentropy' | 'binary_crossentropy';
interface Run { losses: number[]; weights: Float32Array[]; capture: StepCapture; lines: string[] }

const N = 96;
const x = Float32Array.from({ length: N * 20 }, (_, i) => Math.sin(i * 0.37));
const oneHot = Float32Array.from({ length: N * 10 }, (_, i) => (i % 10 === Math.floor(i / 10) % 10 ? 1 : 0));
const binary = Float32Array.from({ length: N * 3 }, (_, i) => (Math.cos(i) > 0 ? 1 : 0));

async function train(jit: boolean, opt: Opt, loss: Loss, runner: 'native' | 'loop' = 'native'): Promise<Run> {
  k.utils.setRandomSeed(7);
  const inputs = k.Input({ shape: [20] });
  const h = new k.layers.Dense({ units: 8, activation: 'relu' }).apply(new k.layers.Dense({ units: 16, activation: 'sigmoid' }).apply(inputs));
  const last = loss === 'binary_crossentropy' ? { units: 3, activation: 'sigmoid' as const } : { units: 10, activation: 'softmax' as const };
  const model = new k.Model({ inputs, outputs: new k.layers.Dense(last).apply(h) });
  model.compile({ optimizer: opt(), loss, jitCompile: jit });
  const lines: string[] = [];
  k.utils.setLogger({ write: () => undefined, warn: (t) => lines.push(t) });
  replayRunner.mode = runner;
  try {
    const ys = loss === 'binary_crossentropy' ? tfc.tensor2d(binary, [N, 3]) : tfc.tensor2d(oneHot, [N, 10]);
    const xs = tfc.tensor2d(x, [N, 20]);
    const h = await model.fit(xs, ys, { epochs: 4, batchSize: 16, shuffle: false, verbose: 0 });
    tfc.dispose([xs, ys]);
    const capture = (model as unknown as { training: { trainer: { step: { capture: StepCapture } } } }).training.trainer.step.capture;
    const run = { losses: h.history.loss as number[], weights: model.getWeights().map((w) => w.dataSync() as Float32Array), capture, lines };
    model.dispose();
    return run;
  } finally {
    replayRunner.mode = 'native';
    k.utils.setLogger(null);
  }
}

function worstDifference(a: Run, b: Run): number {
  let worst = 0;
  a.losses.forEach((l, i) => (worst = Math.max(worst, Math.abs(l - b.losses[i]))));
  a.weights.forEach((w, i) => w.forEach((v, j) => (worst = Math.max(worst, Math.abs(v - b.weights[i][j])))));
  return worst;
}

const optimizers: Array<[string, Opt]> = [
  ['SGD', () => new k.optimizers.SGD({ learningRate: 0.3 })],
  ['SGD with momentum', () => new k.optimizers.SGD({ learningRate: 0.2, momentum: 0.9 })],
  ['SGD with Nesterov momentum', () => new k.optimizers.SGD({ learningRate: 0.2, momentum: 0.9, nesterov: true })],
  ['Adam', () => new k.optimizers.Adam({ learningRate: 0.01 })],
  ['AdamW', () => new k.optimizers.AdamW({ learningRate: 0.01, weightDecay: 0.05 })],
  ['RMSprop with momentum', () => new k.optimizers.RMSprop({ learningRate: 0.01, momentum: 0.5 })],
];
const cases = optimizers.flatMap(([name, opt]) => (['categorical_crossentropy', 'binary_crossentropy'] as Loss[]).map((loss) => [`${name}, ${loss}`, opt, loss] as const));

onNative('the one-call runner of captured steps', () => {
  let backend: NativeBackend;
  beforeAll(async () => {
    await k.setBackend('native');
    backend = tfc.backend() as unknown as NativeBackend;
  });

  test.each(cases)('%s: replays in one native call give the eager run and the JavaScript loop', async (_, opt, loss) => {
    const eager = await train(false, opt, loss);
    const runner = await train(true, opt, loss);
    const loop = await train(true, opt, loss, 'loop');
    expect(runner.lines).toEqual([]);
    // 24 steps: 1 warm-up, 2 recorded, 21 replayed, all by the runner (the other run: all by the loop)
    expect(runner.capture.counts).toEqual({ eager: 1, recorded: 2, replayed: 21 });
    expect(runner.capture.runners).toEqual({ native: 21, loop: 0 });
    expect(loop.capture.runners).toEqual({ native: 0, loop: 21 });
    expect(worstDifference(runner, eager)).toBeLessThan(1e-6);
    expect(runner.losses).toEqual(loop.losses);
    runner.weights.forEach((w, i) => expect(w).toEqual(loop.weights[i]));
    expect(eager.losses[3]).toBeLessThan(eager.losses[0]); // it trains
  });

  /** x + c, then an SGD step of that by g at the run's learning rate, then (with `extra`) one more call. */
  function program(extra: string | null): Program {
    const ops = backend.addon.opTable() as unknown as Record<string, number>;
    const calls: Program['calls'] = [
      { fn: 'binary', kernel: 'Add', args: [{ kind: 'value', value: ops.ADD }, { kind: 'bound', index: 0 }, { kind: 'constant', buffer: Float32Array.of(1, 2, 3, 4) }, { kind: 'arena', slot: 0 }, { kind: 'value', value: [4] }, { kind: 'value', value: [1] }, { kind: 'value', value: [1] }] },
      { fn: 'sgd', kernel: 'KerasSGD', args: [{ kind: 'arena', slot: 0 }, { kind: 'constant', buffer: Float32Array.of(0.5, -1, 2, 0.1) }, { kind: 'value', value: null }, { kind: 'arena', slot: 1 }, { kind: 'value', value: null }, { kind: 'dynamic', attr: 'lr', value: 0 }, { kind: 'value', value: 0 }, { kind: 'value', value: false }, { kind: 'dynamic', attr: 'decay', value: 0 }] },
    ];
    if (extra !== null) calls.push({ fn: extra, kernel: 'Test', args: [{ kind: 'arena', slot: 1 }, { kind: 'arena', slot: 2 }] });
    const arena = [0, 1, 2].map(() => ({ dtype: 'float32' as const, length: 4 }));
    return { calls, arena, outputs: [{ slot: extra === null ? 1 : 2, shape: [4], dtype: 'float32' }], draws: [] };
  }
  const expected = (xs: number[], lr: number, times: number): number[] => {
    const f = Math.fround;
    const g = [0.5, -1, 2, 0.1];
    return xs.map((v, i) => f(f(f(v + i + 1) - f(f(g[i]) * f(lr))) * times));
  };

  test('a program runs in one call with the batch and the learning rate of each run bound anew', () => {
    const replay = new NativeReplay(backend, program(null));
    expect([replay.runner, replay.loopReason]).toEqual(['native', null]);
    for (const [xs, lr] of [[[10, 20, 30, 40], 0.5], [[-1, 0.25, 7, 3], 0.125]] as Array<[number[], number]>) {
      const input = tfc.tensor1d(xs);
      const [out] = replay.run([input], { lr, decay: 0 }) as tfc.Tensor[];
      expect(Array.from(out.dataSync())).toEqual(expected(xs, lr, 1));
      tfc.dispose([input, out]);
    }
  });

  test('a function the runner does not know: the program replays as the loop from JavaScript, naming it', () => {
    const addon = backend.addon as unknown as Record<string, unknown>;
    addon.twiceInJs = (a: Float32Array, out: Float32Array) => a.forEach((v, i) => (out[i] = v * 2));
    try {
      const replay = new NativeReplay(backend, program('twiceInJs'));
      expect(replay.runner).toBe('loop');
      expect(replay.loopReason).toMatch(/one-call runner cannot take it: the addon exports no function `twiceInJs` \(call 2 \(twiceInJs\)\)/);
      const input = tfc.tensor1d([1, 2, 3, 4]);
      const [out] = replay.run([input], { lr: 0.5, decay: 0 }) as tfc.Tensor[];
      expect(Array.from(out.dataSync())).toEqual(expected([1, 2, 3, 4], 0.5, 2));
      tfc.dispose([input, out]);
    } finally {
      delete addon.twiceInJs;
    }
  });

  test('an addon built without the runner: fit replays as the loop, says so in one line, and trains as eagerly', async () => {
    const addon = backend.addon as unknown as Record<string, unknown>;
    const create = addon.captureCreate;
    delete addon.captureCreate;
    try {
      const eager = await train(false, optimizers[3][1], 'categorical_crossentropy');
      const jit = await train(true, optimizers[3][1], 'categorical_crossentropy');
      expect(jit.lines).toEqual([expect.stringMatching(/jitCompile: the training step replays as a loop of addon calls from JavaScript: this build of the addon has no one-call runner/)]);
      expect(jit.capture.runners).toEqual({ native: 0, loop: 21 });
      expect(worstDifference(jit, eager)).toBeLessThan(1e-6);
    } finally {
      addon.captureCreate = create;
    }
  });

  test('a bad run is refused with the call named, and leaves no tensor behind', () => {
    const replay = new NativeReplay(backend, program(null));
    const input = tfc.tensor1d([1, 2, 3]); // the program reads 4 values
    const before = tfc.memory().numTensors;
    expect(() => replay.run([input], { lr: 0.5, decay: 0 })).toThrow(/captureRun: call 0 of the captured step: binary: the strides read past the end of `a` or `b`/);
    expect(tfc.memory().numTensors).toBe(before);
    input.dispose();
  });

  test('fit replayed by the runner leaks no tensors, and the addon holds no buffer between calls', async () => {
    k.utils.setRandomSeed(1);
    const inputs = k.Input({ shape: [20] });
    const model = new k.Model({ inputs, outputs: new k.layers.Dense({ units: 10, activation: 'softmax' }).apply(new k.layers.Dense({ units: 16, activation: 'sigmoid' }).apply(inputs)) });
    model.compile({ optimizer: 'adam', loss: 'categorical_crossentropy', metrics: ['accuracy'], jitCompile: true });
    await model.fit(x, oneHot, { epochs: 1, batchSize: 16, verbose: 0 }); // builds the optimizer's slots, the metrics and the program
    const before = tfc.memory().numTensors;
    await model.fit(x, oneHot, { epochs: 3, batchSize: 16, verbose: 0 });
    expect(tfc.memory().numTensors).toBe(before);
    const capture = (model as unknown as { training: { trainer: { step: { capture: StepCapture } } } }).training.trainer.step.capture;
    expect(capture.runners.native).toBeGreaterThan(0);
    expect(backend.addon.memory().liveBytes).toBe(0);
    model.dispose();
  });
});
