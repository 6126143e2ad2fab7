// A TypeScript user, compiled with strict and skipLibCheck false: the same job, typed.
import * as k from 'keras-ts';

async function main(): Promise<void> {
  await k.setBackend('wasm');
  const tf = k.tf;
  const start = tf.memory().numTensors;
  const mnist: k.data.MnistData = k.data.loadMnist();
  const n = 300;
  const x: k.tf.Tensor2D = tf.tensor2d(mnist.train.x.subarray(0, n * 784), [n, 784]);
  const y: k.tf.Tensor = tf.tidy(() => tf.oneHot(tf.tensor1d(Array.from(mnist.train.y.subarray(0, n)), 'int32'), 10));
  const inputs: k.SymbolicTensor = k.Input({ shape: [784] });
  let h = inputs;
  for (const units of [64, 32, 16]) h = new k.layers.Dense({ units, activation: 'sigmoid' }).apply(h);
  const model = new k.Model({ inputs, outputs: new k.layers.Dense({ units: 10, activation: 'softmax' }).apply(h) });
  const compileArgs: k.CompileArgs = { optimizer: new k.optimizers.Adam({ learningRate: 0.01 }), loss: 'categorical_crossentropy', metrics: ['accuracy'] };
  model.compile(compileArgs);
  const [before] = await model.evaluate(x, y);
  const history: k.callbacks.History = await model.fit(x, y, { epochs: 1, batchSize: 32, verbose: 0 });
  const [after] = await model.evaluate(x, y);
  const p = model.predict(x) as k.tf.Tensor;
  const chained: number[] = tf.tidy(() => x.slice([0, 0], [1, 3]).square().shape);
  const result = { how: 'ts', backend: k.getBackend(), before, after, predShape: p.shape, chained, start, epochs: history.epoch.length, end: 0 };
  p.dispose();
  model.dispose();
  tf.dispose([x, y]);
  result.end = tf.memory().numTensors;
  console.log(`RESULT ${JSON.stringify(result)}`);
}

main().catch((e: unknown) => {
  console.error(e);
  throw e;
});
