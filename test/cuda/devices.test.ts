/**
 * GPUs as TensorFlow names them, on the CUDA addon's host-memory stand-in loaded through keras-ts's
 * own loader (KERAS_CUDA_ADDON points at fake_addon_module.ts: two GPUs, "Fake GPU A" and "B"):
 * listing without starting the GPU, setBackend('cuda:1') selecting GPU 1 (the stand-in records the
 * init), a missing GPU named with the devices present, one GPU per process, a device scope on a GPU,
 * and a model built and trained under '/cpu:0' predicting the same on the GPU.
 * The tests run in this order: the first selection is GPU 1 and stays for the file.
 */
import * as path from 'path';
import * as tfc from '@tensorflow/tfjs-core';
import * as k from '../../src';
import { nativeBuilt } from '../helpers';
import fake = require('./fake_addon_module');

process.env.KERAS_CUDA_ADDON = path.join(__dirname, 'fake_addon_module.ts');
delete process.env.CUDA_VISIBLE_DEVICES; // every GPU of the stand-in is visible

const defaultCpu = nativeBuilt() ? 'native' : 'cpu';

test('listDevices counts the GPUs without starting the GPU backend', () => {
  const devices = k.listDevices();
  expect(devices.map((d) => [d.name, d.deviceType, d.backend])).toEqual([
    ['/cpu:0', 'CPU', defaultCpu],
    ['/gpu:0', 'GPU', 'cuda'],
    ['/gpu:1', 'GPU', 'cuda'],
  ]);
  expect(devices[1].description).toBe('Fake GPU A, compute capability 9.0, 1.0 GiB');
  expect(devices[2].description).toBe('Fake GPU B, compute capability 9.0, 1.0 GiB');
  expect(fake.log.inits).toEqual([]); // no GPU was selected or initialized
  expect(tfc.engine().registryFactory['cuda']).toBeUndefined();
  expect(tfc.engine().backendName ?? null).toBeNull();
});

test("setBackend('cuda:3') names the devices present and changes nothing", async () => {
  await k.setBackend('cpu');
  await expect(k.setBackend('cuda:3')).rejects.toThrow(
    "setBackend('cuda:3'): no GPU 3; the devices are /cpu:0, /gpu:0, /gpu:1. help: use one of those.",
  );
  await expect(k.setBackend('/device:GPU:2')).rejects.toThrow(/setBackend\('\/device:GPU:2'\): no GPU 2; the devices are \/cpu:0, \/gpu:0, \/gpu:1\./);
  expect(() => k.device('/gpu:7', () => 0)).toThrow(/device\('\/gpu:7'\): no GPU 7; the devices are \/cpu:0, \/gpu:0, \/gpu:1\./);
  expect(fake.log.inits).toEqual([]);
  expect(k.getBackend()).toBe('cpu');
});

test("setBackend('cuda:1') selects GPU 1: the addon is initialized on it, and computation runs there", async () => {
  await k.setBackend('cuda:1');
  expect(fake.log.inits).toEqual([{ asked: 1, physical: 1 }]);
  expect(fake.log.physical).toBe(1);
  expect(k.getBackend()).toBe('cuda');
  expect(k.backendReport().device).toMatch(/^Fake GPU B/);
  const buffers = fake.live();
  const y = tfc.matMul(tfc.tensor2d([[1, 2]]), tfc.tensor2d([[3], [4]]));
  expect(fake.live()).toBeGreaterThan(buffers); // the tensors live in the stand-in's "GPU memory"
  expect(Array.from(y.dataSync())).toEqual([11]);
  tfc.dispose(y);
});

test('one GPU per process: another GPU is refused with what to do; gpu without an index is the one in use', async () => {
  await k.setBackend('cpu');
  await expect(k.setBackend('cuda:0')).rejects.toThrow(
    /setBackend\('cuda:0'\): the CUDA backend already runs on \/gpu:1 in this process.*help: choose the GPU before cuda's first use.*CUDA_VISIBLE_DEVICES/,
  );
  const fn = jest.fn();
  expect(() => k.device('/device:GPU:0', fn)).toThrow(/device\('\/device:GPU:0'\): the CUDA backend already runs on \/gpu:1/);
  expect(fn).not.toHaveBeenCalled();
  expect(k.getBackend()).toBe('cpu');
  expect(k.device('gpu', () => k.getBackend())).toBe('cuda');
  expect(k.device('/GPU:1', () => k.getBackend())).toBe('cuda');
  expect(k.getBackend()).toBe('cpu');
  expect(fake.log.inits).toEqual([{ asked: 1, physical: 1 }]); // initialized once
});

test("device('/gpu:1', fn) computes there and restores; tensors cross between the CPU and the GPU both ways", async () => {
  await k.setBackend('cpu');
  const before = tfc.memory().numTensors;
  const buffers = fake.live();
  const a = tfc.tensor1d([1, -2, 3]); // on cpu
  const b = k.device('/gpu:1', () => {
    expect(k.getBackend()).toBe('cuda');
    return tfc.tidy(() => tfc.relu(tfc.mul(a, 2))); // a moves to the GPU on use
  });
  expect(tfc.engine().state.tensorInfo.get(b.dataId)?.backend === tfc.engine().findBackend('cuda')).toBe(true);
  expect(k.getBackend()).toBe('cpu');
  const c = tfc.add(b, 1); // b moves back to the CPU on use
  expect(Array.from(c.dataSync())).toEqual([3, 1, 7]);
  expect(() => k.device('cuda:1', () => { throw new Error('inside'); })).toThrow('inside');
  expect(k.getBackend()).toBe('cpu');
  tfc.dispose([a, b, c]);
  expect(tfc.memory().numTensors).toBe(before);
  expect(fake.live()).toBe(buffers);
});

test("a model built and fit under device('/cpu:0') while the GPU is active predicts the same on the GPU", async () => {
  await k.setBackend('cuda:1');
  const before = tfc.memory().numTensors;
  const buffers = fake.live();
  const x = [[0.5, -1, 2], [1, 1, 1], [-2, 0.25, 0], [3, -1, 0.5], [0, 2, -1], [1, -1, 1]];
  const y = [0, 1, 2, 1, 0, 2];
  const { model, inside, backend } = await k.device('/cpu:0', async () => {
    k.utils.setRandomSeed(11);
    const m = new k.Sequential([new k.layers.Dense({ units: 5, activation: 'relu', inputShape: [3] }), new k.layers.Dense({ units: 3, activation: 'softmax' })]);
    m.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy' });
    await m.fit(x, y, { epochs: 4, batchSize: 3, verbose: 0 });
    const p = m.predict(x) as tfc.Tensor;
    const values = Array.from(p.dataSync());
    p.dispose();
    return { model: m, inside: values, backend: k.getBackend() };
  });
  expect(backend).toBe(defaultCpu); // the GPU was active, so '/cpu:0' is the default CPU backend
  expect(k.getBackend()).toBe('cuda');
  const p = model.predict(x) as tfc.Tensor; // on the GPU stand-in: the weights move there on use
  expect(tfc.engine().state.tensorInfo.get(model.weights[0].value.dataId)?.backend === tfc.engine().findBackend('cuda')).toBe(true);
  const outside = Array.from(p.dataSync());
  expect(outside).toHaveLength(18);
  outside.forEach((v, i) => expect(Math.abs(v - inside[i])).toBeLessThan(1e-5));
  p.dispose();
  model.dispose();
  expect(tfc.memory().numTensors).toBe(before);
  expect(fake.live()).toBe(buffers);
  await k.setBackend('cpu');
});
