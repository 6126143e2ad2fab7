/**
 * "How to deal with images?", from real image files: a small CNN with augmentation trained from a
 * folder of class subfolders by k.utils.imageDatasetFromDirectory (Keras's image_dataset_from_directory).
 * Without --dir it makes the folder first: the digits keras-ts ships, written as PNG files into
 * <tmp>/digits/{train,test}/<digit>/. With --dir it trains on your folder (one subfolder per class),
 * holding out --validation-split of it, and reports the accuracy on that held-out part.
 *
 *   npx ts-node examples/images_from_folder.ts [--dir DIR] [--epochs 5] [--limit 3000] [--image-size 28]
 *       [--batch-size 32] [--color-mode grayscale|rgb|rgba] [--validation-split 0.2] [--backend auto] [--seed 1]
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as k from '../src';
import { chooseBackend, parseFlags } from './args';

/** Writes `count` digits of a split as PNG files into dir/<digit>/<i>.png, a few at a time. */
async function writeDigits(split: k.data.MnistSplit, count: number, dir: string): Promise<void> {
  for (let d = 0; d < 10; d++) fs.mkdirSync(path.join(dir, String(d)), { recursive: true });
  const write = async (i: number): Promise<void> => {
    const px = split.x.subarray(i * 784, (i + 1) * 784);
    const rows = Array.from({ length: 28 }, (_, y) => Array.from({ length: 28 }, (_, x) => [Math.round(px[y * 28 + x] * 255)]));
    await k.utils.saveImg(path.join(dir, String(split.y[i]), `${i}.png`), rows, { scale: false });
  };
  for (let i = 0; i < count; i += 64) {
    await Promise.all(Array.from({ length: Math.min(64, count - i) }, (_, j) => write(i + j)));
  }
}

async function main(): Promise<void> {
  const flags = parseFlags({ dir: '', backend: 'auto', epochs: 5, limit: 3000, 'image-size': 28, 'batch-size': 32, 'color-mode': '', 'validation-split': 0.2, lr: 0.002, seed: 1 });
  await chooseBackend(flags.backend);
  k.utils.setRandomSeed(flags.seed);
  const size: [number, number] = [flags['image-size'], flags['image-size']];
  const colorMode = (flags['color-mode'] || (flags.dir ? 'rgb' : 'grayscale')) as 'grayscale' | 'rgb' | 'rgba';
  const common = { imageSize: size, colorMode, batchSize: flags['batch-size'], seed: flags.seed };

  let train: k.utils.ImageDataset;
  let validation: k.utils.ImageDataset;
  let test: k.utils.ImageDataset;
  let made: string | null = null;
  if (flags.dir) {
    [train, validation] = await k.utils.imageDatasetFromDirectory(flags.dir, { ...common, validationSplit: flags['validation-split'], subset: 'both' });
    test = validation;
  } else {
    made = fs.mkdtempSync(path.join(os.tmpdir(), 'keras-ts-digits-'));
    const mnist = k.data.loadMnist();
    const nTrain = Math.min(flags.limit, mnist.train.count);
    const nTest = Math.min(Math.ceil(flags.limit / 4), mnist.test.count);
    await writeDigits(mnist.train, nTrain, path.join(made, 'digits', 'train'));
    await writeDigits(mnist.test, nTest, path.join(made, 'digits', 'test'));
    console.log(`Wrote ${nTrain} + ${nTest} digits as PNG files under ${path.join(made, 'digits')}.`);
    [train, validation] = await k.utils.imageDatasetFromDirectory(path.join(made, 'digits', 'train'), { ...common, validationSplit: 0.1, subset: 'both' });
    test = await k.utils.imageDatasetFromDirectory(path.join(made, 'digits', 'test'), { ...common, shuffle: false });
  }
  const classes = train.classNames!;
  console.log(`Backend: ${k.getBackend()}. Classes: ${classes.join(', ')}.`);

  const channels = { grayscale: 1, rgb: 3, rgba: 4 }[colorMode];
  const inputs = k.Input({ shape: [size[0], size[1], channels] });
  let x = new k.layers.Rescaling({ scale: 1 / 255 }).apply(inputs);
  x = new k.layers.RandomTranslation({ heightFactor: 0.1, widthFactor: 0.1, seed: flags.seed }).apply(x); // augmentation: training only
  x = new k.layers.RandomRotation({ factor: 0.03, seed: flags.seed }).apply(x);
  x = new k.layers.Conv2D({ filters: 16, kernelSize: 3, activation: 'relu' }).apply(x);
  x = new k.layers.MaxPooling2D({ poolSize: 2 }).apply(x);
  x = new k.layers.Conv2D({ filters: 32, kernelSize: 3, activation: 'relu' }).apply(x);
  x = new k.layers.MaxPooling2D({ poolSize: 2 }).apply(x);
  x = new k.layers.Flatten().apply(x);
  x = new k.layers.Dropout({ rate: 0.3 }).apply(x);
  const outputs = new k.layers.Dense({ units: classes.length, activation: 'softmax' }).apply(x);
  const model = new k.Model({ inputs, outputs, name: 'images_from_folder' });
  model.compile({ optimizer: new k.optimizers.Adam({ learningRate: flags.lr }), loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });

  const started = Date.now();
  await model.fit(train, { epochs: flags.epochs, validationData: validation });
  const perEpoch = (Date.now() - started) / 1000 / Math.max(flags.epochs, 1);
  const [loss, accuracy] = await model.evaluate(test, undefined, { verbose: 0 });
  console.log(`Test loss: ${loss.toFixed(4)} - test accuracy: ${accuracy.toFixed(4)} (${perEpoch.toFixed(2)} s per epoch, decoding ${train.filePaths.length} files each)`);
  model.dispose();
  if (made !== null) fs.rmSync(made, { recursive: true, force: true });
}

main().catch((e) => {
  console.error(e instanceof Error ? `${e.name}: ${e.message}` : e);
  process.exit(1);
});
