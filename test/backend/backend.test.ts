import * as tfc from '@tensorflow/tfjs-core';
import * as k from '../../src';

test('setBackend switches between cpu and wasm and getBackend reports it', async () => {
  await k.setBackend('wasm');
  expect(k.getBackend()).toBe('wasm');
  await k.setBackend('cpu');
  expect(k.getBackend()).toBe('cpu');
});

test('the cpu backend prints no tfjs-node banner', async () => {
  const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
  tfc.removeBackend('keras-cpu'); // a fresh instance: the banner would print on its first write
  jest.resetModules();
  const fresh = await import('../../src');
  await fresh.setBackend('cpu');
  tfc.tensor1d([1, 2, 3]).dispose();
  const printed = [...warn.mock.calls, ...log.mock.calls].flat().join(' ');
  expect(printed).not.toMatch(/tfjs-node|node backend/);
  warn.mockRestore();
  log.mockRestore();
});

test("'tensorflow' without tfjs-node-gpu fails saying what is missing and how to install it", async () => {
  await expect(k.setBackend('tensorflow')).rejects.toThrow(/@tensorflow\/tfjs-node-gpu is not installed[\s\S]*npm install @tensorflow\/tfjs-node-gpu/);
  await k.setBackend('cpu');
});

test('an unknown backend name lists the valid ones', async () => {
  // 'gpu' was the example here until TensorFlow's device names were accepted (devices.test.ts)
  await expect(k.setBackend('tpu' as k.BackendName)).rejects.toThrow(/unknown backend 'tpu'.*'cpu', 'wasm', 'native', 'cuda', 'tensorflow', 'webgl', 'webgpu'/);
});
