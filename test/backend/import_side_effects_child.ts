/**
 * Run by import_side_effects.test.ts in a process of its own (argv[2] picks the scenario); prints
 * one JSON line. The snapshots read tfjs-core through its public API: backend factories
 * (engine().registryFactory), each backend's kernel configs (getKernelsForBackend), the gradient
 * of every kernel name tfjs-core exports (getGradient), Tensor.prototype's methods, tfjs's flags,
 * its platform, and process.env. Objects are compared by identity, so a kernel registered again
 * (even with the same function) counts as a change.
 */
import * as tfc from '@tensorflow/tfjs-core';

type Snapshot = Map<string, unknown>;

const KERNEL_NAMES = [...new Set((Object.values(tfc) as unknown[]).filter((v): v is string => typeof v === 'string' && /^[A-Z_]/.test(v)))];
const BACKENDS = ['cpu', 'wasm', 'keras-cpu', 'keras-wasm', 'native', 'cuda', 'tensorflow', 'webgl', 'webgpu', 'keras-webgl', 'keras-webgpu'];

function snapshot(backends: string[] = BACKENDS): Snapshot {
  const s: Snapshot = new Map();
  const engine = tfc.engine();
  for (const [name, entry] of Object.entries(engine.registryFactory)) s.set(`factory ${name}`, entry.factory);
  s.set('active backend', engine.backendName ?? null);
  for (const b of new Set([...backends, ...Object.keys(engine.registryFactory)])) {
    for (const k of tfc.getKernelsForBackend(b)) s.set(`kernel ${b}/${k.kernelName}`, k);
  }
  for (const name of KERNEL_NAMES) s.set(`gradient ${name}`, tfc.getGradient(name));
  for (const [m, d] of Object.entries(Object.getOwnPropertyDescriptors(tfc.Tensor.prototype))) s.set(`Tensor.prototype.${m}`, d.value ?? d.get);
  for (const [flag, value] of Object.entries(tfc.env().getFlags())) s.set(`flag ${flag}`, value);
  s.set('platform', tfc.env().platformName);
  for (const [key, value] of Object.entries(process.env)) s.set(`env ${key}`, value);
  return s;
}

/** The keys whose values differ (added, removed or replaced), limited to those `only` accepts. */
function diff(a: Snapshot, b: Snapshot, only: (key: string) => boolean = () => true): string[] {
  const keys = new Set([...a.keys(), ...b.keys()]);
  return [...keys].filter((key) => only(key) && a.get(key) !== b.get(key)).sort();
}

/** A two-sample fit, for the scenarios that use keras-ts. */
async function fitOnce(k: typeof import('../../src')): Promise<number> {
  const model = new k.Sequential([new k.layers.Dense({ units: 3, activation: 'relu', inputShape: [2] }), new k.layers.Dense({ units: 1 })]);
  model.compile({ optimizer: 'adam', loss: 'mse' });
  const h = await model.fit([[1, 2], [3, -4]], [[1], [0]], { epochs: 2, verbose: 0 });
  model.dispose();
  return h.history.loss[1];
}

/** clipByValue(NaN, 0, 1) on the active backend: tfjs-backend-wasm's own kernel gives 0, keras-wasm's NaN. */
function clipNaN(): number {
  return tfc.tidy(() => tfc.clipByValue(tfc.tensor1d([NaN]), 0, 1).dataSync()[0]);
}

/** Importing keras-ts into a process with tfjs-core only; then getBackend() first thing. */
function pristine(): object {
  const before = snapshot();
  const k = require('../../src') as typeof import('../../src');
  const changed = diff(before, snapshot());
  const backend = k.getBackend();
  return { changed, backend, kerasExports: Object.keys(k).length };
}

/** Importing keras-ts where the user's tfjs already has its cpu and wasm backends. */
function withTfjsBackends(): object {
  require('@tensorflow/tfjs-backend-cpu');
  require('@tensorflow/tfjs-backend-wasm');
  const before = snapshot();
  require('../../src');
  return { changed: diff(before, snapshot()), kernels: tfc.getKernelsForBackend('cpu').length + tfc.getKernelsForBackend('wasm').length };
}

/**
 * keras-ts imported first, then the user's own tfjs cpu and wasm: after keras-ts trains on its cpu
 * and wasm, tfjs's 'cpu' and 'wasm' factories and kernel configs are the packages' own objects.
 */
async function ownKernelsAfterUse(): Promise<object> {
  const k = require('../../src') as typeof import('../../src');
  require('@tensorflow/tfjs-backend-cpu');
  require('@tensorflow/tfjs-backend-wasm');
  const before = snapshot(['cpu', 'wasm']);
  const theirs = (key: string): boolean => /^(factory|kernel) (cpu|wasm)\b/.test(key);
  const counted = [...before.keys()].filter(theirs).length;
  const addConfig = tfc.getKernel('Add', 'cpu');
  await k.setBackend('cpu');
  const cpuLoss = await fitOnce(k);
  const kerasCpu = tfc.getBackend();
  await k.setBackend('wasm');
  const wasmLoss = await fitOnce(k);
  const kerasWasm = tfc.getBackend();
  const kerasWasmClip = clipNaN();
  const changed = diff(before, snapshot(['cpu', 'wasm']), theirs);
  await tfc.setBackend('wasm');
  const tfjsWasmClip = clipNaN();
  await tfc.setBackend('cpu');
  const sum = tfc.tidy(() => tfc.add(tfc.scalar(1), tfc.scalar(2)).dataSync()[0]);
  return {
    counted, changed, sameAddConfig: tfc.getKernel('Add', 'cpu') === addConfig, kerasCpu, kerasWasm,
    losses: [cpuLoss, wasmLoss], kerasWasmClip: String(kerasWasmClip), tfjsWasmClip: String(tfjsWasmClip), sum, activeAfter: k.getBackend(),
  };
}

const SCENARIOS: Record<string, () => object | Promise<object>> = { pristine, withTfjsBackends, ownKernelsAfterUse };

Promise.resolve(SCENARIOS[process.argv[2]]()).then(
  (result) => console.log(JSON.stringify(result)),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
