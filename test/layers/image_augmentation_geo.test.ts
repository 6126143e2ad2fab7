/**
 * The geometric and erasing augmentation layers (RandomShear, RandomPerspective, RandomElasticTransform,
 * RandomErasing, RandomGaussianBlur) and the ops under them (ops/homography.ts,
 * ops/displacement_transform.ts, ops/gaussian_blur.ts): values against NumPy references
 * (test/reference/geo_augment_reference.py, written from Keras 3's NumPy backend), inference identity,
 * training invariants, seeding, one image and batches, configs, .keras/.h5 save and load, leaks.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tfc from '@tensorflow/tfjs-core';
import * as k from '../../src';
import { displacementTransform } from '../../src/ops/displacement_transform';
import { gaussianBlur, gaussianKernel1d } from '../../src/ops/gaussian_blur';
import { homography, Quad } from '../../src/ops/homography';
import { expectClose, flat, testedBackends } from '../helpers';

const L = k.layers;

// From `python3 test/reference/geo_augment_reference.py`.
const REF: Record<string, number[]> = {
  shear_x_pos: [127.500000, 204.806122, 245.753968, 231.085124, 167.698578, 85.406013, 22.910907, 9.605686, 51.748003, 129.517668, 206.338392, 246.080188, 186.093060, 122.635215, 61.465355, 31.352620, 46.459500, 99.680994, 165.986201, 214.190746, 221.623279, 184.788163, 163.874203, 81.651430, 41.348819, 84.300385, 147.569405, 201.399470, 220.473460, 195.820578, 139.035461, 76.825037, 38.447839, 41.953264, 10.884187, 56.537096, 235.728132, 225.181389, 168.693562, 92.831759, 33.274972, 18.033687, 54.276120, 124.956888, 196.833721, 236.101822, 212.240335, 247.049031, 63.274778, 26.638178, 37.438469, 90.596105, 161.110219, 215.816923, 228.986797, 194.425845, 156.106425, 74.301992, 174.326518, 104.332956],
  shear_x_neg: [127.500000, 204.806122, 245.753968, 231.085124, 167.698578, 85.406013, 22.910907, 9.605686, 51.748003, 129.517668, 206.338392, 246.080188, 230.051869, 165.791803, 127.481314, 65.093097, 32.055822, 43.907435, 95.073938, 161.490924, 211.921448, 222.647245, 188.623807, 125.852887, 20.991956, 10.424879, 34.563198, 59.675217, 116.686291, 178.783221, 216.760851, 212.757708, 168.656533, 105.198797, 52.229665, 34.661348, 135.564969, 210.799760, 146.694209, 212.397719, 238.172505, 211.896283, 145.927170, 71.291471, 23.091522, 23.996511, 73.580809, 148.524144, 195.729176, 130.117504, 225.631951, 158.061880, 106.020854, 46.284375, 24.744874, 51.532714, 114.049156, 182.891740, 225.682723, 222.296837],
  shear_y_pos: [17.517414, 12.459365, 61.506724, 141.591752, 215.049208, 247.330905, 223.254254, 154.142881, 64.913880, 145.590633, 217.759079, 247.477270, 143.593467, 216.416713, 247.421040, 222.024627, 152.171806, 70.715448, 15.965753, 13.672357, 247.499579, 219.485555, 148.209287, 67.193118, 220.768276, 150.193754, 68.946006, 15.237116, 14.327214, 66.644242, 147.582684, 219.075926, 65.457281, 13.875257, 15.732725, 70.156089, 14.540218, 15.014068, 68.391810, 149.569057, 220.366882, 247.487961, 218.176827, 146.218965, 71.936582, 153.522525, 222.869668, 247.362966, 151.549191, 221.631582, 247.442419, 216.842463, 144.223350, 63.738984, 13.242421, 16.482982, 50.000000, 50.000000, 50.000000, 50.000000],
  shear_y_neg: [17.517414, 12.459365, 61.506724, 141.591752, 215.049208, 247.330905, 223.254254, 154.142881, 50.000000, 50.000000, 50.000000, 50.000000, 143.593467, 216.416713, 247.421040, 222.024627, 152.171806, 70.715448, 15.965753, 13.672357, 72.500945, 16.725924, 13.049682, 63.201212, 220.768276, 150.193754, 68.946006, 15.237116, 14.327214, 66.644242, 147.582684, 219.075926, 64.913880, 145.590633, 217.759079, 247.477270, 14.540218, 15.014068, 68.391810, 149.569057, 220.366882, 247.487961, 218.176827, 146.218965, 247.499579, 219.485555, 148.209287, 67.193118, 151.549191, 221.631582, 247.442419, 216.842463, 144.223350, 63.738984, 13.242421, 16.482982, 65.457281, 13.875257, 15.732725, 70.156089],
  displace_wrap: [225.870671, 162.684465, 70.794268, 49.021037, 82.313597, 106.991437, 74.771651, 143.065320, 180.772089, 176.322650, 171.832223, 127.607214, 218.813073, 182.333403, 137.519720, 72.577314, 63.672316, 75.598324, 164.179706, 189.855584, 183.096731, 150.472652, 68.877805, 66.604423, 178.269836, 228.605019, 142.294669, 211.081946, 185.201375, 197.692216, 169.126800, 180.244805, 201.589547, 186.208481, 178.621302, 159.183933, 27.818264, 67.875392, 32.312935, 42.849731, 156.762237, 193.691971, 119.241728, 84.322534, 123.835856, 183.855470, 180.947198, 179.913945, 216.085276, 191.960528, 126.287194, 65.067105, 44.014917, 64.812192, 147.100245, 170.577011, 171.035737, 109.021142, 191.393095, 173.188849, 168.573572, 188.756360, 229.690021, 190.866301, 168.925736, 102.871491, 129.736836, 93.026453, 159.880789, 112.597517, 91.630363, 60.717213, 176.586206, 149.205966, 194.124095, 125.365342, 106.503954, 49.582009, 42.539232, 66.930070, 89.712933, 120.028660, 152.595926, 197.657314, 177.240647, 184.611264, 188.870570, 142.919616, 46.072014, 27.727534, 96.529309, 160.566428, 183.972658, 171.130351, 167.177949, 109.104587, 158.881495, 175.326909, 141.493825, 87.809052, 30.523273, 23.522691, 49.274953, 89.675241, 81.849172, 117.902226, 60.608042, 90.073452, 143.119917, 182.226331, 53.730099, 74.064724, 60.330008, 123.447906, 169.009164, 213.779944, 181.060629, 146.439567, 73.139328, 94.704219],
  displace_constant: [225.870671, 162.684465, 70.794268, 49.021037, 82.313597, 106.991437, 74.771651, 143.065320, 92.763266, 109.515776, 10.000000, 10.000000, 218.369635, 182.119920, 137.519720, 72.577314, 63.672316, 75.598324, 164.179706, 189.855584, 183.096731, 150.472652, 68.877805, 66.604423, 59.055512, 88.307238, 142.294669, 211.081946, 185.201375, 197.692216, 169.126800, 180.244805, 201.589547, 186.208481, 178.621302, 159.183933, 10.000000, 10.000000, 32.312935, 42.849731, 156.762237, 193.691971, 119.241728, 84.322534, 123.835856, 183.855470, 47.239171, 42.401419, 18.498198, 11.620240, 10.000000, 10.000000, 22.508577, 25.440638, 91.837178, 75.484241, 115.328630, 56.355530, 26.370183, 22.476251, 17.242640, 26.846872, 10.153244, 10.295610, 13.910466, 14.921784, 69.021598, 67.314694, 158.177215, 108.925209, 91.630363, 60.717213, 10.000000, 10.000000, 144.370455, 102.549782, 106.503954, 49.582009, 42.539232, 66.930070, 89.712933, 120.028660, 152.595926, 197.657314, 177.240647, 184.611264, 188.870570, 142.919616, 46.072014, 27.727534, 96.529309, 160.566428, 136.123369, 121.194851, 10.000000, 10.000000, 158.881495, 175.326909, 141.493825, 87.809052, 28.182206, 21.814451, 49.274953, 89.675241, 81.849172, 117.902226, 60.608042, 90.073452, 46.009101, 63.648569, 53.730099, 74.064724, 60.330008, 123.447906, 169.009164, 213.779944, 181.060629, 146.439567, 73.139328, 94.704219],
  blur_3x5_sigma_06_09: [97.065571, 106.405201, 120.563899, 107.288956, 86.873651, 68.919618, 61.870922, 69.042673, 87.061885, 107.453841, 101.914965, 106.381334, 115.189224, 106.561658, 119.725126, 110.457836, 106.947628, 110.845408, 120.317988, 130.910266, 137.640529, 137.343428, 112.595982, 102.669987, 92.906929, 93.877579, 119.045993, 128.204779, 137.032097, 141.376320, 139.194293, 131.512258, 121.943194, 114.987584, 92.487561, 95.790759, 109.522977, 116.689207, 138.400027, 133.878554, 124.099033, 113.660925, 107.473437, 108.446640, 116.122821, 126.891753, 112.747588, 117.700542, 105.030132, 92.169768, 94.314182, 74.368451, 62.765384, 64.962085, 79.925412, 100.617877, 117.307492, 122.144869, 101.701866, 85.254164, 48.595967, 61.556698, 90.090142, 109.999660, 121.493928, 119.167012, 104.113297, 83.412781, 66.801239, 62.091339, 51.967020, 68.491395, 105.079430, 114.278777, 138.067432, 136.684105, 128.723236, 117.928946, 109.377957, 107.091934, 112.146029, 122.163222, 108.831535, 116.380665, 114.733837, 105.717723, 120.679715, 114.423781, 114.317797, 120.411609, 129.839202, 138.166632, 141.477378, 138.214345, 111.723389, 102.274055, 86.771861, 91.146479, 117.598115, 128.399894, 136.520324, 138.140241, 132.497772, 122.246658, 112.208159, 107.103537, 87.552053, 94.229112, 74.329356, 94.071797, 118.862116, 121.644070, 110.534227, 90.757718, 71.615745, 62.111077, 66.713908, 83.259454, 81.877774, 99.627944],
  blur_5x3_sigma_07: [103.572717, 116.729925, 137.316401, 123.690350, 100.016332, 75.931915, 63.540817, 68.670764, 87.580729, 113.789509, 105.065974, 117.027187, 117.634845, 99.872490, 116.059106, 102.002131, 100.945570, 110.736671, 128.411827, 145.658137, 153.510331, 149.618801, 116.510414, 98.442853, 72.879531, 76.692934, 109.743683, 127.801203, 145.994247, 154.422943, 150.189357, 135.284613, 115.463866, 101.705405, 72.707789, 77.476431, 110.780627, 124.582467, 153.655174, 148.958019, 134.846724, 116.301772, 103.023521, 101.256941, 110.263097, 128.443853, 112.083425, 125.198382, 111.001902, 89.947146, 96.566578, 72.795556, 63.271372, 69.899985, 91.058826, 116.796564, 134.455767, 136.740722, 109.864322, 88.027265, 42.438669, 57.939890, 91.671565, 117.649112, 135.630944, 136.685997, 120.860775, 95.598126, 71.531910, 61.624326, 43.043340, 59.621971, 112.458786, 125.365879, 153.774985, 147.860180, 133.075645, 114.667112, 102.294086, 101.775796, 111.803226, 130.282408, 113.718941, 125.893632, 114.637837, 96.186893, 112.724982, 100.483231, 101.923789, 113.747049, 132.038538, 148.195481, 153.787521, 147.454902, 113.404980, 94.776621, 72.587456, 78.843095, 112.842987, 131.471796, 148.487227, 154.616390, 147.992291, 131.730347, 112.168123, 100.265856, 72.607718, 79.780018, 85.654614, 108.365248, 136.037154, 135.412239, 118.926558, 93.385565, 71.329165, 63.130830, 71.136403, 94.158824, 87.603186, 109.603835],
  homography: [0.998413, -0.000000, 0.000000, 0.000000, 0.921612, 0.000000, 0.039683, -0.007692],
};

const H = 5;
const W = 6;
const C = 2;
const seq = (n: number): number[] => Array.from({ length: n }, (_, i) => 127.5 + 120 * Math.sin(0.7 * i));
/** The reference script's two images [2, 5, 6, 2], values in [7.5, 247.5]. */
const images = (): tfc.Tensor4D => tfc.tensor4d(seq(2 * H * W * C), [2, H, W, C]);
const train = (layer: k.Layer, x: tfc.Tensor): tfc.Tensor => layer.apply(x, { training: true }) as tfc.Tensor;
const imageOf = (x: tfc.Tensor, i: number): number[] => tfc.tidy(() => flat(tfc.slice(x, [i], [1])));

/** One instance of each new layer, with its seed. */
const LAYERS: Array<[string, (seed?: number) => k.Layer]> = [
  ['RandomShear', (seed) => new L.RandomShear(0.3, { yFactor: 0.2, seed })],
  ['RandomPerspective', (seed) => new L.RandomPerspective(1, { scale: 0.6, seed })],
  ['RandomElasticTransform', (seed) => new L.RandomElasticTransform({ factor: [1, 1], scale: [0.5, 1], seed })],
  ['RandomErasing', (seed) => new L.RandomErasing({ factor: [1, 1], scale: [0.1, 0.4], seed })],
  ['RandomGaussianBlur', (seed) => new L.RandomGaussianBlur({ factor: [1, 1], kernelSize: 5, sigma: [0.5, 1], seed })],
];

describe.each(testedBackends())('ops on %s', (backend) => {
  beforeAll(async () => {
    await k.setBackend(backend);
  });

  test('gaussianBlur: a 3 x 5 kernel (x, y) with sigmas 0.6 and 0.9, zeros beyond the edges', () => {
    const before = tfc.memory().numTensors;
    const x = images();
    const out = gaussianBlur(x, [3, 5], [0.6, 0.9]);
    expectClose(out, REF.blur_3x5_sigma_06_09, 1e-3);
    tfc.dispose([x, out]);
    expect(tfc.memory().numTensors).toBe(before);
  });

  test.each(['wrap', 'constant'] as const)('displacementTransform, bilinear, fillMode %s', (fillMode) => {
    const before = tfc.memory().numTensors;
    const x = images();
    const dx = Array.from({ length: 2 * H * W }, (_, p) => 1.7 * 0.8 * Math.sin(0.3 * p));
    const dy = Array.from({ length: 2 * H * W }, (_, p) => 1.7 * 0.6 * Math.cos(0.5 * p));
    const out = displacementTransform(x, dx, dy, { fillMode, fillValue: 10 });
    expectClose(out, REF[`displace_${fillMode}`], 1e-3);
    // One image reads its own rows of the field; a zero field is the identity.
    const one = tfc.tidy(() => displacementTransform(tfc.slice(x, [1], [1]).squeeze([0]), dx.slice(H * W), dy.slice(H * W), { fillMode, fillValue: 10 }));
    expectClose(one, REF[`displace_${fillMode}`].slice(H * W * C), 1e-3);
    const zero = displacementTransform(x, new Float32Array(2 * H * W), new Float32Array(2 * H * W), { fillMode });
    expect(flat(zero)).toEqual(flat(x));
    tfc.dispose([x, out, one, zero]);
    expect(tfc.memory().numTensors).toBe(before);
  });
});

describe('ops', () => {
  test('gaussianKernel1d is normalised and symmetric; by hand for 3 taps, sigma 1', () => {
    const e = Math.exp(-0.5);
    expectClose(gaussianKernel1d(3, 1), [e / (1 + 2 * e), 1 / (1 + 2 * e), e / (1 + 2 * e)], 1e-12);
    expect(gaussianKernel1d(7, 2).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
  });

  test('homography equals NumPy\'s solve of Keras\'s system, and maps each end point to its start point', () => {
    const start: Quad = [[0, 0], [W - 1, 0], [0, H - 1], [W - 1, H - 1]];
    const u = [[0.1, -0.2], [0.25, -0.15], [-0.3, 0.05], [0.2, 0.3]];
    const end = start.map(([x, y], i) => [x + x * u[i][0], y + y * u[i][1]]) as Quad;
    const m = homography(start, end);
    expectClose(m, REF.homography, 1e-6);
    end.forEach(([x, y], i) => {
      const kk = m[6] * x + m[7] * y + 1;
      expectClose([(m[0] * x + m[1] * y + m[2]) / kk, (m[3] * x + m[4] * y + m[5]) / kk], start[i], 1e-9);
    });
    expect(() => homography(start, [[0, 0], [1, 1], [2, 2], [3, 3]])).toThrow(/degenerate.*help/);
  });

  test('bad inputs to the ops are refused with the fix', () => {
    const x = tfc.zeros([1, 3, 3, 1]) as tfc.Tensor4D;
    expect(() => displacementTransform(x, [0], [0])).toThrow(/9 numbers.*help/);
    expect(() => displacementTransform(tfc.zeros([3, 3]), [], [])).toThrow(/help/);
    expect(() => gaussianBlur(x, [2, 3], [1, 1])).toThrow(/odd.*help/);
    x.dispose();
  });
});

describe.each(testedBackends())('layers on %s', (backend) => {
  test('every new layer gives on this backend what it gives on cpu (the same seed, the same draws)', async () => {
    const run = (): number[][] => {
      const x = images();
      const out = LAYERS.map(([, make]) => tfc.tidy(() => flat(train(make(3), x))));
      x.dispose();
      return out;
    };
    await k.setBackend('cpu');
    const expected = run();
    await k.setBackend(backend);
    run().forEach((values, i) => expectClose(values, expected[i], 1e-2));
  });
});

describe('the layers (cpu)', () => {
  beforeAll(async () => {
    await k.setBackend('cpu');
  });

  test.each(LAYERS)('%s is the identity in inference, on a batch and on one image, as float32', (_name, make) => {
    const layer = make(1);
    const before = tfc.memory().numTensors;
    const x = tfc.tidy(() => tfc.cast(images(), 'int32'));
    const y = layer.apply(x, { training: false }) as tfc.Tensor;
    expect(y.dtype).toBe('float32');
    expect(flat(y)).toEqual(flat(x));
    const one = tfc.tidy(() => layer.apply(tfc.slice(x, [1], [1]).squeeze([0]), { training: false }) as tfc.Tensor);
    expect(one.shape).toEqual([H, W, C]);
    expect(flat(one)).toEqual(imageOf(x, 1));
    tfc.dispose([x, y, one]);
    expect(tfc.memory().numTensors).toBe(before);
  });

  test.each(LAYERS)('%s with a seed: a new draw at each call, the same sequence from a second layer; one image; no leaks', (_name, make) => {
    const x = tfc.tile(images(), [2, 1, 1, 1]);
    const run = (layer: k.Layer): number[][] => [0, 1, 2].map(() => tfc.tidy(() => flat(train(layer, x))));
    const first = run(make(7)); // builds nothing: these layers have no weights
    const before = tfc.memory().numTensors;
    const again = run(make(7));
    expect(tfc.memory().numTensors).toBe(before);
    expect(again).toEqual(first);
    expect(first[1]).not.toEqual(first[0]);
    expect(first[2]).not.toEqual(first[1]);
    expect(first[0]).not.toEqual(flat(x));
    k.utils.setRandomSeed(99); // the global seed does not move a seeded layer
    expect(run(make(7))).toEqual(first);
    const one = tfc.tidy(() => train(make(7), tfc.slice(x, [0], [1]).squeeze([0])));
    expect(one.shape).toEqual([H, W, C]);
    one.dispose();
    x.dispose();
  });

  test('zero shear, zero perspective, zero elastic distortion, zero erasing and zero blur probability are the identity', () => {
    const x = images();
    const identities = [
      new L.RandomShear(0, { seed: 1 }), new L.RandomShear({ xFactor: [0, 0], yFactor: 0, seed: 2 }),
      new L.RandomPerspective(0, { seed: 3 }), new L.RandomPerspective(1, { scale: 0, seed: 4 }),
      new L.RandomElasticTransform(0, { seed: 5 }), new L.RandomElasticTransform(1, { scale: 0, seed: 6 }),
      new L.RandomErasing(1, { scale: 0, seed: 7 }), new L.RandomErasing(0, { seed: 8 }), new L.RandomGaussianBlur(0, { seed: 9 }),
    ];
    for (const layer of identities) {
      const y = train(layer, x);
      expect([layer.name, flat(y)]).toEqual([layer.name, flat(x)]);
      y.dispose();
    }
    x.dispose();
  });

  test('RandomShear by a known factor: each image is the NumPy reference sheared by +f or -f, both signs occur', () => {
    const cases: Array<[k.Layer, number, string]> = [
      [new L.RandomShear({ xFactor: [0.3, 0.3], seed: 4 }), 0, 'shear_x'],
      [new L.RandomShear({ yFactor: [0.15, 0.15], interpolation: 'nearest', fillMode: 'constant', fillValue: 50, seed: 5 }), 1, 'shear_y'],
    ];
    for (const [layer, which, ref] of cases) {
      const x = tfc.tidy(() => tfc.tile(tfc.slice(images(), [which], [1]), [8, 1, 1, 1]));
      const y = train(layer, x);
      const signs = Array.from({ length: 8 }, (_, i) => {
        const got = imageOf(y, i);
        const pos = got.every((v, j) => Math.abs(v - REF[`${ref}_pos`][j]) < 1e-3);
        if (!pos) expectClose(got, REF[`${ref}_neg`], 1e-3);
        return pos ? '+' : '-';
      });
      expect(new Set(signs)).toEqual(new Set(['+', '-']));
      tfc.dispose([x, y]);
    }
  });

  test('RandomPerspective keeps the top-left pixel (that corner does not move) and fills the uncovered part with fillValue', () => {
    const x = tfc.tile(images(), [4, 1, 1, 1]);
    const y = train(new L.RandomPerspective(1, { scale: 1, seed: 2 }), x); // factor 1: p drawn in [0, 1]
    const ident = flat(x);
    let warped = 0;
    for (let i = 0; i < 8; i++) {
      const got = imageOf(y, i);
      expectClose(got.slice(0, C), ident.slice(i * H * W * C, i * H * W * C + C), 1e-3);
      if (JSON.stringify(got) !== JSON.stringify(ident.slice(i * H * W * C, (i + 1) * H * W * C))) warped++;
    }
    expect(warped).toBeGreaterThan(0);
    // A constant image stays that constant where covered; uncovered pixels are the fill value.
    const flatImage = tfc.fill([6, 9, 11, 1], 100);
    const z = flat(train(new L.RandomPerspective([1, 1], { scale: 1, fillValue: 100, seed: 3 }), flatImage));
    expectClose(z, new Array(6 * 9 * 11).fill(100), 1e-3);
    const w = flat(train(new L.RandomPerspective([1, 1], { scale: 1, fillValue: 0, interpolation: 'nearest', seed: 3 }), flatImage));
    expect(new Set(w)).toEqual(new Set([0, 100]));
    tfc.dispose([x, y, flatImage]);
  });

  test('RandomErasing changes the pixels of one rectangle per image, of √scale of each side, to the fill value', () => {
    const n = 12;
    const x = tfc.tidy(() => tfc.tile(images(), [n / 2, 1, 1, 1]));
    const a = 0.2;
    const y = train(new L.RandomErasing({ factor: [1, 1], scale: [a, a], fillValue: 3, seed: 5 }), x);
    for (let i = 0; i < n; i++) {
      const xi = imageOf(x, i);
      const yi = imageOf(y, i);
      const changed = [];
      for (let p = 0; p < H * W; p++) {
        const px = [0, 1].map((ch) => yi[p * C + ch]);
        if (px.some((v, ch) => v !== xi[p * C + ch])) changed.push(p);
        if (changed.at(-1) === p) expect(px).toEqual([3, 3]);
      }
      const rows = changed.map((p) => Math.floor(p / W));
      const cols = changed.map((p) => p % W);
      const [r0, r1, c0, c1] = [Math.min(...rows), Math.max(...rows), Math.min(...cols), Math.max(...cols)];
      expect(changed.length).toBe((r1 - r0 + 1) * (c1 - c0 + 1)); // the changed pixels fill their bounding box
      expect([Math.floor(Math.sqrt(a) * H), Math.ceil(Math.sqrt(a) * H)]).toContain(r1 - r0 + 1);
      expect([Math.floor(Math.sqrt(a) * W), Math.ceil(Math.sqrt(a) * W)]).toContain(c1 - c0 + 1);
    }
    // Per-channel fill values, clipped to valueRange; noise (fillValue null) stays within it.
    const z = train(new L.RandomErasing({ factor: [1, 1], scale: [0.5, 0.5], fillValue: [-9, 300], seed: 6 }), x);
    const changedValues = flat(z).filter((v, j) => v !== flat(x)[j]);
    expect(new Set(changedValues)).toEqual(new Set([0, 255]));
    const noise = flat(train(new L.RandomErasing({ factor: [1, 1], scale: [0.5, 0.5], valueRange: [0, 1], seed: 7 }), tfc.fill([2, 8, 8, 3], 0.5)));
    expect(noise.every((v) => v >= 0 && v <= 1)).toBe(true);
    expect(new Set(noise).size).toBeGreaterThan(10);
    tfc.dispose([x, y, z]);
  });

  test('RandomGaussianBlur: the NumPy reference for a 5 x 3 kernel, sigma 0.7; a constant image stays constant away from the zero-padded border', () => {
    const x = images();
    const y = train(new L.RandomGaussianBlur({ factor: [1, 1], kernelSize: [5, 3], sigma: [0.7, 0.7], seed: 1 }), x);
    expectClose(y, REF.blur_5x3_sigma_07, 1e-3);
    const c = tfc.fill([3, 9, 10, 2], 80);
    const b = train(new L.RandomGaussianBlur({ factor: [1, 1], kernelSize: 5, sigma: 1, seed: 2 }), c);
    const inner = tfc.tidy(() => flat(tfc.slice(b, [0, 2, 2, 0], [3, 5, 6, 2])));
    expectClose(inner, new Array(inner.length).fill(80), 1e-3);
    const corner = tfc.tidy(() => flat(tfc.slice(b, [0, 0, 0, 0], [3, 1, 1, 2])));
    expect(corner.every((v) => v < 80)).toBe(true); // Keras pads with zeros
    tfc.dispose([x, y, c, b]);
  });

  test('RandomElasticTransform: a constant image stays constant, values stay within valueRange, images change', () => {
    const c = tfc.fill([2, 12, 10, 3], 42);
    const y = train(new L.RandomElasticTransform({ factor: [1, 1], seed: 3 }), c);
    expectClose(y, new Array(2 * 12 * 10 * 3).fill(42), 1e-3);
    const x = tfc.tidy(() => tfc.mul(tfc.randomUniform([2, 16, 16, 1], 0, 1, 'float32', 4), 2));
    const z = flat(train(new L.RandomElasticTransform({ factor: [1, 1], valueRange: [0, 1], fillMode: 'constant', fillValue: 5, seed: 4 }), x));
    expect(z.every((v) => v >= 0 && v <= 1)).toBe(true);
    const w = train(new L.RandomElasticTransform({ factor: [1, 1], valueRange: [0, 2], seed: 5 }), x);
    expect(flat(w)).not.toEqual(flat(x));
    tfc.dispose([c, y, x, w]);
  });

  test('RandomElasticTransform\'s field is Keras\'s: read back from ramp images, its spread is α·σ·Σk² (σ = 0.05·d·min, α = 0.1·d·max)', () => {
    // Channel 0 is x and channel 1 is y, so (bilinear reads a ramp exactly) output - input is the field (dx, dy).
    const [n, s, d] = [8, 64, 0.5];
    const ramp = tfc.tidy(() => tfc.tile(tfc.stack([tfc.tile(tfc.range(0, s).reshape([1, s]), [s, 1]), tfc.tile(tfc.range(0, s).reshape([s, 1]), [1, s])], 2).expandDims(0), [n, 1, 1, 1]));
    const out = train(new L.RandomElasticTransform({ factor: [1, 1], scale: [d, d], fillMode: 'nearest', valueRange: [-100, 100], seed: 11 }), ramp);
    const field = tfc.tidy(() => flat(tfc.slice(tfc.sub(out, ramp), [0, 8, 8, 0], [n, s - 16, s - 16, 2]))); // away from the zero-padded border
    const sigma = 0.05 * d * s;
    const alpha = 0.1 * d * s;
    const size = Math.floor(6 * sigma) | 1; // 9
    const taps = Array.from({ length: size }, (_, i) => Math.exp(-0.5 * ((i - (size - 1) / 2) / sigma) ** 2));
    const total = taps.reduce((a, b) => a + b, 0);
    const expected = alpha * sigma * taps.reduce((a, t) => a + (t / total) ** 2, 0); // the std of blurred N(0, σ²) noise, times α
    const std = Math.sqrt(field.reduce((a, v) => a + v * v, 0) / field.length);
    expect(std / expected).toBeGreaterThan(0.93);
    expect(std / expected).toBeLessThan(1.07);
    tfc.dispose([ramp, out]);
  });

  test('bad options are refused with the fix', () => {
    expect(() => new L.RandomShear(1.5)).toThrow(/xFactor.*help/);
    expect(() => new L.RandomShear(-0.2)).toThrow(/xFactor.*help/);
    expect(() => new L.RandomShear(0.1, { fillMode: 'mirror' as never })).toThrow(/fillMode.*help/);
    expect(() => new L.RandomPerspective(1, { scale: 2 })).toThrow(/scale.*\[0, 1\].*help/);
    expect(() => new L.RandomPerspective(1, { interpolation: 'bicubic' as never })).toThrow(/interpolation.*help/);
    expect(() => new L.RandomElasticTransform(1, { scale: 3 })).toThrow(/scale.*help/);
    expect(() => new L.RandomErasing(2)).toThrow(/factor.*help/);
    expect(() => new L.RandomErasing(1, { fillValue: 'x' as never })).toThrow(/fillValue.*help/);
    expect(() => new L.RandomErasing(1, { fillValue: [1, 2, 3] }).apply(tfc.zeros([1, 4, 4, 2]), { training: true })).toThrow(/3 values.*2 channels.*help/);
    expect(() => new L.RandomGaussianBlur(1, { kernelSize: 4 })).toThrow(/kernelSize.*odd.*help/);
    expect(() => new L.RandomGaussianBlur(1, { sigma: 2 })).toThrow(/sigma.*help/);
    expect(() => new L.RandomGaussianBlur(1, { dataFormat: 'channels_first' })).toThrow(/channels_first.*help/);
  });

  test('a Keras 3 config (snake_case) of each layer loads', () => {
    const policy = { module: 'keras', class_name: 'DTypePolicy', config: { name: 'float32' }, registered_name: null };
    const layer = (class_name: string, config: Record<string, unknown>) => ({
      module: 'keras.layers', class_name, registered_name: null, config: { name: class_name.toLowerCase(), trainable: true, dtype: policy, data_format: 'channels_last', seed: null, ...config },
    });
    const config = {
      module: 'keras', class_name: 'Sequential', registered_name: null,
      config: {
        name: 'sequential', trainable: true, dtype: policy,
        layers: [
          { module: 'keras.layers', class_name: 'InputLayer', registered_name: null, config: { batch_shape: [null, 8, 8, 3], dtype: 'float32', sparse: false, name: 'input_layer' } },
          layer('RandomShear', { x_factor: [-0.3, 0.3], y_factor: [0.0, 0.0], fill_mode: 'reflect', interpolation: 'bilinear', fill_value: 0.0 }),
          layer('RandomPerspective', { factor: [0.0, 1.0], scale: 0.5, interpolation: 'nearest', fill_value: 0.0 }),
          layer('RandomElasticTransform', { factor: [0.0, 1.0], scale: [0.0, 1.0], interpolation: 'bilinear', fill_mode: 'reflect', fill_value: 0.0, value_range: [0, 255] }),
          layer('RandomErasing', { factor: [0.0, 1.0], scale: [0.02, 0.33], fill_value: null, value_range: [0, 255] }),
          layer('RandomGaussianBlur', { factor: [0.0, 1.0], kernel_size: [3, 3], sigma: [0.0, 1.0], value_range: [0, 255] }),
        ],
      },
    };
    const model = k.models.modelFromJson(config);
    const shear = model.getLayer('randomshear') as k.layers.RandomShear;
    expect([shear.xFactor, shear.yFactor]).toEqual([[-0.3, 0.3], [0, 0]]);
    expect((model.getLayer('randomperspective') as k.layers.RandomPerspective).interpolation).toBe('nearest');
    expect((model.getLayer('randomgaussianblur') as k.layers.RandomGaussianBlur).kernelSize).toEqual([3, 3]);
    expect((model.getLayer('randomerasing') as k.layers.RandomErasing).fillValue).toBeNull();
    const x = tfc.ones([2, 8, 8, 3]);
    expect(flat(model.predict(x) as tfc.Tensor)).toEqual(flat(x));
    x.dispose();
  });

  test('a model with the five layers trains with fit, and saves and loads as .keras and .h5 with its configs', async () => {
    const model = new k.Sequential([
      new L.InputLayer({ shape: [10, 10, 1] }),
      new L.RandomShear(0.2, { yFactor: [0.05, 0.1], seed: 1 }),
      new L.RandomPerspective(0.5, { scale: 0.3, seed: 2 }),
      new L.RandomElasticTransform(0.5, { scale: [0.2, 0.5], valueRange: [0, 1], fillMode: 'nearest', seed: 3 }),
      new L.RandomErasing(0.5, { fillValue: [0.5], valueRange: [0, 1], seed: 4 }),
      new L.RandomGaussianBlur(0.5, { kernelSize: [3, 5], sigma: [0.2, 0.8], valueRange: [0, 1], seed: 5 }),
      new L.Conv2D({ filters: 2, kernelSize: 3, activation: 'relu' }),
      new L.Flatten(),
      new L.Dense({ units: 2, activation: 'softmax' }),
    ]);
    model.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy' });
    const x = tfc.randomUniform([16, 10, 10, 1], 0, 1, 'float32', 1);
    const y = tfc.tensor1d(Array.from({ length: 16 }, (_, i) => i % 2), 'float32');
    const history = await model.fit(x, y, { epochs: 1, batchSize: 8, verbose: 0 });
    expect(history.history.loss.every((v) => Number.isFinite(v as number))).toBe(true);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'augment-geo-'));
    const expected = model.predict(x) as tfc.Tensor;
    for (const file of ['geo.keras', 'geo.h5']) {
      await model.save(path.join(dir, file));
      const loaded = await k.models.loadModel(path.join(dir, file));
      // The .h5 layout (Keras 2's) records the input shape on the first layer as batchInputShape.
      const configs = loaded.layers.map((l) => l.getConfig()).map(({ batchInputShape, ...c }, i) => (i === 0 && file.endsWith('.h5') ? c : { ...c, batchInputShape }));
      expect(configs).toEqual(model.layers.map((l) => l.getConfig()));
      expectClose(loaded.predict(x) as tfc.Tensor, flat(expected), 1e-6);
    }
    tfc.dispose([x, y, expected]);
  });
});
