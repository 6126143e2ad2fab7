/**
 * A backend added from outside src/: one profile and one registerBackendProfile call. The toy is
 * tfjs-backend-cpu's class under a tfjs name of its own, with the CPU kernels copied and each run
 * counted, and a Sigmoid gradient override that counts its calls.
 */
import * as tfc from '@tensorflow/tfjs-core';
import type * as tfjsCpu from '@tensorflow/tfjs-backend-cpu';
import * as k from '../../src';

const kernelRuns = new Map<string, number>();
let overrideCalls = 0;
let registrations = 0;

const toyProfile: k.BackendProfile = {
  name: 'toy',
  tfjsName: 'toy-tfjs',
  capabilities: { batchesOnDevice: true },
  gradients: {
    Sigmoid: {
      outputsToSave: [true], // as tfjs-core's
      gradFunc: (dy, saved, attrs, original) => {
        overrideCalls++;
        return original(dy, saved, attrs);
      },
    },
  },
  register: () => {
    if (registrations++ > 0) return;
    const { MathBackendCPU } = require('@tensorflow/tfjs-backend-cpu') as typeof tfjsCpu;
    tfc.registerBackend('toy-tfjs', () => new MathBackendCPU(), 0);
    for (const config of tfc.getKernelsForBackend('cpu')) {
      tfc.registerKernel({
        ...config,
        backendName: 'toy-tfjs',
        kernelFunc: (args) => {
          kernelRuns.set(config.kernelName, (kernelRuns.get(config.kernelName) ?? 0) + 1);
          return config.kernelFunc(args);
        },
      });
    }
  },
  device: () => 'a toy CPU',
};

/** The same seeded fit of a small sigmoid MLP (5 epochs of 2 batches); returns the losses and the live tensors it left. */
async function seededFit(shuffle = false): Promise<{ losses: number[]; leaked: number }> {
  const before = tfc.memory().numTensors;
  k.utils.setRandomSeed(7);
  const model = new k.Sequential([
    new k.layers.Dense({ units: 4, inputShape: [3] }),
    new k.layers.Activation({ activation: 'sigmoid' }),
    new k.layers.Dense({ units: 2, activation: 'softmax' }),
  ]);
  model.compile({ optimizer: new k.optimizers.SGD({ learningRate: 0.5 }), loss: 'categorical_crossentropy' });
  const x = [[1, 2, 3], [3, 2, 1], [0, 1, 0], [1, 0, 1], [2, 2, 0], [0, 0, 2]];
  const y = [[1, 0], [0, 1], [1, 0], [0, 1], [1, 0], [0, 1]];
  const history = await model.fit(x, y, { epochs: 5, batchSize: 3, verbose: 0, shuffle });
  model.dispose();
  return { losses: history.history.loss, leaked: tfc.memory().numTensors - before };
}

test('registering a profile loads nothing; setBackend then registers it and getBackend names it', async () => {
  k.registerBackendProfile(toyProfile);
  k.registerBackendProfile(toyProfile); // the same profile again: nothing happens
  expect(registrations).toBe(0);
  expect(tfc.engine().registryFactory['toy-tfjs']).toBeUndefined();
  await expect(k.setBackend('no-such')).rejects.toThrow(/unknown backend 'no-such'.*help:.*'cpu', 'wasm', 'native', 'cuda', 'tensorflow', 'webgl', 'webgpu', 'toy'/);
  await k.setBackend('toy');
  expect(registrations).toBe(1);
  expect(k.getBackend()).toBe('toy');
  expect(tfc.getBackend()).toBe('toy-tfjs');
});

test('a model trains on the toy backend, its kernels run, its gradient override runs, and it gives the cpu losses', async () => {
  await k.setBackend('cpu');
  const cpu = await seededFit();
  expect(overrideCalls).toBe(0); // the override runs only while its backend is active
  await k.setBackend('toy');
  kernelRuns.clear();
  const toy = await seededFit();
  expect(cpu.losses[4]).toBeLessThan(cpu.losses[0]); // it trains
  toy.losses.forEach((l, i) => expect(Math.abs(l - cpu.losses[i])).toBeLessThan(1e-6)); // same kernels: same numbers
  expect(overrideCalls).toBe(5 * 2); // one Sigmoid per batch: 5 epochs of 2 batches
  expect([...kernelRuns.keys()].some((name) => /MatMul/.test(name))).toBe(true);
  expect([cpu.leaked, toy.leaked]).toEqual([0, 0]);
});

test('backendReport describes the toy backend; its capabilities reach fit', async () => {
  await k.setBackend('toy');
  expect(k.backendReport()).toEqual({ backend: 'toy', device: 'a toy CPU', threads: 1, fallbacks: {} });
  kernelRuns.clear();
  await seededFit(true);
  // batchesOnDevice: fit gathers each shuffled batch of x and of y with the backend's Gather kernel (data/batches.ts)
  expect(kernelRuns.get('GatherV2') ?? 0).toBeGreaterThanOrEqual(5 * 2 * 2);
});

test('registerBackendProfile refuses a second profile of the same name, a taken tfjs name, and a profile without register', () => {
  expect(() => k.registerBackendProfile({ ...toyProfile })).toThrow(/a backend named 'toy' is already registered.*help:/);
  expect(() => k.registerBackendProfile({ ...toyProfile, name: 'toy2' })).toThrow(/tfjs backend name 'toy-tfjs' is already 'toy''s.*help:/);
  expect(() => k.registerBackendProfile({ name: 'toy3', tfjsName: 'toy3' } as unknown as k.BackendProfile)).toThrow(/'toy3': `register` must be a function.*help:/);
});
