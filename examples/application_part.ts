/**
 * Part 5 of examples/pretrained.ts: a Keras application, as a Keras user means "pre-trained model".
 *   a. k.applications.MobileNetV2 (alpha 0.35) with ImageNet's classifier classifies a few images
 *      with mobilenetV2.preprocessInput and decodePredictions;
 *   b. the same network without its top, frozen, gets a new head, fine-tuned on a small folder of
 *      images read by k.utils.imageDatasetFromDirectory (the digits 0-4 written as PNG files).
 * Weights: `--app-weights auto` (the default) uses Keras's ImageNet files where they are already in
 * Keras's cache (~/.keras/models, or $KERAS_HOME/models) and otherwise says where to put them and
 * runs on random weights; this example never downloads (KERAS_TS_OFFLINE). `--app-weights imagenet`
 * downloads them as Keras does; a path loads that file; `none` is random weights.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as tfc from '@tensorflow/tfjs-core';
import * as k from '../src';

export interface ApplicationFlags {
  weights: string;
  images: number;
  epochs: number;
}

const A = k.applications;

/** The weights to build with: 'imagenet' if Keras's file is cached (or asked for), else null, with why. */
async function chooseWeights(flags: ApplicationFlags, consequence: string, build: (weights: string | null) => Promise<k.Model>): Promise<k.Model> {
  if (flags.weights === 'none') return build(null);
  if (flags.weights !== 'auto') return build(flags.weights);
  const before = process.env.KERAS_TS_OFFLINE;
  process.env.KERAS_TS_OFFLINE = '1'; // 'auto' only takes what is already on this machine
  try {
    return await build('imagenet');
  } catch (e) {
    console.log(`  no ImageNet weights here: ${(e as Error).message.replace(/^.*?: /, '')}`);
    console.log(`  (running on random weights: ${consequence})`);
    return build(null);
  } finally {
    if (before === undefined) delete process.env.KERAS_TS_OFFLINE;
    else process.env.KERAS_TS_OFFLINE = before;
  }
}

/** Writes `count` digits 0-4 as PNG files into dir/<digit>/ (the previous issue's folder layout). */
async function writeFolder(split: k.data.MnistSplit, count: number, dir: string): Promise<void> {
  let written = 0;
  for (let i = 0; i < split.count && written < count; i++) {
    if (split.y[i] > 4) continue;
    const px = split.x.subarray(i * 784, (i + 1) * 784);
    const rows = Array.from({ length: 28 }, (_, y) => Array.from({ length: 28 }, (_, x) => [Math.round(px[y * 28 + x] * 255)]));
    fs.mkdirSync(path.join(dir, String(split.y[i])), { recursive: true });
    await k.utils.saveImg(path.join(dir, String(split.y[i]), `${i}.png`), rows, { scale: false });
    written++;
  }
}

export async function applicationPart(flags: ApplicationFlags, dir: string): Promise<void> {
  const mnist = k.data.loadMnist();
  const trainDir = path.join(dir, 'images', 'train');
  const testDir = path.join(dir, 'images', 'test');
  await writeFolder(mnist.train, flags.images, trainDir);
  await writeFolder(mnist.test, Math.ceil(flags.images / 2), testDir);

  // a. Classify with ImageNet's classifier.
  console.log('5. k.applications.MobileNetV2 (alpha 0.35, 224x224, ImageNet classifier):');
  const classifier = await chooseWeights(flags, 'the predictions below are arbitrary classes', (weights) => A.MobileNetV2({ alpha: 0.35, weights }));
  const few = await k.utils.imageDatasetFromDirectory(testDir, { imageSize: [224, 224], batchSize: 3, seed: 1, verbose: false });
  for await (const batch of few.take(1)) {
    const [images, labels] = batch as tfc.Tensor[];
    const x = A.mobilenetV2.preprocessInput(images) as tfc.Tensor;
    const probs = classifier.predict(x) as tfc.Tensor;
    const top = A.mobilenetV2.decodePredictions(probs, 3);
    const digits = Array.from(labels.dataSync());
    top.forEach((row, i) => console.log(`  image of a ${digits[i]}: ${row.map(([, name, p]) => `${name} ${(p * 100).toFixed(1)}%`).join(', ')}`));
    tfc.dispose([images, labels, x, probs]);
  }
  console.log(`  ${classifier.name}: ${classifier.countParams().toLocaleString('en-US')} parameters`);
  classifier.dispose();

  // b. Fine-tune: the base without its top, frozen, and a new head on the folder of digits 0-4.
  const base = await chooseWeights(flags, 'the frozen base gives random features, so the new head learns little', (weights) => A.MobileNetV2({ alpha: 0.35, weights, includeTop: false, inputShape: [96, 96, 3], pooling: 'avg' }));
  base.trainable = false;
  const inputs = k.Input({ shape: [96, 96, 3] });
  const features = base.apply(inputs, { training: false }) as k.SymbolicTensor;
  const outputs = new k.layers.Dense({ units: 5, activation: 'softmax', name: 'digits_head' }).apply(features) as k.SymbolicTensor;
  const model = new k.Model({ inputs, outputs, name: 'mobilenet_v2_digits' });
  model.compile({ optimizer: new k.optimizers.Adam({ learningRate: 0.01 }), loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
  const prepare = (batch: unknown): tfc.Tensor[] => {
    const [images, labels] = batch as tfc.Tensor[];
    return [A.mobilenetV2.preprocessInput(images) as tfc.Tensor, labels];
  };
  const train = (await k.utils.imageDatasetFromDirectory(trainDir, { imageSize: [96, 96], batchSize: 32, seed: 1 })).map(prepare);
  const test = (await k.utils.imageDatasetFromDirectory(testDir, { imageSize: [96, 96], batchSize: 32, shuffle: false })).map(prepare);
  await model.fit(train, { epochs: flags.epochs, verbose: 2 });
  const [, acc] = await model.evaluate(test, undefined, { verbose: 0 });
  console.log(`  frozen MobileNetV2 base + new head, ${flags.epochs} epochs on ${flags.images} digit images: test accuracy ${acc.toFixed(4)}`);
  model.dispose();
  base.dispose();
}
