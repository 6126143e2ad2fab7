/**
 * CUDA_VISIBLE_DEVICES, simulated by the CUDA addon's stand-in as the CUDA runtime applies it (the
 * runtime reads it once and shows only the listed GPUs, renumbered from 0): with two GPUs and
 * CUDA_VISIBLE_DEVICES=1, keras-ts lists one GPU, '/gpu:0' is physical GPU 1, and '/gpu:1' is
 * refused with the devices present and the variable named.
 */
import * as path from 'path';
import * as k from '../../src';
import fake = require('./fake_addon_module');

const saved = process.env.CUDA_VISIBLE_DEVICES;
process.env.KERAS_CUDA_ADDON = path.join(__dirname, 'fake_addon_module.ts');
process.env.CUDA_VISIBLE_DEVICES = '1';
afterAll(() => {
  if (saved === undefined) delete process.env.CUDA_VISIBLE_DEVICES;
  else process.env.CUDA_VISIBLE_DEVICES = saved;
});

test('only the visible GPU is listed, as /gpu:0', () => {
  const gpus = k.listDevices().filter((d) => d.deviceType === 'GPU');
  expect(gpus.map((d) => [d.name, d.backend, d.description])).toEqual([['/gpu:0', 'cuda', 'Fake GPU B, compute capability 9.0, 1.0 GiB']]);
  expect(fake.log.inits).toEqual([]);
});

test("'/gpu:1' is refused naming the devices present and CUDA_VISIBLE_DEVICES", async () => {
  await k.setBackend('cpu');
  await expect(k.setBackend('/gpu:1')).rejects.toThrow(
    `setBackend('/gpu:1'): no GPU 1; the devices are /cpu:0, /gpu:0. help: use one of those (CUDA_VISIBLE_DEVICES="1" leaves these visible, numbered from 0).`,
  );
  expect(fake.log.inits).toEqual([]);
});

test("setBackend('GPU:0') initializes the addon on visible GPU 0, which is physical GPU 1", async () => {
  await k.setBackend('GPU:0');
  expect(k.getBackend()).toBe('cuda');
  expect(fake.log.inits).toEqual([{ asked: 0, physical: 1 }]);
  expect(k.backendReport().device).toMatch(/^Fake GPU B/);
  await k.setBackend('cpu');
});
