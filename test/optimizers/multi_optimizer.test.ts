/**
 * MultiOptimizer and OptimizerMap, as Keras 3.15's (keras/src/optimizers/multi_optimizer.py):
 * OptimizerMap's documented lookups; a MultiOptimizer step equals each inner optimizer stepping
 * its own variables (Adam, SGD: tested against PyTorch in their own tests); the config nested in
 * .keras as Keras writes it, state restored so training resumes identically; refusals; leaks.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tfc from '@tensorflow/tfjs-core';
import * as k from '../../src';
import { expectClose, expectNoLeak, testBackend } from '../helpers';

const O = k.optimizers;
let tmp: string;
beforeAll(async () => {
  await k.setBackend(testBackend());
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'keras-ts-multiopt-'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

test("OptimizerMap: Keras's documented example (exact key, then the one full regex match, else the default)", () => {
  const [adam, sgd, rmsprop] = [new O.Adam(), new O.SGD(), new O.RMSprop()];
  const map = new O.OptimizerMap(rmsprop);
  map.set('encoder/layer_0/dense', adam).set('encoder/.*', sgd).set('decoder', adam);
  expect(map.get('decoder')).toBe(adam);
  expect(map.get('encoder/layer_0/dense')).toBe(adam);
  expect(map.get('encoder/layer_0/attention/query')).toBe(sgd);
  expect(map.get('decoder/layer_0/dense')).toBe(rmsprop);
  expect(map.keys()).toEqual(['encoder/layer_0/dense', 'encoder/.*', 'decoder']);
  expect(() => map.set('decoder', sgd)).toThrow(/'decoder' is already mapped.*help:/);
  const overlapping = new O.OptimizerMap(rmsprop, { 'enc.*': adam, '.*der/x': sgd });
  expect(() => overlapping.get('encoder/x')).toThrow(/'encoder\/x' matches several keys \(enc\.\*, \.\*der\/x\).*help:/);
  expect(() => new O.OptimizerMap('adam' as never)).toThrow(/`defaultOptimizer` must be an optimizer, got "adam".*help:/);
  expect(() => new O.OptimizerMap(rmsprop, { a: new O.LossScaleOptimizer({ innerOptimizer: new O.SGD() }) })).toThrow(/LossScaleOptimizer, which cannot be inside a MultiOptimizer.*help:/);
});

function twoLayers(): k.Sequential {
  k.utils.setRandomSeed(3);
  return new k.Sequential({ layers: [k.Input({ shape: [3] }), new k.layers.Dense({ units: 4, activation: 'tanh', name: 'enc' }), new k.layers.Dense({ units: 1, name: 'head' })] });
}
const X = (): tfc.Tensor => tfc.tensor2d([[0.1, 0.2, 0.3], [-0.5, 0.4, 0.1], [0.9, -0.3, 0.2], [0.3, 0.3, -0.8]]);
const Y = (): tfc.Tensor => tfc.tensor2d([[1], [0], [-1], [0.5]]);

test('a step equals each inner optimizer stepping its own variables (Adam on enc/.*, SGD momentum elsewhere), 3 steps', () => {
  const shapes = [[3, 4], [4], [4, 1], [1]];
  const names = ['enc/kernel', 'enc/bias', 'head/kernel', 'head/bias'];
  const init = shapes.map((s, i) => tfc.tidy(() => tfc.sin(tfc.add(tfc.range(0, tfc.util.sizeFromShape(s)).reshape(s), i))));
  const mine = init.map((t, i) => tfc.variable(t, true, `${names[i]}#${9000 + i}`));
  const theirs = init.map((t) => tfc.variable(t));
  const multi = new O.MultiOptimizer({ optimizerMap: new O.OptimizerMap(new O.SGD({ learningRate: 0.1, momentum: 0.9 }), { 'enc/.*': new O.Adam({ learningRate: 0.05 }) }) });
  const [adam, sgd] = [new O.Adam({ learningRate: 0.05 }), new O.SGD({ learningRate: 0.1, momentum: 0.9 })];
  for (let step = 0; step < 3; step++) {
    tfc.tidy(() => {
      const grads = (vs: tfc.Variable[]): tfc.Tensor[] => vs.map((v, i) => tfc.add(tfc.mul(v, 0.5 + i), step * 0.1)); // a fixed rule of the weights
      multi.applyGradients(grads(mine).map((g, i) => [g, mine[i]]));
      const g = grads(theirs);
      adam.applyGradients([[g[0], theirs[0]], [g[1], theirs[1]]]);
      sgd.applyGradients([[g[2], theirs[2]], [g[3], theirs[3]]]);
    });
  }
  mine.forEach((v, i) => expectClose(v, Array.from(theirs[i].dataSync()), 1e-6));
  expect(multi.iterations).toBe(3);
  expect(multi.optimizers.map((o) => o.className)).toEqual(['Adam', 'SGD']);
  expect(multi.optimizers.map((o) => o.iterations)).toEqual([3, 3]);
  expect(multi.learningRate).toBeCloseTo(0.05, 7); // the first inner optimizer's (Keras raises)
  expect(() => {
    multi.learningRate = 0.1;
  }).toThrow(/cannot set one learning rate.*help:/);
  [multi, adam, sgd].forEach((o) => o.dispose());
  tfc.dispose([...init, ...mine, ...theirs]);
});

test("fit, then .keras: Keras's config layout, state restored, training resumes identically", async () => {
  const make = (): k.optimizers.MultiOptimizer =>
    new O.MultiOptimizer({ optimizerMap: new O.OptimizerMap(new O.SGD({ learningRate: 0.05, momentum: 0.5 }), { 'enc/.*': new O.Adam({ learningRate: 0.01 }) }) });
  const a = twoLayers();
  a.compile({ optimizer: make(), loss: 'mse' });
  const [xs, ys] = [X(), Y()];
  await a.fit(xs, ys, { epochs: 2, batchSize: 2, verbose: 0, shuffle: false });
  const json = JSON.parse(JSON.stringify(k.saving.serializeKerasObject(a.optimizer))) as Record<string, any>;
  expect(json).toMatchObject({ module: 'keras.optimizers', class_name: 'MultiOptimizer', config: { name: 'MultiOptimizer', loss_scale_factor: null } });
  expect(json.config.optimizer_map).toMatchObject({ class_name: 'OptimizerMap', config: { default_optimizer: { class_name: 'SGD', config: { momentum: 0.5 } } } });
  expect(Object.keys(json.config.optimizer_map.config.optimizer_map)).toEqual(['enc/.*']);
  expect(json.config.optimizer_map.config.optimizer_map['enc/.*']).toMatchObject({ class_name: 'Adam', config: { learning_rate: 0.01 } });
  const file = path.join(tmp, 'multi.keras');
  await a.save(file);
  const b = await k.models.loadModel(file);
  const opt = b.optimizer as k.optimizers.MultiOptimizer;
  expect(opt).toBeInstanceOf(O.MultiOptimizer);
  expect(opt.getConfig()).toEqual(a.optimizer.getConfig());
  expect(opt.iterations).toBe(4);
  expect(opt.optimizers.map((o) => [o.className, o.iterations])).toEqual([['Adam', 4], ['SGD', 4]]);
  for (const m of [a, b]) await m.fit(xs, ys, { epochs: 1, batchSize: 2, verbose: 0, shuffle: false });
  a.getWeights().forEach((w, i) => expectClose(b.getWeights()[i], Array.from(w.dataSync()), 1e-6));
  expect(k.saving.deserializeKerasObject(json)).toBeInstanceOf(O.MultiOptimizer);
  const viaTs = O.deserializeOptimizer(O.serializeOptimizer(a.optimizer)) as k.optimizers.MultiOptimizer;
  expect(viaTs.optimizers.map((o) => o.className)).toEqual(['Adam', 'SGD']);
  tfc.dispose([xs, ys]);
  a.dispose();
  b.dispose();
});

test('a function map routes too but cannot be saved; nesting is refused; a step leaks nothing', async () => {
  const [adam, sgd] = [new O.Adam(), new O.SGD()];
  const byFn = new O.MultiOptimizer({ optimizerMap: (p) => (p.startsWith('enc/') ? adam : sgd) });
  const v = tfc.variable(tfc.ones([2]), true, 'enc/kernel#9100');
  const w = tfc.variable(tfc.ones([2]), true, 'head/kernel#9101');
  const step = (): void => tfc.tidy(() => byFn.applyGradients([[tfc.ones([2]), v], [tfc.ones([2]), w]]));
  step();
  expect(byFn.optimizers).toEqual([adam, sgd]);
  await expectNoLeak(step);
  expect(() => byFn.getConfig()).toThrow(/a function cannot be saved.*help: use a k.optimizers.OptimizerMap/);
  expect(() => new O.MultiOptimizer({ optimizerMap: 'adam' as never })).toThrow(/`optimizerMap` must be an OptimizerMap or a function.*got adam.*help:/);
  const nested = new O.MultiOptimizer({ optimizerMap: () => byFn });
  expect(() => tfc.tidy(() => nested.applyGradients([[tfc.ones([2]), v]]))).toThrow(/MultiOptimizer, which cannot be inside a MultiOptimizer.*help:/);
  byFn.dispose();
  tfc.dispose([v, w]);
});
