/**
 * k.applications.imagenetUtils and the shared pieces of src/applications (common.ts, weights.ts):
 * preprocessInput against NumPy (test/reference/imagenet_utils_reference.py), decodePredictions
 * against Keras's class index, Keras's input-shape and option checks, and the 'imagenet' file lookup.
 */
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tfc from '@tensorflow/tfjs-core';
import * as k from '../../src';
import { obtainInputShape, validateOptions, sourceInputs, correctPad } from '../../src/applications/common';
import { imagenetWeightsPath, loadApplicationWeights } from '../../src/applications/weights';
import { expectClose, expectNoLeak } from '../helpers';

const { preprocessInput, decodePredictions } = k.applications.imagenetUtils;

// python3 test/reference/imagenet_utils_reference.py
const PIXELS = Array.from({ length: 12 }, (_, i) => (37 * i) % 256);
const REF = {
  caffe: [-29.939003, -79.778999, -123.68, 81.060997, 31.221001, -12.68, -63.939003, -113.778999, 98.32, 47.060997, -2.778999, -46.68],
  tf: [-1.0, -0.709804, -0.419608, -0.129412, 0.160784, 0.45098, 0.741176, -0.976471, -0.686275, -0.396078, -0.105882, 0.184314],
  torch: [-2.117904, -1.387955, -0.514684, -0.217056, 0.555322, 1.419957, 1.683791, -1.983193, -1.107277, -0.799298, -0.039916, 0.827364],
  caffeChannelsFirst: [-63.939003, -26.939003, 10.060997, 47.060997, 31.221001, 68.221001, 105.221001, -113.778999, -123.68, -86.68, -49.68, -12.68],
};

describe('preprocessInput', () => {
  beforeAll(() => k.ready());

  test.each(['caffe', 'tf', 'torch'] as const)('mode %s on a tensor equals NumPy', async (mode) => {
    const x = tfc.tensor(PIXELS, [1, 2, 2, 3]);
    await expectNoLeak(() => {
      const y = preprocessInput(x, { mode });
      expect(y.shape).toEqual([1, 2, 2, 3]);
      expectClose(y, REF[mode], 2e-5);
      y.dispose();
    });
    x.dispose();
  });

  test('the default mode is caffe; the input is left as it was', () => {
    const x = tfc.tensor(PIXELS, [1, 2, 2, 3]);
    const y = preprocessInput(x);
    expectClose(y, REF.caffe, 2e-5);
    expectClose(x, PIXELS, 0);
    tfc.dispose([x, y]);
  });

  test('a nested array comes back nested, a Uint8Array as a Float32Array', async () => {
    const nested = [[[PIXELS.slice(0, 3), PIXELS.slice(3, 6)], [PIXELS.slice(6, 9), PIXELS.slice(9, 12)]]];
    await expectNoLeak(() => {
      const y = preprocessInput(nested, { mode: 'torch' });
      expect(y[0][1][0]).toHaveLength(3);
      expectClose(y.flat(3), REF.torch, 2e-5);
      const flat = preprocessInput(Uint8Array.from(PIXELS), { mode: 'tf' });
      expect(flat).toBeInstanceOf(Float32Array);
      expectClose(Array.from(flat), REF.tf, 2e-5);
    });
  });

  test('channels_first reverses and centres axis 0 of one image', () => {
    const x = tfc.tensor(PIXELS, [3, 2, 2]);
    const y = preprocessInput(x, { dataFormat: 'channels_first' });
    expectClose(y, REF.caffeChannelsFirst, 2e-5);
    tfc.dispose([x, y]);
  });

  test('an unknown mode, a non-RGB image and an unknown option are refused with the fix', () => {
    const x = tfc.zeros([1, 2, 2, 4]);
    expect(() => preprocessInput(x, { mode: 'keras' as 'tf' })).toThrow(/mode must be 'caffe', 'tf' or 'torch', got "keras".*help:/);
    expect(() => preprocessInput(x)).toThrow(/must have 3 colours.*help:/);
    expect(() => preprocessInput(x, { data_format: 'channels_last' } as never)).toThrow(/unknown option 'data_format'.*dataFormat/);
    x.dispose();
  });
});

describe('decodePredictions', () => {
  test("the shipped class index is Keras's file (md5 of Keras's file_hash) with 1000 classes", () => {
    const file = path.join(__dirname, '../../src/applications/imagenet_class_index.json');
    expect(crypto.createHash('md5').update(fs.readFileSync(file)).digest('hex')).toBe('c2c37ea517e94d9795004a39431a14cb');
  });

  test('the top classes of each row, best first, with WordNet ids and names', async () => {
    const rows = [new Array(1000).fill(0), new Array(1000).fill(0)];
    rows[0][0] = 0.5; rows[0][999] = 0.3; rows[0][207] = 0.2;
    rows[1][409] = 0.9;
    const preds = tfc.tensor(rows);
    await expectNoLeak(() => {
      const out = decodePredictions(preds, 3);
      expect(out[0]).toEqual([['n01440764', 'tench', 0.5], ['n15075141', 'toilet_tissue', expect.closeTo(0.3, 6)], ['n02099601', 'golden_retriever', expect.closeTo(0.2, 6)]]);
      expect(out[1][0]).toEqual(['n02708093', 'analog_clock', expect.closeTo(0.9, 6)]);
      expect(out[1]).toHaveLength(3);
    });
    expect(decodePredictions(rows)[0]).toHaveLength(5);
    preds.dispose();
  });

  test('a prediction that is not [batch, 1000] is refused', () => {
    expect(() => decodePredictions([[0.1, 0.9]])).toThrow(/shape \[samples, 1000\], got shape \[1,2\].*help:/);
  });
});

describe('the shared application pieces', () => {
  const rule = { defaultSize: 224, minSize: 32, requireFlatten: true, weights: 'imagenet', name: 'MobileNetV2' };

  test("obtainInputShape as Keras's obtain_input_shape (channels_last)", () => {
    expect(obtainInputShape(undefined, rule)).toEqual([224, 224, 3]);
    expect(obtainInputShape(undefined, { ...rule, requireFlatten: false })).toEqual([null, null, 3]);
    expect(obtainInputShape([96, 128, 3], { ...rule, requireFlatten: false })).toEqual([96, 128, 3]);
    expect(obtainInputShape([64, 64, 1], { ...rule, weights: null })).toEqual([64, 64, 1]);
    expect(() => obtainInputShape([96, 96, 3], rule)).toThrow(/inputShape must be \[224,224,3\].*help:/);
    expect(() => obtainInputShape([16, 64, 3], { ...rule, requireFlatten: false })).toThrow(/at least 32x32.*help:/);
    expect(() => obtainInputShape([64, 64, 1], { ...rule, requireFlatten: false })).toThrow(/3 input channels.*help:/);
    expect(() => obtainInputShape([64, 64], { ...rule, weights: null })).toThrow(/three numbers.*help:/);
    expect(() => obtainInputShape([null, 64, 3] as never, { ...rule, weights: null })).toThrow(/must be static.*help:/);
  });

  test("validateOptions refuses what Keras refuses, naming the option and the fix", () => {
    expect(() => validateOptions({ classes: 10 }, 'ResNet50')).toThrow(/ResNet50: with weights 'imagenet' and includeTop, classes must be 1000, got 10.*help:/);
    expect(() => validateOptions({ weights: null, classes: 10 }, 'X')).not.toThrow();
    expect(() => validateOptions({ weights: null, pooling: 'mean' as 'avg' }, 'X')).toThrow(/pooling must be 'avg', 'max' or null/);
    expect(() => validateOptions({ classifierActivation: 'sigmoid' }, 'X')).toThrow(/classifierActivation must be 'softmax' or null.*help:/);
    expect(() => validateOptions({ weights: null, classifierActivation: 'sigmoid' }, 'X')).not.toThrow();
    expect(() => validateOptions({ include_top: false } as never, 'X')).toThrow(/unknown option 'include_top'.*includeTop/);
    expect(() => validateOptions({ inputTensor: tfc.zeros([1]) as never }, 'X')).toThrow(/inputTensor must be a symbolic tensor/);
  });

  test('sourceInputs finds the Input a tensor is computed from; correctPad as Keras', () => {
    const input = k.Input({ shape: [7, 8, 3] });
    const x = new k.layers.Conv2D({ filters: 2, kernelSize: 3 }).apply(input) as k.SymbolicTensor;
    expect(sourceInputs(x)).toEqual([input]);
    expect(correctPad(input, 3)).toEqual([[1, 1], [0, 1]]);
    expect(correctPad(k.Input({ shape: [null, null, 3] }), 5)).toEqual([[1, 2], [1, 2]]);
  });

  test("'imagenet' with no cached file names the URL and the exact path; a placed file is found", async () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'keras-home-'));
    const saved = process.env.KERAS_HOME;
    process.env.KERAS_HOME = home;
    try {
      const origin = 'https://storage.googleapis.com/tensorflow/keras-applications/mobilenet_v2/';
      const file = path.join(home, 'models', 'w.h5');
      await expect(imagenetWeightsPath('w.h5', origin, 'abc')).rejects.toThrow(`could not download ${origin}w.h5 (downloads are turned off by KERAS_TS_OFFLINE)`);
      await expect(imagenetWeightsPath('w.h5', origin, 'abc')).rejects.toThrow(`place it at ${file}, where it is used without a download`);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, 'x');
      await expect(imagenetWeightsPath('w.h5', origin, 'abc')).resolves.toBe(file);
      const input = k.Input({ shape: [2] });
      const model = new k.Model({ inputs: input, outputs: new k.layers.Dense({ units: 1 }).apply(input) as k.SymbolicTensor });
      await expect(loadApplicationWeights(model, 'imagenet', false, { origin, top: ['w.h5', ''] })).rejects.toThrow(/no 'imagenet' weights without the top.*help:/);
      await expect(loadApplicationWeights(model, '/nonexistent/w.h5', true, { origin })).rejects.toThrow(/no file at '\/nonexistent\/w.h5'.*help:/);
      model.dispose();
    } finally {
      if (saved === undefined) delete process.env.KERAS_HOME;
      else process.env.KERAS_HOME = saved;
      fs.rmSync(home, { recursive: true, force: true });
    }
  });
});
