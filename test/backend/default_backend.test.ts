/**
 * A user who never calls setBackend: synchronous calls (building, compile, predict, getBackend)
 * work at once, and fit, evaluate and k.ready() move to the default: native where its addon is
 * built (it starts synchronously, so the early calls already ran on it), else wasm (the early calls
 * ran on cpu, and their weights move with the first fit). This file must not call setBackend: the
 * engine is shared by its tests.
 */
import * as tfc from '@tensorflow/tfjs-core';
import * as k from '../../src';
import { nativeBuilt } from '../helpers';

const [early, best] = nativeBuilt() ? ['native', 'native'] : ['cpu', 'wasm'];

test(`no setBackend: compile, predict and getBackend work synchronously (${early}), then fit trains on ${best}`, async () => {
  const model = new k.Sequential([
    new k.layers.Dense({ units: 4, activation: 'relu', inputShape: [3] }),
    new k.layers.Dense({ units: 2, activation: 'softmax' }),
  ]);
  model.compile({ optimizer: 'adam', loss: 'categorical_crossentropy', metrics: ['accuracy'] });
  expect(k.getBackend()).toBe(early);
  const x = tfc.tensor2d([[1, 2, 3], [3, 2, 1], [0, 1, 0], [1, 0, 1]]);
  const y = tfc.tensor2d([[1, 0], [0, 1], [1, 0], [0, 1]]);
  const before = model.predict(x) as tfc.Tensor;
  const beforeValues = Array.from(before.dataSync());
  before.dispose();
  const history = await model.fit(x, y, { epochs: 2, verbose: 0 });
  expect(k.getBackend()).toBe(best);
  expect(history.history.loss.every(Number.isFinite)).toBe(true);
  expect(k.backendReport().backend).toBe(best);
  // the weights made before fit trained on the default backend: predictions changed, and are probabilities
  const after = model.predict(x) as tfc.Tensor;
  const afterValues = Array.from(after.dataSync());
  after.dispose();
  expect(afterValues).not.toEqual(beforeValues);
  for (let i = 0; i < 4; i++) expect(afterValues[2 * i] + afterValues[2 * i + 1]).toBeCloseTo(1, 5);
  expect(await k.ready()).toBe(best);
  model.dispose();
  tfc.dispose([x, y]);
});

test('without the native addon: synchronous calls run on cpu, fit moves to wasm', () => {
  const { execFileSync } = require('child_process') as typeof import('child_process');
  const out = execFileSync(process.execPath, ['-r', 'ts-node/register/transpile-only', require.resolve('./default_backend_child.ts')], {
    encoding: 'utf8', env: { ...process.env, KERAS_NATIVE_ADDON: '/nonexistent/keras_cpu.node', TS_NODE_TRANSPILE_ONLY: 'true' },
  });
  const r = JSON.parse(out.trim().split('\n').pop() as string) as { early: string; best: string; loss: number };
  expect([r.early, r.best]).toEqual(['cpu', 'wasm']);
  expect(Number.isFinite(r.loss)).toBe(true);
});
