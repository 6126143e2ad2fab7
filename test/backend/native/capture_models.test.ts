/**
 * jitCompile on 'native' for the bench's model families, small: a convolutional network
 * (examples/cnn.ts's layers: Conv2D's fused backward, whose dx for the batch's data is zeros
 * written by the addon, max pooling and its gradient), an LSTM (the native sequence kernel, the
 * last step's Slice) and Keras's IMDB shape (Embedding, two Bidirectional LSTMs: Concat, the
 * reversed direction, Pack/Unpack). Their steps are recorded and replayed, and the replays give the
 * eager run's losses and weights (the same addon calls on the same values: 1e-6 allows for the
 * threads' summation order).
 */
import * as tfc from '@tensorflow/tfjs-core';
import * as k from '../../../src';
import type { StepCapture } from '../../../src/backend/capture/step_capture';
import { nativeBuilt } from '../../helpers';

const onNative = nativeBuilt() ? describe : describe.skip;
const N = 48;

interface Family { layers: () => k.layers.Layer[]; x: () => tfc.Tensor }

const FAMILIES: Record<string, Family> = {
  'a CNN': {
    layers: () => [
      new k.layers.Conv2D({ filters: 4, kernelSize: 3, activation: 'relu', inputShape: [10, 10, 1] }),
      new k.layers.MaxPooling2D({ poolSize: 2 }),
      new k.layers.Conv2D({ filters: 6, kernelSize: 2, activation: 'relu' }),
      new k.layers.Flatten(),
      new k.layers.Dense({ units: 3, activation: 'softmax' }),
    ],
    x: () => tfc.tensor4d(Float32Array.from({ length: N * 100 }, (_, i) => Math.sin(i * 0.13) * Math.cos(i * 0.029)), [N, 10, 10, 1]),
  },
  'ELU and UpSampling2D (bilinear)': {
    layers: () => [
      new k.layers.Conv2D({ filters: 3, kernelSize: 3, inputShape: [8, 8, 1] }),
      new k.layers.Activation({ activation: 'elu' }),
      new k.layers.UpSampling2D({ size: [2, 2], interpolation: 'bilinear' }),
      new k.layers.GlobalAveragePooling2D(),
      new k.layers.Dense({ units: 3, activation: 'softmax' }),
    ],
    x: () => tfc.tensor4d(Float32Array.from({ length: N * 64 }, (_, i) => Math.sin(i * 0.37)), [N, 8, 8, 1]),
  },
  'Conv3D and MaxPooling3D': {
    layers: () => [
      new k.layers.Conv3D({ filters: 3, kernelSize: 2, activation: 'relu', inputShape: [4, 4, 4, 1] }),
      new k.layers.MaxPooling3D({ poolSize: 3 }),
      new k.layers.Flatten(),
      new k.layers.Dense({ units: 3, activation: 'softmax' }),
    ],
    x: () => tfc.tensor5d(Float32Array.from({ length: N * 64 }, (_, i) => Math.cos(i * 0.23)), [N, 4, 4, 4, 1]),
  },
  'an LSTM': {
    layers: () => [new k.layers.LSTM({ units: 8, inputShape: [6, 5] }), new k.layers.Dense({ units: 3, activation: 'softmax' })],
    x: () => tfc.tensor3d(Float32Array.from({ length: N * 30 }, (_, i) => Math.sin(i * 0.71)), [N, 6, 5]),
  },
  'an Embedding and two Bidirectional LSTMs': {
    layers: () => [
      new k.layers.Embedding({ inputDim: 20, outputDim: 4, inputShape: [6] }),
      new k.layers.Bidirectional({ layer: new k.layers.LSTM({ units: 5, returnSequences: true }) }),
      new k.layers.Bidirectional({ layer: new k.layers.LSTM({ units: 5 }) }),
      new k.layers.Dense({ units: 3, activation: 'softmax' }),
    ],
    x: () => tfc.tensor2d(Float32Array.from({ length: N * 6 }, (_, i) => (i * 7) % 20), [N, 6]),
  },
};

async function train(family: Family, jit: boolean): Promise<{ losses: number[]; weights: Float32Array[]; capture: StepCapture | null; lines: string[] }> {
  k.utils.setRandomSeed(3);
  const model = new k.Sequential(family.layers());
  model.compile({ optimizer: new k.optimizers.Adam({ learningRate: 0.01 }), loss: 'sparse_categorical_crossentropy', jitCompile: jit });
  const lines: string[] = [];
  k.utils.setLogger({ write: () => undefined, warn: (t) => lines.push(t) });
  try {
    const xs = family.x();
    const ys = tfc.tensor1d(Float32Array.from({ length: N }, (_, i) => i % 3));
    const h = await model.fit(xs, ys, { epochs: 3, batchSize: 8, shuffle: false, verbose: 0 });
    tfc.dispose([xs, ys]);
    const capture = (model as unknown as { training: { trainer: { step: { capture: StepCapture | null } } } }).training.trainer.step.capture;
    const weights = model.getWeights();
    const run = { losses: h.history.loss as number[], weights: weights.map((w) => w.dataSync() as Float32Array), capture, lines };
    tfc.dispose(weights);
    model.dispose();
    return run;
  } finally {
    k.utils.setLogger(null);
  }
}

onNative('jitCompile of the bench\'s model families on native', () => {
  beforeAll(async () => {
    await k.setBackend('native');
  });

  test.each(Object.keys(FAMILIES))('%s: its steps are replayed and give the eager run\'s losses and weights', async (family) => {
    const before = tfc.memory().numTensors;
    const eager = await train(FAMILIES[family], false);
    const jit = await train(FAMILIES[family], true);
    expect(jit.lines).toEqual([]);
    // 18 steps of one shape: 1 warm-up, 2 recorded, 15 replayed
    expect(jit.capture?.counts).toEqual({ eager: 1, recorded: 2, replayed: 15 });
    expect(jit.losses.length).toBe(3);
    jit.losses.forEach((l, i) => expect(Math.abs(l - eager.losses[i])).toBeLessThan(1e-6));
    jit.weights.forEach((w, i) => w.forEach((v, j) => expect(Math.abs(v - eager.weights[i][j])).toBeLessThan(1e-6)));
    expect(eager.losses[2]).toBeLessThan(eager.losses[0]); // it trains
    expect(tfc.memory().numTensors).toBe(before);
  });

  test('BatchNormalization in training replaces its moving statistics: the step runs eagerly with one line and trains as without jitCompile', async () => {
    const bn: Family = {
      layers: () => [new k.layers.Conv2D({ filters: 3, kernelSize: 3, inputShape: [8, 8, 1] }), new k.layers.BatchNormalization(), new k.layers.Flatten(), new k.layers.Dense({ units: 3, activation: 'softmax' })],
      x: () => tfc.tensor4d(Float32Array.from({ length: N * 64 }, (_, i) => Math.sin(i * 0.37)), [N, 8, 8, 1]),
    };
    const eager = await train(bn, false);
    const jit = await train(bn, true);
    expect(jit.lines.length).toBe(1);
    expect(jit.lines[0]).toMatch(/runs eagerly: variable \S*moving_mean\S* was replaced rather than updated in place/);
    expect(jit.capture?.counts.replayed).toBe(0);
    expect(jit.losses).toEqual(eager.losses);
  });
});
