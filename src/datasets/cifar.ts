/**
 * CIFAR-10 and CIFAR-100 (`k.datasets.cifar10`, `k.datasets.cifar100`), as Keras's cifar10.py and
 * cifar100.py: Keras's tar.gz (from www.cs.toronto.edu, with Keras's hash) extracted under Keras's
 * folder name, each batch file a Python pickle of a dict ({data: uint8 [n, 3072], labels}) read by
 * the restricted pickle reader (no code from the file runs). Images come back channels last, as
 * Keras's default image_data_format gives them: uint8 [n, 32, 32, 3]; labels [n, 1]. Each batch
 * is written straight into the result and dropped: only the result and one batch are in memory.
 */
import * as fs from 'fs';
import * as path from 'path';
import { FileFormatError, ValueError } from '../engine/errors';
import { checkOptions } from '../engine/options';
import { LoadDataResult, ShapedArray, shaped } from './ndarray';
import { PickledArray, PickleValue, readPickle } from './pickle';
import { datasetFile, DatasetSourceOptions, SOURCE_KEYS } from './source';

const PIXELS = 32 * 32 * 3;

interface Batch {
  data: Uint8Array;
  labels: number[];
}

/** A CIFAR batch file: its pixels (n x 3072, channels first) and the labels under `labelKey`. */
export function readBatch(file: string, labelKey: string): Batch {
  const what = `CIFAR batch ${file}`;
  const d = readPickle(new Uint8Array(fs.readFileSync(file)), what);
  if (!(d instanceof Map)) throw new FileFormatError(`${what}: not a dict. help: delete the extracted folder and the archive so that they are downloaded again.`);
  const data = d.get('data');
  const labels = d.get(labelKey);
  if (!(data instanceof PickledArray) || !(data.data instanceof Uint8Array) || !/^[|<]?u1$/.test(data.descr) || data.shape.length !== 2 || data.shape[1] !== PIXELS) {
    throw new FileFormatError(`${what}: 'data' is not a uint8 array of shape [n, 3072]. help: the file is not Keras's CIFAR; delete it so that it is downloaded again.`);
  }
  if (!Array.isArray(labels) || labels.length !== data.shape[0] || !labels.every((v: PickleValue) => typeof v === 'number')) {
    throw new FileFormatError(`${what}: '${labelKey}' is not a list of ${data.shape[0]} integers. help: the file is not Keras's CIFAR.`);
  }
  return { data: data.data.subarray(0, data.shape[0] * PIXELS), labels: labels as number[] };
}

/** Channels-first rows (3 x 32 x 32) written channels last (32 x 32 x 3) into `out` at sample `at`. */
export function toChannelsLast(src: Uint8Array, out: Uint8Array, at: number): void {
  const n = src.length / PIXELS;
  for (let s = 0; s < n; s++) {
    const from = s * PIXELS;
    const to = (at + s) * PIXELS;
    for (let p = 0; p < 1024; p++) {
      out[to + 3 * p] = src[from + p];
      out[to + 3 * p + 1] = src[from + 1024 + p];
      out[to + 3 * p + 2] = src[from + 2048 + p];
    }
  }
}

/** Batch files read in order into one [n, 32, 32, 3] array and labels. */
export function readBatches(files: string[], labelKey: string): { x: ShapedArray<Uint8Array>; labels: number[] } {
  const batches: Batch[] = [];
  let total = 0;
  for (const f of files) {
    // only the sizes are kept from this pass when there are several files: each is read again below
    const b = readBatch(f, labelKey);
    total += b.labels.length;
    batches.push(files.length === 1 ? b : { data: new Uint8Array(0), labels: b.labels });
  }
  const x = new Uint8Array(total * PIXELS);
  let at = 0;
  files.forEach((f, i) => {
    const data = files.length === 1 ? batches[0].data : readBatch(f, labelKey).data;
    toChannelsLast(data, x, at);
    at += batches[i].labels.length;
  });
  return { x: shaped(x, [total, 32, 32, 3]), labels: batches.flatMap((b) => b.labels) };
}

export interface Cifar100LoadOptions extends DatasetSourceOptions {
  /** 'fine' (100 classes) or 'coarse' (20 superclasses). Keras: `label_mode` @default 'fine' */
  labelMode?: 'fine' | 'coarse';
}

export type Cifar10LoadOptions = DatasetSourceOptions;

/** Keras's cifar10.load_data: 50,000 + 10,000 images of 10 classes; labels uint8 [n, 1]. */
export async function loadCifar10(opts: Cifar10LoadOptions = {}): Promise<LoadDataResult<ShapedArray<Uint8Array>, ShapedArray<Uint8Array>>> {
  checkOptions('cifar10.loadData', opts, SOURCE_KEYS);
  const dir = await datasetFile(
    { fname: 'cifar-10-batches-py-target', origin: 'https://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz', fileHash: '6d958be074577803d12ecdefd02955f39262c83c16fe9348329d7fe0b5c001ce', extract: true },
    opts,
  );
  const root = path.join(dir, 'cifar-10-batches-py');
  const train = readBatches([1, 2, 3, 4, 5].map((i) => path.join(root, `data_batch_${i}`)), 'labels');
  const test = readBatches([path.join(root, 'test_batch')], 'labels');
  const labels = (l: number[]): ShapedArray<Uint8Array> => shaped(Uint8Array.from(l), [l.length, 1]);
  return [
    [train.x, labels(train.labels)],
    [test.x, labels(test.labels)],
  ];
}

/** Keras's cifar100.load_data: 50,000 + 10,000 images; labels [n, 1] (int64 in Keras, Int32Array here). */
export async function loadCifar100(opts: Cifar100LoadOptions = {}): Promise<LoadDataResult<ShapedArray<Uint8Array>, ShapedArray<Int32Array>>> {
  checkOptions('cifar100.loadData', opts, ['labelMode', ...SOURCE_KEYS]);
  const mode = opts.labelMode ?? 'fine';
  if (mode !== 'fine' && mode !== 'coarse') throw new ValueError(`cifar100.loadData: \`labelMode\` must be 'fine' or 'coarse', got ${JSON.stringify(mode)}. help: pass {labelMode: 'fine'} (100 classes) or 'coarse' (20).`);
  const dir = await datasetFile(
    { fname: 'cifar-100-python-target', origin: 'https://www.cs.toronto.edu/~kriz/cifar-100-python.tar.gz', fileHash: '85cd44d02ba6437773c5bbd22e183051d648de2e7d6b014e1ef29b855ba677a7', extract: true },
    opts,
  );
  const root = path.join(dir, 'cifar-100-python');
  const train = readBatches([path.join(root, 'train')], `${mode}_labels`);
  const test = readBatches([path.join(root, 'test')], `${mode}_labels`);
  const labels = (l: number[]): ShapedArray<Int32Array> => shaped(Int32Array.from(l), [l.length, 1]);
  return [
    [train.x, labels(train.labels)],
    [test.x, labels(test.labels)],
  ];
}
