import * as fs from 'fs';
import * as path from 'path';
import * as tfc from '@tensorflow/tfjs-core';
import * as k from '../../src';
import { expectClose, testBackend } from '../helpers';

beforeAll(async () => {
  await k.setBackend(testBackend());
});

test('every gradient tfjs-core defines is registered on import', () => {
  const dir = path.join(path.dirname(require.resolve('@tensorflow/tfjs-core')), 'gradients');
  const kernels = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('_grad.js'))
    .map((f) => /kernelName:\s*(\w+)/.exec(fs.readFileSync(path.join(dir, f), 'utf8')))
    .filter((m): m is RegExpExecArray => m !== null);
  expect(kernels.length).toBeGreaterThan(90);
  for (const name of ['Add', 'BatchMatMul', 'Sigmoid', 'Softmax', 'Conv2D', 'MaxPool', 'Erf', 'GatherV2']) {
    expect(tfc.getGradient(name)).toBeDefined();
  }
});

test('gradient of sum(sigmoid(x W + b)) matches NumPy finite differences', () => {
  // Reference: test/reference/make_references.py (dense_dW, dense_db)
  const x = tfc.tensor2d([[0.1, -0.2, 0.3], [0.5, 0.4, -0.6]]);
  const W = tfc.tensor2d([[0.2, -0.1], [0.4, 0.3], [-0.5, 0.25]]);
  const b = tfc.tensor1d([0.05, -0.02]);
  const [dW, db] = tfc.grads((w: tfc.Tensor, bb: tfc.Tensor) => tfc.sum(tfc.sigmoid(tfc.add(tfc.matMul(x, w as tfc.Tensor2D), bb))))([W, b]);
  expectClose(dW, [[0.1388974398, 0.1496866138], [0.0415640471, 0.0497532286], [-0.0623460708, -0.0746298428]]);
  expectClose(db, [0.476520321, 0.4993619784]);
  tfc.dispose([x, W, b, dW, db]);
});

test('gradients of an internal op linked from its ESM file (max pool) work', () => {
  const x = tfc.tensor4d([1, 5, 3, 2], [1, 2, 2, 1]);
  const g = tfc.grad((t: tfc.Tensor) => tfc.sum(tfc.maxPool(t as tfc.Tensor4D, 2, 1, 'valid')))(x);
  expectClose(g, [0, 1, 0, 0]);
  tfc.dispose([x, g]);
});

test('gradient of sum(relu6(x) * w): w where 0 < x < 6, else 0 (by hand; one kernel on native)', () => {
  const x = tfc.tensor1d([-2, -0.5, 0.5, 3, 5.5, 7, 12]);
  const w = tfc.tensor1d([1, 2, 3, 4, 5, 6, 7]);
  const dx = tfc.grad((a: tfc.Tensor) => tfc.sum(tfc.mul(tfc.relu6(a), w)))(x);
  expectClose(dx, [0, 0, 3, 4, 5, 0, 0]);
  tfc.dispose([x, w, dx]);
});
