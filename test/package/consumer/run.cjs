/**
 * What every consumer script does with the installed package `k`: the seed MLP, one epoch on 300
 * real digits on wasm, evaluate before and after, predict; prints one JSON line.
 */
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');

module.exports = async function run(k, how) {
  await k.setBackend('wasm');
  const tf = k.tf;
  const start = tf.memory().numTensors;
  const mnist = k.data.loadMnist();
  const n = 300;
  const x = tf.tensor2d(mnist.train.x.subarray(0, n * 784), [n, 784]);
  const y = tf.tidy(() => tf.oneHot(tf.tensor1d(Array.from(mnist.train.y.subarray(0, n)), 'int32'), 10));
  const model = new k.Sequential([
    new k.layers.Dense({ units: 64, activation: 'sigmoid', inputShape: [784] }),
    new k.layers.Dense({ units: 32, activation: 'sigmoid' }),
    new k.layers.Dense({ units: 16, activation: 'sigmoid' }),
    new k.layers.Dense({ units: 10, activation: 'softmax' }),
  ]);
  model.compile({ optimizer: new k.optimizers.Adam({ learningRate: 0.01 }), loss: 'categorical_crossentropy', metrics: ['accuracy'] });
  const [before] = await model.evaluate(x, y);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `keras-ts-${how}-`));
  const tensorboard = new k.callbacks.TensorBoard({ logDir: path.join(dir, 'logs') });
  await model.fit(x, y, { epochs: 1, batchSize: 32, verbose: 0, callbacks: [tensorboard] });
  const [after] = await model.evaluate(x, y);
  const p = model.predict(x);
  // saving and loading from the installed package (HDF5 and zip), and the TensorBoard files
  await model.save(path.join(dir, 'mlp.keras'));
  const loaded = await k.models.loadModel(path.join(dir, 'mlp.keras'));
  const q = loaded.predict(x);
  const reloadDiff = tf.tidy(() => tf.max(tf.abs(tf.sub(p, q))).dataSync()[0]);
  q.dispose();
  loaded.dispose();
  const eventFiles = fs.readdirSync(path.join(dir, 'logs', 'train')).filter((f) => f.startsWith('events.out.tfevents.'));
  fs.rmSync(dir, { recursive: true, force: true });
  const chained = tf.tidy(() => x.slice([0, 0], [1, 3]).square().shape); // tfjs-core's chained methods, through k.tf
  const result = { how, backend: k.getBackend(), before, after, predShape: p.shape, chained, reloadDiff, eventFiles: eventFiles.length, start };
  p.dispose();
  model.dispose();
  tf.dispose([x, y]);
  result.end = tf.memory().numTensors;
  console.log(`RESULT ${JSON.stringify(result)}`);
  return result;
};
