/**
 * `npm run bench:images`: the image pipeline's speed, in one run, one measurement after the other.
 *
 * 1. Throughput: a folder of photo-sized RGB files (half JPEG, half PNG, 320x240 to 500x375, smooth
 *    gradients + noise, made with sharp in a temporary folder removed afterwards) read by
 *    k.utils.imageDatasetFromDirectory (decode + resize + batch 32) against torchvision's ImageFolder +
 *    DataLoader (Resize((h, w)) + PILToTensor, batch 32; bench/torch_images.py), at 64x64 and 224x224:
 *    images per second of one epoch after one warm-up epoch. Ours runs twice: with `--workers` image
 *    workers (default os.availableParallelism(); torchvision gets the same num_workers) and with
 *    workers: 0 (everything but sharp's decode on the main thread, the path before the workers). Our
 *    side also reports where its CPU time went: the main thread (the JS event loop, its busy fraction)
 *    against the other threads (the image workers, libvips and libuv's pool).
 * 2. Where an image's CPU goes (`--profile`, also part of the default run): per-image ms, on the main
 *    thread, one file at a time, of reading a file, decoding it (the native addon's decoder, and sharp),
 *    the addon's whole loadImages (read + decode of the rows needed + convert + resize), making a
 *    batch's tensors, and handing a job to a worker and back; PIL's decode and torchvision's Resize
 *    on the same files (bench/torch_images.py --profile).
 * 3. Fit from files against fit from arrays (examples/images_from_folder.ts's CNN, on 'native'): the
 *    same images decoded once into a tensor and fit from it, against fit from the dataset, with and
 *    without `.cache()`: total seconds of `--epochs` epochs, each epoch's seconds printed.
 *
 *   npm run bench:images [-- --images 600] [-- --epochs 3] [-- --no-torch] [-- --no-fit] [-- --only-fit] [-- --workers N]
 *       [-- --profile]      (the per-image profile alone) [-- --no-profile]
 *       [-- --photos]       (with --only-fit: the photos fit too)
 *       [-- --folder DIR]   (make the photos there, or reuse them if DIR exists, and keep them)
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as k from '../src';
import { defaultImageWorkers, imageWorkers } from '../src/utils/image/image_workers';
import { nativeImageCodec } from '../src/utils/image/native_codec';
import { sharpModule } from '../src/utils/image/sharp_module';
import { torchPython } from './torch_python';

function flag(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
}
const has = (name: string): boolean => process.argv.includes(`--${name}`);

const IMAGES = Number(flag('images', '600'));
const EPOCHS = Number(flag('epochs', '3'));
const WORKERS = Number(flag('workers', String(defaultImageWorkers())));
const CLASSES = ['cat', 'dog', 'fox', 'owl'];
const SIZES: [number, number][] = [[320, 240], [400, 300], [500, 375], [375, 500], [240, 320], [448, 336], [360, 480]];
const fmt = (v: number | undefined, d = 1): string => (v === undefined || !Number.isFinite(v) ? '—' : v.toFixed(d));

/** A photo-like image: a per-class colour gradient, a few smooth waves and per-pixel noise (compresses as photos do, not to nothing). */
function photo(width: number, height: number, cls: number, seed: number): Buffer {
  let s = seed * 2654435761 >>> 0;
  const rand = (): number => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
  const [fx, fy, phase] = [1 + rand() * 4, 1 + rand() * 4, rand() * 6.28];
  const px = Buffer.alloc(width * height * 3);
  for (let y = 0, o = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const u = x / width;
      const v = y / height;
      const wave = 40 * Math.sin(6.28 * (fx * u + fy * v) + phase) * Math.cos(6.28 * fy * u - phase);
      for (let c = 0; c < 3; c++) {
        const base = 60 + 120 * (c === cls % 3 ? u : c === (cls + 1) % 3 ? v : 1 - u * v) + (cls === 3 ? 30 : 0);
        px[o++] = Math.max(0, Math.min(255, Math.round(base + wave + (rand() - 0.5) * 24)));
      }
    }
  }
  return px;
}

/** IMAGES files in dir/<class>/, even ones JPEG (quality 90), odd ones PNG; returns the bytes written. */
async function makeFolder(dir: string): Promise<number> {
  const sharp = sharpModule('bench');
  let bytes = 0;
  for (const c of CLASSES) fs.mkdirSync(path.join(dir, c), { recursive: true });
  const one = async (i: number): Promise<void> => {
    const [width, height] = SIZES[i % SIZES.length];
    const cls = i % CLASSES.length;
    const img = sharp(photo(width, height, cls, i + 1), { raw: { width, height, channels: 3 } });
    const data = i % 2 === 0 ? await img.jpeg({ quality: 90 }).toBuffer() : await img.png().toBuffer();
    fs.writeFileSync(path.join(dir, CLASSES[cls], `${i}.${i % 2 === 0 ? 'jpg' : 'png'}`), data);
    bytes += data.length;
  };
  for (let i = 0; i < IMAGES; i += 8) await Promise.all(Array.from({ length: Math.min(8, IMAGES - i) }, (_, j) => one(i + j)));
  return bytes;
}

/**
 * CPU seconds so far of the main thread (Linux's counter for that thread) and of all the others: the
 * process's total (process.cpuUsage, which keeps the time of threads that have ended) minus the main thread's.
 */
function threadCpu(): { main: number; others: number } {
  const stat = fs.readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const main = (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in USER_HZ ticks
  const total = process.cpuUsage();
  return { main, others: (total.user + total.system) / 1e6 - main };
}

interface OursResult { imagesPerSecond: number; seconds: number; mainCpu: number; otherCpu: number; loopBusy: number }

/** One warm-up epoch, then one timed epoch of imageDatasetFromDirectory at `size`. */
async function ours(dir: string, size: [number, number], workers: number): Promise<OursResult> {
  const ds = await k.utils.imageDatasetFromDirectory(dir, { imageSize: size, batchSize: 32, seed: 1, verbose: false, workers });
  const epoch = async (): Promise<number> => {
    let n = 0;
    for await (const [x, y] of ds as AsyncIterable<[k.tf.Tensor, k.tf.Tensor]>) {
      n += x.shape[0];
      x.dispose();
      y.dispose();
    }
    return n;
  };
  await epoch();
  const cpu0 = threadCpu();
  const elu0 = performance.eventLoopUtilization();
  const t0 = performance.now();
  const n = await epoch();
  const seconds = (performance.now() - t0) / 1000;
  const elu = performance.eventLoopUtilization(elu0);
  const cpu1 = threadCpu();
  return { imagesPerSecond: n / seconds, seconds, mainCpu: cpu1.main - cpu0.main, otherCpu: cpu1.others - cpu0.others, loopBusy: elu.utilization };
}

/** CPU ms (all threads) per call of `fn` over `items`, awaited one at a time. */
async function cpuMs<T>(items: T[], fn: (item: T) => unknown): Promise<number> {
  const t0 = process.cpuUsage();
  for (const item of items) await fn(item);
  const t = process.cpuUsage(t0);
  return (t.user + t.system) / 1000 / items.length;
}

/** The per-image profile (see the module header), one table row per format and size. */
async function profile(python: string | null, dir: string): Promise<void> {
  const codec = nativeImageCodec();
  const sharp = sharpModule('bench');
  const all = fs.readdirSync(dir).flatMap((c) => fs.readdirSync(path.join(dir, c)).map((f) => path.join(dir, c, f)));
  console.log(`\nPer-image CPU ms, one file at a time on the main thread (native decoder: ${codec === null ? 'not built' : codec.imageCodecs().join(', ')}):\n`);
  console.log('| files | size | read | decode, native | decode, sharp | native loadImages (read + decode + convert + resize) | PIL open + load | torchvision Resize + PILToTensor |');
  console.log('|---|---|---|---|---|---|---|---|');
  const torch = python === null ? [] : spawnSync(python, [path.join(__dirname, 'torch_images.py'), '--profile', dir], { encoding: 'utf8', env: { ...process.env, OMP_NUM_THREADS: '1' } })
    .stdout.split('\n').filter((l) => l.startsWith('PROFILE ')).map((l) => JSON.parse(l.slice(8)) as { ext: string; h: number; decode: number; resize: number });
  for (const ext of ['.jpg', '.png']) {
    const files = all.filter((f) => f.endsWith(ext));
    const bytes = files.map((f) => new Uint8Array(fs.readFileSync(f)));
    const read = await cpuMs(files, (f) => fs.readFileSync(f));
    const decode = codec === null ? NaN : await cpuMs(bytes, (b) => codec.decodeImage(b, 1e9));
    const viaSharp = await cpuMs(bytes, (b) => sharp(b, { failOn: 'error', ignoreIcc: true }).raw().toBuffer());
    for (const size of [[64, 64], [224, 224]] as [number, number][]) {
      const out = new Float32Array(size[0] * size[1] * 3);
      const load = codec === null ? NaN : await cpuMs(files, (f) => codec.loadImages(Buffer.from(`${f}\0`), out, [0], [3, size[0], size[1], 0, 0, 1e9, 0]));
      const t = torch.find((r) => r.ext === ext && r.h === size[0]);
      console.log(`| ${files.length} ${ext} | ${size.join('x')} | ${fmt(read, 3)} | ${fmt(decode, 3)} | ${fmt(viaSharp, 3)} | ${fmt(load, 3)} | ${fmt(t?.decode, 3)} | ${fmt(t?.resize, 3)} |`);
    }
  }
  // A batch's tensors from its buffer (images and labels), and a worker's round trip for one job.
  const batch = new Float32Array(32 * 224 * 224 * 3);
  const assembly = await cpuMs(Array.from({ length: 20 }), () => k.tf.dispose([k.tf.tensor(batch, [32, 224, 224, 3]), k.tf.tensor1d(new Int32Array(32), 'int32')]));
  const tiny = path.join(dir, '..', 'tiny.png');
  await sharp(Buffer.alloc(12), { raw: { width: 2, height: 2, channels: 3 } }).png().toFile(tiny);
  const spec = { mode: 'RGB' as const, imageSize: [2, 2] as [number, number], interpolation: 'bilinear' as const, crop: false, pad: false };
  const shared = new Float32Array(new SharedArrayBuffer(48));
  await imageWorkers().loadMany([tiny], spec, 'bench', shared, [0], 1);
  const t0 = performance.now();
  for (let i = 0; i < 200; i++) await imageWorkers().loadMany([tiny], spec, 'bench', shared, [0], 1);
  console.log(`\nBatch assembly (a [32, 224, 224, 3] tensor and its labels from the batch's buffer): ${fmt(assembly / 32, 3)} ms per image. ` +
    `Hand-off: ${fmt((performance.now() - t0) / 200, 3)} ms wall per worker job (one message each way), one job per ${32 / 2 / 2} images at batch 32 with 2 workers.`);
}

interface TorchResult { workers: number; imagesPerSecond: number; mainCpu: number; workerCpu: number }

function torch(python: string, dir: string, size: [number, number], workers: number[]): { config: string; results: TorchResult[] } {
  const out = spawnSync(python, [path.join(__dirname, 'torch_images.py'), dir, String(size[0]), String(size[1]), ...workers.map(String)], {
    encoding: 'utf8', env: { ...process.env, OMP_NUM_THREADS: '1' }, timeout: 10 * 60 * 1000,
  });
  if (out.status !== 0) throw new Error(`torch_images.py failed: ${out.stderr.split('\n').slice(-4).join(' ')}`);
  const lines = out.stdout.split('\n');
  const config = (lines.find((l) => l.startsWith('CONFIG ')) ?? 'CONFIG {}').slice(7);
  return { config, results: lines.filter((l) => l.startsWith('RESULT ')).map((l) => JSON.parse(l.slice(7)) as TorchResult) };
}

/** examples/images_from_folder.ts's CNN (augmentation included), seeded: the same weights for every fit. */
function cnn(size: [number, number], channels: number, classes: number): k.Model {
  k.utils.setRandomSeed(1);
  const inputs = k.Input({ shape: [size[0], size[1], channels] });
  let x = new k.layers.Rescaling({ scale: 1 / 255 }).apply(inputs);
  x = new k.layers.RandomTranslation({ heightFactor: 0.1, widthFactor: 0.1, seed: 1 }).apply(x);
  x = new k.layers.RandomRotation({ factor: 0.03, seed: 1 }).apply(x);
  x = new k.layers.Conv2D({ filters: 16, kernelSize: 3, activation: 'relu' }).apply(x);
  x = new k.layers.MaxPooling2D({ poolSize: 2 }).apply(x);
  x = new k.layers.Conv2D({ filters: 32, kernelSize: 3, activation: 'relu' }).apply(x);
  x = new k.layers.MaxPooling2D({ poolSize: 2 }).apply(x);
  x = new k.layers.Flatten().apply(x);
  x = new k.layers.Dropout({ rate: 0.3 }).apply(x);
  const outputs = new k.layers.Dense({ units: classes, activation: 'softmax' }).apply(x);
  const model = new k.Model({ inputs, outputs });
  model.compile({ optimizer: new k.optimizers.Adam({ learningRate: 0.002 }), loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
  return model;
}

interface FitTimes { epochs: number[]; mainCpu: number; otherCpu: number }

/** Seconds of each epoch of `fit` on a fresh CNN, and the CPU seconds of the main thread and of the others over the whole fit. */
async function fitTimes(fit: (m: k.Model, cb: k.callbacks.Callback[]) => Promise<unknown>, size: [number, number], channels: number, classes: number): Promise<FitTimes> {
  const model = cnn(size, channels, classes);
  const epochs: number[] = [];
  let t = 0;
  const cb = { onEpochBegin: () => void (t = performance.now()), onEpochEnd: () => void epochs.push((performance.now() - t) / 1000) } as unknown as k.callbacks.Callback;
  const cpu0 = threadCpu();
  await fit(model, [cb]);
  const cpu1 = threadCpu();
  model.dispose();
  return { epochs, mainCpu: cpu1.main - cpu0.main, otherCpu: cpu1.others - cpu0.others };
}

/** Writes `count` of the shipped digits as 28x28 grey PNG files into dir/<digit>/, as examples/images_from_folder.ts does. */
async function writeDigits(dir: string, count: number): Promise<void> {
  const sharp = sharpModule('bench');
  const split = k.data.loadMnist().train;
  for (let d = 0; d < 10; d++) fs.mkdirSync(path.join(dir, String(d)), { recursive: true });
  const one = async (i: number): Promise<void> => {
    const px = Buffer.from(Array.from(split.x.subarray(i * 784, (i + 1) * 784), (v) => Math.round(v * 255)));
    await sharp(px, { raw: { width: 28, height: 28, channels: 1 } }).png().toFile(path.join(dir, String(split.y[i]), `${i}.png`));
  };
  for (let i = 0; i < count; i += 64) await Promise.all(Array.from({ length: Math.min(64, count - i) }, (_, j) => one(i + j)));
}

interface FitRow { name: string; arrays: FitTimes; files: FitTimes; cached: FitTimes }

/** The three fits of one folder: from arrays (decoded once, untimed), from files, from files with cache(). */
async function fitRow(name: string, dir: string, size: [number, number], colorMode: 'grayscale' | 'rgb'): Promise<FitRow> {
  const channels = colorMode === 'rgb' ? 3 : 1;
  const options = { imageSize: size, colorMode, batchSize: 32, seed: 1, verbose: false, workers: WORKERS } as const;
  const ds = await k.utils.imageDatasetFromDirectory(dir, options);
  const classes = ds.classNames!.length;
  // The same images, decoded once, in the dataset's own file order.
  const all = await k.utils.imageDatasetFromDirectory(dir, { ...options, shuffle: false, batchSize: null });
  const xs: k.tf.Tensor[] = [];
  const ys: number[] = [];
  for await (const [x, y] of all as AsyncIterable<[k.tf.Tensor, k.tf.Tensor]>) {
    xs.push(x);
    ys.push((await y.data())[0]);
    y.dispose();
  }
  const x = k.tf.stack(xs);
  xs.forEach((t) => t.dispose());
  const y = k.tf.tensor1d(ys, 'float32');
  const fitOptions = { epochs: EPOCHS, verbose: 0 as const };
  await fitTimes((m, callbacks) => m.fit(x, y, { ...fitOptions, epochs: 1, batchSize: 32, callbacks }), size, channels, classes); // warm-up
  const arrays = await fitTimes((m, callbacks) => m.fit(x, y, { ...fitOptions, batchSize: 32, shuffle: true, callbacks }), size, channels, classes);
  const files = await fitTimes((m, callbacks) => m.fit(ds, { ...fitOptions, callbacks }), size, channels, classes);
  const cachedDs = (await k.utils.imageDatasetFromDirectory(dir, options)).cache().prefetch(2);
  const cached = await fitTimes((m, callbacks) => m.fit(cachedDs, { ...fitOptions, callbacks }), size, channels, classes);
  x.dispose();
  y.dispose();
  return { name, arrays, files, cached };
}

async function main(): Promise<void> {
  const sharp = sharpModule('bench');
  const python = has('no-torch') ? null : torchPython();
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'keras-ts-bench-images-'));
  const photos = flag('folder', path.join(root, 'photos'));
  try {
    await k.setBackend('native');
    const poolSize = Number(process.env.UV_THREADPOOL_SIZE ?? 4);
    console.log(`Machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}, Node ${process.version}, load average ${os.loadavg().map((v) => v.toFixed(2)).join(' ')}.`);
    console.log(`keras-ts: backend ${k.getBackend()}; sharp ${sharp.versions.sharp} (libvips ${sharp.versions.vips}), libvips threads per image (sharp.concurrency) ${sharp.concurrency()}, libuv pool (UV_THREADPOOL_SIZE) ${poolSize}: up to ${poolSize} files decode at once; image workers ${WORKERS}.`);
    if (has('profile')) {
      if (!fs.existsSync(photos)) await makeFolder(photos);
      await profile(python, photos);
      return;
    }
    if (!has('only-fit')) {
      const dir = photos;
      const t0 = performance.now();
      const bytes = fs.existsSync(dir) ? -1 : await makeFolder(dir);
      if (bytes < 0) console.log(`Reusing the files in ${dir}.`);
      else console.log(`Made ${IMAGES} files (${IMAGES / 2} JPEG q90, ${IMAGES / 2} PNG; ${SIZES.map(([w, h]) => `${w}x${h}`).join(', ')}) in ${CLASSES.length} classes: ${(bytes / 2 ** 20).toFixed(1)} MiB, ${((performance.now() - t0) / 1000).toFixed(1)} s.`);
      const workers = [...new Set([WORKERS, 0, 2, poolSize])];
      const rows: string[] = [];
      let torchConfig = '';
      for (const size of [[64, 64], [224, 224]] as [number, number][]) {
        const report = (o: OursResult, w: number): void => console.log(`ours ${size.join('x')}, workers ${w}: ${fmt(o.imagesPerSecond)} images/s (${fmt(o.seconds, 2)} s); CPU main thread ${fmt(o.mainCpu, 2)} s (event loop busy ${fmt(o.loopBusy * 100, 0)}%), other threads ${fmt(o.otherCpu, 2)} s; CPU ms per image ${fmt((1000 * (o.mainCpu + o.otherCpu)) / IMAGES, 2)}`);
        const o = await ours(dir, size, WORKERS);
        report(o, WORKERS);
        const o0 = await ours(dir, size, 0);
        report(o0, 0);
        const t = python ? torch(python, dir, size, workers) : { config: '', results: [] };
        torchConfig = t.config;
        for (const r of t.results) console.log(`torchvision ${size.join('x')}, num_workers ${r.workers}: ${fmt(r.imagesPerSecond)} images/s; CPU main process ${fmt(r.mainCpu, 2)} s, workers ${fmt(r.workerCpu, 2)} s`);
        const byWorkers = (w: number): number | undefined => t.results.find((r) => r.workers === w)?.imagesPerSecond;
        const best = Math.max(...t.results.map((r) => r.imagesPerSecond));
        const offMain = (100 * o.otherCpu) / (o.mainCpu + o.otherCpu);
        const cpuMs = (r: TorchResult | undefined): string => (r === undefined ? '—' : fmt((1000 * (r.mainCpu + r.workerCpu)) / IMAGES, 2));
        const torchCpu = workers.map((w) => cpuMs(t.results.find((r) => r.workers === w))).join(' / ');
        const cpuOurs = (r: OursResult): string => fmt((1000 * (r.mainCpu + r.otherCpu)) / IMAGES, 2);
        rows.push(`| ${size.join('x')} | ${fmt(o.imagesPerSecond, 0)} (loop busy ${fmt(o.loopBusy * 100, 0)}%) | ${fmt(o0.imagesPerSecond, 0)} (loop busy ${fmt(o0.loopBusy * 100, 0)}%) | ${workers.map((w) => fmt(byWorkers(w), 0)).join(' | ')} | ${fmt(o.imagesPerSecond / byWorkers(WORKERS)!, 2)}x | ${fmt(o.imagesPerSecond / best, 2)}x | ${cpuOurs(o)} (${fmt(offMain, 0)}% off the main thread) / ${cpuOurs(o0)} | ${torchCpu} |`);
      }
      console.log(`\nImages per second, one epoch of ${IMAGES} files after a warm-up epoch, batch 32:\n`);
      console.log(`| size | keras-ts, ${WORKERS} image workers | keras-ts, workers 0 | ${workers.map((w) => `torchvision num_workers=${w}`).join(' | ')} | ours (${WORKERS} workers) / torchvision (${WORKERS} workers) | ours / torchvision's best | keras-ts CPU ms per image (${WORKERS} workers / 0) | torchvision CPU ms per image (num_workers ${workers.join(' / ')}) |`);
      console.log(`|---|---|---|${workers.map(() => '---|').join('')}---|---|---|---|`);
      rows.forEach((r) => console.log(r));
      console.log(python ? `\nPyTorch: ${torchConfig}` : '\nPyTorch: not run (needs Debian\'s python3-torchvision).');
    }
    if (!has('only-fit') && !has('no-profile')) await profile(python, photos);
    if (!has('no-fit')) {
      const digits = path.join(root, 'digits');
      await writeDigits(digits, 3000);
      const fits = [await fitRow('digits: 3,000 28x28 grey PNG files (the example\'s)', digits, [28, 28], 'grayscale')];
      if (!has('only-fit') || has('photos')) {
        if (!fs.existsSync(photos)) await makeFolder(photos);
        fits.push(await fitRow(`photos: ${IMAGES} RGB JPEG/PNG files resized to 64x64`, photos, [64, 64], 'rgb'));
      }
      console.log(`\nFit of examples/images_from_folder.ts's CNN on ${k.getBackend()}, ${EPOCHS} epochs, batch 32: total seconds (each epoch's):\n`);
      console.log('| data | from arrays | from files | files / arrays | from files, .cache() | cached / arrays |');
      console.log('|---|---|---|---|---|---|');
      const sum = (v: number[]): number => v.reduce((a, b) => a + b, 0);
      const cell = (f: FitTimes): string => `${fmt(sum(f.epochs), 2)} (${f.epochs.map((s) => s.toFixed(2)).join(' ')}; CPU ${fmt(f.mainCpu, 1)} main + ${fmt(f.otherCpu, 1)} other)`;
      for (const f of fits) {
        console.log(`| ${f.name} | ${cell(f.arrays)} | ${cell(f.files)} | ${fmt(sum(f.files.epochs) / sum(f.arrays.epochs), 2)}x | ${cell(f.cached)} | ${fmt(sum(f.cached.epochs) / sum(f.arrays.epochs), 2)}x |`);
      }
    }
    console.log(`\nLoad average at the end: ${os.loadavg().map((v) => v.toFixed(2)).join(' ')}.`);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
