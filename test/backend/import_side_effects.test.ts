/**
 * Importing keras-ts changes nothing in tfjs-core, and using it never changes tfjs's own 'cpu' and
 * 'wasm' backends. Each scenario runs in a fresh process (import_side_effects_child.ts), since
 * tfjs-core keeps its registries on the global object.
 */
import { execFileSync } from 'child_process';
import { nativeBuilt } from '../helpers';

function child(scenario: string): Record<string, unknown> {
  const env: NodeJS.ProcessEnv = { ...process.env, TS_NODE_TRANSPILE_ONLY: 'true' };
  delete env.OMP_WAIT_POLICY; // the native addon sets it when it loads: never at import
  delete env.GOMP_SPINCOUNT;
  const out = execFileSync(process.execPath, ['-r', 'ts-node/register/transpile-only', require.resolve('./import_side_effects_child.ts'), scenario], {
    encoding: 'utf8',
    env,
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  return JSON.parse(out.trim().split('\n').pop() as string) as Record<string, unknown>;
}

test('importing keras-ts registers nothing: backends, kernels, gradients, Tensor methods, flags and process.env are unchanged; getBackend() then names a backend', () => {
  const r = child('pristine');
  expect(r.changed).toEqual([]);
  expect(r.kerasExports).toBeGreaterThan(20); // the import did load keras-ts
  expect(r.backend).toBe(nativeBuilt() ? 'native' : 'cpu');
});

test("importing keras-ts where tfjs's cpu and wasm are loaded leaves every kernel config as it was", () => {
  const r = child('withTfjsBackends');
  expect(r.kernels).toBeGreaterThan(200); // the snapshot saw the packages' kernels
  expect(r.changed).toEqual([]);
});

test("after keras-ts trains on its cpu and wasm, tfjs's own 'cpu' and 'wasm' keep their factories and kernels", () => {
  const r = child('ownKernelsAfterUse');
  expect(r.counted).toBeGreaterThan(200);
  expect(r.changed).toEqual([]);
  expect(r.sameAddConfig).toBe(true);
  // keras-ts computed on backends of its own names...
  expect([r.kerasCpu, r.kerasWasm]).toEqual(['keras-cpu', 'keras-wasm']);
  expect((r.losses as number[]).every(Number.isFinite)).toBe(true);
  // ...with its NaN-safe clamp on keras-wasm, while tfjs's own wasm kernel still maps NaN to the lower bound
  expect([r.kerasWasmClip, r.tfjsWasmClip]).toEqual(['NaN', '0']);
  // tfjs's own cpu computes, and getBackend reports it under tfjs's name
  expect(r.sum).toBe(3);
  expect(r.activeAfter).toBe('cpu');
});
