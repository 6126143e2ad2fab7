/**
 * `npm run bench:applications`: the ImageNet applications' speed, keras-ts against torchvision on the
 * same machine, in one run, one after the other:
 *   - forward (predict) images per second of MobileNetV2 and ResNet50 at 224x224, batch 32;
 *   - a fine-tuning step of MobileNetV2 at 96x96, batch 32, 10 classes, Adam: the base frozen with a
 *     new head (Keras's transfer-learning recipe), and the whole network trained.
 * keras-ts runs on 'native' (oneDNN, every core) and 'wasm' (forward only, its default thread count);
 * PyTorch is Debian's python3-torch + python3-torchvision with OpenBLAS, on the same thread count as
 * native, in eval mode under no_grad for the forward rows (bench/torch_applications.py). Weights are
 * random (`weights: null`): speed does not depend on them. Each figure is the median of the timed
 * repetitions after a warm-up. Run it alone (2 cores):
 *
 *   flock -x /tmp/keras-ts-cpu.lock npm run bench:applications
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tfc from '@tensorflow/tfjs-core';
import * as k from '../src';
import { torchPython } from './torch_python';
import { median } from './workers/common';

const BATCH = 32;
const THREADS = os.cpus().length;
/** The largest batch tfjs-backend-wasm runs ResNet50 at (at 32 its memory passes 2 GB and it aborts). */
const WASM_RESNET_BATCH = 16;

type Row = { what: string; ours: Record<string, number>; torch?: number; unit: string };

async function forward(name: 'MobileNetV2' | 'ResNet50', reps: number, batch = BATCH): Promise<number> {
  const model = await k.applications[name]({ weights: null });
  const x = tfc.randomUniform([batch, 224, 224, 3], -1, 1);
  const times: number[] = [];
  for (let i = 0; i < reps + 1; i++) {
    const t = performance.now();
    const y = model.predict(x, { batchSize: batch }) as tfc.Tensor;
    await y.data();
    y.dispose();
    times.push(performance.now() - t);
  }
  x.dispose();
  model.dispose();
  return batch / (median(times.slice(1)) / 1000);
}

async function fineTuneStep(frozenBase: boolean, reps: number): Promise<number> {
  const base = await k.applications.MobileNetV2({ weights: null, includeTop: false, inputShape: [96, 96, 3], pooling: 'avg' });
  base.trainable = !frozenBase;
  const model = new k.Sequential([base, new k.layers.Dense({ units: 10, activation: 'softmax' })]);
  model.compile({ optimizer: new k.optimizers.Adam({ learningRate: 1e-3 }), loss: 'sparse_categorical_crossentropy' });
  const x = tfc.randomUniform([BATCH, 96, 96, 3], -1, 1);
  const y = tfc.tensor1d(Array.from({ length: BATCH }, (_, i) => i % 10), 'float32');
  const times: number[] = [];
  for (let i = 0; i < reps + 2; i++) {
    const t = performance.now();
    await model.trainOnBatch(x, y);
    times.push(performance.now() - t);
  }
  tfc.dispose([x, y]);
  model.dispose();
  return median(times.slice(2)) / 1000;
}

function runTorch(): Record<string, number> | null {
  const python = torchPython();
  if (python === null) return null;
  try {
    execFileSync(python, ['-c', 'import torchvision'], { stdio: 'ignore' });
  } catch {
    console.log('(torchvision missing: apt-get install python3-torchvision)');
    return null;
  }
  const out = execFileSync(python, [path.join(__dirname, 'torch_applications.py'), String(THREADS), String(BATCH)], {
    encoding: 'utf8',
    env: { ...process.env, OMP_NUM_THREADS: String(THREADS), OPENBLAS_NUM_THREADS: String(THREADS) },
    maxBuffer: 1 << 24,
  });
  const result: Record<string, number> = {};
  for (const line of out.split('\n')) {
    if (line.startsWith('RESULT ')) Object.assign(result, JSON.parse(line.slice(7)));
    else if (line.trim() !== '') console.log(`  torch: ${line}`);
  }
  return result;
}

function blas(): string {
  try {
    return fs.realpathSync('/usr/lib/x86_64-linux-gnu/libblas.so.3');
  } catch {
    return 'unknown';
  }
}

function loadAverage(): string {
  return os.loadavg().map((l) => l.toFixed(2)).join(', ');
}

async function main(): Promise<void> {
  const loadAtStart = loadAverage();
  const rows: Row[] = [
    { what: 'MobileNetV2 forward, 224x224, batch 32', ours: {}, unit: 'images/s' },
    { what: 'ResNet50 forward, 224x224, batch 32', ours: {}, unit: 'images/s' },
    { what: 'MobileNetV2 96x96 fine-tuning step, frozen base + head', ours: {}, unit: 's/step' },
    { what: 'MobileNetV2 96x96 fine-tuning step, whole network', ours: {}, unit: 's/step' },
  ];
  for (const backend of ['native', 'wasm'] as const) {
    await k.setBackend(backend);
    rows[0].ours[backend] = await forward('MobileNetV2', backend === 'native' ? 5 : 2);
    // tfjs-backend-wasm aborts on ResNet50 at batch 32 (its memory passes 2 GB); batch 16 there.
    rows[1].ours[backend] = await forward('ResNet50', backend === 'native' ? 3 : 1, backend === 'wasm' ? WASM_RESNET_BATCH : BATCH);
    if (backend === 'native') {
      rows[2].ours[backend] = await fineTuneStep(true, 5);
      rows[3].ours[backend] = await fineTuneStep(false, 5);
      const report = k.backendReport();
      console.log(`native: ${report.device ?? ""}; kernels that fell back to tfjs's JS code: ${JSON.stringify(report.fallbacks)}`);
    }
    console.log(`${backend} done`);
  }
  const torch = runTorch();
  const keys = ['mobilenet_v2_forward', 'resnet50_forward', 'mobilenet_v2_finetune_frozen', 'mobilenet_v2_finetune_full'];
  rows.forEach((r, i) => (r.torch = torch?.[keys[i]]));
  console.log(`\n(wasm's ResNet50 row at batch ${WASM_RESNET_BATCH}: tfjs-backend-wasm aborts at 32.)`);
  console.log(`keras-ts native: ${THREADS} threads (oneDNN); wasm: its default threads; PyTorch ${torch?.version ?? '-'}: ${THREADS} threads, BLAS ${blas()}`);
  console.log(`load average (1, 5, 15 min) at the start: ${loadAtStart}; at the end: ${loadAverage()} (other work on the machine slows both sides)`);
  console.log('| workload | keras-ts native | keras-ts wasm | PyTorch (torchvision) | native time / PyTorch time |');
  console.log('|---|---|---|---|---|');
  for (const r of rows) {
    const nat = r.ours.native;
    const ratio = r.torch === undefined ? '-' : r.unit === 'images/s' ? (r.torch / nat).toFixed(2) : (nat / r.torch).toFixed(2);
    const fmt = (v: number | undefined): string => (v === undefined ? '-' : r.unit === 'images/s' ? `${v.toFixed(1)} ${r.unit}` : `${v.toFixed(3)} ${r.unit}`);
    console.log(`| ${r.what} | ${fmt(nat)} | ${fmt(r.ours.wasm)} | ${fmt(r.torch)} | ${ratio}x |`);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
