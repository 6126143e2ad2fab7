/**
 * Acceptance against files no one here wrote: models saved by Keras 2 itself, with the inputs Keras
 * was given and the outputs Keras computed (test/fixtures/keras-h5, see its README for source and license).
 */
import * as fs from 'fs';
import * as path from 'path';
import * as tfc from '@tensorflow/tfjs-core';
import * as k from '../../src';
import { H5Reader, NamedArray } from '../../src/saving/io/h5_file';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'keras-h5');

async function datasets(file: string, group: string): Promise<NamedArray[]> {
  const h5 = await H5Reader.open(new Uint8Array(fs.readFileSync(path.join(FIXTURES, file))), file);
  try {
    return h5.keys(group).map((name) => h5.readArray(`${group}/${name}`));
  } finally {
    h5.close();
  }
}

/** The largest absolute difference between our prediction and Keras's. */
async function maxError(model: k.Model, ioFile: string): Promise<number> {
  const [input] = await datasets(ioFile, 'inputs');
  const [expected] = await datasets(ioFile, 'predictions');
  const got = model.predict(tfc.tensor(Array.from(input.data), input.shape)) as tfc.Tensor;
  expect(got.shape).toEqual(expected.shape);
  const values = got.dataSync();
  got.dispose();
  let max = 0;
  values.forEach((v, i) => (max = Math.max(max, Math.abs(v - expected.data[i]))));
  return max;
}

beforeAll(async () => {
  await k.setBackend('cpu');
});

test('the Keras 2.0.6 MNIST MLP (config JSON + weights .h5) predicts what Keras predicted for its 100 inputs', async () => {
  const model = k.models.modelFromJson(fs.readFileSync(path.join(FIXTURES, 'mnist_mlp_tf_keras_2_config.json'), 'utf8'));
  expect(model).toBeInstanceOf(k.Sequential);
  expect(model.layers.map((l) => l.className)).toEqual(['Dense', 'Dropout', 'Dense', 'Dropout', 'Dense']);
  await model.loadWeights(path.join(FIXTURES, 'mnist_mlp_tf_keras_2_weights.h5'));
  const error = await maxError(model, 'mnist_mlp_tf_keras_2_inputs_and_outputs.h5');
  process.stdout.write(`mnist_mlp_tf_keras_2: max |keras-ts - Keras| = ${error.toExponential(2)}\n`);
  expect(error).toBeLessThan(1e-5);
  model.dispose();
});

test.each([
  ['LeakyReLU_0', ['Dense', 'LeakyReLU']],
  ['conv1d_k3_s2_d1_cl_same', ['Conv1D']],
])('the Keras 2 full model %s_model.h5 loads (compiled) and predicts its outputs', async (name, classes) => {
  const model = await k.models.loadModel(path.join(FIXTURES, `${name}_model.h5`));
  expect(model.layers.map((l) => l.className)).toEqual(classes);
  expect(model.compileArgs).not.toBeNull(); // its training_config: RMSprop with Keras 2's decay
  const error = await maxError(model, `${name}_inputs_and_outputs.h5`);
  process.stdout.write(`${name}: max |keras-ts - Keras| = ${error.toExponential(2)}\n`);
  expect(error).toBeLessThan(1e-5);
  model.dispose();
});

test('the LeakyReLU fixture keeps its alpha (0.5) and RMSprop decay as an InverseTimeDecay schedule', async () => {
  const model = await k.models.loadModel(path.join(FIXTURES, 'LeakyReLU_0_model.h5'));
  expect((model.getLayer(1) as k.layers.LeakyReLU).negativeSlope).toBe(0.5);
  const schedule = model.optimizer.schedule as k.optimizers.schedules.InverseTimeDecay;
  expect(schedule.className).toBe('InverseTimeDecay');
  // Keras 2: lr / (1 + decay * iterations), lr 1e-4, decay 1e-6.
  expect(schedule.call(1000)).toBeCloseTo(9.999999747378752e-5 / (1 + 9.999999974752427e-7 * 1000), 12);
  model.dispose();
});
