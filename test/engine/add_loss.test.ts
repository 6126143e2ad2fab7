/**
 * Layer.addLoss (Keras's add_loss): a penalty added during a call joins the training step's loss,
 * by exactly its value; a wrapper's inner layer's penalty too; the activity regularizer goes the
 * same way. Expected values by hand.
 */
import * as tfc from '@tensorflow/tfjs-core';
import * as k from '../../src';
import { expectClose, expectNoLeak } from '../helpers';

beforeAll(async () => {
  await k.setBackend('cpu');
});

/** Passes x through and adds `rate` · sum(x²) to the loss. */
class Penalized extends k.Layer {
  readonly className = 'Penalized';
  constructor(private readonly rate: number) {
    super({});
  }
  override computeOutputShape(shape: k.Shape | k.Shape[]): k.Shape | k.Shape[] {
    return shape;
  }
  call(x: tfc.Tensor): tfc.Tensor {
    this.addLoss(tfc.mul(this.rate, tfc.sum(tfc.square(x))));
    return tfc.clone(x);
  }
}

function model(rate: number | null): k.Model {
  const inputs = k.Input({ shape: [2] });
  const dense = new k.layers.Dense({ units: 1, kernelInitializer: 'ones', biasInitializer: 'zeros' });
  const y = dense.apply(inputs);
  const m = new k.Model({ inputs, outputs: rate === null ? y : new Penalized(rate).apply(y) });
  m.compile({ optimizer: new k.optimizers.SGD({ learningRate: 0.01 }), loss: 'mse' });
  return m;
}

test('a penalty from addLoss changes the training loss by exactly its value', async () => {
  // x = [1, 2], kernel ones: the prediction is 3; mse against 0 is 9. The penalty is 0.5 · 3² = 4.5.
  const plain = model(null);
  const penalized = model(0.5);
  const [x, y] = [tfc.tensor2d([[1, 2]]), tfc.tensor2d([[0]])];
  const [base] = await plain.evaluate(x, y);
  const [withPenalty] = await penalized.evaluate(x, y);
  expect(base).toBeCloseTo(9, 5);
  expect(withPenalty).toBeCloseTo(9 + 4.5, 5);
  // fit reports the loss of the batch before its update: the same 13.5.
  const history = await penalized.fit(x, y, { epochs: 1, verbose: 0 });
  expect(history.history.loss[0]).toBeCloseTo(13.5, 5);
  // Its gradient flows: d(mse + 0.5·p²)/dp = 2p + p = 9 at p = 3; each kernel entry moves by 0.01 · 9 · x_i.
  const [kernel] = penalized.layers[1].getWeights();
  expectClose(kernel, [[1 - 0.09], [1 - 0.18]], 1e-6);
  tfc.dispose([x, y, kernel]);
  plain.dispose();
  penalized.dispose();
});

test("a wrapped layer's losses reach the step: an activity regularizer inside TimeDistributed", async () => {
  const inputs = k.Input({ shape: [2, 1] });
  const inner = new k.layers.Dense({ units: 1, kernelInitializer: 'ones', useBias: false, activityRegularizer: 'l2' });
  const outputs = new k.layers.Flatten().apply(new k.layers.TimeDistributed({ layer: inner }).apply(inputs));
  const m = new k.Model({ inputs, outputs });
  m.compile({ optimizer: 'sgd', loss: 'mse' });
  // Steps [1], [2] pass unchanged (kernel 1): mse against [1, 2] is 0; l2 = 0.01 · (1² + 2²) = 0.05.
  const [x, y] = [tfc.tensor3d([[[1], [2]]]), tfc.tensor2d([[1, 2]])];
  const [loss] = await m.evaluate(x, y);
  expect(loss).toBeCloseTo(0.05, 6);
  tfc.dispose([x, y]);
  m.dispose();
});

test('outside a training step the penalty is freed; addLoss outside a call is refused', async () => {
  const layer = new Penalized(1);
  const x = tfc.ones([2, 3]);
  tfc.dispose(layer.apply(x));
  await expectNoLeak(() => tfc.dispose(layer.apply(x)));
  expect(() => layer.addLoss(tfc.scalar(1))).toThrow(/\(Penalized\)\.addLoss: called outside the layer's call\. help: call this\.addLoss/);
  x.dispose();
});
