/**
 * The legacy HDF5 layouts keras-ts reads besides its own: Keras 3's legacy writer (weight names
 * without ':0', groups sorted by name, a top_level_model_weights group, as keras/src/legacy/saving/
 * legacy_h5_format.py writes them), variable-length string attributes, name lists split into
 * layer_names0, layer_names1, ... (Keras splits attributes over 64 KB), and loading by name.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tfc from '@tensorflow/tfjs-core';
import * as k from '../../src';
import { H5Writer } from '../../src/saving/io/h5_file';

let tmp: string;
beforeAll(async () => {
  await k.setBackend('cpu');
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'keras-ts-legacy-'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function model(): k.Sequential {
  return new k.Sequential([
    new k.layers.Dense({ units: 2, inputShape: [3], name: 'b_dense' }),
    new k.layers.Dropout({ rate: 0.5, name: 'drop' }),
    new k.layers.Dense({ units: 1, name: 'a_dense' }),
  ]);
}

const kernel1 = [1, 2, 3, 4, 5, 6];
const bias1 = [0.5, -0.5];
const kernel2 = [7, 8];
const bias2 = [9];

function weightsOf(m: k.Model): number[][] {
  const ws = m.getWeights();
  const out = ws.map((w) => Array.from(w.dataSync()));
  tfc.dispose(ws);
  return out;
}

test('Keras 3\'s legacy .h5 layout with variable-length strings', async () => {
  const w = await H5Writer.create('keras3-legacy.h5');
  w.group('model_weights');
  w.stringListAttr('model_weights', 'layer_names', ['b_dense', 'drop', 'a_dense'], { variableLength: true });
  w.stringAttr('model_weights', 'backend', 'tensorflow');
  w.stringAttr('model_weights', 'keras_version', '3.6.0');
  // Sorted by name, as Keras 3 writes them; dataset names are variable paths without ':0'.
  for (const [layer, data] of [['a_dense', [kernel2, bias2]], ['b_dense', [kernel1, bias1]], ['drop', []]] as Array<[string, number[][]]>) {
    w.group(`model_weights/${layer}`);
    const names = data.length === 0 ? [] : [`${layer}/kernel`, `${layer}/bias`];
    w.stringListAttr(`model_weights/${layer}`, 'weight_names', names, { variableLength: true });
    names.forEach((n, i) => w.dataset(`model_weights/${layer}/${n}`, i === 0 ? (layer === 'a_dense' ? [2, 1] : [3, 2]) : [data[1].length], data[i]));
  }
  w.group('model_weights/top_level_model_weights');
  w.stringListAttr('model_weights/top_level_model_weights', 'weight_names', []);
  w.stringAttr('', 'model_config', model().toJSON());
  fs.writeFileSync(path.join(tmp, 'k3.h5'), w.finish());
  const loaded = await k.models.loadModel(path.join(tmp, 'k3.h5'));
  expect(weightsOf(loaded)).toEqual([kernel1, bias1, kernel2, bias2]);
});

test('name lists split into layer_names0, layer_names1 (Keras 2 and 3 split attributes over 64 KB)', async () => {
  const w = await H5Writer.create('chunked.h5');
  w.stringListAttr('', 'layer_names0', ['b_dense', 'drop']);
  w.stringListAttr('', 'layer_names1', ['a_dense']);
  for (const [layer, data] of [['b_dense', [kernel1, bias1]], ['drop', []], ['a_dense', [kernel2, bias2]]] as Array<[string, number[][]]>) {
    w.group(layer);
    const names = data.length === 0 ? [] : [`${layer}/kernel:0`, `${layer}/bias:0`];
    w.stringListAttr(layer, data.length === 0 ? 'weight_names' : 'weight_names0', names.slice(0, 1));
    if (data.length > 0) w.stringListAttr(layer, 'weight_names1', names.slice(1));
    names.forEach((n, i) => w.dataset(`${layer}/${n}`, i === 0 ? (layer === 'a_dense' ? [2, 1] : [3, 2]) : [data[1].length], data[i]));
  }
  fs.writeFileSync(path.join(tmp, 'chunked.h5'), w.finish());
  const m = model();
  await m.loadWeights(path.join(tmp, 'chunked.h5'));
  expect(weightsOf(m)).toEqual([kernel1, bias1, kernel2, bias2]);
});

test('loading by name matches layers by name, skipping absent ones, and skipMismatch skips shapes that differ', async () => {
  const source = model();
  await source.saveWeights(path.join(tmp, 'source.h5'));
  const target = new k.Sequential([
    new k.layers.Dense({ units: 2, inputShape: [3], name: 'b_dense' }),
    new k.layers.Dense({ units: 4, name: 'a_dense' }), // another shape
    new k.layers.Dense({ units: 1, name: 'new_head' }), // not in the file
  ]);
  const before = weightsOf(target);
  await expect(target.loadWeights(path.join(tmp, 'source.h5'))).rejects.toThrow(/the model has 3 layers with weights .* but the file has 2/);
  await expect(target.loadWeights(path.join(tmp, 'source.h5'), { byName: true })).rejects.toThrow(/has shape \[2,1\], expected \[2,4\]/);
  expect(weightsOf(target)).toEqual(before);
  await target.loadWeights(path.join(tmp, 'source.h5'), { byName: true, skipMismatch: true });
  const after = weightsOf(target);
  const src = weightsOf(source);
  expect(after.slice(0, 2)).toEqual(src.slice(0, 2));
  expect(after.slice(2)).toEqual(before.slice(2));
});
