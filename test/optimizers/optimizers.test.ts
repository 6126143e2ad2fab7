import * as tfc from '@tensorflow/tfjs-core';
import * as k from '../../src';
import { expectClose, expectNoLeak, testBackend } from '../helpers';
import { trajectory as run, W0 } from './quadratic';

// f(w) = sum(c w²) + d·w, gradient 2 c w + d. References: test/reference/make_references.py
// (sgd_*, adam_*), NumPy with PyTorch's formulations of the updates.

beforeAll(async () => {
  await k.setBackend(testBackend());
});


test('SGD: three plain steps', () => {
  const steps = run(new k.optimizers.SGD({ learningRate: 0.1 }), 3);
  expectClose(steps, [[0.89, -1.37, 0.28], [0.791, -0.929, 0.148], [0.7019, -0.6203, 0.0688]]);
});

test('SGD with momentum: three steps', () => {
  const steps = run(new k.optimizers.SGD({ learningRate: 0.1, momentum: 0.9 }), 3);
  expectClose(steps, [[0.89, -1.37, 0.28], [0.692, -0.362, -0.05], [0.4346, 0.6838, -0.347]]);
});

test('SGD with Nesterov momentum: three steps', () => {
  const steps = run(new k.optimizers.SGD({ learningRate: 0.1, momentum: 0.9, nesterov: true }), 3);
  expectClose(steps, [[0.791, -0.803, 0.082], [0.53261, 0.22201, -0.19652], [0.2600531, 0.8311633, -0.2883128]]);
});

test('Adam: three steps', () => {
  const steps = run(new k.optimizers.Adam({ learningRate: 0.01 }), 3);
  expectClose(steps, [
    [0.9900000287, -1.990000005, 0.4900000144],
    [0.9800025338, -1.9800012812, 0.4800052279],
    [0.9700092011, -1.9700046829, 0.4700192339],
  ]);
});

test('iterations count steps; learningRate can be read and set', () => {
  const opt = new k.optimizers.SGD({ learningRate: 0.1 });
  run(opt, 2);
  expect(opt.iterations).toBe(2);
  opt.learningRate = 0.5;
  expect(opt.learningRate).toBe(0.5);
  expect(() => (opt.learningRate = -1)).toThrow(/`learningRate` must be a non-negative number or a LearningRateSchedule, got -1/);
});

test('names and bad values', () => {
  expect(k.optimizers.getOptimizer('Adam', 'compile')).toBeInstanceOf(k.optimizers.Adam);
  expect(k.optimizers.getOptimizer('sgd', 'compile')).toBeInstanceOf(k.optimizers.SGD);
  expect(() => k.optimizers.getOptimizer('adamax_turbo', 'compile')).toThrow(/unknown optimizer 'adamax_turbo'. help: use one of 'sgd', 'adam', 'adamw', 'rmsprop'/);
  expect(() => new k.optimizers.SGD({ momentum: 2 })).toThrow(/`momentum` must be a number in \[0, 1\], got 2/);
});

test('updates leak nothing beyond the slots, and dispose frees the slots', async () => {
  const init = tfc.tensor1d(W0);
  const w = tfc.variable(init);
  const g = tfc.ones([3]);
  const opt = new k.optimizers.Adam();
  opt.applyGradients([[g, w]]); // creates m and v
  await expectNoLeak(() => opt.applyGradients([[g, w]]));
  await expectNoLeak(() => opt.dispose(), -2);
  tfc.dispose([init, w, g]);
});
