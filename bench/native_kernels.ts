/**
 * `npm run bench:native-kernels`: the kernels issues 21 and 23 moved into
 * the native addon, each timed on 'native' twice: before (tfjs-backend-cpu's JavaScript kernel on
 * the same arrays, as every keras-ts release before ran it) and after (the native kernel). Rows:
 * single kernels at the sizes that were slow (the [200, 32, 128] Reverse of a Bidirectional LSTM,
 * MobileNetV2's depthwise convolutions at 96 x 96) and a MobileNetV2-like block stack built from
 * k.layers (Conv2D / DepthwiseConv2D / BatchNormalization / ReLU(6)), forward and a training step, and
 * one fit epoch of Keras's IMDB model (two Bidirectional LSTM(64)) on 64 sequences of 200 tokens.
 * Milliseconds are the median of REPS runs after a warm-up (a run over 3 s is timed once). The affine
 * transform's "before" is its sampler's own tfjs path (gathers), as it ran before keras-ts's kernel existed.
 * Run it alone:
 *
 *   flock -x /tmp/keras-ts-cpu.lock npm run bench:native-kernels
 */
import * as tfc from '@tensorflow/tfjs-core';
import * as k from '../src';
import { cpuKernels } from '../src/backend/cpu/profile';
import { FusedKernel, hasKernel } from '../src/engine/fused_kernels';
import { affineTransform } from '../src/ops/affine_transform';

const REPS = Number(process.env.REPS ?? 5);

/** Puts tfjs-backend-cpu's kernels in place of the native ones named; returns what puts them back. */
function swapInJsKernels(names: string[]): () => void {
  const saved = names.map((name) => tfc.getKernel(name, 'native') as tfc.KernelConfig);
  const cpu = cpuKernels();
  for (const name of names) {
    tfc.unregisterKernel(name, 'native');
    tfc.registerKernel({ kernelName: name, backendName: 'native', kernelFunc: (cpu.get(name) as tfc.KernelConfig).kernelFunc });
  }
  return () => {
    for (const config of saved) {
      tfc.unregisterKernel(config.kernelName, 'native');
      tfc.registerKernel(config);
    }
  };
}

/** Runs fn with tfjs-backend-cpu's kernels in place of the native ones named. */
function withJsKernels<T>(names: string[], fn: () => T): T {
  const restore = swapInJsKernels(names);
  try {
    return fn();
  } finally {
    restore();
  }
}

/** The same for an async fn. */
async function withJsKernelsAsync<T>(names: string[], fn: () => Promise<T>): Promise<T> {
  const restore = swapInJsKernels(names);
  try {
    return await fn();
  } finally {
    restore();
  }
}

/** Runs fn with keras-ts's own kernels `names` absent from 'native' (ops then take their tfjs path). */
async function withoutKernels<T>(names: string[], fn: () => T): Promise<T> {
  const saved = names.map((name) => tfc.getKernel(name, 'native') as tfc.KernelConfig);
  // hasKernel remembers its answers until the backend changes: switch away and back to forget them.
  const forget = async (): Promise<void> => {
    await k.setBackend('cpu');
    hasKernel(names[0]);
    await k.setBackend('native');
  };
  names.forEach((name) => tfc.unregisterKernel(name, 'native'));
  await forget();
  try {
    return fn();
  } finally {
    saved.forEach((config) => tfc.registerKernel(config));
    await forget();
  }
}

function ms(fn: () => void): number {
  const first = performance.now();
  fn();
  if (performance.now() - first > 3000) return performance.now() - first;
  const times: number[] = [];
  for (let i = 0; i < REPS; i++) {
    const t = performance.now();
    fn();
    times.push(performance.now() - t);
  }
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)];
}

function row(name: string, kernels: string[], fn: () => void): void {
  print(name, withJsKernels(kernels, () => ms(fn)), ms(fn));
}

function print(name: string, before: number, after: number): void {
  console.log(`${name.padEnd(58)} ${before.toFixed(1).padStart(9)} ${after.toFixed(1).padStart(9)} ${(before / after).toFixed(1).padStart(7)}x`);
}

/** Runs the ops and reads the result (so lazy work, if any, is counted), leaving no tensor. */
function run(op: () => tfc.Tensor | tfc.Tensor[]): () => void {
  return () => {
    const out = tfc.tidy(op);
    for (const t of Array.isArray(out) ? out : [out]) t.dataSync();
    tfc.dispose(out);
  };
}

const DEPTHWISE = ['DepthwiseConv2dNative', 'FusedDepthwiseConv2D', 'DepthwiseConv2dNativeBackpropInput', 'DepthwiseConv2dNativeBackpropFilter'];

/** A MobileNetV2-like stack at 96 x 96: stem, inverted-residual blocks (expand, depthwise, project), pooled head. */
function mobileNetLike(): k.Sequential {
  k.utils.setRandomSeed(1);
  const layers: k.layers.Layer[] = [
    new k.layers.Conv2D({ filters: 32, kernelSize: 3, strides: 2, padding: 'same', useBias: false, inputShape: [96, 96, 3] }),
    new k.layers.BatchNormalization(), new k.layers.ReLU({ maxValue: 6 }),
  ];
  const blocks: Array<[number, number, number]> = [[16, 1, 1], [24, 6, 2], [24, 6, 1], [32, 6, 2], [32, 6, 1], [64, 6, 2], [64, 6, 1], [96, 6, 1]];
  let channels = 32;
  for (const [out, expand, stride] of blocks) {
    if (expand !== 1) layers.push(new k.layers.Conv2D({ filters: channels * expand, kernelSize: 1, useBias: false }), new k.layers.BatchNormalization(), new k.layers.ReLU({ maxValue: 6 }));
    layers.push(new k.layers.DepthwiseConv2D({ kernelSize: 3, strides: stride, padding: 'same', useBias: false }), new k.layers.BatchNormalization(), new k.layers.ReLU({ maxValue: 6 }));
    layers.push(new k.layers.Conv2D({ filters: out, kernelSize: 1, useBias: false }), new k.layers.BatchNormalization());
    channels = out;
  }
  layers.push(new k.layers.GlobalAveragePooling2D(), new k.layers.Dense({ units: 10, activation: 'softmax' }));
  const model = new k.Sequential(layers);
  model.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy' });
  return model;
}

const VOLUME = ['Conv3D', 'Conv3DBackpropInputV2', 'Conv3DBackpropFilterV2', 'MaxPool3D', 'MaxPool3DGrad', 'AvgPool3D', 'AvgPool3DGrad'];

/** A small 3-D classifier on 16^3 x 4 volumes: Conv3D(8), MaxPooling3D, Conv3D(16), AveragePooling3D, Dense(10). */
function volumeNet(): k.Sequential {
  k.utils.setRandomSeed(3);
  const model = new k.Sequential([
    new k.layers.Conv3D({ filters: 8, kernelSize: 3, padding: 'same', activation: 'relu', inputShape: [16, 16, 16, 4] }),
    new k.layers.MaxPooling3D({ poolSize: 2 }), new k.layers.Conv3D({ filters: 16, kernelSize: 3, padding: 'same', activation: 'relu' }),
    new k.layers.AveragePooling3D({ poolSize: 2 }), new k.layers.Flatten(), new k.layers.Dense({ units: 10, activation: 'softmax' }),
  ]);
  model.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy' });
  return model;
}

/** Keras's IMDB example at a small size: Embedding 20000 x 128, two Bidirectional LSTM(64), 200 tokens. */
function imdbLike(): k.Sequential {
  k.utils.setRandomSeed(2);
  const model = new k.Sequential([
    new k.layers.Embedding({ inputDim: 20000, outputDim: 128, inputShape: [200] }),
    new k.layers.Bidirectional({ layer: new k.layers.LSTM({ units: 64, returnSequences: true }) }),
    new k.layers.Bidirectional({ layer: new k.layers.LSTM({ units: 64 }) }),
    new k.layers.Dense({ units: 1, activation: 'sigmoid' }),
  ]);
  model.compile({ optimizer: 'adam', loss: 'binary_crossentropy' });
  return model;
}

/** Milliseconds of one fit epoch (after a warm-up epoch). */
async function epochMs(model: k.Sequential, x: tfc.Tensor, y: tfc.Tensor): Promise<number> {
  await model.fit(x, y, { epochs: 1, batchSize: 32, verbose: 0 });
  const t = performance.now();
  await model.fit(x, y, { epochs: 1, batchSize: 32, verbose: 0 });
  return performance.now() - t;
}

const SEQUENCE_KERNELS = ['Reverse', 'Pack', 'Unpack', 'PadV2', 'UnsortedSegmentSum', 'Slice'];

async function main(): Promise<void> {
  await k.setBackend('native');
  const info = k.backendReport();
  console.log(`native_kernels: ${info.device}, ${info.threads} threads; median of ${REPS} runs, ms`);
  console.log(`${'row'.padEnd(58)} ${'JS kernel'.padStart(9)} ${'native'.padStart(9)} speedup`);
  const rnd = (shape: number[]): tfc.Tensor => tfc.randomUniform(shape, -1, 1, 'float32', 1);

  const seq = rnd([200, 32, 128]);
  row('Reverse [200, 32, 128] axis 0', ['Reverse'], run(() => tfc.reverse(seq, 0)));
  row('Reverse [32, 200, 128] axis 1', ['Reverse'], run(() => tfc.reverse(tfc.reshape(seq, [32, 200, 128]), 1)));
  const steps = tfc.unstack(rnd([200, 32, 64]));
  row('Pack: stack 200 steps of [32, 64] on axis 1', ['Pack'], run(() => tfc.stack(steps, 1)));
  tfc.dispose(steps);
  row('Unpack: unstack [32, 200, 128] on axis 1', ['Unpack'], run(() => tfc.unstack(tfc.reshape(seq, [32, 200, 128]), 1)));
  const ids = tfc.tensor1d(Array.from({ length: 32 * 200 }, (_, i) => (i * 7919) % 20000), 'int32');
  const rows = tfc.reshape(seq, [6400, 128]);
  row('UnsortedSegmentSum: [6400, 128] into 20000 (Embedding grad)', ['UnsortedSegmentSum'], run(() => tfc.unsortedSegmentSum(rows, ids, 20000)));
  tfc.dispose([ids, rows]);
  const batch = rnd([32, 96, 96, 3]);
  row('PadV2: [32, 96, 96, 3] by 1 (ZeroPadding2D)', ['PadV2'], run(() => tfc.pad(batch, [[0, 0], [1, 1], [1, 1], [0, 0]])));
  row('MirrorPad: [32, 96, 96, 3] by 3, reflect', ['MirrorPad'], run(() => tfc.mirrorPad(batch, [[0, 0], [3, 3], [3, 3], [0, 0]], 'reflect')));
  row('Slice: crop [32, 96, 96, 3] to [32, 90, 90, 3]', ['Slice'], run(() => tfc.slice(batch, [0, 3, 3, 0], [32, 90, 90, 3])));
  const rotation = Array.from({ length: 32 }, (_, i) => {
    const [c, s] = [Math.cos(0.01 * i), Math.sin(0.01 * i)];
    return [c, -s, 48 - 48 * c + 48 * s, s, c, 48 - 48 * s - 48 * c, 0, 0];
  }).flat();
  const transform = run(() => affineTransform(batch, rotation, { fillMode: 'reflect' }));
  const transformGrad = run(() => tfc.grad((a: tfc.Tensor) => tfc.sum(affineTransform(a, rotation, { fillMode: 'reflect' })))(batch));
  const affine = [FusedKernel.ImageSample, FusedKernel.ImageSampleGrad];
  print('affineTransform [32, 96, 96, 3] bilinear reflect (RandomRotation)', await withoutKernels(affine, () => ms(transform)), ms(transform));
  print('  its gradient', await withoutKernels(affine, () => ms(transformGrad)), ms(transformGrad));
  tfc.dispose(batch);

  for (const [shape, stride] of [[[32, 48, 48, 96], 2], [[32, 24, 24, 144], 1], [[32, 6, 6, 384], 1]] as Array<[number[], number]>) {
    const x = rnd(shape) as tfc.Tensor4D;
    const f = rnd([3, 3, shape[3], 1]) as tfc.Tensor4D;
    const y = tfc.depthwiseConv2d(x, f, stride, 'same');
    const dy = rnd(y.shape);
    row(`DepthwiseConv2dNative [${shape}] 3x3 stride ${stride}`, DEPTHWISE, run(() => tfc.depthwiseConv2d(x, f, stride, 'same')));
    row(`  its two backprops (input and filter)`, DEPTHWISE, run(() =>
      tfc.grads((a: tfc.Tensor, b: tfc.Tensor) => tfc.sum(tfc.mul(tfc.depthwiseConv2d(a as tfc.Tensor4D, b as tfc.Tensor4D, stride, 'same'), dy)))([x, f])));
    tfc.dispose([x, f, y, dy]);
  }

  const model = mobileNetLike();
  const images = rnd([32, 96, 96, 3]);
  const labels = tfc.tensor1d(Array.from({ length: 32 }, (_, i) => i % 10));
  row('MobileNetV2-like stack 96x96 batch 32: predict', DEPTHWISE, () => void tfc.dispose(model.predict(images, { batchSize: 32 }) as tfc.Tensor));
  row('MobileNetV2-like stack 96x96 batch 32: train step', DEPTHWISE, () => void model.trainOnBatch(images, labels));
  tfc.dispose([seq, images, labels]);

  const volume = volumeNet();
  const volumes = rnd([16, 16, 16, 16, 4]);
  const volumeLabels = tfc.tensor1d(Array.from({ length: 16 }, (_, i) => i % 10));
  row('Conv3D net 16^3 x 4 batch 16 (3-D conv and pooling): train step', VOLUME, () => void volume.trainOnBatch(volumes, volumeLabels));
  tfc.dispose([volumes, volumeLabels]);
  volume.dispose();

  const tokens = tfc.tensor2d(Array.from({ length: 64 * 200 }, (_, i) => (i * 7919) % 20000), [64, 200]);
  const targets = tfc.tensor1d(Array.from({ length: 64 }, (_, i) => i % 2));
  const imdb = imdbLike();
  const imdbBefore = await withJsKernelsAsync(SEQUENCE_KERNELS, () => epochMs(imdb, tokens, targets));
  print('IMDB-like 2x Bidirectional LSTM(64), 64 x 200 tokens: 1 epoch', imdbBefore, await epochMs(imdb, tokens, targets));
  tfc.dispose([tokens, targets]);
  const fallbacks = k.backendReport().fallbacks;
  console.log(`fallbacks in the native runs: ${JSON.stringify(fallbacks)}`);
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
