/**
 * The browser build's stand-ins, tested in Node (the page test sees them through the bundle):
 * a Node-only module loads, and each of its functions throws a RuntimeError that names the module
 * and function and ends with a help; the Node-only backends' browser profiles refuse by name.
 * Also: in Node, setBackend('webgl') and setBackend('webgpu') fail with a BackendError, and the
 * backend in use stays usable.
 */
import * as k from '../../src';
import { nodeOnly } from '../../src/browser/node_only';
import { nodeOnlyProfile } from '../../src/browser/node_only_profile';
import { nativeProfile } from '../../src/backend/native/profile.browser';

test('a Node-only module loads; calling any of its functions throws "Node-only: ... help: ..."', () => {
  const fs = nodeOnly('fs') as { readFileSync: () => void; existsSync: () => void };
  expect(typeof fs.readFileSync).toBe('function');
  expect(() => fs.readFileSync()).toThrow(k.RuntimeError);
  expect(() => fs.existsSync()).toThrow(/^Node-only: fs\.existsSync is not available in the browser build of keras-ts\. help: in a page, save with model\.save\('indexeddb:\/\/name'/);
  expect(() => (nodeOnly('worker_threads') as { Worker: () => void }).Worker()).toThrow(/worker_threads\.Worker .* help: the image workers are Node-only/);
  expect(() => (nodeOnly('some_module') as { f: () => void }).f()).toThrow(/some_module\.f .* help: run this part of keras-ts in Node\.$/);
});

test('esbuild-style interop sees no members of its own and no promise (then) on a stand-in', () => {
  const m = nodeOnly('os') as Record<string, unknown>;
  expect(Object.keys(m)).toEqual([]);
  expect(m.then).toBeUndefined();
  expect(m.__esModule).toBeUndefined();
});

test("the browser's profiles of the Node-only backends refuse by name, with the backends a page has", () => {
  expect(nativeProfile.name).toBe('native');
  expect(nativeProfile.autoPriority).toBeUndefined();
  expect(() => nativeProfile.register()).toThrow(/^Node-only: setBackend\('native'\) needs keras-ts's native CPU addon .* help: in a page, choose setBackend\('webgl'\), 'webgpu', 'wasm' or 'cpu'\.$/);
  expect(() => nodeOnlyProfile('x', 'keras-x', 'a thing').register()).toThrow(k.BackendError);
});

test.each(['webgl', 'webgpu'])("setBackend('%s') in Node fails with a BackendError; cpu still computes after", async (name) => {
  await k.setBackend('cpu');
  await expect(k.setBackend(name)).rejects.toThrow(k.BackendError);
  await expect(k.setBackend(name)).rejects.toThrow(new RegExp(`^setBackend\\('${name}'\\): @tensorflow/tfjs-backend-${name} registered no '${name}' backend here \\(it does only in a browser\\)\\. help: in Node, choose setBackend\\('native'\\), 'wasm' or 'cpu'\\.$`));
  await k.setBackend('cpu');
  expect(k.getBackend()).toBe('cpu');
  expect(k.tf.tidy(() => k.tf.add(k.tf.scalar(1), k.tf.scalar(2)).dataSync()[0])).toBe(3);
});
