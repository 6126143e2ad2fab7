/**
 * Devices as TensorFlow names them, on a machine without the CUDA addon (KERAS_CUDA_ADDON points at
 * a file that does not exist): every accepted name form and the refused ones, listDevices, the
 * device scope (result, restore after success, a throw and a rejection, nesting), tensors moving
 * between the scope's backend and the outer one, and the errors for GPUs that are not there.
 * The same with a stand-in for the CUDA addon and its GPUs: test/cuda/devices.test.ts.
 */
import * as path from 'path';
import * as tfc from '@tensorflow/tfjs-core';
import * as k from '../../src';
import { parseTensorFlowDevice } from '../../src/backend/devices';
import { nativeBuilt } from '../helpers';

const MISSING_ADDON = path.join(__dirname, 'no-such-dir', 'keras_cuda.node');
process.env.KERAS_CUDA_ADDON = MISSING_ADDON;

/** The backend that serves '/cpu:0' when none is active: native where built, else cpu (both start synchronously). */
const defaultCpu = nativeBuilt() ? 'native' : 'cpu';

test('listing the devices starts no backend: only /cpu:0, served by the default CPU backend', () => {
  const before = tfc.engine().state.numTensors; // tfc.memory() would start a backend
  expect(tfc.engine().backendName ?? null).toBeNull();
  const devices = k.listDevices();
  expect(devices).toHaveLength(1);
  expect(devices[0]).toMatchObject({ name: '/cpu:0', deviceType: 'CPU', backend: defaultCpu });
  expect(devices[0].description).toMatch(/^CPU, \d+ cores/);
  expect(tfc.engine().backendName ?? null).toBeNull(); // nothing was started
  expect(() => k.device('/tpu:0', () => 0)).toThrow(/unknown device/);
  expect(() => k.device('/gpu:0', () => 0)).toThrow(/no GPU 0/);
  expect(tfc.engine().backendName ?? null).toBeNull(); // a refused name changes nothing
  expect(tfc.engine().state.numTensors).toBe(before);
});

test('a first scope starts the default backend and comes back to it', () => {
  expect(k.device('cpu', () => k.getBackend())).toBe(defaultCpu);
  expect(k.getBackend()).toBe(defaultCpu);
});

test("wasm can be a scope's backend only once it has started (it starts asynchronously)", async () => {
  expect(() => k.device('wasm', () => 1)).toThrow(/device\('wasm'\): the 'wasm' backend starts asynchronously.*help: `await k\.setBackend\('wasm'\)` once before/);
  await k.setBackend('wasm');
  await k.setBackend('cpu');
  expect(k.device('wasm', () => k.getBackend())).toBe('wasm');
  expect(k.getBackend()).toBe('cpu');
});

describe('TensorFlow device names', () => {
  test.each([
    ['/cpu:0', 'CPU', 0], ['/device:CPU:0', 'CPU', 0], ['cpu', 'CPU', undefined], ['CPU:0', 'CPU', 0], ['/CPU:0', 'CPU', 0], ['CPU', 'CPU', undefined],
    ['/device:cpu:0', 'CPU', 0], ['/cpu', 'CPU', undefined], ['/gpu:1', 'GPU', 1], ['/device:GPU:1', 'GPU', 1], ['gpu', 'GPU', undefined],
    ['GPU:0', 'GPU', 0], ['/GPU:12', 'GPU', 12], ['/Device:Gpu:3', 'GPU', 3], ['/device:GPU', 'GPU', undefined],
  ])('%s is the %s device %s', (name, type, index) => {
    expect(parseTensorFlowDevice(name)).toEqual({ type, ...(index !== undefined ? { index } : {}) });
  });

  test.each(['/tpu:0', 'gpu:-1', '/gpu:', 'cpu0', '/device:XLA_GPU:0', ' cpu', 'cpu ', '/gpu:1.5', '', 'device:gpu:0', '//cpu:0', '/cpu:0/', 'cuda:1', 'wasm'])(
    '%j is not a TensorFlow device name',
    (name) => expect(parseTensorFlowDevice(name)).toBeUndefined(),
  );
});

describe('device(name, fn)', () => {
  beforeEach(async () => {
    await k.setBackend('cpu');
  });

  test.each(['/cpu:0', '/device:CPU:0', 'cpu', 'CPU:0', 'CPU', '/CPU:0', '/device:cpu:0'])(
    '%s runs fn on the CPU device (the active CPU backend) and returns its result',
    (name) => {
      const before = tfc.memory().numTensors;
      const out = k.device(name, () => {
        const y = tfc.tidy(() => tfc.add(tfc.tensor1d([1, 2]), tfc.tensor1d([10, 20])));
        return { backend: k.getBackend(), values: Array.from(y.dataSync()), y };
      });
      expect(out.backend).toBe('cpu'); // a CPU backend was active: the CPU device stays on it
      expect(out.values).toEqual([11, 22]);
      out.y.dispose();
      expect(tfc.memory().numTensors).toBe(before);
      expect(k.getBackend()).toBe('cpu');
    },
  );

  test.each([['wasm', 'wasm'], ['WASM', 'wasm'], ['wasm:0', 'wasm'], ...(nativeBuilt() ? [['native', 'native'], ['Native:0', 'native']] : [])])(
    'a backend name %s runs fn on %s',
    async (name, backend) => {
      await k.setBackend('wasm'); // started once, so a scope may switch to it
      await k.setBackend('cpu');
      expect(k.device(name, () => k.getBackend())).toBe(backend);
      expect(k.getBackend()).toBe('cpu');
    },
  );

  test('restores the previous backend after fn throws, and after an async fn rejects; nested scopes unwind', async () => {
    await k.setBackend('wasm');
    await k.setBackend('cpu');
    expect(() =>
      k.device('wasm', () => {
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(k.getBackend()).toBe('cpu');
    await expect(
      k.device('wasm', async () => {
        await new Promise((resolve) => setTimeout(resolve, 5));
        expect(k.getBackend()).toBe('wasm');
        throw new Error('async boom');
      }),
    ).rejects.toThrow('async boom');
    expect(k.getBackend()).toBe('cpu');
    const seen = k.device('wasm', () => [k.getBackend(), k.device('/cpu:0', () => k.getBackend()), k.getBackend()]);
    expect(seen).toEqual(['wasm', 'wasm', 'wasm']); // '/cpu:0' (and 'cpu') inside a wasm scope: wasm is a CPU backend, it stays
    expect(k.device('wasm', () => k.device('cpu', () => k.getBackend()))).toBe('wasm');
    if (nativeBuilt()) expect(k.device('wasm', () => [k.device('native', () => k.getBackend()), k.getBackend()])).toEqual(['native', 'wasm']);
    expect(k.getBackend()).toBe('cpu');
  });

  test('an async fn resolves to its result with the backend active throughout; fit inside keeps the scope backend', async () => {
    await k.setBackend('wasm');
    await k.setBackend('cpu');
    const before = tfc.memory().numTensors;
    const result = await k.device('wasm', async () => {
      const model = new k.Sequential([new k.layers.Dense({ units: 1, inputShape: [2] })]);
      model.compile({ optimizer: 'sgd', loss: 'mse' });
      await model.fit([[1, 2], [3, 4]], [[1], [2]], { epochs: 2, verbose: 0 });
      const backend = k.getBackend();
      model.dispose();
      return backend;
    });
    expect(result).toBe('wasm');
    expect(k.getBackend()).toBe('cpu');
    expect(tfc.memory().numTensors).toBe(before);
  });

  test('a model built and fit in a scope predicts the same outside it, its weights moved to the outer backend', async () => {
    await k.setBackend('wasm');
    await k.setBackend('cpu');
    const before = tfc.memory().numTensors;
    const x = [[0.5, -1, 2], [1, 1, 1], [-2, 0.25, 0], [3, -1, 0.5]];
    const { model, inside } = await k.device('wasm', async () => {
      k.utils.setRandomSeed(3);
      const m = new k.Sequential([new k.layers.Dense({ units: 4, activation: 'tanh', inputShape: [3] }), new k.layers.Dense({ units: 2 })]);
      m.compile({ optimizer: 'adam', loss: 'mse' });
      await m.fit(x, [[1, 0], [0, 1], [1, 1], [0, 0]], { epochs: 3, batchSize: 2, verbose: 0 });
      const p = m.predict(x) as tfc.Tensor;
      const values = Array.from(p.dataSync());
      p.dispose();
      return { model: m, inside: values };
    });
    const kernel = model.weights[0].value;
    const onBackend = (name: string): boolean => tfc.engine().state.tensorInfo.get(kernel.dataId)?.backend === tfc.engine().findBackend(name);
    expect(onBackend('keras-wasm')).toBe(true);
    const p = model.predict(x) as tfc.Tensor; // on cpu: the weights move on use
    const outside = Array.from(p.dataSync());
    expect(onBackend('keras-cpu')).toBe(true);
    expect(outside).toHaveLength(8);
    outside.forEach((v, i) => expect(Math.abs(v - inside[i])).toBeLessThan(1e-5));
    p.dispose();
    model.dispose();
    expect(tfc.memory().numTensors).toBe(before);
  });

  test('a tensor made outside a scope is used inside it, and one made inside is used after it', async () => {
    await k.setBackend('wasm');
    await k.setBackend('cpu');
    const a = tfc.tensor1d([1, 2, 3]);
    const b = k.device('wasm', () => tfc.mul(a, 2));
    expect(tfc.engine().state.tensorInfo.get(b.dataId)?.backend === tfc.engine().findBackend('keras-wasm')).toBe(true);
    const c = tfc.add(a, b);
    expect(Array.from(c.dataSync())).toEqual([3, 6, 9]);
    tfc.dispose([a, b, c]);
  });
});

describe('names that are refused say what is accepted or what is present', () => {
  test('an unknown name lists the accepted forms', async () => {
    await k.setBackend('cpu');
    const fn = jest.fn();
    expect(() => k.device('/tpu:0', fn)).toThrow(
      /device\('\/tpu:0'\): unknown device '\/tpu:0'\. help: .*'\/cpu:0', '\/device:CPU:0', 'cpu', 'CPU:0', '\/gpu:1', '\/device:GPU:1', 'gpu', 'GPU:0' \(any case\).*'wasm'.*'cuda:1'/,
    );
    await expect(k.setBackend('tpu')).rejects.toThrow(/setBackend: unknown backend 'tpu'\. help: use one of 'cpu', 'wasm', 'native', 'cuda', 'tensorflow', 'webgl', 'webgpu'.*'\/cpu:0', '\/device:CPU:0'/);
    expect(fn).not.toHaveBeenCalled();
    expect(() => k.device('cpu', 'not a function' as unknown as () => void)).toThrow(/device\('cpu'\): `fn` must be a function, got string\. help:/);
    expect(k.getBackend()).toBe('cpu');
  });

  test('a GPU without the CUDA addon names the devices present, what is missing and how to build it', async () => {
    await k.setBackend('cpu');
    const fn = jest.fn();
    const missing = /no GPU 0; the devices are \/cpu:0\. the CUDA addon is not built \(no .*no-such-dir.*\)\. help: .*npx keras-ts build-cuda/;
    for (const name of ['/gpu:0', '/device:GPU:0', 'gpu', 'GPU:0', 'cuda:0']) expect(() => k.device(name, fn)).toThrow(missing);
    await expect(k.setBackend('cuda:1')).rejects.toThrow(/setBackend\('cuda:1'\): no GPU 1; the devices are \/cpu:0\. the CUDA addon is not built.*help: /);
    await expect(k.setBackend('/gpu:0')).rejects.toThrow(/setBackend\('\/gpu:0'\): no GPU 0; the devices are \/cpu:0\./);
    expect(fn).not.toHaveBeenCalled();
    expect(k.getBackend()).toBe('cpu');
  });

  test('a second CPU, or an index on a one-device backend, is refused', async () => {
    await k.setBackend('cpu');
    expect(() => k.device('/cpu:1', () => 0)).toThrow(/device\('\/cpu:1'\): no CPU 1; the devices are \/cpu:0\. help: use '\/cpu:0'/);
    await expect(k.setBackend('CPU:2')).rejects.toThrow(/no CPU 2/);
    expect(() => k.device('wasm:1', () => 0)).toThrow(/device\('wasm:1'\): 'wasm' computes on one device, \/cpu:0\. help: write 'wasm' without ':1'/);
  });
});

test('setBackend takes a CPU device name: the active CPU backend stays, a backend name is that backend', async () => {
  await k.setBackend('wasm');
  await k.setBackend('/cpu:0');
  expect(k.getBackend()).toBe('wasm');
  await k.setBackend('cpu'); // the backend's own name wins in setBackend: the plain-JavaScript one
  expect(k.getBackend()).toBe('cpu');
  expect(k.listDevices()[0].backend).toBe('cpu'); // '/cpu:0' is served by the active CPU backend
});
