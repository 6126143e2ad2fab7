/**
 * Files keras-ts writes, opened by h5py (Debian's python3-h5py, the library Keras itself reads
 * HDF5 with): the groups, attributes and datasets are where Keras looks for them, with Keras's types.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tfc from '@tensorflow/tfjs-core';
import * as k from '../../src';

const PYTHON = '/usr/bin/python3'; // Debian's interpreter, where python3-h5py is installed

function h5py(script: string, file: string): unknown {
  try {
    return JSON.parse(execFileSync(PYTHON, ['-c', script, file], { encoding: 'utf8' }));
  } catch (e) {
    const text = String((e as { stderr?: string }).stderr ?? e);
    if (/No module named 'h5py'|ENOENT/.test(text)) throw new Error(`this test needs Debian's python3-h5py. help: apt-get install -y python3-h5py (.ci/run does). ${text}`);
    throw e;
  }
}

/** Every group, dataset and attribute of a file, as h5py sees it. */
const DUMP = `
import h5py, json, sys
out = {"attrs": {}, "datasets": {}, "groups": []}
def val(v):
    if hasattr(v, "tolist"): v = v.tolist()
    if isinstance(v, bytes): return {"bytes": v.decode()}
    if isinstance(v, list): return [val(x) for x in v]
    return v
f = h5py.File(sys.argv[1], "r")
def attrs(name, obj):
    for k, v in obj.attrs.items():
        out["attrs"][(name + "@" + k)] = {"value": val(v), "dtype": str(obj.attrs.get_id(k).dtype)}
attrs("", f)
def visit(name, obj):
    attrs(name, obj)
    if isinstance(obj, h5py.Dataset): out["datasets"][name] = {"shape": list(obj.shape), "dtype": str(obj.dtype), "sum": float(obj[()].sum())}
    else: out["groups"].append(name)
f.visititems(visit)
print(json.dumps(out))
`;

interface Dump {
  attrs: Record<string, { value: unknown; dtype: string }>;
  datasets: Record<string, { shape: number[]; dtype: string; sum: number }>;
  groups: string[];
}

let tmp: string;
let model: k.Sequential;
beforeAll(async () => {
  await k.setBackend('cpu');
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'keras-ts-h5py-'));
  model = new k.Sequential([
    new k.layers.Dense({ units: 3, inputShape: [4], name: 'dense' }),
    new k.layers.Dropout({ rate: 0.5, name: 'dropout' }),
    new k.layers.BatchNormalization({ name: 'bn' }),
  ]);
  model.compile({ optimizer: 'adam', loss: 'mse' });
  await model.fit(tfc.ones([4, 4]), tfc.zeros([4, 3]), { epochs: 1, verbose: 0 });
});
afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
  model.dispose();
});

function sum(w: k.Layer, i: number): number {
  const t = w.getWeights()[i];
  const s = tfc.sum(t).dataSync()[0];
  t.dispose();
  return s;
}

test('a legacy .h5 full model has Keras 2\'s layout: model_config, model_weights/<layer>/<layer>/kernel:0, byte-string name lists', async () => {
  const file = path.join(tmp, 'model.h5');
  await model.save(file);
  const d = h5py(DUMP, file) as Dump;
  expect(d.attrs['@backend'].value).toBe('tensorflow');
  const config = JSON.parse(d.attrs['@model_config'].value as string);
  expect(config.class_name).toBe('Sequential');
  expect(config.config.layers.map((l: { class_name: string }) => l.class_name)).toEqual(['Dense', 'Dropout', 'BatchNormalization']);
  expect(config.config.layers[0].config.batch_input_shape).toEqual([null, 4]);
  expect(JSON.parse(d.attrs['@training_config'].value as string).optimizer_config.class_name).toBe('Adam');
  // Fixed-length byte strings, as h5py stores numpy 'S' arrays (what Keras 2 writes).
  expect(d.attrs['model_weights@layer_names']).toEqual({ value: [{ bytes: 'dense' }, { bytes: 'dropout' }, { bytes: 'bn' }], dtype: '|S7' });
  expect(d.attrs['model_weights/dense@weight_names'].value).toEqual([{ bytes: 'dense/kernel:0' }, { bytes: 'dense/bias:0' }]);
  expect(d.attrs['model_weights/dropout@weight_names'].value).toEqual([]);
  expect(d.attrs['model_weights/bn@weight_names'].value).toEqual(['bn/gamma:0', 'bn/beta:0', 'bn/moving_mean:0', 'bn/moving_variance:0'].map((b) => ({ bytes: b })));
  expect(d.datasets['model_weights/dense/dense/kernel:0']).toMatchObject({ shape: [4, 3], dtype: 'float32' });
  expect(d.datasets['model_weights/dense/dense/kernel:0'].sum).toBeCloseTo(sum(model.getLayer('dense'), 0), 5);
  expect(d.datasets['model_weights/bn/bn/moving_variance:0'].sum).toBeCloseTo(sum(model.getLayer('bn'), 3), 5);
  expect(d.groups).toContain('optimizer_weights');
  expect(d.datasets['optimizer_weights/Adam/iteration:0']).toMatchObject({ shape: [], dtype: 'int64', sum: 1 });
});

test('a .weights.h5 has Keras 3\'s layout: layers/<class>/vars/<i>, optimizer/vars/<i>', async () => {
  const file = path.join(tmp, 'model.weights.h5');
  await model.saveWeights(file);
  const d = h5py(DUMP, file) as Dump;
  expect(Object.keys(d.datasets).sort()).toEqual([
    'layers/batch_normalization/vars/0', 'layers/batch_normalization/vars/1', 'layers/batch_normalization/vars/2', 'layers/batch_normalization/vars/3',
    'layers/dense/vars/0', 'layers/dense/vars/1',
    'optimizer/vars/0', 'optimizer/vars/1',
    ...Array.from({ length: 8 }, (_, i) => `optimizer/vars/${i + 2}`),
  ].sort());
  expect(d.datasets['layers/dense/vars/0']).toMatchObject({ shape: [4, 3], dtype: 'float32' });
  expect(d.datasets['layers/dense/vars/0'].sum).toBeCloseTo(sum(model.getLayer('dense'), 0), 5);
  expect(d.datasets['optimizer/vars/0']).toMatchObject({ shape: [], dtype: 'int64', sum: 1 });
  expect(d.datasets['optimizer/vars/1']).toMatchObject({ shape: [], dtype: 'float32' });
  expect(d.datasets['optimizer/vars/1'].sum).toBeCloseTo(0.001, 7);
});

test('a .keras archive holds config.json, metadata.json and model.weights.h5 (read with Python\'s zipfile and h5py)', async () => {
  const file = path.join(tmp, 'model.keras');
  await model.save(file);
  const script = `
import zipfile, json, sys, io, h5py
z = zipfile.ZipFile(sys.argv[1])
config = json.loads(z.read("config.json"))
meta = json.loads(z.read("metadata.json"))
f = h5py.File(io.BytesIO(z.read("model.weights.h5")), "r")
print(json.dumps({"names": sorted(z.namelist()), "class": config["class_name"], "module": config["module"],
  "layers": [l["class_name"] for l in config["config"]["layers"]], "input": config["config"]["layers"][0]["config"]["batch_shape"],
  "optimizer": config["compile_config"]["optimizer"]["class_name"], "beta_1": config["compile_config"]["optimizer"]["config"]["beta_1"],
  "keras_version": meta["keras_version"], "kernel": list(f["layers/dense/vars/0"].shape)}))
`;
  expect(h5py(script, file)).toEqual({
    names: ['config.json', 'metadata.json', 'model.weights.h5'], class: 'Sequential', module: 'keras',
    layers: ['InputLayer', 'Dense', 'Dropout', 'BatchNormalization'], input: [null, 4], optimizer: 'Adam', beta_1: 0.9,
    keras_version: '3.6.0', kernel: [4, 3],
  });
});
