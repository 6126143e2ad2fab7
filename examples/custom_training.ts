/**
 * Custom training, two ways, on the embedded digits.
 *
 * 1. The course's low-level perceptron (0 vs 1), written with tfjs-core ops through `k.tf`: a
 *    weight matrix and a bias as variables, a sigmoid, binary cross-entropy by hand, and a keras-ts
 *    optimizer's `minimize`, as the course's `tf.train.GradientDescentOptimizer(0.5).minimize(loss)`.
 * 2. "Customizing what happens in fit()": a Model subclass with its own `trainStep` (here it clips
 *    each gradient's norm and keeps its own loss and accuracy trackers), trained by the usual `fit`
 *    with its progress bar and callbacks.
 *
 *   npx ts-node examples/custom_training.ts [--epochs 3] [--backend wasm|cpu] [--seed 1]
 */
import * as k from '../src';
import { parseFlags } from './args';

const tf = k.tf;

/** The rows of two digits: x as [n, 784], y as 1 for `b` and 0 for `a`. */
function twoDigits(split: k.data.MnistSplit, a: number, b: number): { x: k.tf.Tensor2D; y: k.tf.Tensor2D } {
  const rows: number[] = [];
  split.y.forEach((label, i) => (label === a || label === b) && rows.push(i));
  const x = new Float32Array(rows.length * 784);
  rows.forEach((r, i) => x.set(split.x.subarray(r * 784, (r + 1) * 784), i * 784));
  const y = Float32Array.from(rows, (r) => (split.y[r] === b ? 1 : 0));
  return { x: tf.tensor2d(x, [rows.length, 784]), y: tf.tensor2d(y, [rows.length, 1]) };
}

/** Part 1: y = sigmoid(x·W + b), minimized with a keras-ts optimizer, batch by batch. */
function lowLevelPerceptron(mnist: k.data.MnistData, epochs: number): void {
  const train = twoDigits(mnist.train, 0, 1);
  const test = twoDigits(mnist.test, 0, 1);
  const W = tf.variable(tf.zeros([784, 1]), true, 'W');
  const b = tf.variable(tf.zeros([1]), true, 'b');
  const predict = (x: k.tf.Tensor2D): k.tf.Tensor2D => tf.sigmoid(tf.add(tf.matMul(x, W), b)) as k.tf.Tensor2D;
  const crossEntropy = (y: k.tf.Tensor2D, p: k.tf.Tensor2D): k.tf.Scalar => {
    const q = tf.clipByValue(p, 1e-7, 1 - 1e-7);
    return tf.neg(tf.mean(tf.add(tf.mul(y, tf.log(q)), tf.mul(tf.sub(1, y), tf.log(tf.sub(1, q)))))) as k.tf.Scalar;
  };
  const optimizer = new k.optimizers.SGD({ learningRate: 0.5 });
  const n = train.x.shape[0];
  const batch = 100;
  for (let epoch = 0; epoch < epochs; epoch++) {
    let total = 0;
    for (let start = 0; start < n; start += batch) {
      const size = Math.min(batch, n - start);
      const loss = tf.tidy(() => {
        const xb = tf.slice(train.x, [start, 0], [size, 784]);
        const yb = tf.slice(train.y, [start, 0], [size, 1]);
        return optimizer.minimize(() => crossEntropy(yb, predict(xb)), [W, b]);
      });
      total += loss.dataSync()[0] * size;
      loss.dispose();
    }
    console.log(`perceptron epoch ${epoch + 1}/${epochs} - loss: ${(total / n).toFixed(4)}`);
  }
  const accuracy = tf.tidy(() => tf.mean(tf.equal(tf.greater(predict(test.x), 0.5), tf.cast(test.y, 'bool'))).dataSync()[0]);
  console.log(`perceptron (tf ops + SGD.minimize): test accuracy on 0 vs 1: ${accuracy.toFixed(4)}`);
  tf.dispose([W, b, train.x, train.y, test.x, test.y]);
}

/** Part 2: fit with a trainStep of our own: gradient norms clipped to 1, its own loss and accuracy trackers. */
class ClippedModel extends k.Model {
  private readonly lossTracker = new k.metrics.Mean('loss');
  private readonly accuracy = new k.metrics.CategoricalAccuracy({ name: 'accuracy' });

  override get metrics(): k.metrics.Metric[] {
    return [this.lossTracker, this.accuracy]; // fit resets these at the start of each epoch
  }

  override trainStep({ x, y }: k.StepData): k.StepLogs {
    const variables = this.trainableVariables;
    const { value: loss, grads } = tf.variableGrads(() => {
      const yPred = this.apply(x as k.tf.Tensor, { training: true });
      this.accuracy.updateState(y as k.tf.Tensor, yPred);
      return this.computeLoss({ y, yPred });
    }, variables);
    const clipped = variables.map((v) => {
      const g = grads[v.name];
      return tf.mul(g, tf.div(1, tf.maximum(tf.norm(g), 1)));
    });
    this.optimizer.applyGradients(variables.map((v, i) => [clipped[i], v]));
    this.lossTracker.updateState(loss);
    return { loss: this.lossTracker.result(), accuracy: this.accuracy.result() };
  }

  override dispose(): void {
    this.lossTracker.dispose();
    this.accuracy.dispose();
    super.dispose();
  }
}

async function subclassedFit(mnist: k.data.MnistData, epochs: number): Promise<number> {
  const inputs = k.Input({ shape: [784] });
  const hidden = new k.layers.Dense({ units: 64, activation: 'relu' }).apply(inputs);
  const outputs = new k.layers.Dense({ units: 10, activation: 'softmax' }).apply(hidden);
  const model = new ClippedModel({ inputs, outputs, name: 'clipped_mlp' });
  model.compile({ optimizer: new k.optimizers.SGD({ learningRate: 0.1 }), loss: 'categorical_crossentropy', metrics: ['accuracy'] });
  const yTrain = k.utils.toCategorical(mnist.train.y, 10);
  const yTest = k.utils.toCategorical(mnist.test.y, 10);
  await model.fit(mnist.train.x, yTrain, { epochs, batchSize: 32 });
  const [, accuracy] = await model.evaluate(mnist.test.x, yTest, { batchSize: 256 });
  console.log(`subclassed model (own trainStep, clipped gradients): test accuracy ${accuracy.toFixed(4)}`);
  model.dispose();
  yTrain.dispose();
  yTest.dispose();
  return accuracy;
}

async function main(): Promise<void> {
  const flags = parseFlags({ epochs: 3, backend: 'wasm', seed: 1 });
  await k.setBackend(flags.backend as k.BackendName);
  k.utils.setRandomSeed(flags.seed);
  const mnist = k.data.loadMnist();
  lowLevelPerceptron(mnist, flags.epochs);
  await subclassedFit(mnist, flags.epochs);
}

main().catch((e) => {
  console.error(e instanceof Error ? `${e.name}: ${e.message}` : e);
  process.exit(1);
});
