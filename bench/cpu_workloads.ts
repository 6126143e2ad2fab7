/**
 * The four workloads of `npm run bench` (issue 13), defined once for keras-ts; bench/torch_cpu.py
 * builds the same models in PyTorch.
 *
 * - seed32, seed128: the seed MLP 784-64-32-16-10 (sigmoid, softmax), SGD 0.05, categorical
 *   cross-entropy, on the 8,000 training digits of the `mnist` package, batch 32 / 128;
 * - fashion: an MLP of Fashion-MNIST's size, 784-256-128-100-10 (relu, softmax), Adam 1e-3, batch
 *   128, on 60,000 samples (the 8,000 digits repeated: the shape is what matters for time);
 * - cnn: examples/cnn.ts's network (Conv2D 32 and 64, 3x3 relu, 2x2 max pooling, dropout 0.5,
 *   dense softmax), Adam 1e-3, sparse categorical cross-entropy, batch 32, on 7,200 digits.
 * Every fit also keeps the accuracy metric, as a Keras user's would.
 */
import * as k from '../src';

export const WORKLOADS = ['seed32', 'seed128', 'fashion', 'cnn'] as const;
export type Workload = (typeof WORKLOADS)[number];

export interface Prepared {
  model: k.Model;
  x: Float32Array;
  y: Float32Array;
  batchSize: number;
}

/** An MLP 784-units-10 with `activation` hidden layers and a softmax output. */
export function mlp(units: number[], activation: 'sigmoid' | 'relu'): k.Model {
  const inputs = k.Input({ shape: [784] });
  let h = inputs;
  for (const u of units) h = new k.layers.Dense({ units: u, activation }).apply(h);
  return new k.Model({ inputs, outputs: new k.layers.Dense({ units: 10, activation: 'softmax' }).apply(h) });
}

function repeat(src: Float32Array, rowSize: number, rows: number): Float32Array {
  const out = new Float32Array(rows * rowSize);
  const have = src.length / rowSize;
  for (let i = 0; i < rows; i++) out.set(src.subarray((i % have) * rowSize, (i % have + 1) * rowSize), i * rowSize);
  return out;
}

export function prepare(workload: Workload): Prepared {
  const mnist = k.data.loadMnist();
  const labels = k.utils.toCategorical(mnist.train.y, 10);
  const onehot = Float32Array.from(labels.dataSync()); // a copy: the workers take host arrays
  labels.dispose();
  if (workload === 'seed32' || workload === 'seed128') {
    const model = mlp([64, 32, 16], 'sigmoid');
    model.compile({ optimizer: new k.optimizers.SGD({ learningRate: 0.05 }), loss: 'categorical_crossentropy', metrics: ['accuracy'] });
    return { model, x: mnist.train.x, y: onehot, batchSize: workload === 'seed32' ? 32 : 128 };
  }
  if (workload === 'fashion') {
    const model = mlp([256, 128, 100], 'relu');
    model.compile({ optimizer: new k.optimizers.Adam({ learningRate: 0.001 }), loss: 'categorical_crossentropy', metrics: ['accuracy'] });
    return { model, x: repeat(mnist.train.x, 784, 60000), y: repeat(onehot, 10, 60000), batchSize: 128 };
  }
  const model = cnn();
  model.compile({ optimizer: new k.optimizers.Adam({ learningRate: 0.001 }), loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
  const n = 7200;
  return { model, x: mnist.train.x.subarray(0, n * 784), y: Float32Array.from(mnist.train.y.subarray(0, n)), batchSize: 32 };
}

/** examples/cnn.ts's network: Conv2D 32 and 64 (3x3, relu), 2x2 max pooling, dropout 0.5, dense softmax. */
export function cnn(): k.Model {
  return new k.Sequential([
    new k.layers.Conv2D({ filters: 32, kernelSize: 3, activation: 'relu', inputShape: [28, 28, 1] }),
    new k.layers.MaxPooling2D({ poolSize: 2 }),
    new k.layers.Conv2D({ filters: 64, kernelSize: 3, activation: 'relu' }),
    new k.layers.MaxPooling2D({ poolSize: 2 }),
    new k.layers.Flatten(),
    new k.layers.Dropout({ rate: 0.5 }),
    new k.layers.Dense({ units: 10, activation: 'softmax' }),
  ]);
}
