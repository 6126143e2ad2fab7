/**
 * Without a GPU (CI): the CUDA addon builds with nvcc, loads, and setBackend('cuda') fails saying
 * which piece is missing. The GPU checks themselves are `npm run test:cuda` on a GPU machine.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as k from '../../src';
import { cudaAddonPath } from '../../src/backend/cuda/addon';

const root = path.join(__dirname, '..', '..');
let nvcc: string | null = null;
try {
  nvcc = execFileSync('bash', ['-c', 'command -v nvcc || ls /usr/local/cuda/bin/nvcc'], { encoding: 'utf8' }).trim() || null;
} catch {
  nvcc = null;
}
const describeWithNvcc = nvcc ? describe : describe.skip;
if (!nvcc) console.log('CUDA addon tests skipped: nvcc is not installed on this machine.');

describeWithNvcc('CUDA addon (no GPU needed)', () => {
  beforeAll(() => {
    execFileSync('bash', [path.join(root, 'native', 'cuda', 'build.sh')], { stdio: 'pipe' });
  }, 180000);

  test('it builds and loads, and init() reports why there is no usable GPU', () => {
    expect(fs.existsSync(cudaAddonPath())).toBe(true);
    const addon = require(cudaAddonPath()) as { init(): { ok: boolean; error?: string } };
    const info = addon.init();
    if (info.ok) {
      console.log('A GPU is present: run `npm run test:cuda` for the GPU tests.');
      return;
    }
    expect(info.error).toMatch(/driver|device|cuBLAS/i);
  });

  test("setBackend('cuda') without a GPU fails saying what is missing and what to do", async () => {
    const addon = require(cudaAddonPath()) as { init(): { ok: boolean } };
    if (addon.init().ok) return;
    await expect(k.setBackend('cuda')).rejects.toThrow(/setBackend\('cuda'\): no usable GPU: .+ help: /);
    await k.setBackend('cpu'); // the previous backend still works
  });

  test('devices() counts the GPUs without selecting one; without a GPU, listDevices has none and a GPU name says why', async () => {
    const addon = require(cudaAddonPath()) as { devices(): { ok: boolean; error?: string; devices: { name: string }[] }; init(device?: number): { ok: boolean; error?: string } };
    const listed = addon.devices();
    expect(Array.isArray(listed.devices)).toBe(true);
    if (listed.ok && listed.devices.length > 0) {
      console.log(`GPUs present (${listed.devices.map((d) => d.name).join(', ')}): run \`npm run test:cuda\` for the GPU tests.`);
      return;
    }
    expect(listed.error ?? 'no CUDA device').toMatch(/driver|device/i);
    expect(k.listDevices().map((d) => d.name)).toEqual(['/cpu:0']);
    await expect(k.setBackend('/gpu:0')).rejects.toThrow(/setBackend\('\/gpu:0'\): no GPU 0; the devices are \/cpu:0\. no usable GPU: .+ help: /);
    expect(addon.init(1).ok).toBe(false);
  });
});
