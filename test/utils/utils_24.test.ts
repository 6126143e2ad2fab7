/**
 * Issue 24's utilities: Progbar (Keras's averaging and lines), PyDataset (in fit, with workers,
 * shuffling and early stops; leak counts), audioDatasetFromDirectory and its WAV reader against
 * fixtures written by Python's wave module and SciPy (test/reference/audio_references_24.py).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tfc from '@tensorflow/tfjs-core';
import * as k from '../../src';
import { decodeWav } from '../../src/utils/dataset/wav';
import { expectClose, expectNoLeak, testBackend } from '../helpers';

// Printed by test/reference/audio_references_24.py (float64).
const REF: Record<string, number[]> = {
  a_one: [0.0000000000, 0.5000000000, -0.5000000000, 0.9999694824, -1.0000000000],
  a_two: [0.0030517578, -0.0061035156, 0.0091552734],
  b_three: [0.0305175781, 0.0610351562, 0.0915527344, 0.1220703125],
  b_other_rate: [0.0000305176, 0.0000610352],
  stereo24: [0.9999998808, -1.0000000000, 0.5000000000, -0.0000001192, 0.0000000000, 0.0147171021],
  u8: [-1.0000000000, 0.0000000000, 0.9921875000, -0.5000000000],
  f32: [0.2500000000, -0.5000000000, 0.7500000000],
  i32: [0.5000000000, -1.0000000000],
};

const AUDIO = path.join(__dirname, '..', 'fixtures', 'audio');

beforeAll(async () => {
  await k.setBackend(testBackend());
});

describe('Progbar', () => {
  const sink = (isTTY: boolean): { write: (t: string) => void; isTTY: boolean; text: () => string } => {
    const parts: string[] = [];
    return { write: (t: string) => void parts.push(t), isTTY, text: () => parts.join('') };
  };

  test('averages values over the steps each update covers; stateful values as given', () => {
    const out = sink(false);
    const bar = new k.utils.Progbar(4, { stream: out, statefulMetrics: ['lr'] });
    bar.update(1, [['loss', 1.0], ['lr', 0.1]]);
    bar.update(3, { loss: 4.0, lr: 0.2 }); // covers 2 steps: (1·1 + 4·2) / 3 = 3
    expect(bar.shownValues).toEqual({ loss: 3, lr: 0.2 });
    expect(out.text()).toBe(''); // not a terminal: only the final line
    bar.add(1, [['loss', 7.0]]); // (9 + 7) / 4 = 4
    expect(out.text()).toMatch(/^ 4\/4 \[=+\] - \d+s \d+(us|ms|s)\/step - loss: 4\.0000 - lr: 0\.2000\n$/);
  });

  test('on a terminal it redraws in place; verbose 2 and 0; unknown target', () => {
    const tty = sink(true);
    const bar = new k.utils.Progbar(10, { stream: tty, interval: 0, width: 10 });
    bar.update(5, [['acc', 0.5]]);
    expect(tty.text()).toMatch(/^\r  5\/10 \[====>\.\.\.\.\.\] - ETA: \d+s - acc: 0\.5000$/);
    const quiet = sink(true);
    new k.utils.Progbar(2, { stream: quiet, verbose: 0 }).update(2);
    expect(quiet.text()).toBe('');
    const two = sink(false);
    new k.utils.Progbar(2, { stream: two, verbose: 2 }).update(2, [['loss', 0.5]]);
    expect(two.text()).toMatch(/^ 2\/2 - \d+s .*\/step - loss: 0\.5000\n$/);
    const unknown = sink(true);
    const u = new k.utils.Progbar(null, { stream: unknown, interval: 0 });
    u.update(3);
    expect(unknown.text()).toBe('\r 3/Unknown');
    u.update(4, [], true);
    expect(unknown.text()).toMatch(/ 4\/4 \[=+\] - .*\n$/);
    expect(() => new k.utils.Progbar(-1)).toThrow(/target.*got -1.*help:/);
    expect(() => bar.update(NaN)).toThrow(/current.*help:/);
  });
});

describe('PyDataset', () => {
  class Squares extends k.utils.PyDataset {
    calls: number[] = [];
    epochsEnded = 0;
    inFlight = 0;
    maxInFlight = 0;
    constructor(readonly n: number, workers = 1, readonly asyncDelay = 0) {
      super({ workers });
    }
    get length(): number {
      return this.n;
    }
    async getItem(i: number): Promise<[tfc.Tensor, tfc.Tensor]> {
      this.calls.push(i);
      this.inFlight += 1;
      this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
      if (this.asyncDelay > 0) await new Promise((r) => setTimeout(r, this.asyncDelay));
      this.inFlight -= 1;
      return [tfc.tensor2d([[i], [i + 0.5]]), tfc.tensor2d([[2 * i], [2 * i + 1]])];
    }
    override onEpochEnd(): void {
      this.epochsEnded += 1;
    }
  }

  test('fit takes every batch once per epoch, in order without shuffle; onEpochEnd after each', async () => {
    const m = new k.Sequential({ layers: [k.Input({ shape: [1] }), new k.layers.Dense({ units: 1 })] });
    m.compile({ optimizer: new k.optimizers.SGD({ learningRate: 0.01 }), loss: 'mse' });
    const ds = new Squares(3);
    const history = await m.fit(ds, { epochs: 2, verbose: 0, shuffle: false });
    expect(ds.calls).toEqual([0, 1, 2, 0, 1, 2]);
    expect(ds.epochsEnded).toBe(2);
    expect(history.history.loss).toHaveLength(2);
    const two = new Squares(2);
    const [loss] = await m.evaluate(two, undefined, { verbose: 0 });
    expect(Number.isFinite(loss)).toBe(true);
    expect(two.calls).toEqual([0, 1]); // evaluate keeps the order
    m.dispose();
  });

  test('shuffle draws a fresh order of all batches each epoch; workers run getItem calls at once', async () => {
    const m = new k.Sequential({ layers: [k.Input({ shape: [1] }), new k.layers.Dense({ units: 1 })] });
    m.compile({ optimizer: 'sgd', loss: 'mse' });
    k.utils.setRandomSeed(11);
    const ds = new Squares(8, 4, 5);
    await m.fit(ds, { epochs: 2, verbose: 0, shuffle: true });
    const [e1, e2] = [ds.calls.slice(0, 8), ds.calls.slice(8)];
    expect([...e1].sort()).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect([...e2].sort()).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(e1).not.toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(ds.maxInFlight).toBe(4);
    m.dispose();
  });

  test('an early stop frees the batches made ahead; fit leaks no tensors', async () => {
    const m = new k.Sequential({ layers: [k.Input({ shape: [1] }), new k.layers.Dense({ units: 1 })] });
    m.compile({ optimizer: 'sgd', loss: 'mse' });
    await m.fit(new Squares(2), { epochs: 1, verbose: 0 }); // builds the optimizer's slots first
    await expectNoLeak(async () => {
      await m.fit(new Squares(4, 3), { epochs: 1, verbose: 0 });
      const stop = new k.callbacks.LambdaCallback({ onBatchEnd: (b) => { if (b === 0) m.stopTraining = true; } });
      await m.fit(new Squares(6, 3, 2), { epochs: 1, verbose: 0, callbacks: [stop] });
      await new Promise((r) => setTimeout(r, 30)); // the batches still being made when the epoch stopped
    });
    m.dispose();
  });

  test('refusals name the value and the fix', async () => {
    class Bad extends k.utils.PyDataset {
      get length(): number {
        return 2;
      }
      getItem(i: number): [tfc.Tensor, tfc.Tensor] {
        throw new Error(`no batch ${i}`);
      }
    }
    const m = new k.Sequential({ layers: [k.Input({ shape: [1] }), new k.layers.Dense({ units: 1 })] });
    m.compile({ optimizer: 'sgd', loss: 'mse' });
    await expect(m.fit(new Bad(), { epochs: 1, verbose: 0, shuffle: false })).rejects.toThrow(/Bad.getItem\(0\): no batch 0/);
    expect(() => new Squares(2, 0)).toThrow(/workers.*got 0.*help:/);
    class Multi extends Bad {
      constructor() {
        super({ useMultiprocessing: true });
      }
    }
    expect(() => new Multi()).toThrow(/useMultiprocessing.*help:/);
    m.dispose();
  });
});

describe('WAV reader', () => {
  test.each(['stereo24', 'u8', 'f32', 'i32'])('%s against Python', (name) => {
    const wav = decodeWav(new Uint8Array(fs.readFileSync(path.join(AUDIO, 'formats', `${name}.wav`))), name);
    expect(wav.sampleRate).toBe(8000);
    expect(wav.channels).toBe(name === 'stereo24' ? 2 : 1);
    expectClose(Array.from(wav.samples), REF[name], 1e-7);
  });

  test('refuses what it cannot read', () => {
    expect(() => decodeWav(new Uint8Array([1, 2, 3]), 'x.wav')).toThrow(/x.wav: not a WAV file.*help:/);
    const bytes = new Uint8Array(fs.readFileSync(path.join(AUDIO, 'formats', 'u8.wav')));
    new DataView(bytes.buffer).setUint16(20, 2, true); // format 2: ADPCM
    expect(() => decodeWav(bytes, 'adpcm.wav')).toThrow(/WAV format 2 with 8-bit samples is not supported.*help:/);
  });
});

describe('audioDatasetFromDirectory', () => {
  test('labels from the subfolders; clips zero-padded to the batch\'s longest', async () => {
    const ds = await k.utils.audioDatasetFromDirectory(path.join(AUDIO, 'classes'), { shuffle: false, verbose: false, batchSize: 8 });
    expect(ds.classNames).toEqual(['a', 'b']);
    const batches: Array<[tfc.Tensor, tfc.Tensor]> = [];
    for await (const b of ds) batches.push(b as [tfc.Tensor, tfc.Tensor]);
    expect(batches).toHaveLength(1);
    const [x, y] = batches[0];
    expect(x.shape).toEqual([3, 5, 1]);
    expectClose(Array.from(x.dataSync()), [...REF.a_one, ...REF.a_two, 0, 0, ...REF.b_three, 0], 1e-7);
    expect(Array.from(y.dataSync())).toEqual([0, 0, 1]);
    tfc.dispose(batches.flat());
  });

  test('outputSequenceLength cuts and pads; unbatched clips; samplingRate checked; ragged refused', async () => {
    const ds = await k.utils.audioDatasetFromDirectory(path.join(AUDIO, 'classes'), { shuffle: false, verbose: false, outputSequenceLength: 4, batchSize: null, labelMode: 'categorical' });
    const items: Array<[tfc.Tensor, tfc.Tensor]> = [];
    for await (const b of ds) items.push(b as [tfc.Tensor, tfc.Tensor]);
    expect(items.map(([x]) => x.shape)).toEqual([[4, 1], [4, 1], [4, 1]]);
    expectClose(Array.from(items[0][0].dataSync()), REF.a_one.slice(0, 4), 1e-7);
    expectClose(Array.from(items[1][0].dataSync()), [...REF.a_two, 0], 1e-7);
    expect(Array.from(items[2][1].dataSync())).toEqual([0, 1]);
    tfc.dispose(items.flat());
    const rates = await k.utils.audioDatasetFromDirectory(path.join(AUDIO, 'rates'), { verbose: false, samplingRate: 8000, labels: null });
    await expect((async () => { for await (const b of rates) tfc.dispose(b as tfc.Tensor); })()).rejects.toThrow(/sampled at 16000 Hz, not the samplingRate 8000.*help:/);
    await expect(k.utils.audioDatasetFromDirectory(path.join(AUDIO, 'classes'), { ragged: true, verbose: false })).rejects.toThrow(/ragged.*help:/);
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'keras-ts-audio-'));
    await expect(k.utils.audioDatasetFromDirectory(empty, { verbose: false })).rejects.toThrow(/no audio files found.*help:/);
    fs.rmSync(empty, { recursive: true, force: true });
  });

  test('iterating leaks no tensors beyond the batches taken', async () => {
    const ds = await k.utils.audioDatasetFromDirectory(path.join(AUDIO, 'classes'), { shuffle: true, seed: 1, verbose: false, batchSize: 2 });
    await expectNoLeak(async () => {
      for await (const b of ds) tfc.dispose(b as tfc.Tensor[]);
    });
  });
});

describe('FeatureSpace', () => {
  const train = { age: [1, 2, 3, 4, 5, 6], city: ['a', 'b', 'b', 'c', 'c', 'c'], code: [7, 7, 9, 7, 9, 7], temp: [0, 1, 2, 3, 4, 5] };
  const make = (): k.utils.FeatureSpace => new k.utils.FeatureSpace({
    features: { temp: k.utils.FeatureSpace.floatRescaled({ scale: 2, offset: 1 }), city: 'string_categorical', age: 'float_normalized', code: k.utils.FeatureSpace.integerCategorical() },
  });

  test('adapt then call: sorted names, normalized, rescaled, one-hot over the vocabulary (by hand)', () => {
    const fs = make();
    fs.adapt(train);
    const out = fs.call({ age: [3.5, 1], city: ['c', 'z'], code: [9, 8], temp: [0.5, 2] }) as tfc.Tensor;
    // age: mean 3.5, variance 35/12; city vocabulary [UNK, c, b, a] (by count); code [UNK, 7, 9]; temp 2x + 1
    const sd = Math.sqrt(35 / 12);
    expect(out.shape).toEqual([2, 1 + 4 + 3 + 1]);
    expectClose(out, [
      [0, 0, 1, 0, 0, 0, 0, 1, 2],
      [-2.5 / sd, 1, 0, 0, 0, 1, 0, 0, 5],
    ], 1e-5);
    out.dispose();
    fs.dispose();
  });

  test("outputMode 'dict' with an 'int' feature; adapt from batches; refusals", () => {
    const fs = new k.utils.FeatureSpace({ features: { city: k.utils.FeatureSpace.stringCategorical({ outputMode: 'int' }), x: 'float' }, outputMode: 'dict' });
    fs.adapt([{ city: ['a', 'b'], x: [1, 2] }, { city: ['b'], x: [3] }]);
    const out = fs.call({ city: ['b', 'a', 'q'], x: [1, 2, 3] }) as Record<string, tfc.Tensor>;
    expect(Array.from(out.city.dataSync())).toEqual([1, 2, 0]);
    expect(out.x.shape).toEqual([3, 1]);
    tfc.dispose(Object.values(out));
    fs.dispose();
    expect(() => make().call(train)).toThrow(/must be adapted first.*help:/);
    expect(() => new k.utils.FeatureSpace({ features: { h: 'string_hash' as 'float' } })).toThrow(/unknown kind 'string_hash'.*help:/);
    expect(() => new k.utils.FeatureSpace({ features: { c: k.utils.FeatureSpace.integerCategorical({ outputMode: 'int' }) } })).toThrow(/cannot be concatenated.*help:/);
  });

  test('call leaks no tensors', async () => {
    const fs = make();
    fs.adapt(train);
    await expectNoLeak(() => (fs.call(train) as tfc.Tensor).dispose());
    fs.dispose();
  });
});
