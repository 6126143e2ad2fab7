/**
 * The image preprocessing and augmentation layers (src/layers/preprocessing/image/) and the affine
 * op they share (src/ops/affine_transform.ts): the op and the resizes against NumPy references
 * (test/reference/affine_reference.py, Keras's NumPy-backend algorithm and TensorFlow's resize rule
 * written out), inference identity, training-mode invariants, seeding, leaks, and a fit.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tfc from '@tensorflow/tfjs-core';
import * as k from '../../src';
import { affineTransform, FillMode } from '../../src/ops/affine_transform';
import { expectClose, flat, testedBackends } from '../helpers';

const L = k.layers;

// From `python3 test/reference/affine_reference.py`.
const REF: Record<string, number[]> = {
  bilinear_reflect: [-0.483723, -0.138435, -0.216065, 0.223411, -0.276912, 0.071868, 0.184214, 0.631694, 0.656987, 0.988168, 0.266768, 0.509897, 0.083461, -0.182913, -0.148798, -0.604059, -0.807416, -0.715661, -0.345785, 0.191062, 0.450207, 0.188284, 0.196058, -0.399646, 0.962725, 0.820797, 0.399409, -0.230552, -0.415805, -0.293113, 0.571463, 0.724542, 0.048282, -0.206444, -0.908053, -0.580893, 0.424207, 0.418937, -0.366213, -0.563017, -0.256213, 0.066556, 0.578373, 0.233415, -0.453777, -0.585289, 0.270351, 0.596170, 0.504341, 0.055662, -0.509696, -0.276867, 0.392578, 0.609867, -0.073902, -0.347544, -0.505834, -0.223363, 0.456696, 0.372106, -0.719131, -0.494575, -0.905524, -0.926389, 0.000250, 0.496330, 0.786328, 0.354040, -0.572274, -0.834040, -0.953753, -0.535823, -0.483867, -0.277898, -0.278264, -0.022224, 0.396837, 0.284137, -0.338826, -0.513757, -0.106660, 0.234422, 0.496272, 0.769466, 0.616455, 0.327079, 0.179587, -0.231041, -0.852625, -0.529510, 0.436804, 0.715649, 0.213656, -0.226589, -0.009275, -0.387890, -0.770070, -0.679111, -0.237543, 0.141244, 0.480905, 0.340418, -0.291183, -0.384271, 0.007878, 0.321509, -0.064961, 0.226472, 0.200410, 0.784430, 0.973715, 0.706245, -0.329987, -0.700676, -0.546179, 0.022715, 0.794747, 0.998858, -0.031286, 0.442219],
  bilinear_wrap: [0.358936, -0.037319, -0.615972, -0.585007, 0.381868, 0.519596, 0.444464, 0.150105, 0.385082, 0.559431, 0.370448, 0.540498, -0.164488, -0.355037, -0.504109, -0.096456, -0.329995, -0.109236, -0.345785, 0.191062, 0.450207, 0.188284, 0.639181, 0.128060, 0.187443, -0.124314, 0.333922, -0.248932, -0.415805, -0.293113, 0.571463, 0.724542, 0.048282, -0.206444, -0.868774, -0.701363, 0.424207, 0.418937, -0.366213, -0.563017, -0.256213, 0.066556, 0.578373, 0.233415, -0.453777, -0.585289, 0.270351, 0.596170, 0.504341, 0.055662, -0.509696, -0.276867, 0.392578, 0.609867, -0.073902, -0.347544, -0.505834, -0.223363, 0.456696, 0.372106, 0.273998, 0.641471, 0.167888, 0.697751, 0.535242, 0.240964, -0.378361, -0.555137, -0.313227, -0.034049, -0.187461, 0.114074, -0.371536, -0.064221, -0.278264, -0.022224, 0.396837, 0.284137, -0.338826, -0.513757, -0.106660, 0.234422, 0.038888, 0.520039, 0.356340, -0.067940, 0.179587, -0.231041, -0.852625, -0.529510, 0.436804, 0.715649, 0.213656, -0.226589, 0.238823, -0.165720, -0.709560, -0.417004, -0.237543, 0.141244, 0.480905, 0.340418, -0.291183, -0.384271, 0.007878, 0.321509, 0.057866, 0.321070, -0.322522, -0.052524, 0.008287, 0.340699, 0.486737, 0.323331, -0.289971, -0.615770, -0.865028, -0.553948, -0.617338, -0.228170],
  bilinear_constant: [0.500000, 0.500000, 0.500000, 0.500000, 0.500000, 0.500000, 0.431175, 0.528702, 0.556463, 0.675577, 0.500000, 0.500000, 0.500000, 0.500000, 0.445517, 0.407287, -0.263498, -0.209915, -0.345785, 0.191062, 0.450207, 0.188284, 0.458987, 0.378605, 0.708226, 0.644359, 0.404438, -0.194024, -0.415805, -0.293113, 0.571463, 0.724542, 0.048282, -0.206444, -0.394024, -0.186299, 0.424207, 0.418937, -0.366213, -0.563017, -0.256213, 0.066556, 0.578373, 0.233415, -0.453777, -0.585289, 0.270351, 0.596170, 0.504341, 0.055662, -0.509696, -0.276867, 0.392578, 0.609867, -0.073902, -0.347544, -0.505834, -0.223363, 0.456696, 0.372106, 0.500000, 0.500000, 0.429724, 0.428681, 0.425037, 0.499449, 0.571582, 0.463510, 0.124704, 0.033086, 0.257950, 0.327535, 0.500000, 0.500000, -0.278264, -0.022224, 0.396837, 0.284137, -0.338826, -0.513757, -0.106660, 0.234422, 0.499553, 0.532336, 0.515139, 0.477520, 0.179587, -0.231041, -0.852625, -0.529510, 0.436804, 0.715649, 0.213656, -0.226589, 0.500000, 0.500000, 0.017373, 0.051938, -0.237543, 0.141244, 0.480905, 0.340418, -0.291183, -0.384271, 0.007878, 0.321509, 0.500000, 0.500000, 0.415066, 0.580636, 0.665800, 0.572186, 0.292503, 0.199831, 0.343073, 0.428407, 0.511348, 0.519206, 0.500000, 0.500000],
  bilinear_nearest: [0.292835, -0.372852, -0.752080, -0.919893, -0.687262, -0.216028, 0.184214, 0.631694, 0.656987, 0.988168, 0.579861, 0.689526, 0.637494, 0.213800, -0.148798, -0.604059, -0.807416, -0.715661, -0.345785, 0.191062, 0.450207, 0.188284, 0.196058, -0.399646, 0.962725, 0.820797, 0.399409, -0.230552, -0.415805, -0.293113, 0.571463, 0.724542, 0.048282, -0.206444, -0.908053, -0.580893, 0.424207, 0.418937, -0.366213, -0.563017, -0.256213, 0.066556, 0.578373, 0.233415, -0.453777, -0.585289, 0.270351, 0.596170, 0.504341, 0.055662, -0.509696, -0.276867, 0.392578, 0.609867, -0.073902, -0.347544, -0.505834, -0.223363, 0.456696, 0.372106, -0.916522, -0.958672, -0.905524, -0.926389, 0.000250, 0.496330, 0.786328, 0.354040, -0.572274, -0.834040, -0.953753, -0.535823, -0.548800, -0.363796, -0.278264, -0.022224, 0.396837, 0.284137, -0.338826, -0.513757, -0.106660, 0.234422, 0.496272, 0.769466, 0.616455, 0.327079, 0.179587, -0.231041, -0.852625, -0.529510, 0.436804, 0.715649, 0.213656, -0.226589, -0.103415, -0.496384, -0.770070, -0.679111, -0.237543, 0.141244, 0.480905, 0.340418, -0.291183, -0.384271, 0.007878, 0.321509, 0.190598, 0.482005, 0.200410, 0.784430, 0.973715, 0.706245, -0.329987, -0.700676, -0.546179, 0.022715, 0.794747, 0.998858, 0.794747, 0.998858],
  nearest_reflect: [-0.979178, -0.618137, 0.033623, 0.669570, -0.631267, 0.016814, 0.656987, 0.988168, 0.656987, 0.988168, 0.656987, 0.988168, 0.334988, -0.350783, 0.334988, -0.350783, -0.871576, -0.982453, -0.631267, 0.016814, 0.303118, -0.382071, 0.303118, -0.382071, 0.985450, 0.863209, 0.334988, -0.350783, -0.871576, -0.982453, 0.990607, 0.845747, 0.990607, 0.845747, -0.971798, -0.591358, 0.985450, 0.863209, -0.366479, -0.879696, -0.979178, -0.618137, 0.836656, 0.287053, -0.397556, -0.895187, 0.706169, 0.996242, 0.854599, 0.319098, -0.604833, 0.050423, 0.681964, 0.992766, -0.902555, -0.967696, -0.902555, -0.967696, 0.997557, 0.807973, -0.916522, -0.958672, -0.916522, -0.958672, -0.549944, 0.117431, 0.797952, 0.222024, -0.458325, -0.923117, -0.953753, -0.535823, -0.916522, -0.958672, -0.916522, -0.958672, 0.205598, -0.473205, -0.929452, -0.948564, -0.521551, 0.150755, 0.752159, 0.999811, 0.777236, 0.189115, -0.487950, -0.935524, -0.943107, -0.507131, 0.167356, 0.763133, 0.172577, -0.502557, 0.172577, -0.502557, -0.941332, -0.937383, -0.492568, 0.183909, 0.773891, 0.999900, -0.517023, -0.946873, 0.794747, 0.998858, 0.794747, 0.998858, 0.200410, 0.784430, 0.999520, 0.744521, 0.139361, -0.531342, -0.463028, 0.216854, 0.794747, 0.998858, -0.463028, 0.216854],
  matrices: [0.866025, -0.500000, 2.034936, 0.500000, 0.866025, -2.282051, 0.000000, 0.000000, 1.400000, 0.250000, -1.370000, 0.100000, 1.400000, -1.050000, 0.000000, 0.000000],
  resize_bilinear_3x4: [0.347351, 0.472444, 0.056401, -0.259366, -0.450043, -0.250553, 0.381612, 0.471847, -0.816883, -0.719114, 0.360265, 0.757180, 0.528103, -0.008507, -0.828238, -0.667315, 0.437208, 0.218215, -0.402410, -0.467854, -0.057163, 0.258723, 0.413852, 0.169062],
  resize_nearest_7x9: [0.000000, 0.644218, 0.985450, 0.863209, 0.985450, 0.863209, 0.334988, -0.350783, -0.871576, -0.982453, -0.871576, -0.982453, -0.631267, 0.016814, 0.656987, 0.988168, 0.656987, 0.988168, 0.854599, 0.319098, -0.366479, -0.879696, -0.366479, -0.879696, -0.979178, -0.618137, 0.033623, 0.669570, 0.033623, 0.669570, 0.990607, 0.845747, 0.303118, -0.382071, 0.303118, -0.382071, 0.854599, 0.319098, -0.366479, -0.879696, -0.366479, -0.879696, -0.979178, -0.618137, 0.033623, 0.669570, 0.033623, 0.669570, 0.990607, 0.845747, 0.303118, -0.382071, 0.303118, -0.382071, -0.887567, -0.975626, -0.604833, 0.050423, -0.604833, 0.050423, 0.681964, 0.992766, 0.836656, 0.287053, 0.836656, 0.287053, -0.397556, -0.895187, -0.971798, -0.591358, -0.971798, -0.591358, 0.067208, 0.694165, 0.994645, 0.827328, 0.994645, 0.827328, 0.270906, -0.412928, -0.902555, -0.967696, -0.902555, -0.967696, -0.577715, 0.083974, 0.706169, 0.996242, 0.706169, 0.996242, 0.067208, 0.694165, 0.994645, 0.827328, 0.994645, 0.827328, 0.270906, -0.412928, -0.902555, -0.967696, -0.902555, -0.967696, -0.577715, 0.083974, 0.706169, 0.996242, 0.706169, 0.996242, 0.817766, 0.254682, -0.428183, -0.909667, -0.428183, -0.909667, -0.963320, -0.563909, 0.100717, 0.717975, 0.100717, 0.717975, 0.997557, 0.807973, 0.238387, -0.443317, 0.238387, -0.443317],
  smart_resize_4x4: [0.195529, 0.608799, 0.574306, 0.259265, -0.409997, -0.629045, -0.469769, 0.008383, 0.119143, -0.211983, -0.418507, -0.337081, 0.075632, 0.323561, 0.453135, 0.234550, -0.205123, 0.126493, 0.406170, 0.377821, 0.002925, -0.267900, -0.477680, -0.309955, 0.602162, 0.184348, -0.459847, -0.637228, -0.318823, 0.112652, 0.697481, 0.691198],
  pad_resize_4x2: [0.250000, 0.250000, 0.250000, 0.250000, 0.140494, -0.226106, 0.382405, 0.534897, 0.461084, 0.175955, 0.013012, 0.355474, 0.250000, 0.250000, 0.250000, 0.250000],
};

const seq = (n: number, a = 0): number[] => Array.from({ length: n }, (_, i) => Math.sin(0.7 * i + a));
const H = 5;
const W = 6;

/** The reference script's two matrices: a rotation by 30 degrees about the centre, shifted; a zoom with a shear. */
function referenceMatrices(): number[] {
  const t = Math.PI / 6;
  const [cx, cy] = [(W - 1) / 2, (H - 1) / 2];
  const [a0, a1, b0, b1] = [Math.cos(t), -Math.sin(t), Math.sin(t), Math.cos(t)];
  const m0 = [a0, a1, cx - cx * a0 - cy * a1 + 0.7, b0, b1, cy - cx * b0 - cy * b1 - 1.3, 0, 0];
  const [z, sh] = [1.4, 0.25];
  const m1 = [z, sh, cx - cx * z - cy * sh + 0.13, 0.1, z, cy - cx * 0.1 - cy * z, 0, 0];
  return [...m0, ...m1];
}

describe.each(testedBackends())('on %s', (backend) => {
  beforeAll(async () => {
    await k.setBackend(backend);
  });

  test('matrices as the reference script prints them', () => {
    expectClose(referenceMatrices(), REF.matrices, 1e-6);
  });

  test.each(['reflect', 'wrap', 'constant', 'nearest'] as FillMode[])('affineTransform, bilinear, fillMode %s, a matrix per image', (fillMode) => {
    const before = tfc.memory().numTensors;
    const images = tfc.tensor4d(seq(2 * H * W * 2), [2, H, W, 2]);
    const out = affineTransform(images, referenceMatrices(), { fillMode, fillValue: 0.5 });
    expect(out.shape).toEqual([2, H, W, 2]);
    expectClose(out, REF[`bilinear_${fillMode}`], 1e-5);
    // One image with its own row gives the batch's first image.
    const one = tfc.tidy(() => affineTransform(tfc.slice(images, [0], [1]).squeeze([0]), referenceMatrices().slice(0, 8), { fillMode, fillValue: 0.5 }));
    expectClose(one, REF[`bilinear_${fillMode}`].slice(0, H * W * 2), 1e-5);
    tfc.dispose([images, out, one]);
    expect(tfc.memory().numTensors).toBe(before);
  });

  test('affineTransform\'s gradient with respect to the images equals the op applied to each basis image (it is linear)', () => {
    const m = [0.9, 0.1, 0.3, -0.1, 0.9, 0.2, 0, 0];
    const r = tfc.range(1, 17).reshape([1, 4, 4, 1]);
    for (const fillMode of ['reflect', 'constant'] as FillMode[]) {
      const g = tfc.grad((img: tfc.Tensor) => tfc.sum(tfc.mul(affineTransform(img, m, { fillMode, fillValue: 0 }), r)))(tfc.ones([1, 4, 4, 1]));
      const basis = Array.from({ length: 16 }, (_, j) => tfc.tidy(() => {
        const e = tfc.oneHot(tfc.tensor1d([j], 'int32'), 16).reshape([1, 4, 4, 1]).cast('float32');
        return tfc.sum(tfc.mul(affineTransform(e, m, { fillMode }), r)).dataSync()[0];
      }));
      expectClose(g, basis, 1e-4);
      g.dispose();
    }
    r.dispose();
  });

  test('affineTransform, nearest interpolation', () => {
    const images = tfc.tensor4d(seq(2 * H * W * 2), [2, H, W, 2]);
    const out = affineTransform(images, referenceMatrices(), { fillMode: 'reflect', interpolation: 'nearest' });
    expectClose(out, REF.nearest_reflect, 1e-6);
    tfc.dispose([images, out]);
  });

  test('every layer gives on this backend what it gives on cpu (the same seed, the same draws)', async () => {
    const layers = (): k.Layer[] => [
      new L.Resizing(4, 5), new L.CenterCrop(3, 4), new L.RandomCrop(3, 4, { seed: 1 }), new L.RandomFlip(undefined, { seed: 2 }),
      new L.RandomTranslation(0.3, 0.3, { seed: 3 }), new L.RandomRotation(0.2, { seed: 4, fillMode: 'wrap' }),
      new L.RandomZoom(0.3, { seed: 5, fillMode: 'nearest' }), new L.RandomContrast(0.5, { seed: 6 }), new L.RandomBrightness(0.3, { seed: 7 }),
      new L.RandomInvert(undefined, { seed: 8 }), new L.RandomGrayscale(0.5, { seed: 9 }), new L.Solarization(0.5, { thresholdFactor: 0.5, seed: 10 }),
      new L.AutoContrast(), new L.RandomPosterization(8, { seed: 11 }),
    ];
    const run = (): number[][] => {
      const x = tfc.tensor4d(seq(4 * H * W * 3).map((v) => 127.5 + 120 * v), [4, H, W, 3]);
      const out = layers().map((layer) => {
        const y = layer.apply(x, { training: true }) as tfc.Tensor;
        const values = flat(y);
        y.dispose();
        return values;
      });
      x.dispose();
      return out;
    };
    await k.setBackend('cpu');
    const expected = run();
    await k.setBackend(backend);
    run().forEach((values, i) => expectClose(values, expected[i], 1e-3));
  });

  test('Resizing: bilinear and nearest with half-pixel centres, crop and pad to the aspect ratio', () => {
    const image = tfc.tensor3d(seq(H * W * 2), [H, W, 2]);
    const cases: Array<[k.Layer, string, number[]]> = [
      [new L.Resizing(3, 4), 'resize_bilinear_3x4', [3, 4, 2]],
      [new L.Resizing(7, 9, { interpolation: 'nearest' }), 'resize_nearest_7x9', [7, 9, 2]],
      [new L.Resizing(4, 4, { cropToAspectRatio: true }), 'smart_resize_4x4', [4, 4, 2]],
      [new L.Resizing(4, 2, { padToAspectRatio: true, fillValue: 0.25 }), 'pad_resize_4x2', [4, 2, 2]],
    ];
    for (const [layer, ref, shape] of cases) {
      const out = layer.apply(image) as tfc.Tensor;
      expect(out.shape).toEqual(shape);
      expectClose(out, REF[ref], 1e-5);
      out.dispose();
    }
    image.dispose();
  });
});

describe('the layers (cpu)', () => {
  beforeAll(async () => {
    await k.setBackend('cpu');
  });

  /** A batch [n, h, w, c] of distinct values in [0, 255). */
  const batch = (shape: number[]): tfc.Tensor => {
    const size = shape.reduce((a, b) => a * b, 1);
    return tfc.tensor(Array.from({ length: size }, (_, i) => (i * 37) % 251), shape);
  };
  const train = (layer: k.Layer, x: tfc.Tensor): tfc.Tensor => layer.apply(x, { training: true }) as tfc.Tensor;

  const RANDOM: Array<[string, (seed?: number) => k.Layer]> = [
    ['RandomFlip', (seed) => new L.RandomFlip({ seed })],
    ['RandomTranslation', (seed) => new L.RandomTranslation(0.3, 0.3, { seed })],
    ['RandomRotation', (seed) => new L.RandomRotation(0.2, { seed })],
    ['RandomZoom', (seed) => new L.RandomZoom(0.3, { seed })],
    ['RandomContrast', (seed) => new L.RandomContrast(0.5, { seed })],
    ['RandomBrightness', (seed) => new L.RandomBrightness(0.3, { seed })],
    ['RandomInvert', (seed) => new L.RandomInvert(undefined, { seed })],
    ['RandomGrayscale', (seed) => new L.RandomGrayscale(0.5, { seed })],
    ['Solarization', (seed) => new L.Solarization(0.5, { thresholdFactor: 0.5, seed })],
    ['RandomPosterization', (seed) => new L.RandomPosterization(8, { seed })],
  ];

  test.each(RANDOM)('%s is the identity in inference, on a batch and on one image, as float32', (_name, make) => {
    const layer = make(1);
    const before = tfc.memory().numTensors;
    const x = tfc.tidy(() => tfc.cast(batch([2, 5, 6, 3]), 'int32'));
    const y = layer.apply(x, { training: false }) as tfc.Tensor;
    expect(y.dtype).toBe('float32');
    expect(flat(y)).toEqual(flat(x));
    const one = tfc.tidy(() => layer.apply(tfc.slice(x, [1], [1]).squeeze([0]), { training: false }) as tfc.Tensor);
    expect(one.shape).toEqual([5, 6, 3]);
    expect(flat(one)).toEqual(flat(x).slice(90));
    tfc.dispose([x, y, one]);
    expect(tfc.memory().numTensors).toBe(before);
  });

  test.each(RANDOM)('%s with a seed: a new draw at each step, the same sequence from a second layer; no leaks', (_name, make) => {
    const x = batch([4, 6, 7, 3]);
    const run = (layer: k.Layer): number[][] => [0, 1, 2].map(() => tfc.tidy(() => flat(train(layer, x))));
    const before = tfc.memory().numTensors;
    const first = run(make(7));
    expect(tfc.memory().numTensors).toBe(before);
    expect(first[1]).not.toEqual(first[0]);
    expect(first[2]).not.toEqual(first[1]);
    expect(run(make(7))).toEqual(first);
    k.utils.setRandomSeed(99); // the global seed does not move a seeded layer
    expect(run(make(7))).toEqual(first);
    const one = tfc.tidy(() => train(make(7), tfc.slice(x, [0], [1]).squeeze([0])));
    expect(one.shape).toEqual([6, 7, 3]);
    one.dispose();
    x.dispose();
  });

  test('RandomFlip: each image is itself or its exact mirror, both occur', () => {
    const x = batch([12, 4, 5, 2]);
    for (const [mode, axes] of [['horizontal', [2]], ['vertical', [1]], ['horizontal_and_vertical', [1, 2]]] as const) {
      const y = train(new L.RandomFlip(mode, { seed: 3 }), x);
      const mirror = tfc.reverse(x, [...axes]);
      const kinds = Array.from({ length: 12 }, (_, i) => {
        const got = flat(tfc.slice(y, [i], [1]));
        if (JSON.stringify(got) === JSON.stringify(flat(tfc.slice(x, [i], [1])))) return 'same';
        expect(got).toEqual(flat(tfc.slice(mirror, [i], [1])));
        return 'mirror';
      });
      expect(new Set(kinds)).toEqual(new Set(['same', 'mirror']));
    }
  });

  test('RandomCrop: in training a window of the input (the same for the whole batch); in inference smart_resize', () => {
    const x = batch([2, 6, 7, 1]);
    const layer = new L.RandomCrop(3, 4, { seed: 5 });
    const windows = new Set<string>();
    for (let step = 0; step < 6; step++) {
      const y = train(layer, x);
      expect(y.shape).toEqual([2, 3, 4, 1]);
      const found: string[] = [];
      for (let top = 0; top <= 3; top++) {
        for (let left = 0; left <= 3; left++) {
          if (JSON.stringify(flat(tfc.slice(x, [0, top, left, 0], [2, 3, 4, 1]))) === JSON.stringify(flat(y))) found.push(`${top},${left}`);
        }
      }
      expect(found.length).toBe(1);
      windows.add(found[0]);
    }
    expect(windows.size).toBeGreaterThan(1);
    const image = tfc.tensor3d(seq(H * W * 2), [H, W, 2]);
    expectClose(new L.RandomCrop(4, 4).apply(image, { training: false }) as tfc.Tensor, REF.smart_resize_4x4, 1e-5);
    // Images not larger than the target on both axes are smart-resized in training too.
    const tall = flat(train(new L.RandomCrop(5, 4, { seed: 1 }), image)); // 5 rows: not larger than the image's 5
    expect(tall).toEqual(flat(new L.Resizing(5, 4, { cropToAspectRatio: true }).apply(image) as tfc.Tensor));
  });

  test('CenterCrop: the centred window; smaller images are smart-resized', () => {
    const x = batch([2, 6, 7, 1]);
    expect(flat(new L.CenterCrop(3, 4).apply(x) as tfc.Tensor)).toEqual(flat(tfc.slice(x, [0, 1, 1, 0], [2, 3, 4, 1])));
    const image = tfc.tensor3d(seq(H * W * 2), [H, W, 2]);
    expectClose(new L.CenterCrop(3, 4).apply(image) as tfc.Tensor, flat(tfc.slice(image, [1, 1, 0], [3, 4, 2])), 0);
    expectClose(new L.CenterCrop(8, 8).apply(tfc.slice(image, [0, 0, 0], [5, 5, 2])) as tfc.Tensor, flat(tfc.image.resizeBilinear(tfc.slice(image, [0, 0, 0], [5, 5, 2]), [8, 8], false, true)), 1e-6);
  });

  test('rotation, translation and zoom by 0 are the identity; rotation by half a turn is the 180-degree mirror', () => {
    const x = batch([3, 5, 6, 2]);
    for (const layer of [new L.RandomRotation(0), new L.RandomTranslation(0, 0), new L.RandomZoom(0)]) {
      expect(flat(train(layer, x))).toEqual(flat(x));
    }
    expectClose(train(new L.RandomRotation([0.5, 0.5]), x), flat(tfc.reverse(x, [1, 2])), 1e-3);
  });

  test('RandomTranslation: a positive height factor moves the image down, the top filled by fillMode', () => {
    const x = batch([1, 4, 3, 1]);
    const y = train(new L.RandomTranslation([0.5, 0.5], 0, { fillMode: 'constant', fillValue: -1 }), x);
    const rows = flat(x);
    expectClose(y, [-1, -1, -1, -1, -1, -1, ...rows.slice(0, 6)], 1e-4);
    const wrap = train(new L.RandomTranslation(0, [-1 / 3, -1 / 3], { fillMode: 'wrap' }), x); // one column left
    expectClose(wrap, [0, 1, 2, 3].flatMap((r) => [rows[3 * r + 1], rows[3 * r + 2], rows[3 * r]]), 1e-4);
  });

  test('RandomZoom: zooming out by 2 with nearest sampling reads every second pixel about the centre', () => {
    const x = batch([1, 5, 5, 1]);
    const y = train(new L.RandomZoom([1, 1], { fillMode: 'constant', interpolation: 'nearest' }), x);
    // zoom 2: input = 2 · output - 2 (centre 2): output pixel 1 reads input 0, 2 reads 2, 3 reads 4; 0 and 4 fall outside.
    const v = flat(x);
    const expected = [0, 1, 2, 3, 4].flatMap((r) => [0, 1, 2, 3, 4].map((c) => (r % 4 === 0 || c % 4 === 0 ? 0 : v[(2 * r - 2) * 5 + (2 * c - 2)])));
    expect(flat(y)).toEqual(expected);
  });

  test('RandomBrightness stays within valueRange and shifts each image by one delta where not clipped', () => {
    const x = batch([6, 4, 4, 3]);
    const y = train(new L.RandomBrightness(0.9, { seed: 2 }), x);
    const [xv, yv] = [flat(x), flat(y)];
    expect(Math.min(...yv)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...yv)).toBeLessThanOrEqual(255);
    for (let i = 0; i < 6; i++) {
      const deltas = new Set<number>();
      for (let j = i * 48; j < (i + 1) * 48; j++) if (yv[j] > 0 && yv[j] < 255) deltas.add(Math.round((yv[j] - xv[j]) * 1e3));
      expect(deltas.size).toBeLessThanOrEqual(1);
    }
    const unit = train(new L.RandomBrightness(0.5, { valueRange: [0, 1], seed: 2 }), tfc.div(x, 255));
    expect(Math.max(...flat(unit))).toBeLessThanOrEqual(1);
  });

  test('RandomContrast keeps each image\'s per-channel mean (no clipping) and stays within valueRange', () => {
    const x = tfc.add(tfc.mul(batch([4, 5, 5, 3]), 0.2), 100); // in [100, 150]: no clipping at factors in [0.5, 1.5]
    const y = train(new L.RandomContrast([0.5, 0.5], { seed: 4 }), x);
    expectClose(tfc.mean(y, [1, 2]), flat(tfc.mean(x, [1, 2])), 1e-3);
    expect(flat(y)).not.toEqual(flat(x));
    const wide = flat(train(new L.RandomContrast(1, { seed: 4 }), batch([4, 5, 5, 3])));
    expect(Math.min(...wide)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...wide)).toBeLessThanOrEqual(255);
  });

  test('RandomInvert: 255 - x for valueRange [0, 255] at probability 1; with random probabilities each image is x or 255 - x', () => {
    const x = batch([8, 3, 4, 3]);
    expect(flat(train(new L.RandomInvert([1, 1]), x))).toEqual(flat(x).map((v) => 255 - v));
    const y = train(new L.RandomInvert(undefined, { seed: 3 }), x);
    const kinds = new Set(Array.from({ length: 8 }, (_, i) => {
      const [xi, yi] = [flat(tfc.slice(x, [i], [1])), flat(tfc.slice(y, [i], [1]))];
      if (JSON.stringify(xi) === JSON.stringify(yi)) return 'same';
      expect(yi).toEqual(xi.map((v) => 255 - v));
      return 'inverted';
    }));
    expect(kinds).toEqual(new Set(['same', 'inverted']));
  });

  test('RandomGrayscale: grey images have equal channels, each the luma 0.2989 R + 0.587 G + 0.114 B', () => {
    const x = batch([10, 3, 4, 3]);
    const xv = flat(x);
    const luma = Array.from({ length: xv.length / 3 }, (_, p) => 0.2989 * xv[3 * p] + 0.587 * xv[3 * p + 1] + 0.114 * xv[3 * p + 2]);
    expectClose(train(new L.RandomGrayscale(1), x), luma.flatMap((v) => [v, v, v]), 1e-3);
    expect(flat(train(new L.RandomGrayscale(0), x))).toEqual(xv);
    const y = flat(train(new L.RandomGrayscale(0.5, { seed: 1 }), x));
    const grey = Array.from({ length: 10 }, (_, i) => y.slice(36 * i, 36 * (i + 1)).every((v, j) => Math.abs(v - luma[12 * i + Math.floor(j / 3)]) < 1e-3));
    const same = Array.from({ length: 10 }, (_, i) => y.slice(36 * i, 36 * (i + 1)).every((v, j) => v === xv[36 * i + j]));
    expect(grey.map((g, i) => g !== same[i])).toEqual(new Array(10).fill(true));
    expect(new Set(grey)).toEqual(new Set([true, false]));
  });

  test('Solarization: by default 255 - x; with a threshold, the pixels at or above it inverted, those below kept', () => {
    const x = batch([6, 4, 4, 3]);
    expect(flat(train(new L.Solarization(), x))).toEqual(flat(x).map((v) => 255 - v));
    expectClose(train(new L.Solarization(undefined, { valueRange: [0, 1] }), tfc.div(x, 255)), flat(x).map((v) => 1 - v / 255), 1e-5);
    const y = train(new L.Solarization(0, { thresholdFactor: 0.8, seed: 2 }), x);
    for (let i = 0; i < 6; i++) {
      const [xi, yi] = [flat(tfc.slice(x, [i], [1])), flat(tfc.slice(y, [i], [1]))];
      const kept = xi.filter((v, j) => yi[j] === v);
      const inverted = xi.filter((v, j) => yi[j] === 255 - v);
      expect(kept.length + inverted.length).toBe(xi.length);
      if (kept.length && inverted.length) expect(Math.max(...kept)).toBeLessThan(Math.min(...inverted));
    }
  });

  test('AutoContrast stretches each channel to the value range (training and inference); a flat channel stays', () => {
    const x = tfc.tensor4d([10, 5, 20, 5, 30, 5, 40, 5], [1, 2, 2, 2]); // channel 0: 10..40, channel 1 flat
    const expected = [0, 5, 85, 5, 170, 5, 255, 5];
    expectClose(new L.AutoContrast().apply(x) as tfc.Tensor, expected, 1e-3);
    expectClose(train(new L.AutoContrast([0, 1]), tfc.div(x, 100)), [0, 0.05, 1 / 3, 0.05, 2 / 3, 0.05, 1, 0.05], 1e-5);
  });

  test('RandomPosterization keeps the top bits: 4 bits is floor(x / 16) · 16; a range gives one bit count per image', () => {
    const x = batch([6, 4, 4, 3]);
    expect(flat(train(new L.RandomPosterization([4, 4]), x))).toEqual(flat(x).map((v) => Math.floor(v / 16) * 16));
    const y = train(new L.RandomPosterization([2, 6], { seed: 1 }), x);
    for (let i = 0; i < 6; i++) {
      const [xi, yi] = [flat(tfc.slice(x, [i], [1])), flat(tfc.slice(y, [i], [1]))];
      const bits = [2, 3, 4, 5].filter((b) => xi.every((v, j) => yi[j] === Math.floor(v / 2 ** (8 - b)) * 2 ** (8 - b)));
      expect(bits.length).toBe(1);
    }
  });

  test('the layers leave no tensors behind (training and inference, every layer)', () => {
    const x = batch([2, 6, 7, 3]);
    const layers = [...RANDOM.map(([, make]) => make(1)), new L.Resizing(4, 5), new L.CenterCrop(4, 4), new L.AutoContrast(), new L.RandomCrop(4, 4, { seed: 1 })];
    for (const layer of layers) {
      layer.apply(x, { training: true }).dispose(); // builds
      const before = tfc.memory().numTensors;
      (layer.apply(x, { training: true }) as tfc.Tensor).dispose();
      (layer.apply(x) as tfc.Tensor).dispose();
      expect(tfc.memory().numTensors).toBe(before);
    }
    x.dispose();
  });

  test('bad options are refused with the fix', () => {
    expect(() => new L.RandomRotation(1.5)).toThrow(/factor.*help/);
    expect(() => new L.RandomZoom(-1)).toThrow(/heightFactor.*\(-1, 1\].*help/);
    expect(() => new L.RandomTranslation(0.1, 0.1, { fillMode: 'mirror' as never })).toThrow(/fillMode.*help/);
    expect(() => new L.RandomFlip('diagonal' as never)).toThrow(/mode.*help/);
    expect(() => new L.Resizing(4, 4, { cropToAspectRatio: true, padToAspectRatio: true })).toThrow(/help/);
    expect(() => new L.RandomContrast(0.2, { dataFormat: 'channels_first' })).toThrow(/channels_first.*help/);
    expect(() => new L.RandomFlip().apply(tfc.zeros([4, 4]))).toThrow(/help/);
    expect(() => new L.RandomPosterization(9)).toThrow(/factor.*\[1, 8\].*help/);
    expect(() => new L.RandomGrayscale(1.5)).toThrow(/factor.*help/);
    expect(() => new L.Solarization(-0.1)).toThrow(/additionFactor.*help/);
    expect(() => new L.AutoContrast([0] as never)).toThrow(/valueRange.*help/);
  });

  test('a model config as Keras 3 writes it (snake_case, data_format, factors as [lower, upper]) loads', () => {
    const policy = { module: 'keras', class_name: 'DTypePolicy', config: { name: 'float32' }, registered_name: null };
    const layer = (class_name: string, name: string, config: Record<string, unknown>) => ({
      module: 'keras.layers', class_name, registered_name: null, config: { name, trainable: true, dtype: policy, ...config },
    });
    const config = {
      module: 'keras', class_name: 'Sequential', registered_name: null,
      config: {
        name: 'sequential', trainable: true, dtype: policy,
        layers: [
          { module: 'keras.layers', class_name: 'InputLayer', registered_name: null, config: { batch_shape: [null, 12, 10, 3], dtype: 'float32', sparse: false, name: 'input_layer' } },
          layer('Resizing', 'resizing', { height: 8, width: 8, interpolation: 'bilinear', crop_to_aspect_ratio: true, pad_to_aspect_ratio: false, fill_mode: 'constant', fill_value: 0.0, antialias: false, data_format: 'channels_last' }),
          layer('RandomFlip', 'random_flip', { seed: 3, mode: 'horizontal', data_format: 'channels_last' }),
          layer('RandomRotation', 'random_rotation', { factor: [-0.1, 0.1], data_format: 'channels_last', fill_mode: 'reflect', fill_value: 0.0, interpolation: 'bilinear', seed: null }),
          layer('RandomZoom', 'random_zoom', { height_factor: 0.2, width_factor: null, fill_mode: 'constant', interpolation: 'nearest', seed: 1, fill_value: 0.0, data_format: 'channels_last' }),
          layer('RandomContrast', 'random_contrast', { factor: [0, 0.2], value_range: [0, 255], seed: null, data_format: 'channels_last' }),
          layer('RandomCrop', 'random_crop', { height: 6, width: 6, seed: 1234, data_format: 'channels_last' }),
        ],
      },
    };
    const model = k.models.modelFromJson(config);
    expect(model.outputShape).toEqual([null, 6, 6, 3]);
    const zoom = model.getLayer('random_zoom') as k.layers.RandomZoom;
    expect([zoom.heightFactor, zoom.widthFactor, zoom.fillMode, zoom.interpolation, zoom.seed]).toEqual([0.2, undefined, 'constant', 'nearest', 1]);
    expect((model.getLayer('random_rotation') as k.layers.RandomRotation).factor).toEqual([-0.1, 0.1]);
    const x = tfc.ones([2, 12, 10, 3]);
    expect((model.predict(x) as tfc.Tensor).shape).toEqual([2, 6, 6, 3]);
    x.dispose();
  });

  test('a model with augmentation layers trains with fit and predicts deterministically', async () => {
    const model = new k.Sequential([
      new L.InputLayer({ shape: [10, 10, 1] }),
      new L.RandomFlip('horizontal', { seed: 1 }),
      new L.RandomRotation(0.05, { seed: 2 }),
      new L.RandomZoom(0.1, { seed: 3 }),
      new L.RandomTranslation(0.1, 0.1, { seed: 4 }),
      new L.RandomContrast(0.2, { seed: 5, valueRange: [0, 1] }),
      new L.RandomBrightness(0.1, { seed: 6, valueRange: [0, 1] }),
      new L.RandomCrop(8, 8, { seed: 7 }),
      new L.Conv2D({ filters: 4, kernelSize: 3, activation: 'relu' }),
      new L.Flatten(),
      new L.Dense({ units: 2, activation: 'softmax' }),
    ]);
    model.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
    const x = tfc.randomUniform([32, 10, 10, 1], 0, 1, 'float32', 1);
    const y = tfc.tensor1d(Array.from({ length: 32 }, (_, i) => i % 2), 'float32');
    const history = await model.fit(x, y, { epochs: 2, batchSize: 8, verbose: 0 });
    expect(history.history.loss.every((v) => Number.isFinite(v as number))).toBe(true);
    expect(flat(model.predict(x) as tfc.Tensor)).toEqual(flat(model.predict(x) as tfc.Tensor));
    expect(model.outputShape).toEqual([null, 2]);
    // Saved and loaded as a .keras file: the same layers, configs and predictions.
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'augment-')), 'augment.keras');
    await model.save(file);
    const loaded = await k.models.loadModel(file);
    expect(loaded.layers.map((l) => l.getConfig())).toEqual(model.layers.map((l) => l.getConfig()));
    expectClose(loaded.predict(x) as tfc.Tensor, flat(model.predict(x) as tfc.Tensor), 1e-6);
    tfc.dispose([x, y]);
  });
});
