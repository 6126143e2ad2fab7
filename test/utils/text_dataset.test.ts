/**
 * textDatasetFromDirectory against Keras's rules (keras/src/utils/text_dataset_utils.py and
 * dataset_utils.py): a tmp folder of two class subfolders of .txt files (one with an upper-case
 * extension, one in a nested folder, which Keras's recursive walk counts for its class), plus what
 * Keras ignores (other extensions, a .txt loose in the top folder, a hidden folder). Every file's
 * text is unique, so an element tells which file it came from; expected values are written by hand.
 * Also: string tensors through Dataset.batch / unbatch, and the end-to-end path folder ->
 * textDatasetFromDirectory -> map through TextVectorization -> fit.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tfc from '@tensorflow/tfjs-core';
import * as k from '../../src';
import { expectNoLeak } from '../helpers';

let root: string;
let dir: string;
/** The text written to each file, by path. */
const texts = new Map<string, string>();
const POS = ['good great fine', 'great film good', 'fine good day', 'good good great', 'a great fine one', 'so good'];
const NEG = ['bad awful poor', 'poor bad film', 'awful day bad', 'bad bad poor'];

function write(file: string, text: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  texts.set(file, text);
}

beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'keras-ts-textdir-'));
  dir = path.join(root, 'reviews');
  // Written in an unsorted order; classNames must come out sorted.
  for (let j = 0; j < 5; j++) write(path.join(dir, 'pos', `p${j}.txt`), POS[j]);
  write(path.join(dir, 'pos', 'more', 'p5.txt'), POS[5]); // nested: counted for pos
  for (let j = 0; j < 3; j++) write(path.join(dir, 'neg', `n${j}.txt`), NEG[j]);
  write(path.join(dir, 'neg', 'n3.TXT'), NEG[3]); // extensions compare case-insensitively
  fs.writeFileSync(path.join(dir, 'neg', 'notes.md'), 'not a .txt file');
  fs.writeFileSync(path.join(dir, 'pos', 'p.txt.bak'), 'not a .txt file');
  write(path.join(dir, 'loose.txt'), 'loose in the top folder'); // ignored with inferred labels
  write(path.join(dir, '.hidden', 'h.txt'), 'in a hidden folder'); // not a class
});

afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
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

/** Every element of a dataset (batched or not) as {text, label values}; tensors disposed. */
async function elements(ds: AsyncIterable<unknown>): Promise<Array<{ text: string; label: number[] | null }>> {
  const out: Array<{ text: string; label: number[] | null }> = [];
  for await (const e of ds) {
    const [x, y] = Array.isArray(e) ? (e as tfc.Tensor[]) : [e as tfc.Tensor, null];
    expect(x.dtype).toBe('string');
    const strings = (await x.data()) as unknown as string[];
    const labels = y === null ? null : x.rank === 0 ? [Array.from(await y.data())] : ((await y.array()) as Array<number | number[]>).map((r) => (Array.isArray(r) ? r : [r]));
    strings.forEach((text, i) => out.push({ text, label: labels === null ? null : labels[i] }));
    tfc.dispose([x, ...(y === null ? [] : [y])]);
  }
  return out;
}

/** The first element of a dataset; the iteration is closed (what prefetch holds is freed). */
async function first<T>(ds: AsyncIterable<T>): Promise<T> {
  const it = ds[Symbol.asyncIterator]();
  const { value } = await it.next();
  await it.return?.();
  return value as T;
}

const classOf = (text: string): number => (NEG.includes(text) ? 0 : POS.includes(text) ? 1 : -1);
type SingleOptions = k.utils.TextDatasetOptions & { subset?: 'training' | 'validation' | null };

describe('textDatasetFromDirectory', () => {
  test('sorted class names, .txt files only (any case, nested included), "Found 10 files belonging to 2 classes."', async () => {
    const [ds, log] = await captured(() => k.utils.textDatasetFromDirectory(dir, { seed: 1 }));
    expect(log).toBe('Found 10 files belonging to 2 classes.\n');
    expect(ds.classNames).toEqual(['neg', 'pos']);
    const written = [...texts.keys()].filter((p) => /[/\\](pos|neg)[/\\]/.test(p));
    expect(written).toHaveLength(10);
    expect(new Set(ds.filePaths)).toEqual(new Set(written));
    expect(ds.cardinality()).toBe(1); // 10 files in one batch of 32
    expect((await elements(ds)).map((e) => e.text).sort()).toEqual([...NEG, ...POS].sort());
  });

  test('unshuffled: Keras\'s order (class by class, folders sorted, names sorted), each text with the int label of its folder', async () => {
    const ds = await k.utils.textDatasetFromDirectory(dir, { batchSize: null, shuffle: false, verbose: false });
    expect(ds.filePaths.map((p) => path.relative(dir, p))).toEqual(
      ['neg/n0.txt', 'neg/n1.txt', 'neg/n2.txt', 'neg/n3.TXT', 'pos/p0.txt', 'pos/p1.txt', 'pos/p2.txt', 'pos/p3.txt', 'pos/p4.txt', 'pos/more/p5.txt'].map((p) => p.split('/').join(path.sep)),
    );
    const [x, y] = (await first(ds)) as tfc.Tensor[];
    expect([x.shape, x.dtype, y.shape, y.dtype]).toEqual([[], 'string', [], 'int32']);
    tfc.dispose([x, y]);
    expect(await elements(ds)).toEqual([
      ...NEG.map((text) => ({ text, label: [0] })),
      ...POS.map((text) => ({ text, label: [1] })),
    ]);
  });

  test('batches: texts a string tensor [n], labels int32 [n]; the last batch short', async () => {
    const ds = await k.utils.textDatasetFromDirectory(dir, { batchSize: 4, shuffle: false, verbose: false });
    expect(ds.cardinality()).toBe(3);
    const shapes: number[][] = [];
    for await (const e of ds) {
      const [x, y] = e as tfc.Tensor[];
      shapes.push([...x.shape, ...y.shape]);
      expect([x.dtype, y.dtype]).toEqual(['string', 'int32']);
      tfc.dispose([x, y]);
    }
    expect(shapes).toEqual([[4, 4], [4, 4], [2, 2]]);
  });

  test('label modes: categorical one-hot float32 [n, 2], binary float32 [n, 1], null gives texts alone', async () => {
    const read = (o: SingleOptions) => k.utils.textDatasetFromDirectory(dir, { batchSize: 3, shuffle: false, verbose: false, ...o });
    const cat = await read({ labelMode: 'categorical' });
    const head = (await first(cat)) as tfc.Tensor[];
    expect([head[1].shape, head[1].dtype]).toEqual([[3, 2], 'float32']);
    tfc.dispose(head);
    for (const e of await elements(cat)) expect(e.label).toEqual(classOf(e.text) === 0 ? [1, 0] : [0, 1]);
    const bin = await read({ labelMode: 'binary' });
    const b = (await first(bin)) as tfc.Tensor[];
    expect([b[1].shape, b[1].dtype]).toEqual([[3, 1], 'float32']);
    tfc.dispose(b);
    for (const e of await elements(bin)) expect(e.label).toEqual([classOf(e.text)]);
    const none = await read({ labelMode: null });
    expect(none.classNames).toBeNull();
    // No labels: the whole tree is listed (as Keras), the loose file and the hidden folder included.
    expect((await elements(none)).map((e) => e.text).sort()).toEqual([...NEG, ...POS, 'loose in the top folder', 'in a hidden folder'].sort());
    const unbatchedBinary = await read({ labelMode: 'binary', batchSize: null });
    const u = (await first(unbatchedBinary)) as tfc.Tensor[];
    expect([u[0].shape, u[1].shape]).toEqual([[], [1]]);
    tfc.dispose(u);
    await expect(k.utils.textDatasetFromDirectory(dir, { labelMode: 'binary', labels: [0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2], verbose: false, seed: 1 })).rejects.toThrow(
      /labelMode 'binary' needs exactly 2 classes, got 3[\s\S]*help:/,
    );
  });

  test('maxLength cuts each text to its first maxLength bytes (tf.strings.substr\'s unit)', async () => {
    const short = await k.utils.textDatasetFromDirectory(dir, { maxLength: 4, shuffle: false, verbose: false });
    expect((await elements(short)).map((e) => e.text)).toEqual([...NEG, ...POS].map((t) => t.slice(0, 4)));
    const utf = path.join(root, 'utf');
    write(path.join(utf, 'a', 'x.txt'), 'héllo wörld'); // é and ö are 2 bytes each in UTF-8
    const cut = await k.utils.textDatasetFromDirectory(utf, { maxLength: 3, verbose: false, seed: 1 });
    expect((await elements(cut))[0].text).toBe('hé');
    const whole = await k.utils.textDatasetFromDirectory(utf, { verbose: false, seed: 1 });
    expect((await elements(whole))[0].text).toBe('héllo wörld');
    const none = await k.utils.textDatasetFromDirectory(utf, { maxLength: 0, verbose: false, seed: 1 });
    expect((await elements(none))[0].text).toBe('');
  });

  test('validationSplit: one seeded shuffle, disjoint subsets whose union is every file, reproducible; "both" gives the same pair', async () => {
    const opts = { validationSplit: 0.3, seed: 11, batchSize: 2 };
    const [train, log] = await captured(() => k.utils.textDatasetFromDirectory(dir, { ...opts, subset: 'training' }));
    expect(log).toBe('Found 10 files belonging to 2 classes.\nUsing 7 files for training.\n');
    const val = await k.utils.textDatasetFromDirectory(dir, { ...opts, subset: 'validation', verbose: false });
    expect(train.filePaths).toHaveLength(7);
    expect(val.filePaths).toHaveLength(3); // trunc(0.3 * 10)
    expect(train.filePaths.filter((p) => val.filePaths.includes(p))).toEqual([]);
    expect(new Set([...train.filePaths, ...val.filePaths]).size).toBe(10);
    const again = await k.utils.textDatasetFromDirectory(dir, { ...opts, subset: 'training', verbose: false });
    expect(again.filePaths).toEqual(train.filePaths);
    const [bt, bv] = await k.utils.textDatasetFromDirectory(dir, { ...opts, subset: 'both', verbose: false });
    expect([bt.filePaths, bv.filePaths]).toEqual([train.filePaths, val.filePaths]);
    const other = await k.utils.textDatasetFromDirectory(dir, { ...opts, seed: 12, subset: 'training', verbose: false });
    expect(other.filePaths).not.toEqual(train.filePaths);
    // Each element is the file its label says; the validation subset keeps its order across epochs.
    const byText = (t: string) => [...texts].find(([, v]) => v === t)![0];
    const epochA = await elements(bv);
    expect(epochA.map((e) => byText(e.text))).toEqual(bv.filePaths);
    expect(await elements(bv)).toEqual(epochA);
    for (const e of await elements(bt)) expect(e.label).toEqual([classOf(e.text)]);
    // The training subset is reshuffled each epoch (seeded: the same epochs in a new dataset with the same seed).
    const epochs = async (ds: AsyncIterable<unknown>) => [(await elements(ds)).map((e) => e.text), (await elements(ds)).map((e) => e.text), (await elements(ds)).map((e) => e.text)];
    const [e1, e2, e3] = await epochs(bt);
    expect(e1.slice().sort()).toEqual(e2.slice().sort());
    expect(e1.join() !== e2.join() || e2.join() !== e3.join()).toBe(true);
    const [again2] = await k.utils.textDatasetFromDirectory(dir, { ...opts, subset: 'both', verbose: false });
    await elements(again2); // bt's first epoch was the label check above
    expect(await epochs(again2)).toEqual([e1, e2, e3]);
  });

  test('Keras\'s errors, each naming the value and the fix', async () => {
    const call = (o: SingleOptions, d = dir) => k.utils.textDatasetFromDirectory(d, { verbose: false, ...o });
    await expect(call({ labels: [0, 1, 0] })).rejects.toThrow(/labels has 3 entries but '.*reviews' holds 12 text files[\s\S]*help:/);
    await expect(call({ validationSplit: 0.2, subset: 'training' })).rejects.toThrow(/textDatasetFromDirectory: validationSplit with shuffle needs a seed[\s\S]*help: pass a seed/);
    await expect(call({ validationSplit: 0.2, seed: 1 })).rejects.toThrow(/validationSplit and subset go together[\s\S]*help:/);
    await expect(call({ labels: [0, 1], classNames: ['a'] })).rejects.toThrow(/classNames can only be given with labels: 'inferred'/);
    await expect(call({ classNames: ['pos', 'meh'] })).rejects.toThrow(/the classNames \["meh"\] are not subfolders of '.*reviews'[\s\S]*help:/);
    await expect(call({ labelMode: 'sparse' as 'int' })).rejects.toThrow(/labelMode must be 'int', 'categorical', 'binary' or null, got "sparse"[\s\S]*help:/);
    await expect(call({ maxLength: -1 })).rejects.toThrow(/maxLength must be a non-negative integer \(bytes\) or null, got -1[\s\S]*help:/);
    await expect(call({ batchSize: 0 })).rejects.toThrow(/batchSize must be a positive integer or null, got 0[\s\S]*help:/);
    await expect(call({}, path.join(root, 'nope'))).rejects.toThrow(/textDatasetFromDirectory: '.*nope' is not a folder[\s\S]*help: pass the folder that holds one subfolder of text files per class/);
    const empty = path.join(root, 'empty');
    fs.mkdirSync(path.join(empty, 'a'), { recursive: true });
    fs.writeFileSync(path.join(empty, 'a', 'x.md'), 'not .txt');
    await expect(call({}, empty)).rejects.toThrow(/no text files found in '.*empty' \(allowed format: \.txt\)[\s\S]*help:/);
    await expect(call({ validationSplit: 0.05, subset: 'validation', seed: 1 })).rejects.toThrow(/no validation text files found[\s\S]*help:[\s\S]*validationSplit/);
    // classNames picks and orders the classes.
    const picked = await call({ classNames: ['pos', 'neg'], shuffle: false });
    expect(picked.classNames).toEqual(['pos', 'neg']);
    expect((await elements(picked)).map((e) => e.label![0])).toEqual([...POS.map(() => 0), ...NEG.map(() => 1)]);
    // labels as a list: one per file of the whole tree in sorted path order (loose and hidden ones count, as Keras).
    const listed = await call({ labels: [5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 7, 7], shuffle: false });
    expect(listed.classNames).toEqual(['5', '7']);
  });

  test('string tensors through Dataset.batch and unbatch (the text elements re-batched), and from string slices', async () => {
    const ds = await k.utils.textDatasetFromDirectory(dir, { batchSize: 4, shuffle: false, verbose: false });
    const rebatched = ds.unbatch<[tfc.Tensor, tfc.Tensor]>().batch(3);
    const got: Array<[string[], number[]]> = [];
    for await (const [x, y] of rebatched) {
      expect([x.dtype, y.dtype]).toEqual(['string', 'int32']);
      got.push([(await x.data()) as unknown as string[], Array.from(await y.data())]);
      tfc.dispose([x, y]);
    }
    expect(got).toEqual([
      [[NEG[0], NEG[1], NEG[2]], [0, 0, 0]],
      [[NEG[3], POS[0], POS[1]], [0, 1, 1]],
      [[POS[2], POS[3], POS[4]], [1, 1, 1]],
      [[POS[5]], [1]],
    ]);
    const pairs = k.data.Dataset.fromTensorSlices({ t: ['x y', 'é z', 'w'], n: [1, 2, 3] }).batch(2);
    const firstPair = (await first(pairs)) as { t: tfc.Tensor; n: tfc.Tensor };
    expect([firstPair.t.shape, firstPair.t.dtype, await firstPair.t.data()]).toEqual([[2], 'string', ['x y', 'é z']]);
    tfc.dispose([firstPair.t, firstPair.n]);
  });

  test('end to end: folder -> textDatasetFromDirectory -> map through TextVectorization -> fit (the model separates the classes); no tensors left behind', async () => {
    const raw = await k.utils.textDatasetFromDirectory(dir, { labelMode: 'binary', batchSize: 4, seed: 3, verbose: false });
    const vectorize = new k.layers.TextVectorization({ outputMode: 'multi_hot' });
    const corpus: string[] = [];
    for await (const e of raw) {
      const [x, y] = e as tfc.Tensor[];
      corpus.push(...((await x.data()) as unknown as string[]));
      tfc.dispose([x, y]);
    }
    vectorize.adapt(corpus);
    const width = vectorize.getVocabulary().length;
    const train = raw.map((e) => {
      const [x, y] = e as tfc.Tensor[];
      return [vectorize.apply(x), y];
    });
    const model = new k.Sequential([new k.layers.Dense({ units: 1, activation: 'sigmoid', inputShape: [width] })]);
    model.compile({ optimizer: new k.optimizers.Adam({ learningRate: 0.1 }), loss: 'binary_crossentropy', metrics: ['accuracy'] });
    const h = await model.fit(train, { epochs: 15, verbose: 0 });
    const loss = h.history.loss as number[];
    expect(loss[loss.length - 1]).toBeLessThan(loss[0] * 0.5);
    expect((h.history.accuracy as number[]).at(-1)).toBe(1);
    await expectNoLeak(async () => {
      await model.fit(train, { epochs: 1, verbose: 0 });
      await model.evaluate(train, undefined, { verbose: 0 });
      await elements(raw);
      await elements(await k.utils.textDatasetFromDirectory(dir, { batchSize: null, seed: 2, verbose: false, labelMode: 'categorical' }));
      tfc.dispose((await first(raw)) as tfc.Tensor[]); // an iteration closed early frees what its prefetch holds
    });
    model.dispose();
  });
});
