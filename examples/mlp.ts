/**
 * The course's MNIST network, in keras-ts: 784-64-32-16-10, sigmoid hidden layers, softmax output,
 * categorical cross-entropy.
 *
 *   npx ts-node examples/mlp.ts [--backend auto|native|wasm|cpu|cuda] [--epochs 20] [--batch-size 32]
 *                               [--optimizer adam|sgd] [--lr 0.001] [--data DIR_WITH_IDX_FILES]
 *                               [--logdir runs/mlp] [--plots out/] [--distributed]
 *
 * --logdir writes TensorBoard event files (loss and accuracy per epoch, weight histograms, the
 * graph): `tensorboard --logdir runs/mlp`. --plots writes the model's picture (model.svg, model.png)
 * and the training curves (curves.svg, curves.png) into that folder.
 *
 * --distributed trains data-parallel over the processes an MPI launcher started, each taking its
 * part of every batch: `mpirun -np 2 npx ts-node examples/mlp.ts --distributed` (as root, add
 * --allow-run-as-root; on fewer cores than processes, --oversubscribe). Rank 0 prints; every
 * process ends with the same weights and accuracy as one process would.
 *
 * The course used SGD with lr 0.05 for 200 epochs; in 20 epochs that barely learns, so the default
 * here is Adam 1e-3, which reaches about 0.92 test accuracy on the held-out digits.
 */
import * as path from 'path';
import * as k from '../src';
import { chooseBackend, parseFlags } from './args';

async function main(): Promise<void> {
  const flags = parseFlags({ backend: 'auto', epochs: 20, 'batch-size': 32, optimizer: 'adam', lr: 0.001, data: '', seed: 1, logdir: '', plots: '', distributed: false });
  await chooseBackend(flags.backend);
  k.utils.setRandomSeed(flags.seed);
  const dp = flags.distributed ? new k.distribution.DataParallel() : null;
  if (dp !== null) k.distribution.setDistribution(dp);
  const rankZero = dp === null || dp.isRankZero;
  const log = (line: string): void => void (rankZero && console.log(line));
  const mnist = k.data.loadMnist(flags.data ? { dir: flags.data } : {});
  if (dp !== null) log(`Data-parallel over ${dp.size} process${dp.size > 1 ? 'es' : ''}${dp.library ? ` (${dp.library})` : ''}; each batch of ${flags['batch-size']} is split between them.`);
  log(`Backend: ${k.getBackend()}. Data: ${mnist.source}: ${mnist.train.count} train, ${mnist.test.count} test digits.`);

  const inputs = k.Input({ shape: [784] });
  let x = inputs;
  for (const units of [64, 32, 16]) x = new k.layers.Dense({ units, activation: 'sigmoid' }).apply(x);
  const outputs = new k.layers.Dense({ units: 10, activation: 'softmax' }).apply(x);
  const model = new k.Model({ inputs, outputs, name: 'mnist_mlp' });
  if (rankZero) model.summary();

  const optimizer =
    flags.optimizer === 'sgd' ? new k.optimizers.SGD({ learningRate: flags.lr }) : new k.optimizers.Adam({ learningRate: flags.lr });
  model.compile({ optimizer, loss: 'categorical_crossentropy', metrics: ['accuracy'] });

  const yTrain = k.utils.toCategorical(mnist.train.y, 10);
  const yTest = k.utils.toCategorical(mnist.test.y, 10);
  const callbacks = flags.logdir ? [new k.callbacks.TensorBoard({ logDir: flags.logdir, histogramFreq: 1 })] : [];
  const started = Date.now();
  const history = await model.fit(mnist.train.x, yTrain, { batchSize: flags['batch-size'], epochs: flags.epochs, validationSplit: 0.1, callbacks });
  const perEpoch = (Date.now() - started) / 1000 / flags.epochs;
  if (flags.logdir) log(`TensorBoard logs in ${flags.logdir}: tensorboard --logdir ${flags.logdir}`);
  if (flags.plots && rankZero) {
    for (const ext of ['svg', 'png']) {
      await k.utils.plotModel(model, path.join(flags.plots, `model.${ext}`), { showShapes: true, showLayerNames: true, showLayerActivations: true, dpi: 96 });
      await k.utils.plotHistory(history, path.join(flags.plots, `curves.${ext}`), { title: `${model.name}: loss and accuracy per epoch` });
    }
    log(`Pictures in ${flags.plots}: model.svg, model.png, curves.svg, curves.png`);
  }

  const [loss, accuracy] = await model.evaluate(mnist.test.x, yTest, { batchSize: 256 });
  const where = dp === null ? k.getBackend() : `${k.getBackend()}, ${dp.size} process${dp.size > 1 ? 'es' : ''}`;
  log(`Test loss: ${loss.toFixed(4)} - test accuracy: ${accuracy.toFixed(4)} (${perEpoch.toFixed(2)} s per epoch on ${where})`);
  model.dispose();
  yTrain.dispose();
  yTest.dispose();
}

main().catch((e) => {
  console.error(e instanceof Error ? `${e.name}: ${e.message}` : e);
  process.exit(1);
});
