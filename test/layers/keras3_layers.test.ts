/**
 * The Keras 3 layers of issue 24 with weights or arithmetic worth a reference: outputs against
 * PyTorch (test/reference/keras3_layer_references.py, numbers in keras3_refs.ts) and gradients
 * against central finite differences, both on every tested backend (cpu, wasm, native where built); symbolic shapes equal to real ones, .keras and .h5 round
 * trips with the same predictions, and no leaked tensors.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tfc from '@tensorflow/tfjs-core';
import * as k from '../../src';
import { expectClose, expectNoLeak, testBackend, testedBackends } from '../helpers';
import { KERAS3_REFS, SPECTRAL_SIGMA } from './keras3_refs';

const L = k.layers;
const seq = (shape: number[], a = 0, scale = 1, offset = 0): tfc.Tensor =>
  tfc.tensor(Array.from({ length: shape.reduce((p, q) => p * q, 1) }, (_, i) => Math.sin(0.7 * i + a) * scale + offset), shape);

/** A case: the reference's name, the layer, its input, and its weights in getWeights order (as the reference builds them). */
type Case = [string, () => k.Layer, () => tfc.Tensor, () => tfc.Tensor[]];

const conv = { useBias: false } as const;
const cases: Case[] = [
  ['Conv3D same strides [1,2,1]', () => new L.Conv3D(3, [2, 3, 2], { strides: [1, 2, 1], padding: 'same', ...conv }), () => seq([1, 4, 5, 3, 2]), () => [seq([2, 3, 2, 2, 3], 1, 0.5)]],
  ['Conv3D valid dilation [1,2,1]', () => new L.Conv3D(2, 2, { dilationRate: [1, 2, 1], ...conv }), () => seq([1, 4, 5, 3, 2]), () => [seq([2, 2, 2, 2, 2], 0.5, 0.5)]],
  ['Conv1DTranspose valid strides 2', () => new L.Conv1DTranspose(3, 3, { strides: 2, ...conv }), () => seq([1, 5, 2]), () => [seq([3, 3, 2], 1, 0.5)]],
  ['Conv1DTranspose same strides 2', () => new L.Conv1DTranspose(3, 3, { strides: 2, padding: 'same', ...conv }), () => seq([1, 5, 2]), () => [seq([3, 3, 2], 1, 0.5)]],
  ['Conv1DTranspose same strides 3 kernel 4', () => new L.Conv1DTranspose(3, 4, { strides: 3, padding: 'same', ...conv }), () => seq([1, 5, 2]), () => [seq([4, 3, 2], 0.3, 0.5)]],
  ['Conv3DTranspose same strides [2,1,2]', () => new L.Conv3DTranspose(2, [2, 2, 3], { strides: [2, 1, 2], padding: 'same', ...conv }), () => seq([1, 2, 3, 2, 2]), () => [seq([2, 2, 3, 2, 2], 1, 0.5)]],
  ['Conv3DTranspose valid strides [2,1,2]', () => new L.Conv3DTranspose(2, [2, 2, 3], { strides: [2, 1, 2], ...conv }), () => seq([1, 2, 3, 2, 2]), () => [seq([2, 2, 3, 2, 2], 1, 0.5)]],
  ['DepthwiseConv1D same strides 2 multiplier 2', () => new L.DepthwiseConv1D(3, { strides: 2, padding: 'same', depthMultiplier: 2, ...conv }), () => seq([1, 7, 3]), () => [seq([3, 3, 2], 1, 0.5)]],
  ['SeparableConv1D valid dilation 2', () => new L.SeparableConv1D(3, 3, { dilationRate: 2, depthMultiplier: 2, ...conv }), () => seq([1, 8, 2]), () => [seq([3, 2, 2], 1, 0.5), seq([1, 4, 3], 2, 0.5)]],
  ['MaxPooling3D 2 valid', () => new L.MaxPooling3D(2), () => seq([1, 4, 5, 3, 2]), () => []],
  ['AveragePooling3D [2,2,1] strides 1 valid', () => new L.AveragePooling3D([2, 2, 1], { strides: 1 }), () => seq([1, 4, 5, 3, 2]), () => []],
  ['AdaptiveAveragePooling1D 3', () => new L.AdaptiveAveragePooling1D(3), () => seq([2, 7, 2]), () => []],
  ['AdaptiveMaxPooling1D 3', () => new L.AdaptiveMaxPooling1D(3), () => seq([2, 7, 2]), () => []],
  ['AdaptiveAveragePooling2D [3,4]', () => new L.AdaptiveAveragePooling2D([3, 4]), () => seq([1, 5, 7, 2]), () => []],
  ['AdaptiveMaxPooling2D [3,4]', () => new L.AdaptiveMaxPooling2D([3, 4]), () => seq([1, 5, 7, 2]), () => []],
  ['AdaptiveAveragePooling3D [2,3,2]', () => new L.AdaptiveAveragePooling3D([2, 3, 2]), () => seq([1, 4, 5, 3, 2]), () => []],
  ['AdaptiveMaxPooling3D [2,3,2]', () => new L.AdaptiveMaxPooling3D([2, 3, 2]), () => seq([1, 4, 5, 3, 2]), () => []],
  ['GroupNormalization groups 3 eps 1e-3', () => new L.GroupNormalization(3), () => seq([2, 5, 6], 0, 2, 0.3), () => [seq([6], 1), seq([6], 2)]],
  ['RMSNormalization eps 1e-6', () => new L.RMSNormalization(), () => seq([2, 3, 4], 0, 2, 0.3), () => [seq([4], 1)]],
  ['RMSNormalization axis [1,2]', () => new L.RMSNormalization([1, 2]), () => seq([2, 3, 4], 0, 2, 0.3), () => [seq([3, 4], 1.5)]],
  ['UnitNormalization axis -1', () => new L.UnitNormalization(), () => seq([2, 3, 4], 0, 2, 0.3), () => []],
  ['PReLU sharedAxes [1]', () => new L.PReLU({ sharedAxes: [1] }), () => seq([2, 3, 4], 0, 2), () => [tfc.reshape(seq([4], 1), [1, 4])]],
  ['EinsumDense abc,cd->abd bias d', () => new L.EinsumDense('abc,cd->abd', [null, 5], { biasAxes: 'd' }), () => seq([2, 3, 4]), () => [seq([4, 5], 1, 0.5), seq([5], 2)]],
  ['EinsumDense abc,cde->abde bias de', () => new L.EinsumDense('abc,cde->abde', [null, 2, 3], { biasAxes: 'de' }), () => seq([2, 3, 4]), () => [seq([4, 2, 3], 1, 0.5), seq([2, 3], 2)]],
  ['EinsumDense ...b,bc->...c on [2,4,3]', () => new L.EinsumDense('...b,bc->...c', 5), () => seq([2, 4, 3]), () => [seq([3, 5], 0.4, 0.5)]],
  ['EinsumDense abc,cbd->abd (b shared)', () => new L.EinsumDense({ equation: 'abc,cbd->abd', outputShape: [3, 2] }), () => seq([2, 3, 4]), () => [seq([4, 3, 2], 0.2, 0.5)]],
];

beforeAll(async () => {
  await k.setBackend(testBackend());
});

describe.each(testedBackends())('on %s', (backend) => {
  beforeAll(async () => {
    await k.setBackend(backend);
  });
  afterAll(async () => {
    await k.setBackend(testBackend());
  });

  describe.each(cases)('%s', (name, make, input, weights) => {
    test('equals PyTorch, with the symbolic shape of the real output', () => {
      const layer = make();
      const x = input();
      const symbolic = layer.apply(k.Input({ shape: x.shape.slice(1) }));
      const w = weights();
      layer.setWeights(w);
      const y = layer.apply(x);
      const ref = KERAS3_REFS[name];
      expect(y.shape).toEqual(ref.shape);
      expect(symbolic.shape.slice(1)).toEqual(ref.shape.slice(1));
      expectClose(y, ref.values, 2e-5);
      tfc.dispose([x, y, ...w]);
      layer.dispose();
    });

    test('leaves no tensor behind, in training and inference', async () => {
      const layer = make();
      const x = input();
      tfc.dispose(layer.apply(x));
      await expectNoLeak(() => tfc.dispose(layer.apply(x, { training: true })));
      await expectNoLeak(() => tfc.dispose(layer.apply(x)));
      x.dispose();
      layer.dispose();
    });
  });
});

/** Gradients of sum(layer(x) · r) with respect to the weights and the input, against central differences. */
function checkGradients(layer: k.Layer, x: tfc.Tensor, eps = 1e-2, tol = 2e-3): void {
  tfc.dispose(layer.apply(x));
  const out = layer.apply(x);
  const r = seq(out.shape, 2);
  out.dispose();
  const xVar = tfc.variable(x);
  const vars = [...layer.trainableWeights.map((w) => w.value), xVar];
  const loss = (): tfc.Scalar => tfc.sum(tfc.mul(layer.apply(xVar), r)) as tfc.Scalar;
  const { grads } = tfc.variableGrads(loss, vars);
  for (const v of vars) {
    const analytic = Array.from(grads[v.name].dataSync());
    const base = Array.from(v.dataSync());
    const at = (i: number, delta: number): number => {
      const moved = base.slice();
      moved[i] += delta;
      v.assign(tfc.tensor(moved, v.shape));
      return tfc.tidy(() => loss().dataSync()[0]);
    };
    for (let i = 0; i < base.length; i++) {
      const numeric = (at(i, eps) - at(i, -eps)) / (2 * eps);
      if (Math.abs(numeric - analytic[i]) > tol * Math.max(1, Math.abs(numeric))) {
        throw new Error(`${layer.className} ${v.name}[${i}]: analytic ${analytic[i]}, numeric ${numeric}`);
      }
    }
    v.assign(tfc.tensor(base, v.shape));
  }
  tfc.dispose([r, xVar, ...Object.values(grads)]);
}

const gradientCases: Array<[string, () => k.Layer, number[]]> = [
  ['Conv3D same stride 2 with bias', () => new L.Conv3D(2, [2, 3, 2], { strides: [2, 1, 2], padding: 'same' }), [1, 3, 4, 3, 2]],
  ['Conv3D dilated', () => new L.Conv3D(2, 2, { dilationRate: [2, 1, 1] }), [1, 4, 3, 3, 2]],
  ['Conv1DTranspose same stride 2', () => new L.Conv1DTranspose(2, 3, { strides: 2, padding: 'same' }), [2, 4, 2]],
  ['Conv3DTranspose valid stride 2', () => new L.Conv3DTranspose(2, 2, { strides: [2, 1, 2] }), [1, 2, 3, 2, 2]],
  ['DepthwiseConv1D', () => new L.DepthwiseConv1D(3, { depthMultiplier: 2, padding: 'same' }), [2, 5, 2]],
  ['SeparableConv1D', () => new L.SeparableConv1D(3, 2, { strides: 2 }), [2, 6, 2]],
  ['GroupNormalization', () => new L.GroupNormalization(2, { gammaInitializer: 'glorot_uniform' }), [2, 3, 4]],
  ['RMSNormalization', () => new L.RMSNormalization(), [2, 3, 4]],
  ['PReLU', () => new L.PReLU({ alphaInitializer: 'glorot_uniform' }), [2, 3, 4]],
  ['EinsumDense', () => new L.EinsumDense('abc,cde->abde', [null, 2, 3], { biasAxes: 'e' }), [2, 3, 4]],
  ['AdaptiveAveragePooling2D', () => new L.AdaptiveAveragePooling2D([2, 3]), [1, 5, 4, 2]],
  ['AveragePooling3D', () => new L.AveragePooling3D(2, { strides: 1 }), [1, 3, 3, 3, 2]],
  ['MaxPooling3D', () => new L.MaxPooling3D(2, { strides: 1, padding: 'same' }), [1, 3, 3, 3, 2]],
  ['AdaptiveMaxPooling3D', () => new L.AdaptiveMaxPooling3D([2, 1, 2]), [1, 3, 3, 3, 2]],
  ['UpSampling3D', () => new L.UpSampling3D([1, 2, 2]), [1, 2, 2, 2, 2]],
  ['UpSampling2D nearest (its tile had no gradient at rank 6)', () => new L.UpSampling2D([2, 3]), [2, 2, 3, 2]],
  ['Cropping3D', () => new L.Cropping3D(1), [1, 3, 3, 4, 2]],
];

describe.each(testedBackends())('on %s', (backend) => {
  beforeAll(async () => {
    await k.setBackend(backend);
  });
  afterAll(async () => {
    await k.setBackend(testBackend());
  });

  test.each(gradientCases)('%s: gradients equal central finite differences', (_name, make, shape) => {
    k.utils.setRandomSeed(5);
    const layer = make();
    const x = seq(shape, 0.4, 1.5);
    checkGradients(layer, x);
    x.dispose();
    layer.dispose();
  });
});

describe('SpectralNormalization', () => {
  const setUp = (): { layer: k.layers.SpectralNormalization; x: tfc.Tensor } => {
    const layer = new L.SpectralNormalization(new L.Dense(3));
    const x = seq([2, 4]);
    tfc.dispose(layer.apply(x));
    layer.setWeights([seq([4, 3], 1), tfc.mul(seq([3], 2), 0.1), seq([1, 3], 3)]); // kernel, bias, vector_u
    return { layer, x };
  };

  test('a training call divides the kernel by its estimated largest singular value and updates vector_u, as PyTorch computes Keras\'s algorithm', () => {
    const { layer, x } = setUp();
    const y = layer.apply(x, { training: true });
    expectClose(y, KERAS3_REFS['SpectralNormalization Dense training output'].values, 1e-5);
    expectClose((layer.vectorU as k.Weight).value, KERAS3_REFS['SpectralNormalization Dense vector_u'].values, 1e-5);
    // inference uses the kernel as it now stands: the same output again
    expectClose(layer.apply(x), KERAS3_REFS['SpectralNormalization Dense training output'].values, 1e-5);
    tfc.dispose([x, y]);
    layer.dispose();
  });

  test('repeated training calls converge: the kernel\'s largest singular value becomes 1 (it was the SVD\'s 2.319825)', () => {
    const { layer, x } = setUp();
    const kernel = (layer.layer as k.layers.Dense).kernel as k.Weight;
    const before = tfc.clone(kernel.value);
    for (let i = 0; i < 30; i++) tfc.dispose(layer.apply(x, { training: true }));
    // W / sigma_max has spectral norm 1, so the kernel is the original divided by the SVD's sigma
    expectClose(kernel.value, Array.from(before.dataSync()).map((v) => v / SPECTRAL_SIGMA), 1e-4);
    before.dispose();
    x.dispose();
    layer.dispose();
  });

  test('weights, gradients, leaks and refusals', async () => {
    const { layer, x } = setUp();
    expect(layer.trainableWeights.map((w) => w.name.split('/').pop())).toEqual(['kernel', 'bias']);
    expect(layer.nonTrainableWeights.map((w) => w.name.split('/').pop())).toEqual(['vector_u']);
    await expectNoLeak(() => tfc.dispose(layer.apply(x, { training: true })));
    await expectNoLeak(() => tfc.dispose(layer.apply(x)));
    const { value, grads } = tfc.variableGrads(() => tfc.sum(layer.apply(x, { training: true })) as tfc.Scalar, [((layer.layer as k.layers.Dense).bias as k.Weight).value]);
    expectClose(Object.values(grads)[0], [2, 2, 2]); // d sum(xW + b)/db = batch size
    tfc.dispose([value, ...Object.values(grads)]);
    expect(() => new L.SpectralNormalization(new L.Dense(2), { powerIterations: 0 })).toThrow(/`powerIterations` must be a positive integer, got 0\. help/);
    expect(() => new L.SpectralNormalization(new L.Flatten()).apply(x)).toThrow(/Flatten 'flatten(_\d+)?' has no `kernel` nor `embeddings`\. help: wrap a Dense/);
    x.dispose();
    layer.dispose();
  });
});

describe('saving', () => {
  let tmp: string;
  beforeAll(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'keras-ts-keras3-'));
  });
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  const saved: Array<[string, () => k.Layer, number[]]> = [
    ['Identity', () => new L.Identity(), [3]],
    ['Conv3D', () => new L.Conv3D(2, 2, { padding: 'same' }), [3, 3, 3, 2]],
    ['Conv1DTranspose', () => new L.Conv1DTranspose(2, 3, { strides: 2 }), [4, 2]],
    ['Conv3DTranspose', () => new L.Conv3DTranspose(2, 2, { strides: 2 }), [2, 2, 2, 2]],
    ['DepthwiseConv1D', () => new L.DepthwiseConv1D(3, { depthMultiplier: 2 }), [5, 2]],
    ['SeparableConv1D', () => new L.SeparableConv1D(3, 3), [5, 2]],
    ['MaxPooling3D', () => new L.MaxPooling3D(2), [4, 4, 4, 2]],
    ['AveragePooling3D', () => new L.AveragePooling3D(2, { padding: 'same' }), [3, 3, 3, 2]],
    ['GlobalMaxPooling3D', () => new L.GlobalMaxPooling3D(), [3, 3, 3, 2]],
    ['GlobalAveragePooling3D', () => new L.GlobalAveragePooling3D({ keepdims: true }), [3, 3, 3, 2]],
    ['AdaptiveAveragePooling2D', () => new L.AdaptiveAveragePooling2D([2, 3]), [5, 5, 2]],
    ['AdaptiveMaxPooling3D', () => new L.AdaptiveMaxPooling3D(2), [3, 4, 5, 2]],
    ['GroupNormalization', () => new L.GroupNormalization(2, { gammaInitializer: 'random_normal' }), [3, 4]],
    ['RMSNormalization', () => new L.RMSNormalization(-1, { epsilon: 1e-5 }), [3, 4]],
    ['UnitNormalization', () => new L.UnitNormalization([1, 2]), [3, 4]],
    ['SpatialDropout1D', () => new L.SpatialDropout1D(0.3), [3, 4]],
    ['SpatialDropout3D', () => new L.SpatialDropout3D(0.3), [2, 2, 2, 4]],
    ['AlphaDropout', () => new L.AlphaDropout(0.2, { seed: 3 }), [4]],
    ['ActivityRegularization', () => new L.ActivityRegularization(0.1, { l2: 0.2 }), [4]],
    ['Cropping1D', () => new L.Cropping1D([1, 2]), [5, 2]],
    ['Cropping3D', () => new L.Cropping3D([[1, 0], [0, 1], [1, 1]]), [3, 3, 4, 2]],
    ['UpSampling1D', () => new L.UpSampling1D(3), [3, 2]],
    ['UpSampling3D', () => new L.UpSampling3D([1, 2, 3]), [2, 2, 2, 2]],
    ['ZeroPadding1D', () => new L.ZeroPadding1D([2, 1]), [3, 2]],
    ['ZeroPadding3D', () => new L.ZeroPadding3D(1), [2, 2, 2, 2]],
    ['PReLU', () => new L.PReLU('random_normal', { sharedAxes: [1] }), [3, 4]],
    ['EinsumDense', () => new L.EinsumDense('abc,cd->abd', [null, 5], { biasAxes: 'd', biasInitializer: 'random_normal', activation: 'relu' }), [3, 4]],
    ['SpectralNormalization', () => new L.SpectralNormalization(new L.Conv1D(3, 2), { powerIterations: 2 }), [5, 2]],
  ];

  test.each(saved)('%s round-trips through .keras and .h5 with its config and predictions', async (className, make, shape) => {
    k.utils.setRandomSeed(1);
    const inputs = k.Input({ shape });
    const layer = make();
    expect(layer.className).toBe(className);
    const model = new k.Model({ inputs, outputs: layer.apply(inputs) });
    const x = tfc.randomNormal([2, ...shape], 0, 1, 'float32', 1);
    const before = model.predict(x) as tfc.Tensor;
    for (const target of ['m.keras', 'm.h5']) {
      const file = path.join(tmp, `${className}-${target}`);
      await model.save(file);
      const loaded = await k.models.loadModel(file);
      expect(loaded.layers[1].getConfig()).toEqual(model.layers[1].getConfig());
      const after = loaded.predict(x) as tfc.Tensor;
      expect(tfc.max(tfc.abs(tfc.sub(before, after))).dataSync()[0]).toBe(0);
      after.dispose();
      loaded.dispose();
    }
    tfc.dispose([x, before]);
    model.dispose();
  });
});
