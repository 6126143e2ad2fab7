/**
 * CustomScaleLayer (InceptionResNetV2's scaled residual sum): values by hand, the shape check, the
 * saved model reloading it by class name, and no leaked tensors.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tfc from '@tensorflow/tfjs-core';
import * as k from '../../src';
import { expectClose } from '../helpers';

beforeAll(async () => {
  await k.setBackend('cpu');
});

test('computes inputs[0] + inputs[1] * scale (by hand: [1, 2] + [10, -4] * 0.17 = [2.7, 1.32])', () => {
  const a = tfc.tensor2d([[1, 2]]);
  const b = tfc.tensor2d([[10, -4]]);
  const y = new k.layers.CustomScaleLayer({ scale: 0.17 }).apply([a, b]) as tfc.Tensor;
  expectClose(y, [[2.7, 1.32]], 1e-6);
  tfc.dispose([a, b, y]);
});

test('takes the scale positionally, as Keras does, and keeps it in its config', () => {
  const layer = new k.layers.CustomScaleLayer(0.2, { name: 'scale_0' });
  expect(layer.scale).toBe(0.2);
  expect(layer.getConfig()).toMatchObject({ name: 'scale_0', scale: 0.2 });
});

test('refuses a missing scale and inputs of two shapes, naming the fix', () => {
  expect(() => new k.layers.CustomScaleLayer({} as never)).toThrow(/`scale` must be a finite number, got undefined\. help:/);
  const a = k.Input({ shape: [4, 4, 8] });
  const b = k.Input({ shape: [4, 4, 6] });
  expect(() => new k.layers.CustomScaleLayer({ scale: 1 }).apply([a, b])).toThrow(/needs two inputs of one shape.*help:/);
});

test('a model with it saves and reloads (.keras and .h5) with the same outputs', async () => {
  const x = k.Input({ shape: [3] });
  const up = new k.layers.Dense({ units: 3, name: 'up' }).apply(x);
  const y = new k.layers.CustomScaleLayer({ scale: 0.1, name: 'scaled' }).apply([x, up]);
  const model = new k.Model({ inputs: x, outputs: y });
  const data = tfc.tensor2d([[1, 2, 3], [-1, 0, 4]]);
  const before = model.predict(data) as tfc.Tensor;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'custom-scale-'));
  for (const file of ['m.keras', 'm.h5']) {
    await model.save(path.join(dir, file));
    const loaded = await k.models.loadModel(path.join(dir, file));
    expect(loaded.getLayer('scaled').getConfig()).toMatchObject({ scale: 0.1 });
    const after = loaded.predict(data) as tfc.Tensor;
    expectClose(after, before.arraySync() as number[][], 1e-6);
    after.dispose();
    loaded.dispose();
  }
  fs.rmSync(dir, { recursive: true, force: true });
  tfc.dispose([data, before]);
  model.dispose();
});

test('leaks no tensors', () => {
  const a = tfc.ones([2, 3]);
  const b = tfc.ones([2, 3]);
  const layer = new k.layers.CustomScaleLayer({ scale: 2 });
  const start = tfc.memory().numTensors;
  const y = layer.apply([a, b]) as tfc.Tensor;
  y.dispose();
  expect(tfc.memory().numTensors).toBe(start);
  tfc.dispose([a, b]);
});
