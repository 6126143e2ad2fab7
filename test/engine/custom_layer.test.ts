/**
 * A user's own layer, as Keras users write it: weights from addWeight with string initializers,
 * regularizers and constraints; no computeOutputShape, so the output shape is inferred.
 */
import * as tfc from '@tensorflow/tfjs-core';
import * as k from '../../src';
import { expectClose, expectNoLeak } from '../helpers';

beforeAll(async () => {
  await k.setBackend('cpu');
});

/** x · W (no bias), a projection to `units`; declares no output shape. */
class Projection extends k.layers.Layer {
  readonly className = 'Projection';
  w: k.Weight | null = null;
  constructor(private readonly units: number, private readonly extra: Partial<k.layers.AddWeightArgs> = {}) {
    super({});
  }
  override build(inputShape: k.Shape | k.Shape[]): void {
    const shape = inputShape as k.Shape;
    this.w = this.addWeight({ name: 'w', shape: [shape[shape.length - 1] as number, this.units], initializer: 'ones', ...this.extra });
  }
  call(inputs: tfc.Tensor | tfc.Tensor[]): tfc.Tensor {
    return tfc.matMul(inputs as tfc.Tensor, (this.w as k.Weight).value);
  }
}

test('addWeight takes Keras string names: initializers, regularizers, constraints', () => {
  const layer = new Projection(2, { initializer: 'zeros' });
  const y = layer.apply(tfc.ones([1, 3])) as tfc.Tensor;
  expectClose(y, [[0, 0]]);
  y.dispose();
  const glorot = new Projection(4, { initializer: 'glorot_uniform' });
  glorot.apply(tfc.ones([1, 6])).dispose();
  const limit = Math.sqrt(6 / (6 + 4)); // Glorot uniform bound, by hand
  const w = glorot.getWeights()[0];
  const values = Array.from(w.dataSync());
  w.dispose();
  expect(values.every((v) => Math.abs(v) <= limit)).toBe(true);
  expect(new Set(values).size).toBeGreaterThan(20);
  expect(() => new Projection(2, { initializer: 'glorot_unifrom' as never }).apply(tfc.ones([1, 3]))).toThrow(
    /addWeight 'w': unknown initializer 'glorot_unifrom'\. help: use one of .*'glorot_uniform'/,
  );
});

test('a string regularizer adds its penalty to the loss, a string constraint projects after each step', async () => {
  const inputs = k.Input({ shape: [2] });
  const proj = new Projection(1, { initializer: 'ones', regularizer: 'l2', constraint: 'non_neg' });
  const model = new k.Model({ inputs, outputs: proj.apply(inputs) });
  model.compile({ optimizer: new k.optimizers.SGD({ learningRate: 10 }), loss: 'mse' });
  // w = [1, 1]: l2 penalty 0.01 · (1 + 1) = 0.02; mse of x=[1, 1] -> 2 against y = 2 is 0.
  const [loss] = await model.evaluate([[1, 1]], [[2]]);
  expect(loss).toBeCloseTo(0.02, 6);
  // A large step towards y = -5 would make w negative: non_neg clips it to 0.
  await model.fit([[1, 1]], [[-5]], { epochs: 1, verbose: 0 });
  const [w] = proj.getWeights();
  expectClose(w, [[0], [0]]);
  w.dispose();
  model.dispose();
});

test('no computeOutputShape: the shape is inferred by calling the layer, and fit uses it', async () => {
  const model = new k.Sequential([k.Input({ shape: [4] }), new Projection(3), new k.layers.Activation({ activation: 'softmax' })]);
  expect(model.outputShapes).toEqual([[null, 3]]);
  expect(model.summary(() => undefined)).toMatch(/projection\w* \(Projection\)\s+\(None, 3\)\s+12/);
  model.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy' });
  const history = await model.fit([[1, 2, 3, 4], [4, 3, 2, 1]], [0, 2], { epochs: 2, verbose: 0 });
  expect(history.history.loss.every(Number.isFinite)).toBe(true);
  model.dispose();
});

test('inference keeps unknown dimensions unknown and known ones known', () => {
  class SumTime extends k.layers.Layer {
    readonly className = 'SumTime';
    call(inputs: tfc.Tensor | tfc.Tensor[]): tfc.Tensor {
      const x = inputs as tfc.Tensor;
      return tfc.concat([x, tfc.sum(x, 1, true)], 1); // one step more than the input
    }
  }
  const x = k.Input({ shape: [null, 5] });
  expect(new SumTime({}).apply(x).shape).toEqual([null, null, 5]);
  const fixed = k.Input({ shape: [7, 5] });
  expect(new SumTime({}).apply(fixed).shape).toEqual([null, 8, 5]);
});

test('a call that fails on zeros says to define computeOutputShape', () => {
  class Picky extends k.layers.Layer {
    readonly className = 'Picky';
    call(inputs: tfc.Tensor | tfc.Tensor[]): tfc.Tensor {
      return tfc.reshape(inputs as tfc.Tensor, [-1, 7]);
    }
  }
  expect(() => new Picky({}).apply(k.Input({ shape: [5] }))).toThrow(
    /picky\w* \(Picky\): its output shape was inferred by calling it on zeros of shape \(2, 5\), and the call failed: .*help: define computeOutputShape\(inputShape\) in the layer/,
  );
});

test('shape inference and addWeight leak nothing', async () => {
  await expectNoLeak(() => {
    const layer = new Projection(3, { initializer: 'random_normal' });
    layer.apply(k.Input({ shape: [4] }));
    layer.dispose();
  });
});
