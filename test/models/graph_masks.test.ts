/**
 * A graph node's mask is its own input's, whatever mask the call that runs the graph was given: a
 * model inside another gets the outer mask for its inputs, a layer inside it that ends the mask
 * (masked average pooling) passes none on, and the loss then weighs no steps. Values worked by hand.
 */
import * as tfc from '@tensorflow/tfjs-core';
import * as k from '../../src';
import { testBackend } from '../helpers';

const L = k.layers;

// Two sequences of 3 steps of 2 features; Masking(0) hides step 1 of the first and step 2 of the second.
const x = [
  [[1, 1], [0, 0], [3, 3]],
  [[2, 2], [2, 2], [0, 0]],
];

beforeAll(async () => {
  await k.setBackend(testBackend());
});

function nested(): k.Model {
  const innerIn = k.Input({ shape: [3, 2] });
  const pooled = new L.GlobalAveragePooling1D().apply(innerIn); // the masked mean: [2, 2] for both samples
  const inner = new k.Model({ inputs: innerIn, outputs: new L.Dense({ units: 1, kernelInitializer: 'ones', biasInitializer: 'zeros' }).apply(pooled) });
  const outerIn = k.Input({ shape: [3, 2] });
  const model = new k.Model({ inputs: outerIn, outputs: inner.apply(new L.Masking({ maskValue: 0 }).apply(outerIn)) });
  model.compile({ optimizer: new k.optimizers.SGD({ learningRate: 0 }), loss: 'mse' });
  return model;
}

test("a nested model's nodes see the masks made for them, and none after a layer that ends the mask", async () => {
  const start = tfc.memory().numTensors;
  const model = nested();
  const xs = tfc.tensor3d(x);
  const ys = tfc.tensor2d([[1], [3]]);
  // Dense(ones) of the masked means: 2 + 2 = 4 for both (the unmasked mean would give 8/3 and 8/3).
  const pred = model.predict(xs) as tfc.Tensor;
  expect(Array.from(pred.dataSync())).toEqual([4, 4]);
  // The loss weighs no steps: ((4 - 1)^2 + (4 - 3)^2) / 2 = 5, in evaluate and in a training step alike.
  expect((await model.evaluate(xs, ys, { verbose: 0 }) as number[])[0]).toBeCloseTo(5, 5);
  const history = await model.fit(xs, ys, { epochs: 1, batchSize: 2, verbose: 0 });
  expect(history.history.loss[0]).toBeCloseTo(5, 5);
  pred.dispose();
  tfc.dispose([xs, ys]);
  model.dispose(); // its weights, the optimizer's and the metrics' state
  expect(tfc.memory().numTensors).toBe(start);
});
