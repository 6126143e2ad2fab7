import * as k from '../../src';
import { nativeBuilt } from '../helpers';

/** The same seeded training, run on one backend; returns every epoch's loss. */
async function seededRun(backend: k.BackendName): Promise<number[]> {
  await k.setBackend(backend);
  k.utils.setRandomSeed(1234);
  const mnist = k.data.loadMnist();
  const n = 512;
  const x = mnist.train.x.subarray(0, n * 784);
  const y = k.utils.toCategorical(mnist.train.y.subarray(0, n), 10);
  const inputs = k.Input({ shape: [784] });
  let h = inputs;
  for (const units of [64, 32, 16]) h = new k.layers.Dense({ units, activation: 'sigmoid' }).apply(h);
  h = new k.layers.Dropout({ rate: 0.1 }).apply(h);
  const model = new k.Model({ inputs, outputs: new k.layers.Dense({ units: 10, activation: 'softmax' }).apply(h) });
  model.compile({ optimizer: new k.optimizers.Adam({ learningRate: 0.01 }), loss: 'categorical_crossentropy', metrics: ['accuracy'] });
  const history = await model.fit(x, y, { epochs: 3, batchSize: 32, verbose: 0 });
  model.dispose();
  y.dispose();
  return history.history.loss;
}

test('the same seeded training gives the same losses on cpu and wasm (1e-4)', async () => {
  const cpu = await seededRun('cpu');
  const wasm = await seededRun('wasm');
  expect(cpu[2]).toBeLessThan(cpu[0]); // it trains
  cpu.forEach((l, i) => expect(Math.abs(l - wasm[i])).toBeLessThan(1e-4));
  const again = await seededRun('cpu');
  expect(again).toEqual(cpu); // same backend: identical
});

(nativeBuilt() ? test : test.skip)('the same seeded training gives the same losses on cpu and native (1e-4)', async () => {
  const cpu = await seededRun('cpu');
  const native = await seededRun('native');
  cpu.forEach((l, i) => expect(Math.abs(l - native[i])).toBeLessThan(1e-4));
  expect(await seededRun('native')).toEqual(native); // same backend: identical
});
