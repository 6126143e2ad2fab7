/**
 * One process of the data-parallel tests, started alone (one process) or by mpirun. argv[2] is a
 * JSON object of options (see Options). Each process writes `<out>.rank<r>.json`: its weights after
 * training, the history, evaluate's and predict's results. Faults are injected on request: a rank
 * that SIGKILLs itself, hangs, or throws, at a given epoch and batch.
 */
import * as fs from 'fs';
import * as k from '../../src';

interface Options {
  out: string;
  epochs?: number;
  batchSize?: number;
  samples?: number;
  /** BatchNormalization's `synchronized`; null: no batch normalization. */
  sync?: boolean | null;
  verbose?: 0 | 1 | 2;
  /** Callbacks that write: TensorBoard and ModelCheckpoint under this folder + '-rank<r>'. */
  writeDir?: string;
  backupDir?: string;
  timeoutSeconds?: number;
  /** Inject a fault in process `rank` at (epoch, batch), both 0-based. */
  fault?: { rank: number; epoch: number; batch: number; kind: 'kill' | 'hang' | 'throw' };
}

function data(n: number): { x: number[][]; y: number[][] } {
  const x: number[][] = [];
  const y: number[][] = [];
  for (let i = 0; i < n; i++) {
    const row = Array.from({ length: 6 }, (_, j) => Math.sin(i * 0.37 + j * 1.3) + 0.1 * j);
    x.push(row);
    const c = row[0] + row[3] > 0.5 ? 0 : row[1] - row[4] > 0 ? 1 : 2;
    y.push([0, 1, 2].map((j) => (j === c ? 1 : 0)));
  }
  return { x, y };
}

async function main(): Promise<void> {
  const opts = JSON.parse(process.argv[2]) as Options;
  await k.setBackend('cpu');
  k.utils.setRandomSeed(11);
  const dp = new k.distribution.DataParallel({ timeoutSeconds: opts.timeoutSeconds ?? 60 });
  k.distribution.setDistribution(dp);
  const { x, y } = data(opts.samples ?? 200);
  const layers: k.Layer[] = [new k.layers.Dense({ units: 16, activation: 'relu', inputShape: [6] })];
  if (opts.sync !== null && opts.sync !== undefined) layers.push(new k.layers.BatchNormalization({ synchronized: opts.sync, momentum: 0.9 }));
  layers.push(new k.layers.Dense({ units: 3, activation: 'softmax' }));
  const model = new k.Sequential(layers);
  model.compile({ optimizer: new k.optimizers.SGD({ learningRate: 0.1, momentum: 0.9 }), loss: 'categorical_crossentropy', metrics: ['accuracy'] });

  const callbacks: k.callbacks.Callback[] = [];
  const written = opts.writeDir ? `${opts.writeDir}-rank${dp.rank}` : null;
  if (written !== null) {
    callbacks.push(new k.callbacks.TensorBoard({ logDir: `${written}/tb` }));
    callbacks.push(new k.callbacks.ModelCheckpoint(`${written}/ckpt-{epoch}.weights.h5`, { saveWeightsOnly: true }));
  }
  if (opts.backupDir) callbacks.push(new k.callbacks.BackupAndRestore(opts.backupDir));
  let epochNow = 0;
  const fault = opts.fault;
  callbacks.push(
    new k.callbacks.LambdaCallback({
      onEpochBegin: (epoch: number) => {
        epochNow = epoch;
        process.stdout.write(`rank ${dp.rank} epoch ${epoch}\n`);
      },
      onBatchBegin: (batch: number) => {
        if (fault === undefined || fault.rank !== dp.rank || fault.epoch !== epochNow || fault.batch !== batch) return;
        process.stdout.write(`rank ${dp.rank} fault ${fault.kind}\n`);
        if (fault.kind === 'kill') process.kill(process.pid, 'SIGKILL');
        if (fault.kind === 'hang') Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 120_000);
        if (fault.kind === 'throw') throw new Error(`injected failure in rank ${dp.rank}`);
      },
    }),
  );
  const history = await model.fit(x, y, {
    epochs: opts.epochs ?? 2, batchSize: opts.batchSize ?? 32, shuffle: true, verbose: opts.verbose ?? 0,
    validationData: [x.slice(0, 50), y.slice(0, 50)], callbacks,
  });
  const tensorsAfterFit = k.tf.memory().numTensors;
  const evaluation = (await model.evaluate(x, y, { batchSize: 40, returnDict: true })) as k.callbacks.Logs;
  const predicted = model.predict(x, { batchSize: 64 }) as k.tf.Tensor;
  const predictedValues = Array.from(predicted.dataSync());
  predicted.dispose();
  const tensorsAfterPredict = k.tf.memory().numTensors;
  const weights = model.getWeights();
  const weightValues = weights.map((w) => Array.from(w.dataSync()));
  k.tf.dispose(weights);
  // Once more, for the tensor count: a second fit leaves as many tensors as the first.
  await model.fit(x, y, { epochs: 1, batchSize: opts.batchSize ?? 32, verbose: 0 });
  const result = {
    tensors: { afterFit: tensorsAfterFit, afterPredict: tensorsAfterPredict, afterSecondFit: k.tf.memory().numTensors },
    rank: dp.rank,
    size: dp.size,
    weights: weightValues,
    history: history.history,
    evaluation,
    predicted: predictedValues,
    stats: dp.stats,
  };
  fs.writeFileSync(`${opts.out}.rank${dp.rank}.json`, JSON.stringify(result));
  process.stdout.write(`rank ${dp.rank} done\n`);
}

main().catch((e) => {
  process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
