/**
 * Custom layers from Keras's guide "Making new layers and models via subclassing" (Linear,
 * ActivityRegularizationLayer, the VAE's Sampling), ported name for name with k.ops, train with
 * fit; stopGradient's gradient. Expected values are by construction (the data is made from known
 * weights) or by hand, never from k.ops.
 */
import * as tfc from '@tensorflow/tfjs-core';
import * as k from '../../src';
import { expectClose, testBackend } from '../helpers';

beforeAll(async () => {
  await k.setBackend(testBackend());
});

const { ops } = k;

/** The guide's `Linear`: w random_normal [inputDim, units], b zeros; call = ops.matmul(inputs, w) + b. */
class Linear extends k.Layer {
  readonly className = 'Linear';
  readonly units: number;
  private w: k.Weight | null = null;
  private b: k.Weight | null = null;
  constructor(args: k.layers.LayerArgs & { units?: number } = {}) {
    super(args);
    this.units = args.units ?? 32;
  }
  override build(inputShape: k.Shape | k.Shape[]): void {
    const s = inputShape as k.Shape;
    this.w = this.addWeight({ name: 'w', shape: [s[s.length - 1] as number, this.units], initializer: 'random_normal', trainable: true });
    this.b = this.addWeight({ name: 'b', shape: [this.units], initializer: 'zeros', trainable: true });
  }
  override computeOutputShape(shape: k.Shape | k.Shape[]): k.Shape {
    return [...(shape as k.Shape).slice(0, -1), this.units];
  }
  call(inputs: tfc.Tensor): tfc.Tensor {
    return ops.add(ops.matmul(inputs, (this.w as k.Weight).value), (this.b as k.Weight).value);
  }
}

/** The guide's `ActivityRegularizationLayer`: adds rate * ops.mean(inputs) to the loss, returns inputs. */
class ActivityRegularizationLayer extends k.Layer {
  readonly className = 'ActivityRegularizationLayer';
  constructor(readonly rate = 1e-2) {
    super({});
  }
  call(inputs: tfc.Tensor): tfc.Tensor {
    this.addLoss(ops.multiply(this.rate, ops.mean(inputs)));
    return inputs;
  }
}

test("the guide's Linear, written with k.ops, learns y = x W + b with fit", async () => {
  k.utils.setRandomSeed(3);
  const W = [[2, -1], [0.5, 3], [-1.5, 0.25]];
  const bias = [0.5, -2];
  const xs = Array.from({ length: 32 }, (_, i) => [Math.sin(i), Math.cos(1.7 * i), ((i % 7) - 3) / 3]);
  const ys = xs.map((r) => [0, 1].map((j) => r.reduce((acc, v, d) => acc + v * W[d][j], bias[j])));
  const layer = new Linear({ units: 2 });
  const model = new k.Sequential({ layers: [layer] });
  model.compile({ optimizer: new k.optimizers.SGD({ learningRate: 0.2 }), loss: 'mse' });
  const x = tfc.tensor2d(xs);
  const y = tfc.tensor2d(ys);
  const history = await model.fit(x, y, { epochs: 300, batchSize: 32, verbose: 0 });
  const losses = history.history.loss as number[];
  expect(losses[losses.length - 1]).toBeLessThan(1e-4);
  expect(losses[losses.length - 1]).toBeLessThan(losses[0] / 100);
  const [w, b] = layer.weights.map((v) => v.value);
  expectClose(w, W, 2e-2);
  expectClose(b, bias, 2e-2);
  x.dispose();
  y.dispose();
  model.dispose();
});

/**
 * The guide's `Sampling` (its VAE's reparameterization layer), name for name: call((z_mean, z_log_var))
 * = z_mean + ops.exp(0.5 * z_log_var) * epsilon, epsilon = keras.random.normal((batch, dim), seed=self.seed_generator).
 */
class Sampling extends k.MultiInputLayer {
  readonly className = 'Sampling';
  private readonly seedGenerator = new k.random.SeedGenerator(1337);
  override computeOutputShape(shapes: k.Shape | k.Shape[]): k.Shape {
    return (shapes as k.Shape[])[0];
  }
  call([zMean, zLogVar]: tfc.Tensor[]): tfc.Tensor {
    const [batch, dim] = ops.shape(zMean);
    const epsilon = k.random.normal([batch, dim], { seed: this.seedGenerator });
    return ops.add(zMean, ops.multiply(ops.exp(ops.multiply(0.5, zLogVar)), epsilon));
  }
}

test("the guide's Sampling draws z_mean + exp(z_log_var / 2) * N(0, 1): mean and spread by construction", () => {
  const before = tfc.memory().numTensors;
  const layer = new Sampling();
  const n = 20000;
  const zMean = tfc.fill([n, 2], 1);
  const zLogVar = tfc.fill([n, 2], Math.log(4)); // std 2
  const z = layer.apply([zMean, zLogVar]);
  expect(z.shape).toEqual([n, 2]);
  const { mean, variance } = tfc.moments(z);
  // 40000 draws: the mean's standard error is 2 / 200 = 0.01, the std's about 0.007.
  expect(Math.abs(mean.dataSync()[0] - 1)).toBeLessThan(0.05);
  expect(Math.abs(Math.sqrt(variance.dataSync()[0]) - 2)).toBeLessThan(0.05);
  [zMean, zLogVar, z, mean, variance].forEach((t) => t.dispose());
  expect(tfc.memory().numTensors).toBe(before);
});

test("a small model through the guide's Sampling trains with fit: the regression is learned and the sampled noise shrinks", async () => {
  k.utils.setRandomSeed(5);
  const xs = Array.from({ length: 64 }, (_, i) => [Math.sin(i), Math.cos(1.3 * i)]);
  const ys = xs.map(([a, b]) => [3 * a - b]);
  const inputs = k.Input({ shape: [2] });
  const zMeanLayer = new k.layers.Dense({ units: 1 });
  const zLogVarLayer = new k.layers.Dense({ units: 1, biasInitializer: 'zeros' });
  const z = new Sampling().apply([zMeanLayer.apply(inputs), zLogVarLayer.apply(inputs)]);
  const model = new k.Model({ inputs, outputs: new k.layers.Dense({ units: 1 }).apply(z) });
  model.compile({ optimizer: new k.optimizers.Adam({ learningRate: 0.05 }), loss: 'mse' });
  const [x, y] = [tfc.tensor2d(xs), tfc.tensor2d(ys)];
  const history = await model.fit(x, y, { epochs: 150, batchSize: 16, verbose: 0 });
  const losses = history.history.loss as number[];
  expect(losses[losses.length - 1]).toBeLessThan(losses[0] / 10);
  // Noise only hurts the mse: the learned log-variance bias goes well below its initial 0 (std < 0.5).
  expect(zLogVarLayer.weights[1].value.dataSync()[0]).toBeLessThan(Math.log(0.25));
  x.dispose();
  y.dispose();
  model.dispose();
});

test("the guide's ActivityRegularizationLayer adds rate * mean(inputs) to the loss", async () => {
  const model = new k.Sequential({ layers: [new ActivityRegularizationLayer(0.5)] });
  model.compile({ optimizer: 'sgd', loss: 'mse' });
  const x = tfc.tensor2d([[1, 2], [3, 6]]);
  // Output = input = target, so the mse is 0 and the loss is the penalty: 0.5 * mean([1, 2, 3, 6]) = 1.5
  // (Keras counts add_loss penalties in evaluate too).
  const loss = await model.evaluate(x, x, { verbose: 0 });
  expect(Array.isArray(loss) ? loss[0] : loss).toBeCloseTo(1.5, 5);
  const history = await model.fit(x, x, { epochs: 1, batchSize: 2, verbose: 0 });
  expect((history.history.loss as number[])[0]).toBeCloseTo(1.5, 5);
  x.dispose();
  model.dispose();
});

test('stopGradient passes its value and blocks its gradient: d/dx sum(x * stopGradient(x)) = x', () => {
  const x = tfc.tensor1d([1, -2, 3]);
  const before = tfc.memory().numTensors;
  const grad = tfc.grad((t: tfc.Tensor) => ops.sum(ops.multiply(t, ops.stopGradient(t))))(x);
  expectClose(grad, [1, -2, 3]);
  const value = ops.stopGradient(x);
  expectClose(value, [1, -2, 3]);
  grad.dispose();
  value.dispose();
  expect(tfc.memory().numTensors).toBe(before);
  x.dispose();
});

test('ops errors name the op, the bad value and the fix', () => {
  expect(() => ops.sum([[1, 2]], 2)).toThrow(/ops\.sum: axis 2 is out of range for a tensor of rank 2\. help:/);
  expect(() => ops.split([1, 2, 3], 2)).toThrow(/ops\.split: axis 0 of size 3 does not split into 2 equal parts\. help:/);
  expect(() => ops.squeeze([[1, 2]], 1)).toThrow(/ops\.squeeze: axis 1 has size 2, not 1.*help:/);
});
