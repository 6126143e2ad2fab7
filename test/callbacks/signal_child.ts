/**
 * A fit with the live progress bar, for the pseudo-terminal test of Ctrl-C (progbar_signal.test.ts).
 * argv: mode. 'default': no listener of its own; 'graceful': with StopOnSignal, prints
 * "history <json>" when fit returns; 'own': the program's own SIGINT handler, which exits with 3.
 * Prints "training" at the first batch, so the test knows when the bar is drawn.
 */
import * as k from '../../src';

async function main(): Promise<void> {
  const mode = process.argv[2];
  await k.setBackend('cpu');
  const n = 20000;
  const x = new Float32Array(n * 8).map((_, i) => Math.sin(i * 0.37));
  const y = new Float32Array(n).map((_, i) => Math.cos(i * 0.11));
  const inputs = k.Input({ shape: [8] });
  const hidden = new k.layers.Dense({ units: 32, activation: 'relu' }).apply(inputs);
  const model = new k.Model({ inputs, outputs: new k.layers.Dense({ units: 1 }).apply(hidden) });
  model.compile({ optimizer: 'sgd', loss: 'mse' });
  if (mode === 'own') {
    process.on('SIGINT', () => {
      process.stdout.write('\nown handler\n');
      process.exit(3);
    });
  }
  let announced = false;
  const announce = new k.callbacks.LambdaCallback({
    onBatchBegin: () => {
      if (!announced) process.stdout.write('training\n');
      announced = true;
    },
  });
  const callbacks = mode === 'graceful' ? [announce, new k.callbacks.StopOnSignal()] : [announce];
  const history = await model.fit(x, y, { epochs: 20, batchSize: 4, verbose: 1, callbacks });
  process.stdout.write(`history ${JSON.stringify(history.history)}\n`);
}

main().catch((e) => {
  process.stderr.write(`${String(e)}\n`);
  process.exit(1);
});
