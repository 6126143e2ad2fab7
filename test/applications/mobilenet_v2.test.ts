/**
 * k.applications.MobileNetV2: Keras's exact parameter counts (test/reference/application_params.py),
 * Keras's layer and model names, the options, a predict without leaks, 'imagenet' weights from
 * Keras's cache, and a real pre-trained network: the Keras MobileNetV2 shipped by nsfwjs, copied
 * layer by layer into ours, gives the same features.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tfc from '@tensorflow/tfjs-core';
import * as k from '../../src';
import { expectNoLeak, nativeBuilt, testBackend } from '../helpers';
import { loadNsfwjsMobileNetV2 } from './nsfwjs_mobilenet_v2';

const { MobileNetV2 } = k.applications;

beforeAll(async () => {
  await k.setBackend(testBackend());
});

function counts(m: k.Model): [number, number] {
  const size = (ws: k.Weight[]) => ws.reduce((a, w) => a + w.shape.reduce((x, y) => x * y, 1), 0);
  return [m.countParams(), size(m.trainableWeights)];
}

describe('MobileNetV2', () => {
  // Keras's numbers: test/reference/application_params.py (total, trainable).
  test.each([
    [{}, 3538984, 3504872],
    [{ includeTop: false }, 2257984, 2223872],
    [{ alpha: 0.35, inputShape: [96, 96, 3], includeTop: false }, 410208, 396128],
    [{ alpha: 1.4 }, 6156712, 6108776],
  ])('%j has Keras\'s parameter counts', async (opts, total, trainable) => {
    const m = await MobileNetV2({ weights: null, ...(opts as object) });
    expect(counts(m)).toEqual([total, trainable]);
    m.dispose();
  });

  test("Keras's layer and model names", async () => {
    const m = await MobileNetV2({ weights: null });
    expect(m.name).toBe('mobilenetv2_1.00_224');
    for (const name of ['Conv1', 'bn_Conv1', 'Conv1_relu', 'expanded_conv_depthwise', 'expanded_conv_project_BN', 'block_1_pad', 'block_2_add', 'block_16_project_BN', 'Conv_1', 'Conv_1_bn', 'out_relu', 'predictions']) {
      expect(m.getLayer(name).name).toBe(name);
    }
    expect(m.getLayer('block_16_project_BN').weights.map((w) => w.name)).toEqual(['gamma', 'beta', 'moving_mean', 'moving_variance'].map((w) => `block_16_project_BN/${w}`));
    m.dispose();
    const small = await MobileNetV2({ weights: null, alpha: 0.35, inputShape: [96, 96, 3], includeTop: false });
    expect(small.name).toBe('mobilenetv2_0.35_96');
    small.dispose();
  });

  test('pooling, classes, classifierActivation and inputTensor', async () => {
    const avg = await MobileNetV2({ weights: null, includeTop: false, pooling: 'avg', alpha: 0.35, inputShape: [64, 64, 3] });
    expect(avg.outputs[0].shape).toEqual([null, 1280]);
    const max = await MobileNetV2({ weights: null, includeTop: false, pooling: 'max', alpha: 0.35, inputShape: [64, 64, 3] });
    expect(max.outputs[0].shape).toEqual([null, 1280]);
    expect(max.layers[max.layers.length - 1].constructor.name).toBe('GlobalMaxPooling2D');
    const few = await MobileNetV2({ weights: null, classes: 7, classifierActivation: null, alpha: 0.35, inputShape: [64, 64, 3] });
    expect(few.outputs[0].shape).toEqual([null, 7]);
    expect(few.getLayer('predictions').getConfig().activation).toBe('linear');
    const input = k.Input({ shape: [64, 64, 3] });
    const fromTensor = await MobileNetV2({ weights: null, includeTop: false, inputTensor: input, alpha: 0.35 });
    expect(fromTensor.inputs[0]).toBe(input);
    expect(fromTensor.outputs[0].shape).toEqual([null, 2, 2, 1280]);
    [avg, max, few, fromTensor].forEach((m) => m.dispose());
  });

  test('bad options are refused with the fix', async () => {
    await expect(MobileNetV2({ alpha: 0.2 })).rejects.toThrow(/alpha must be one of 0.35, 0.5, 0.75, 1, 1.3, 1.4, got 0.2.*help:/);
    await expect(MobileNetV2({ weights: null, includeTop: false, inputShape: [16, 16, 3] })).rejects.toThrow(/at least 32x32.*help:/);
    await expect(MobileNetV2({ classes: 10 })).rejects.toThrow(/classes must be 1000, got 10.*help:/);
    await expect(MobileNetV2({ weights: null, alpha: -1 })).rejects.toThrow(/alpha must be a positive number.*help:/);
    await expect(MobileNetV2({ weights: null, depth_multiplier: 1 } as never)).rejects.toThrow(/unknown option 'depth_multiplier'/);
  });

  test('predict on one small image leaves no tensor behind', async () => {
    const m = await MobileNetV2({ weights: null, alpha: 0.35, inputShape: [32, 32, 3], classes: 5 });
    const x = tfc.randomUniform([1, 32, 32, 3], -1, 1);
    tfc.dispose(m.predict(x) as tfc.Tensor); // the first call creates the weights
    await expectNoLeak(async () => {
      const y = m.predict(x) as tfc.Tensor;
      expect(y.shape).toEqual([1, 5]);
      const probs = Array.from(await y.data());
      expect(probs.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
      tfc.dispose(y);
    });
    x.dispose();
    m.dispose();
  });

  test("weights 'imagenet' offline names the URL and path; a file placed under Keras's name loads", async () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'keras-home-'));
    const saved = process.env.KERAS_HOME;
    process.env.KERAS_HOME = home;
    try {
      const opts = { alpha: 0.35, inputShape: [96, 96, 3], includeTop: false };
      const fileName = 'mobilenet_v2_weights_tf_dim_ordering_tf_kernels_0.35_96_no_top.h5';
      const target = path.join(home, 'models', fileName);
      await expect(MobileNetV2(opts)).rejects.toThrow(`https://storage.googleapis.com/tensorflow/keras-applications/mobilenet_v2/${fileName}`);
      await expect(MobileNetV2(opts)).rejects.toThrow(target);
      const source = await MobileNetV2({ ...opts, weights: null });
      fs.mkdirSync(path.dirname(target), { recursive: true });
      await source.saveWeights(target);
      const loaded = await MobileNetV2(opts);
      for (const name of ['Conv1', 'block_7_expand_BN', 'Conv_1']) {
        const a = source.getLayer(name).getWeights();
        const b = loaded.getLayer(name).getWeights();
        a.forEach((t, i) => expect(Array.from(b[i].dataSync())).toEqual(Array.from(t.dataSync())));
      }
      source.dispose();
      loaded.dispose();
    } finally {
      if (saved === undefined) delete process.env.KERAS_HOME;
      else process.env.KERAS_HOME = saved;
      fs.rmSync(home, { recursive: true, force: true });
    }
  });
});

describe('a pre-trained network no one here trained', () => {
  // Two 224x224 forward passes of each network: on the native backend where it is built (seconds), else on tfjs's CPU code (minutes).
  beforeAll(async () => {
    await k.setBackend(nativeBuilt() ? 'native' : testBackend());
  });
  afterAll(async () => {
    await k.setBackend(testBackend());
  });

  test("nsfwjs's Keras MobileNetV2, copied by layer name into ours, gives the same features", async () => {
    const taps = ['block_12_add', 'out_relu']; // a linear residual sum deep in the network, and the final features
    const theirs = await loadNsfwjsMobileNetV2();
    const features = new k.Model({ inputs: theirs.inputs, outputs: taps.map((n) => theirs.getLayer(n).output as k.SymbolicTensor) });
    const build = async () => {
      const m = await MobileNetV2({ includeTop: false, weights: null, alpha: 1.0, inputShape: [224, 224, 3] });
      return new k.Model({ inputs: m.inputs, outputs: taps.map((n) => m.getLayer(n).output as k.SymbolicTensor) });
    };
    const ours = await build();
    const unrelated = await build();
    let copied = 0;
    for (const layer of ours.layers) {
      if (layer.weights.length === 0) continue;
      layer.setWeights(theirs.getLayer(layer.name).getWeights());
      copied += 1;
    }
    expect(copied).toBe(104); // every Conv2D, DepthwiseConv2D and BatchNormalization of the base
    const x = tfc.randomUniform([2, 224, 224, 3], -1, 1, 'float32', 7);
    const [a, b, r] = [features, ours, unrelated].map((m) => m.predict(x) as tfc.Tensor[]);
    expect(b[1].shape).toEqual([2, 7, 7, 1280]);
    const maxAbs = (t: tfc.Tensor) => tfc.tidy(() => tfc.max(tfc.abs(t)).dataSync()[0]);
    const diffs = taps.map((_, i) => tfc.tidy(() => maxAbs(tfc.sub(a[i], b[i]))));
    const scales = taps.map((_, i) => maxAbs(a[i]));
    // eslint-disable-next-line no-console
    console.log(`nsfwjs MobileNetV2 vs k.applications.MobileNetV2: max |diff| ${taps.map((n, i) => `${n} ${diffs[i].toExponential(3)} (max |value| ${scales[i].toFixed(3)})`).join(', ')}`);
    for (let i = 0; i < taps.length; i++) {
      expect(scales[i]).toBeGreaterThan(0.5);
      expect(diffs[i]).toBeLessThan(1e-4);
      // the same architecture with its own random weights is far off: the match comes from the copied weights
      expect(tfc.tidy(() => maxAbs(tfc.sub(a[i], r[i])))).toBeGreaterThan(0.5);
    }
    tfc.dispose([x, ...a, ...b, ...r]);
    [theirs, ours, unrelated].forEach((m) => m.dispose());
  });
});
