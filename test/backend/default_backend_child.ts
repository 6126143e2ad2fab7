/** Run by default_backend.test.ts in a process of its own: the default backend's choice, printed as JSON. */
import * as tfc from '@tensorflow/tfjs-core';
import * as k from '../../src';

async function main(): Promise<void> {
  const model = new k.Sequential([new k.layers.Dense({ units: 2, activation: 'softmax', inputShape: [3] })]);
  model.compile({ optimizer: 'adam', loss: 'categorical_crossentropy' });
  const early = k.getBackend();
  const x = tfc.tensor2d([[1, 2, 3], [3, 2, 1]]);
  const p = model.predict(x) as tfc.Tensor;
  p.dispose();
  const history = await model.fit(x, [[1, 0], [0, 1]], { epochs: 1, verbose: 0 });
  console.log(JSON.stringify({ early, best: k.getBackend(), loss: history.history.loss[0] }));
}

main();
