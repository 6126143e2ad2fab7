/**
 * The course's "Pre-trained model", the Keras way (its classic transfer-learning recipe) on the
 * embedded MNIST digits:
 *   1. train a small CNN on digits 0-4 and save it (digits-0-4.keras);
 *   2. load it, take its convolutional base (up to 'flatten') as a frozen feature extractor, and
 *      train a new head on a few hundred digits 5-9;
 *   3. compare with the same network trained from scratch on the same few digits;
 *   4. load the Keras 2 MNIST MLP that Keras itself saved (test/fixtures/keras-h5) and test it;
 *   5. a Keras application (examples/application_part.ts): MobileNetV2 classifies images with
 *      decodePredictions, then is fine-tuned, frozen, with a new head on a folder of image files.
 *
 *   npx ts-node examples/pretrained.ts [--backend wasm|cpu|cuda|native] [--epochs 3] [--head-epochs 30]
 *       [--few 300] [--base-limit 0] [--seed 1] [--app-weights auto|imagenet|none|PATH] [--app-images 200]
 *       [--app-epochs 3]
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tfc from '@tensorflow/tfjs-core';
import * as k from '../src';
import { parseFlags } from './args';
import { applicationPart } from './application_part';

interface Digits {
  x: Float32Array;
  y: Float32Array;
  count: number;
}

/** The digits of `split` whose label is in [lo, hi], relabelled from 0, at most `limit` of them (0: all). */
function select(split: k.data.MnistSplit, lo: number, hi: number, limit = 0): Digits {
  const picked: number[] = [];
  for (let i = 0; i < split.count && (limit === 0 || picked.length < limit); i++) if (split.y[i] >= lo && split.y[i] <= hi) picked.push(i);
  const x = new Float32Array(picked.length * 784);
  picked.forEach((i, j) => x.set(split.x.subarray(i * 784, (i + 1) * 784), j * 784));
  return { x, y: Float32Array.from(picked, (i) => split.y[i] - lo), count: picked.length };
}

function convBase(): k.layers.Layer[] {
  return [
    new k.layers.Conv2D({ filters: 16, kernelSize: 3, activation: 'relu', inputShape: [28, 28, 1], name: 'conv1' }),
    new k.layers.MaxPooling2D({ poolSize: 2, name: 'pool1' }),
    new k.layers.Conv2D({ filters: 32, kernelSize: 3, activation: 'relu', name: 'conv2' }),
    new k.layers.MaxPooling2D({ poolSize: 2, name: 'pool2' }),
    new k.layers.Flatten({ name: 'flatten' }),
  ];
}

function head(prefix: string): k.layers.Layer[] {
  return [new k.layers.Dense({ units: 64, activation: 'relu', name: `${prefix}_dense` }), new k.layers.Dense({ units: 5, activation: 'softmax', name: `${prefix}_out` })];
}

async function accuracy(model: k.Model, data: Digits): Promise<number> {
  const [, acc] = await model.evaluate(data.x, data.y, { batchSize: 256 });
  return acc;
}

function compile(model: k.Model): void {
  model.compile({ optimizer: new k.optimizers.Adam({ learningRate: 0.001 }), loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
}

async function main(): Promise<void> {
  const flags = parseFlags({ backend: 'wasm', epochs: 3, 'head-epochs': 30, few: 300, 'base-limit': 0, seed: 1, 'app-weights': 'auto', 'app-images': 200, 'app-epochs': 3 });
  await k.setBackend(flags.backend as k.BackendName);
  k.utils.setRandomSeed(flags.seed);
  const mnist = k.data.loadMnist();
  const base04 = select(mnist.train, 0, 4, flags['base-limit']);
  const test04 = select(mnist.test, 0, 4);
  const few59 = select(mnist.train, 5, 9, flags.few);
  const test59 = select(mnist.test, 5, 9);
  console.log(`Backend: ${k.getBackend()}. ${base04.count} training digits 0-4; ${few59.count} training digits 5-9; ${test59.count} test digits 5-9.`);

  // 1. A CNN for digits 0-4, saved in Keras 3's format.
  const base = new k.Sequential({ layers: [...convBase(), ...head('digits04')], name: 'digits_0_4' });
  compile(base);
  await base.fit(base04.x, base04.y, { epochs: flags.epochs, batchSize: 32, verbose: 2 });
  console.log(`Base model: accuracy on test digits 0-4: ${(await accuracy(base, test04)).toFixed(4)}`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keras-ts-pretrained-'));
  const file = path.join(dir, 'digits-0-4.keras');
  await base.save(file);
  console.log(`Saved ${file} (${fs.statSync(file).size} bytes)`);

  // 2. Load it, freeze the convolutional base, and train a new head on a few digits 5-9.
  const loaded = await k.models.loadModel(file);
  const features = new k.Model({ inputs: loaded.inputs, outputs: loaded.getLayer('flatten').output, name: 'features' });
  features.trainable = false;
  let x = features.output;
  for (const layer of head('digits59')) x = layer.apply(x);
  const transfer = new k.Model({ inputs: features.inputs, outputs: x, name: 'transfer' });
  compile(transfer);
  transfer.summary();
  await transfer.fit(few59.x, few59.y, { epochs: flags['head-epochs'], batchSize: 32, verbose: 0 });
  const transferAcc = await accuracy(transfer, test59);

  // 3. The same network from scratch, on the same few digits.
  const scratch = new k.Sequential({ layers: [...convBase(), ...head('scratch')], name: 'scratch' });
  compile(scratch);
  await scratch.fit(few59.x, few59.y, { epochs: flags['head-epochs'], batchSize: 32, verbose: 0 });
  const scratchAcc = await accuracy(scratch, test59);
  console.log(`Digits 5-9 from ${few59.count} training digits, ${flags['head-epochs']} epochs:`);
  console.log(`  frozen pre-trained base + new head: test accuracy ${transferAcc.toFixed(4)}`);
  console.log(`  same network from scratch:          test accuracy ${scratchAcc.toFixed(4)}`);

  // 4. A model Keras 2 saved: config JSON + weights .h5.
  const fixtures = path.join(__dirname, '..', 'test', 'fixtures', 'keras-h5');
  const config = path.join(fixtures, 'mnist_mlp_tf_keras_2_config.json');
  const mlp = k.models.modelFromJson(fs.readFileSync(config, 'utf8'));
  await mlp.loadWeights(path.join(fixtures, 'mnist_mlp_tf_keras_2_weights.h5'));
  const probs = mlp.predict(mnist.test.x, { batchSize: 256 }) as tfc.Tensor;
  const predicted = tfc.argMax(probs, 1);
  const labels = predicted.dataSync();
  let right = 0;
  labels.forEach((p, i) => (right += p === mnist.test.y[i] ? 1 : 0));
  console.log(`Keras 2.0.6 MNIST MLP (mnist_mlp_tf_keras_2): test accuracy ${(right / mnist.test.count).toFixed(4)} on our ${mnist.test.count} test digits`);
  tfc.dispose([probs, predicted]);
  mlp.dispose();

  // 5. A Keras application: ImageNet's MobileNetV2, then fine-tuned on a folder of images.
  await applicationPart({ weights: flags['app-weights'], images: flags['app-images'], epochs: flags['app-epochs'] }, dir);
  fs.rmSync(dir, { recursive: true, force: true });
  [base, loaded, transfer, scratch].forEach((m) => m.dispose());
}

main().catch((e) => {
  console.error(e instanceof Error ? `${e.name}: ${e.message}` : e);
  process.exit(1);
});
