/**
 * imageDatasetFromDirectory against Keras's rules (keras/src/utils/image_dataset_utils.py and
 * dataset_utils.py): a tmp folder of class subfolders written with sharp (PNG, JPEG, an upper-case
 * extension, a nested folder inside a class, which Keras's recursive walk counts for that class), plus
 * what Keras ignores (a .txt file, an image loose in the top folder, a hidden folder). Every image has
 * its own solid colour, so an element's pixels tell which file it came from. Expected values are by
 * hand: PIL's integer luma for grayscale, and TensorFlow's half-pixel bilinear rule, which at a
 * 2x downscale of a 4x4 image gives the mean of each 2x2 block.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tfc from '@tensorflow/tfjs-core';
import sharp from 'sharp';
import * as k from '../../src';
import { closeImageWorkers } from '../../src/utils/image/image_workers';
import { expectNoLeak } from '../helpers';

let root: string;
let dir: string;
/** The colour written to each file, by path. */
const colours = new Map<string, number[]>();
const CLASSES = ['birds', 'cats', 'dogs'];

async function solid(file: string, rgb: number[], width: number, height: number): Promise<void> {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const data = Buffer.alloc(width * height * 3);
  for (let i = 0; i < width * height; i++) data.set(rgb, i * 3);
  const img = sharp(data, { raw: { width, height, channels: 3 } });
  await (file.toLowerCase().endsWith('.png') ? img.png() : img.jpeg({ quality: 95, chromaSubsampling: '4:4:4' })).toFile(file);
  colours.set(file, rgb);
}

const colourOf = (ci: number, j: number): number[] => [40 + 80 * ci, 10 + 25 * j, 250 - 60 * ci];

beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'keras-ts-imgdir-'));
  dir = path.join(root, 'photos');
  // Written in an unsorted order; classNames must come out sorted.
  await solid(path.join(dir, 'dogs', 'd0.png'), colourOf(2, 0), 12, 10);
  await solid(path.join(dir, 'dogs', 'd1.png'), colourOf(2, 1), 7, 9);
  await solid(path.join(dir, 'dogs', 'd2.png'), colourOf(2, 2), 16, 16);
  await solid(path.join(dir, 'cats', 'c0.jpg'), colourOf(1, 0), 16, 16);
  await solid(path.join(dir, 'cats', 'c1.jpeg'), colourOf(1, 1), 24, 16);
  await solid(path.join(dir, 'cats', 'c2.JPG'), colourOf(1, 2), 16, 24);
  await solid(path.join(dir, 'cats', 'more', 'c3.png'), colourOf(1, 3), 8, 8); // nested: counted for cats
  for (let j = 0; j < 5; j++) await solid(path.join(dir, 'birds', `b${j}.${j === 4 ? 'PNG' : 'png'}`), colourOf(0, j), 8 + j, 8);
  fs.writeFileSync(path.join(dir, 'birds', 'notes.txt'), 'not an image');
  fs.writeFileSync(path.join(dir, 'cats', 'c.webp.txt'), 'not an image');
  await solid(path.join(dir, 'loose.png'), [1, 2, 3], 4, 4); // loose in the top folder: ignored with inferred labels
  await solid(path.join(dir, '.hidden', 'h.png'), [4, 5, 6], 4, 4); // hidden folder: not a class
});

afterAll(async () => {
  await closeImageWorkers();
  fs.rmSync(root, { recursive: true, force: true });
});
afterEach(() => k.utils.setLogger(null));

/** Captures what keras-ts writes while `fn` runs. */
async function captured<T>(fn: () => Promise<T>): Promise<[T, string]> {
  const lines: string[] = [];
  k.utils.setLogger({ write: (t) => void lines.push(t), warn: (t) => void lines.push(t) });
  try {
    return [await fn(), lines.join('')];
  } finally {
    k.utils.setLogger(null);
  }
}

/** Every element of an unbatched dataset as [mean colour per channel, label values]; tensors disposed. */
async function elements(ds: AsyncIterable<unknown>): Promise<Array<{ colour: number[]; label: number[] | null; shape: number[] }>> {
  const out: Array<{ colour: number[]; label: number[] | null; shape: number[] }> = [];
  for await (const e of ds) {
    const [x, y] = Array.isArray(e) ? (e as tfc.Tensor[]) : [e as tfc.Tensor, null];
    const mean = tfc.tidy(() => tfc.mean(x, [0, 1]));
    out.push({ colour: Array.from(await mean.data()), label: y === null ? null : Array.from(await y.data()), shape: x.shape });
    tfc.dispose([mean, x, ...(y === null ? [] : [y])]);
  }
  return out;
}

const classOfPath = (p: string): number => CLASSES.indexOf(path.relative(dir, p).split(path.sep)[0]);
type SingleOptions = k.utils.ImageDatasetOptions & { subset?: 'training' | 'validation' | null };
/** The file among `paths` whose written colour an element shows (colours differ by >= 25 per file; JPEG is within 3). */
const fileOf = (colour: number[], paths: string[]): string => {
  const hits = paths.filter((p) => near(colour, colours.get(p)!, 3));
  if (hits.length !== 1) throw new Error(`colour ${colour} matches ${hits.length} files`);
  return hits[0];
};
/** The first element of a dataset; the iteration is closed (what prefetch holds is freed). */
async function first<T>(ds: AsyncIterable<T>): Promise<T> {
  const it = ds[Symbol.asyncIterator]();
  const { value } = await it.next();
  await it.return?.();
  return value as T;
}
const near = (a: number[], b: number[], tol: number): boolean => a.every((v, i) => Math.abs(v - b[i]) <= tol);

describe('imageDatasetFromDirectory', () => {
  test('sorted class names, Keras\'s allowed files only, "Found 12 files belonging to 3 classes."', async () => {
    const [ds, log] = await captured(() => k.utils.imageDatasetFromDirectory(dir, { imageSize: [8, 8], seed: 1 }));
    expect(log).toBe('Found 12 files belonging to 3 classes.\n');
    expect(ds.classNames).toEqual(CLASSES);
    expect(ds.filePaths).toHaveLength(12);
    const written = [...colours.keys()].filter((p) => p.startsWith(dir + path.sep) && !/loose|hidden/.test(p));
    expect(new Set(ds.filePaths)).toEqual(new Set(written));
    expect(ds.cardinality()).toBe(1); // 12 files in one batch of 32
  });

  test('unshuffled: each element is its file (colour per class; PNG to float rounding, JPEG within 3) with the int label of its folder', async () => {
    const ds = await k.utils.imageDatasetFromDirectory(dir, { imageSize: [6, 5], batchSize: null, shuffle: false, verbose: false });
    // Keras's order: class by class, folders sorted by path, names sorted (upper case first).
    expect(ds.filePaths.map((p) => path.relative(dir, p))).toEqual([
      'birds/b0.png', 'birds/b1.png', 'birds/b2.png', 'birds/b3.png', 'birds/b4.PNG',
      'cats/c0.jpg', 'cats/c1.jpeg', 'cats/c2.JPG', 'cats/more/c3.png',
      'dogs/d0.png', 'dogs/d1.png', 'dogs/d2.png',
    ].map((p) => p.split('/').join(path.sep)));
    const got = await elements(ds);
    expect(got).toHaveLength(12);
    got.forEach((e, i) => {
      const file = ds.filePaths[i];
      expect(e.shape).toEqual([6, 5, 3]);
      expect(e.label).toEqual([classOfPath(file)]);
      const tol = /\.jpe?g$/i.test(file) ? 3 : 1e-3;
      if (!near(e.colour, colours.get(file)!, tol)) throw new Error(`${file}: got ${e.colour}, wrote ${colours.get(file)}`);
    });
  });

  test('a 4x4 PNG halved: the mean of each 2x2 block (TensorFlow half-pixel bilinear); grayscale is PIL\'s luma', async () => {
    const small = path.join(root, 'small');
    fs.mkdirSync(path.join(small, 'a'), { recursive: true });
    const grey = [0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110, 120, 130, 140, 250];
    await sharp(Buffer.from(grey), { raw: { width: 4, height: 4, channels: 1 } }).png().toFile(path.join(small, 'a', 'g.png'));
    await solid(path.join(small, 'a', 'red.png'), [255, 0, 0], 3, 3);
    await solid(path.join(small, 'a', 'rgb.png'), [0, 255, 255], 3, 3);
    const ds = await k.utils.imageDatasetFromDirectory(small, { imageSize: [2, 2], colorMode: 'grayscale', batchSize: null, shuffle: false, verbose: false, labels: null });
    const xs: number[][] = [];
    for await (const x of ds) {
      xs.push(Array.from(await (x as tfc.Tensor).data()));
      expect((x as tfc.Tensor).shape).toEqual([2, 2, 1]);
      (x as tfc.Tensor).dispose();
    }
    // g.png: blocks (0,10,40,50) (20,30,60,70) (80,90,120,130) (100,110,140,250)
    expect(xs[0]).toEqual([25, 45, 105, 150]);
    // PIL's L: (r*19595 + g*38470 + b*7471 + 0x8000) >> 16: red 76, cyan (0,255,255) 179.
    expect(xs[1]).toEqual([76, 76, 76, 76]);
    expect(xs[2]).toEqual([179, 179, 179, 179]);
    const rgba = await k.utils.imageDatasetFromDirectory(small, { imageSize: [2, 2], colorMode: 'rgba', batchSize: 3, shuffle: false, verbose: false, labels: null });
    const batch = (await first(rgba)) as tfc.Tensor;
    expect(batch.shape).toEqual([3, 2, 2, 4]);
    expect((await batch.array() as number[][][][])[1][0][0]).toEqual([255, 0, 0, 255]);
    tfc.dispose(batch);
  });

  test('label modes: categorical one-hot float32, binary float32 [1] (2 classes only), null gives images alone', async () => {
    const cat = await k.utils.imageDatasetFromDirectory(dir, { imageSize: [4, 4], batchSize: 12, labelMode: 'categorical', seed: 3, verbose: false });
    for await (const e of cat) {
      const [x, y] = e as tfc.Tensor[];
      expect(x.shape).toEqual([12, 4, 4, 3]);
      expect(x.dtype).toBe('float32');
      expect(y.shape).toEqual([12, 3]);
      expect(y.dtype).toBe('float32');
      const means = tfc.mean(x, [1, 2]);
      const [xs, ys] = [(await means.array()) as number[][], (await y.array()) as number[][]];
      means.dispose();
      ys.forEach((row, i) => {
        expect(row.reduce((a, b) => a + b)).toBe(1);
        expect(Math.round((xs[i][0] - 40) / 80)).toBe(row.indexOf(1)); // the colour's class is the label's
      });
      tfc.dispose([x, y]);
    }
    const int = await k.utils.imageDatasetFromDirectory(dir, { imageSize: [4, 4], batchSize: 5, seed: 3, verbose: false });
    const [xb, yb] = (await first(int)) as tfc.Tensor[];
    expect(yb.dtype).toBe('int32');
    expect(yb.shape).toEqual([5]);
    tfc.dispose([xb, yb]);
    await expect(k.utils.imageDatasetFromDirectory(dir, { labelMode: 'binary', seed: 1, verbose: false })).rejects.toThrow(/labelMode 'binary' needs exactly 2 classes, got 3[\s\S]*help:/);
    const bin = await k.utils.imageDatasetFromDirectory(dir, { classNames: ['dogs', 'birds'], labelMode: 'binary', imageSize: [4, 4], batchSize: null, shuffle: false, verbose: false });
    expect(bin.classNames).toEqual(['dogs', 'birds']); // the order given is the label order
    const got = await elements(bin);
    expect(got.map((e) => e.label)).toEqual([[0], [0], [0], [1], [1], [1], [1], [1]]);
    const [none, logNone] = await captured(() => k.utils.imageDatasetFromDirectory(dir, { labelMode: null, imageSize: [4, 4], batchSize: 4, seed: 2 }));
    // As Keras: labelMode null is labels null, the whole tree (loose and hidden files too), no classes.
    expect(logNone).toBe('Found 14 files.\n');
    expect(none.classNames).toBeNull();
    expect(none.filePaths).toHaveLength(14);
    for await (const x of none) {
      expect(x).toBeInstanceOf(tfc.Tensor);
      (x as tfc.Tensor).dispose();
    }
  });

  test('validationSplit: one seeded shuffle, disjoint subsets whose union is every file, reproducible; "both" gives the same pair', async () => {
    const opts = { imageSize: [4, 4] as [number, number], validationSplit: 0.25, seed: 1337 };
    const [train, logT] = await captured(() => k.utils.imageDatasetFromDirectory(dir, { ...opts, subset: 'training' }));
    const [val, logV] = await captured(() => k.utils.imageDatasetFromDirectory(dir, { ...opts, subset: 'validation' }));
    expect(logT).toBe('Found 12 files belonging to 3 classes.\nUsing 9 files for training.\n');
    expect(logV).toBe('Found 12 files belonging to 3 classes.\nUsing 3 files for validation.\n');
    expect(train.filePaths).toHaveLength(9);
    expect(val.filePaths).toHaveLength(3);
    expect(train.filePaths.filter((p) => val.filePaths.includes(p))).toEqual([]);
    expect(new Set([...train.filePaths, ...val.filePaths]).size).toBe(12);
    const again = await k.utils.imageDatasetFromDirectory(dir, { ...opts, subset: 'training', verbose: false });
    expect(again.filePaths).toEqual(train.filePaths);
    const other = await k.utils.imageDatasetFromDirectory(dir, { ...opts, seed: 4, subset: 'validation', verbose: false });
    const otherTrain = await k.utils.imageDatasetFromDirectory(dir, { ...opts, seed: 4, subset: 'training', verbose: false });
    expect([...other.filePaths, ...otherTrain.filePaths]).not.toEqual([...val.filePaths, ...train.filePaths]); // another seed, another order
    const [both, logB] = await captured(() => k.utils.imageDatasetFromDirectory(dir, { ...opts, subset: 'both' }));
    expect(logB).toBe('Found 12 files belonging to 3 classes.\nUsing 9 files for training.\nUsing 3 files for validation.\n');
    expect(both).toHaveLength(2);
    expect(both[0].filePaths).toEqual(train.filePaths);
    expect(both[1].filePaths).toEqual(val.filePaths);
    expect(both[1].classNames).toEqual(CLASSES);
  });

  test('the training subset is reshuffled each epoch (seeded), the validation subset keeps its order', async () => {
    const [train, val] = await k.utils.imageDatasetFromDirectory(dir, { imageSize: [4, 4], batchSize: null, validationSplit: 0.25, subset: 'both', seed: 9, verbose: false });
    const key = (e: { colour: number[] }): string => fileOf(e.colour, ds0);
    const ds0 = [...train.filePaths, ...val.filePaths];
    const e1 = await elements(train);
    const e2 = await elements(train);
    expect(e1.map(key).sort()).toEqual(e2.map(key).sort());
    expect(e1.map(key)).not.toEqual(e2.map(key));
    for (const e of e1) expect(e.label).toEqual([Math.round((e.colour[0] - 40) / 80)]);
    // the training files, by colour, are the subset's files
    expect(e1.map(key).sort()).toEqual(train.filePaths.slice().sort());
    const v1 = await elements(val);
    const v2 = await elements(val);
    expect(v1.map(key)).toEqual(v2.map(key));
    expect(v1.map(key)).toEqual(val.filePaths); // the order of filePaths
    // the same seed, the same epoch orders in a new dataset
    const [train2] = await k.utils.imageDatasetFromDirectory(dir, { imageSize: [4, 4], batchSize: null, validationSplit: 0.25, subset: 'both', seed: 9, verbose: false });
    expect((await elements(train2)).map(key)).toEqual(e1.map(key));
  });

  test('labels given as a list: one per file of the whole tree, sorted folder by folder (as Keras, loose and hidden files count), and the errors Keras raises, each naming the fix', async () => {
    const labels = [0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 2];
    const ds = await k.utils.imageDatasetFromDirectory(dir, { labels, imageSize: [4, 4], batchSize: null, shuffle: false, verbose: false });
    expect(ds.classNames).toEqual(['0', '1', '2']);
    expect(ds.filePaths.slice(0, 3).map((p) => path.relative(dir, p))).toEqual(['loose.png', path.join('.hidden', 'h.png'), path.join('birds', 'b0.png')]);
    expect((await elements(ds)).map((e) => e.label![0])).toEqual(labels);
    const call = (o: SingleOptions, d = dir) => k.utils.imageDatasetFromDirectory(d, { verbose: false, ...o });
    await expect(call({ labels: [0, 1, 0] })).rejects.toThrow(/labels has 3 entries but '.*photos' holds 14 image files[\s\S]*help:/);
    await expect(call({ labels: labels.map((v) => (v === 2 ? 5 : v)), labelMode: 'categorical' })).rejects.toThrow(/labelMode 'categorical' needs labels 0\.\.2 \(the 3 distinct labels given\), got 5[\s\S]*help:/);
    await expect(call({ validationSplit: 0.2, subset: 'training' })).rejects.toThrow(/validationSplit with shuffle needs a seed[\s\S]*help: pass a seed/);
    await expect(call({ validationSplit: 0.2, subset: 'training', shuffle: false })).resolves.toBeDefined(); // no shuffle: no seed needed
    await expect(call({ validationSplit: 0.2, seed: 1 })).rejects.toThrow(/validationSplit and subset go together[\s\S]*help:/);
    await expect(call({ validationSplit: 1.5, subset: 'training', seed: 1 })).rejects.toThrow(/validationSplit must be between 0 and 1, got 1.5/);
    await expect(call({ labels: [0, 1], classNames: ['a'] })).rejects.toThrow(/classNames can only be given with labels: 'inferred'/);
    await expect(call({ classNames: ['cats', 'cows'] })).rejects.toThrow(/the classNames \["cows"\] are not subfolders of '.*photos'[\s\S]*help:/);
    await expect(call({ interpolation: 'bicubic' as 'bilinear' })).rejects.toThrow(/interpolation "bicubic" is not available[\s\S]*help:/);
    await expect(call({ cropToAspectRatio: true, padToAspectRatio: true })).rejects.toThrow(/cannot both be true/);
    await expect(call({}, path.join(root, 'nope'))).rejects.toThrow(/'.*nope' is not a folder[\s\S]*help:/);
    const empty = path.join(root, 'empty');
    fs.mkdirSync(path.join(empty, 'a'), { recursive: true });
    fs.writeFileSync(path.join(empty, 'a', 'x.txt'), 'text');
    await expect(call({}, empty)).rejects.toThrow(/no image files found in '.*empty'[\s\S]*help: add images with one of the extensions \.bmp \.gif \.jpeg \.jpg \.png/);
    const flat = path.join(root, 'flat');
    await solid(path.join(flat, 'one.png'), [1, 1, 1], 2, 2);
    await expect(call({}, flat)).rejects.toThrow(/'.*flat' has no class subfolders[\s\S]*help: put the images of each class in a subfolder[\s\S]*labels: null/);
    const flatDs = await call({ labels: null, imageSize: [2, 2] }, flat);
    expect(flatDs.filePaths).toEqual([path.join(flat, 'one.png')]);
    expect(flatDs.classNames).toBeNull();
  });

  test('a BMP file and a file whose extension lies are decoded as their bytes say (sharp reads paths; the rest go through the bytes)', async () => {
    const mixed = path.join(root, 'mixed');
    fs.mkdirSync(path.join(mixed, 'a'), { recursive: true });
    // The same 2x2 picture (rows [10 20; 30 40] grey) as BMP, as PNG, as PNG bytes named .jpg and as BMP bytes named .png (which sharp refuses).
    const grey = [[[10], [20]], [[30], [40]]];
    await k.utils.saveImg(path.join(mixed, 'a', 'p.bmp'), grey, { scale: false });
    await k.utils.saveImg(path.join(mixed, 'a', 'q.png'), grey, { scale: false });
    fs.copyFileSync(path.join(mixed, 'a', 'q.png'), path.join(mixed, 'a', 'r.jpg'));
    fs.copyFileSync(path.join(mixed, 'a', 'p.bmp'), path.join(mixed, 'a', 's.png'));
    const ds = await k.utils.imageDatasetFromDirectory(mixed, { imageSize: [2, 2], colorMode: 'grayscale', batchSize: 4, shuffle: false, verbose: false });
    expect(ds.filePaths.map((f) => path.basename(f))).toEqual(['p.bmp', 'q.png', 'r.jpg', 's.png']);
    const [x, y] = (await first(ds)) as tfc.Tensor[];
    expect(Array.from(await x.data())).toEqual([10, 20, 30, 40, 10, 20, 30, 40, 10, 20, 30, 40, 10, 20, 30, 40]);
    tfc.dispose([x, y]);
  });

  test('a file that fails to decode is an error naming the file when the dataset is iterated', async () => {
    const bad = path.join(root, 'bad');
    await solid(path.join(bad, 'a', 'ok.png'), [9, 9, 9], 4, 4);
    fs.mkdirSync(path.join(bad, 'b'), { recursive: true });
    const good = fs.readFileSync(path.join(bad, 'a', 'ok.png'));
    fs.writeFileSync(path.join(bad, 'b', 'broken.png'), good.subarray(0, 30)); // truncated
    const ds = await k.utils.imageDatasetFromDirectory(bad, { imageSize: [4, 4], batchSize: 2, shuffle: false, verbose: false });
    const before = tfc.memory().numTensors;
    await expect(elements(ds)).rejects.toThrow(/imageDatasetFromDirectory: cannot decode '.*broken\.png'[\s\S]*help:/);
    expect(tfc.memory().numTensors).toBe(before);
  });

  test('cropToAspectRatio and padToAspectRatio keep the aspect ratio (a 4x2 picture of two halves)', async () => {
    const ar = path.join(root, 'aspect');
    fs.mkdirSync(path.join(ar, 'a'), { recursive: true });
    // 2 wide, 4 high: the top half 200, the bottom half 100 (grey).
    await sharp(Buffer.from([200, 200, 200, 200, 100, 100, 100, 100]), { raw: { width: 2, height: 4, channels: 1 } }).png().toFile(path.join(ar, 'a', 'p.png'));
    const read = async (o: SingleOptions): Promise<number[]> => {
      const ds = await k.utils.imageDatasetFromDirectory(ar, { imageSize: [2, 2], colorMode: 'grayscale', batchSize: null, labels: null, verbose: false, ...o });
      const x = (await first(ds)) as tfc.Tensor;
      const v = Array.from(await x.data());
      x.dispose();
      return v;
    };
    expect(await read({ cropToAspectRatio: true })).toEqual([200, 200, 100, 100]); // the centred 2x2 window: rows 1-2
    // Padded with a black column on each side to 4x4 (columns 0 v v 0), then halved: each 2x2 block's mean.
    expect(await read({ padToAspectRatio: true })).toEqual([100, 100, 50, 50]);
    expect(await read({})).toEqual([200, 200, 100, 100]); // plain: rows halved (0-1, 2-3), columns kept
  });

  test('the bilinear fast path gives tfjs-core\'s half-pixel resizeBilinear values exactly (plain, crop, pad; shrink and enlarge); nearest too', async () => {
    const noiseDir = path.join(root, 'noise');
    fs.mkdirSync(path.join(noiseDir, 'a'), { recursive: true });
    const [w, h] = [13, 9];
    const bytes = Buffer.from(Array.from({ length: w * h * 3 }, (_, i) => (i * 7919 + 13) % 251));
    await sharp(bytes, { raw: { width: w, height: h, channels: 3 } }).png().toFile(path.join(noiseDir, 'a', 'n.png'));
    const src = tfc.tensor3d(Float32Array.from(bytes), [h, w, 3]);
    const cases: Array<[[number, number], 'bilinear' | 'nearest', SingleOptions, (size: [number, number]) => tfc.Tensor]> = [];
    for (const size of [[4, 6], [20, 17], [9, 13], [5, 30]] as Array<[number, number]>) {
      for (const interpolation of ['bilinear', 'nearest'] as const) {
        const resize = (x: tfc.Tensor3D, s: [number, number]) => (interpolation === 'bilinear' ? tfc.image.resizeBilinear(x, s, false, true) : tfc.image.resizeNearestNeighbor(x, s, false, true));
        cases.push([size, interpolation, {}, (s) => resize(src, s)]);
        cases.push([size, interpolation, { cropToAspectRatio: true }, (s) => k.utils.smartResize(src, s, { interpolation })]);
        cases.push([size, interpolation, { padToAspectRatio: true }, (s) => {
          const top = Math.trunc((Math.max(h, Math.trunc((w * s[0]) / s[1])) - h) / 2);
          const left = Math.trunc((Math.max(w, Math.trunc((h * s[1]) / s[0])) - w) / 2);
          return resize(tfc.pad(src, [[top, top], [left, left], [0, 0]]), s);
        }]);
      }
    }
    for (const [size, interpolation, o, reference] of cases) {
      const ds = await k.utils.imageDatasetFromDirectory(noiseDir, { imageSize: size, interpolation, labels: null, batchSize: null, shuffle: false, verbose: false, ...o });
      const x = (await first(ds)) as tfc.Tensor;
      const expected = tfc.tidy(() => reference(size));
      expect(x.shape).toEqual([...size, 3]);
      const [got, want] = [Array.from(await x.data()), Array.from(await expected.data())];
      if (got.some((v, i) => v !== want[i])) throw new Error(`${interpolation} ${JSON.stringify(o)} to ${size}: differs from tfjs-core at ${got.findIndex((v, i) => v !== want[i])}`);
      tfc.dispose([x, expected]);
    }
    src.dispose();
  });

  test('fit trains a small model on it (the loss decreases); iteration and fit leave no tensors behind', async () => {
    const [train, val] = await k.utils.imageDatasetFromDirectory(dir, { imageSize: [8, 8], batchSize: 4, validationSplit: 0.25, subset: 'both', seed: 5, verbose: false });
    const inputs = k.Input({ shape: [8, 8, 3] });
    let x = new k.layers.Rescaling({ scale: 1 / 255 }).apply(inputs);
    x = new k.layers.Flatten().apply(x);
    const outputs = new k.layers.Dense({ units: 3, activation: 'softmax' }).apply(x);
    const m = new k.Model({ inputs, outputs });
    m.compile({ optimizer: new k.optimizers.Adam({ learningRate: 0.05 }), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
    const h = await m.fit(train, { epochs: 8, verbose: 0, validationData: val });
    const loss = h.history.loss as number[];
    expect(loss[loss.length - 1]).toBeLessThan(loss[0] * 0.5);
    await expectNoLeak(async () => {
      await m.fit(train, { epochs: 1, verbose: 0, validationData: val });
      await m.evaluate(val, undefined, { verbose: 0 });
      const p = (await m.predict(val, { verbose: 0 })) as tfc.Tensor;
      expect(p.shape).toEqual([3, 3]);
      p.dispose();
      await elements(await k.utils.imageDatasetFromDirectory(dir, { imageSize: [4, 4], batchSize: null, seed: 1, verbose: false }));
      tfc.dispose(await first(train)); // an iteration closed early frees what its prefetch and parallel decodes hold
    });
    m.dispose();
  });
});
