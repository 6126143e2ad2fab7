/**
 * A training run for the BackupAndRestore test, in its own process so the test can SIGKILL it.
 * argv: backupDir [killAfterEpoch]. Prints "epoch N" after each epoch's backup; with
 * killAfterEpoch it then blocks inside the next epoch and waits to be killed. At the end prints
 * "history <json>" (the losses of the epochs this run trained).
 */
import * as k from '../../src';

async function main(): Promise<void> {
  const [dir, killAfter] = process.argv.slice(2);
  await k.setBackend('cpu');
  k.utils.setRandomSeed(7);
  const n = 64;
  const x: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const row = Array.from({ length: 6 }, (_, j) => Math.sin(i * 0.7 + j * 1.3));
    x.push(row);
    y.push(row[0] + row[3] > 0 ? 1 : 0);
  }
  const model = new k.Sequential([
    new k.layers.Dense({ units: 16, activation: 'relu', inputShape: [6] }),
    new k.layers.Dropout({ rate: 0.3 }),
    new k.layers.Dense({ units: 1, activation: 'sigmoid' }),
  ]);
  model.compile({ optimizer: new k.optimizers.Adam({ learningRate: 0.01 }), loss: 'binary_crossentropy' });
  let blocking = false;
  const announce = new k.callbacks.LambdaCallback({
    onEpochEnd: (epoch: number) => {
      process.stdout.write(`epoch ${epoch + 1}\n`);
      if (killAfter !== undefined && epoch + 1 === Number(killAfter)) blocking = true;
    },
    onBatchEnd: (batch: number) => {
      if (blocking && batch === 1) {
        process.stdout.write('waiting to be killed\n');
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 60_000);
      }
    },
  });
  const history = await model.fit(x, y, {
    epochs: 5, batchSize: 8, verbose: 0, shuffle: true,
    callbacks: [new k.callbacks.BackupAndRestore(dir), announce],
  });
  process.stdout.write(`history ${JSON.stringify({ epoch: history.epoch, loss: history.history.loss })}\n`);
}

main().catch((e) => {
  process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
