/**
 * MultiHeadAttention and GroupQueryAttention weights in Keras 3's layout: files written by h5py as
 * Keras's H5IOStore writes them (test/reference/attention_keras_layout.py: the variables in the
 * EinsumDense sublayers `_query_dense`, `_key_dense`, `_value_dense`, `_output_dense`, vars/0
 * kernel, vars/1 bias) load into keras-ts, and the MultiHeadAttention output equals NumPy's; keras-ts
 * writes the same layout (opened by h5py), and still reads its older flat files.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tfc from '@tensorflow/tfjs-core';
import * as k from '../../src';
import { expectClose, expectNoLeak, testBackend } from '../helpers';

const PYTHON = '/usr/bin/python3'; // Debian's interpreter, where python3-h5py is installed
type Arrays = Record<string, [number[], number[]]>;
let tmp: string;
let ref: { x: number[][][]; mha_output: number[][][]; mha: Arrays; gqa: Arrays };

beforeAll(async () => {
  await k.setBackend(testBackend());
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'keras-ts-attn-layout-'));
  const script = path.join(__dirname, '..', 'reference', 'attention_keras_layout.py');
  ref = JSON.parse(execFileSync(PYTHON, [script, tmp], { encoding: 'utf8' }));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function mhaModel(): k.Model {
  const x = k.Input({ shape: [3, 4] });
  return new k.Model({ inputs: x, outputs: new k.layers.MultiHeadAttention({ numHeads: 2, keyDim: 3 }).apply([x, x]) as k.SymbolicTensor });
}
function gqaModel(): k.Model {
  const x = k.Input({ shape: [3, 4] });
  return new k.Model({ inputs: x, outputs: new k.layers.GroupQueryAttention({ headDim: 2, numQueryHeads: 4, numKeyValueHeads: 2 }).apply([x, x]) as k.SymbolicTensor });
}
const groups = ['_query_dense', '_key_dense', '_value_dense', '_output_dense'];

function expectWeights(layer: k.Layer, arrays: Arrays): void {
  const weights = layer.getWeights();
  const names = layer.weights.map((w) => w.name.split('/').slice(-2).join('/'));
  const keras: Record<string, string> = { query: '_query_dense', key: '_key_dense', value: '_value_dense', attention_output: '_output_dense' };
  names.forEach((n, i) => {
    const [proj, kind] = n.split('/');
    expectClose(weights[i], (arrays[keras[proj]][kind === 'kernel' ? 0 : 1] as unknown as number[]).flat(3), 1e-7);
  });
  tfc.dispose(weights);
}

test("a Keras-layout MultiHeadAttention file loads; the output equals NumPy's (Keras's einsums)", async () => {
  const model = mhaModel();
  await k.saving.loadWeights(model, path.join(tmp, 'mha.weights.h5'));
  expectWeights(model.layers[1], ref.mha);
  const x = tfc.tensor(ref.x);
  const y = model.predict(x) as tfc.Tensor;
  expectClose(y, ref.mha_output.flat(2), 1e-5);
  await expectNoLeak(() => tfc.dispose(model.predict(x) as tfc.Tensor));
  tfc.dispose([x, y]);
  model.dispose();
});

test('a Keras-layout GroupQueryAttention file loads each projection from its sublayer', async () => {
  const model = gqaModel();
  await k.saving.loadWeights(model, path.join(tmp, 'gqa.weights.h5'));
  expectWeights(model.layers[1], ref.gqa);
  model.dispose();
});

test('keras-ts writes the sublayer layout (h5py lists it) and reads it back', async () => {
  const model = mhaModel();
  const file = path.join(tmp, 'ours.weights.h5');
  await k.saving.saveWeights(model, file);
  const listing = execFileSync(PYTHON, ['-c', 'import h5py,sys; f=h5py.File(sys.argv[1],"r"); f.visititems(lambda n,o: print(n) if isinstance(o,h5py.Dataset) else None)', file], { encoding: 'utf8' }).trim().split('\n');
  expect(listing.filter((n) => n.startsWith('layers/'))).toEqual(groups.sort().flatMap((g) => [`layers/multi_head_attention/${g}/vars/0`, `layers/multi_head_attention/${g}/vars/1`]));
  const other = mhaModel();
  await k.saving.loadWeights(other, file);
  const [a, b] = [model.getWeights(), other.getWeights()];
  a.forEach((w, i) => expectClose(b[i], Array.from(w.dataSync()), 0));
  tfc.dispose([...a, ...b]);
  model.dispose();
  other.dispose();
});

test("keras-ts's earlier flat files (every weight at layers/multi_head_attention/vars) still load", async () => {
  const file = path.join(tmp, 'flat.weights.h5');
  const write = [
    'import h5py, json, sys, numpy as np',
    'ref = json.loads(sys.stdin.read())',
    'f = h5py.File(sys.argv[1], "w")',
    'arrays = [np.array(a, dtype=np.float32) for g in ["_query_dense", "_key_dense", "_value_dense", "_output_dense"] for a in ref[g]]',
    '[f.create_dataset("layers/multi_head_attention/vars/%d" % i, data=a) for i, a in enumerate(arrays)]',
    'f.create_group("optimizer/vars")',
  ].join('\n');
  execFileSync(PYTHON, ['-c', write, file], { input: JSON.stringify(ref.mha) });
  const model = mhaModel();
  await k.saving.loadWeights(model, file);
  expectWeights(model.layers[1], ref.mha);
  model.dispose();
});
