/**
 * k.ops.image's colour, edge, crop/pad, patch, mapCoordinates, scaleAndTranslate, perspective,
 * elastic and SSIM ops against NumPy values printed by test/reference/image_ops_reference.py (pasted as is), and
 * properties by construction (identity quads, zero-alpha elastic fields, SSIM of an image with
 * itself); errors; leak counts.
 */
import * as tfc from '@tensorflow/tfjs-core';
import * as k from '../../src';
import { expectClose, expectNoLeak, flat, testBackend } from '../helpers';

beforeAll(async () => {
  await k.setBackend(testBackend());
});

const ops = k.ops;
function nd(shape: number[], f: (i: number) => number, offset = 0): number[] | number[][] {
  const inner = shape.slice(1).reduce((a, b) => a * b, 1);
  return Array.from({ length: shape[0] }, (_, j) => (shape.length === 1 ? f(offset + j) : nd(shape.slice(1), f, offset + j * inner))) as number[][];
}
const IMG = nd([1, 4, 5, 2], (i) => ((i * 7) % 11) / 10);
const RGB = [[[0.2, 0.4, 0.6], [0.9, 0.1, 0.3]], [[0.5, 0.5, 0.5], [0.0, 0.8, 0.1]]];
const G = nd([3, 4], (i) => i ** 1.5 / 5);
const COORDS = [[[0.5, -1.25, 2.0], [2.7, 1.0, 3.5]], [[0.25, 3.5, -0.5], [1.5, 4.2, 0.0]]];
const S1 = nd([13, 12, 2], (i) => ((i * 37) % 101) / 100);
const S2 = nd([13, 12, 2], (i) => Math.min(1, Math.max(0, ((i * 37) % 101) / 100 + (((i * 11) % 7) - 3) / 40)));

// [label, the k.ops call, NumPy's shape, values] from test/reference/image_ops_reference.py.
const cases: Array<[string, () => tfc.Tensor, number[], number[]]> = [
  ['rgbToGrayscale', () => ops.image.rgbToGrayscale(RGB), [2, 2, 1], [0.36298, 0.36191, 0.49995, 0.481]],
  ['rgbToHsv', () => ops.image.rgbToHsv(RGB), [2, 2, 3], [0.5833333333, 0.6666666667, 0.6, 0.9583333333, 0.8888888889, 0.9, 0, 0, 0.5, 0.3541666667, 1, 0.8]],
  ['sobelEdges', () => ops.image.sobelEdges(IMG), [1, 4, 5, 2, 2], [1.6, 1.2, -2.8, 1.2, 1.6, 2.4, -1.7, -0.9, 0.5, 1.3, 0.5, -0.9, -0.6, -2, 0.5, 1.3, 0.5, -2.1, -1.7, 0.1, 2.1, 0.1, -1.2, 1.2, -0.1, 1.3, -0.1, 1.3, -1.2, 0.2, 1, 0.2, -0.1, -0.9, -0.1, -0.9, 2.1, 0.1, -1.2, -1, -1.2, -1, 2.1, 0.1, -1.2, 0.2, -0.1, 1.3, -0.1, 1.3, -1.2, 0.2, 1, 0.2, -0.1, -0.9, -0.1, 0.1, 2.1, 0.1, -1.7, 0.1, 0.5, -2.1, 0.5, 1.3, -1.7, -0.9, 1.6, 2.4, -1.7, 1.3, 0.5, -0.9, 0.5, 1.3, -1.7, -2.1, 1.6, 1.2]],
  ['cropImages sides', () => ops.image.cropImages(IMG, { top: 1, left: 2, bottom: 1 }), [1, 2, 3, 2], [1, 0.6, 0.2, 0.9, 0.5, 0.1, 0.3, 1, 0.6, 0.2, 0.9, 0.5]],
  ['cropImages target', () => ops.image.cropImages(IMG, { top: 1, targetHeight: 2, left: 1, targetWidth: 3 }), [1, 2, 3, 2], [0.7, 0.3, 1, 0.6, 0.2, 0.9, 0, 0.7, 0.3, 1, 0.6, 0.2]],
  ['padImages target', () => ops.image.padImages(IMG, { top: 1, targetHeight: 6, right: 1 }), [1, 6, 6, 2], [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0.7, 0.3, 1, 0.6, 0.2, 0.9, 0.5, 0.1, 0.8, 0, 0, 0.4, 0, 0.7, 0.3, 1, 0.6, 0.2, 0.9, 0.5, 0.1, 0, 0, 0.8, 0.4, 0, 0.7, 0.3, 1, 0.6, 0.2, 0.9, 0.5, 0, 0, 0.1, 0.8, 0.4, 0, 0.7, 0.3, 1, 0.6, 0.2, 0.9, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]],
  ['extractPatches 2x2 stride 1', () => ops.image.extractPatches(IMG, 2, { strides: 1 }), [1, 3, 4, 8], [0, 0.7, 0.3, 1, 0.4, 0, 0.7, 0.3, 0.3, 1, 0.6, 0.2, 0.7, 0.3, 1, 0.6, 0.6, 0.2, 0.9, 0.5, 1, 0.6, 0.2, 0.9, 0.9, 0.5, 0.1, 0.8, 0.2, 0.9, 0.5, 0.1, 0.4, 0, 0.7, 0.3, 0.8, 0.4, 0, 0.7, 0.7, 0.3, 1, 0.6, 0, 0.7, 0.3, 1, 1, 0.6, 0.2, 0.9, 0.3, 1, 0.6, 0.2, 0.2, 0.9, 0.5, 0.1, 0.6, 0.2, 0.9, 0.5, 0.8, 0.4, 0, 0.7, 0.1, 0.8, 0.4, 0, 0, 0.7, 0.3, 1, 0.4, 0, 0.7, 0.3, 0.3, 1, 0.6, 0.2, 0.7, 0.3, 1, 0.6, 0.6, 0.2, 0.9, 0.5, 1, 0.6, 0.2, 0.9]],
  ['extractPatches 2x3 default strides', () => ops.image.extractPatches(IMG, [2, 3]), [1, 2, 1, 12], [0, 0.7, 0.3, 1, 0.6, 0.2, 0.4, 0, 0.7, 0.3, 1, 0.6, 0.8, 0.4, 0, 0.7, 0.3, 1, 0.1, 0.8, 0.4, 0, 0.7, 0.3]],
  ['mapCoordinates linear constant', () => ops.image.mapCoordinates(G, COORDS, 1), [2, 3], [0.9045084972, 0, 2.2627417, 1.758683298, 0, 0]],
  ['mapCoordinates linear nearest', () => ops.image.mapCoordinates(G, COORDS, 1, 'nearest'), [2, 3], [0.9045084972, 1.039230485, 4.5254834, 5.86227766, 3.704051835, 4.5254834]],
  ['mapCoordinates linear mirror', () => ops.image.mapCoordinates(G, COORDS, 1, 'mirror'), [2, 3], [0.9045084972, 4.193931055, 4.9627417, 3.570092782, 2.798723749, 0.8]],
  ['mapCoordinates linear reflect fill', () => ops.image.mapCoordinates(G, COORDS, 1, 'reflect'), [2, 3], [0.9045084972, 1.705435822, 4.5254834, 5.86227766, 3.551119007, 3.0627417]],
  ['mapCoordinates nearest wrap', () => ops.image.mapCoordinates(G, COORDS, 0, 'wrap'), [2, 3], [1.6, 4.5254834, 4.5254834, 0.5656854249, 1.6, 1.6]],
  ['mapCoordinates constant 7', () => ops.image.mapCoordinates(G, COORDS, 1, 'constant', 7), [2, 3], [0.9045084972, 7, 5.7627417, 6.658683298, 7, 7]],
  ['ssim', () => ops.image.ssim(S1, S2), [], [0.9869633045]],
  ['scaleAndTranslate linear up', () => ops.image.scaleAndTranslate(IMG, [1, 6, 7, 2], [1.5, 1.4], [0.5, -1], [1, 2], 'linear'), [1, 6, 7, 2], [0.1714285714, 0.8714285714, 0.3857142857, 0.7714285714, 0.6, 0.2, 0.8142857143, 0.4142857143, 0.5571428571, 0.6285714286, 0.1, 0.8, 0, 0, 0.2380952381, 0.7547619048, 0.4523809524, 0.7071428571, 0.6666666667, 0.2666666667, 0.75, 0.480952381, 0.519047619, 0.6166666667, 0.1666666667, 0.6833333333, 0, 0, 0.5047619048, 0.2880952381, 0.719047619, 0.45, 0.9333333333, 0.5333333333, 0.4928571429, 0.7476190476, 0.3666666667, 0.569047619, 0.4333333333, 0.2166666667, 0, 0, 0.4571428571, 0.3714285714, 0.4357142857, 0.5857142857, 0.65, 0.8, 0.4714285714, 0.6214285714, 0.5285714286, 0.4428571429, 0.7, 0.3, 0, 0, 0.330952381, 0.5333333333, 0.1523809524, 0.669047619, 0.3666666667, 0.8833333333, 0.580952381, 0.4428571429, 0.7166666667, 0.3952380952, 0.7833333333, 0.5666666667, 0, 0, 0.2833333333, 0.380952381, 0.419047619, 0.2023809524, 0.6333333333, 0.4166666667, 0.8476190476, 0.5, 0.669047619, 0.6619047619, 0.3166666667, 0.8333333333, 0, 0]],
  ['scaleAndTranslate cubic down antialias', () => ops.image.scaleAndTranslate(IMG, [1, 2, 3, 2], [0.5, 0.6], [0, 0.2], [1, 2], 'bicubic'), [1, 2, 3, 2], [0.3032442936, 0.436685852, 0.6166569666, 0.5772843674, 0.4966185543, 0.5421371202, 0.3885305982, 0.4541691263, 0.4500523804, 0.5028692818, 0.6607438017, 0.5508206262]],
  ['scaleAndTranslate lanczos3 down no antialias', () => ops.image.scaleAndTranslate(IMG, [1, 3, 3, 2], [0.75, 0.6], [0, 0], [1, 2], 'lanczos3', false), [1, 3, 3, 2], [0.1034213326, 0.7359931097, 0.6743012366, 0.230964924, 0.3186058211, 0.7010215965, 0.6206832348, 0.1285377321, 0.65, 0.9571428571, 0.6581448014, 0.2180885112, 0.2136699978, 0.5681720378, 0.6256987634, 0.3966866982, 0.4998980036, 0.7822451092]],
];

test.each(cases)('ops %s equals NumPy', (_label, call, shape, expected) => {
  const out = call();
  expect(out.shape).toEqual(shape);
  flat(out).forEach((v, i) => {
    if (!(Math.abs(v - expected[i]) <= 2e-5 + 2e-5 * Math.abs(expected[i]))) throw new Error(`value ${i}: got ${v}, expected ${expected[i]}`);
  });
  out.dispose();
});

test('hsvToRgb inverts rgbToHsv; channels_first gives the transposed result', () => {
  expectClose(ops.image.hsvToRgb(ops.image.rgbToHsv(RGB)), RGB.flat(2), 1e-6);
  const first = ops.image.sobelEdges(ops.transpose(IMG, [0, 3, 1, 2]), 'channels_first');
  expect(first.shape).toEqual([1, 2, 4, 5, 2]);
  expectClose(first, flat(ops.transpose(ops.image.sobelEdges(IMG), [0, 3, 1, 2, 4])), 1e-6);
});

test('perspectiveTransform: identity quads give the image; a shifted quad translates it', () => {
  const quad: k.ops.image.Quad = [[0, 0], [4, 0], [4, 3], [0, 3]];
  expectClose(ops.image.perspectiveTransform(IMG, quad, quad), IMG, 1e-5);
  const moved: k.ops.image.Quad = [[1, 0], [5, 0], [5, 3], [1, 3]]; // every start point one pixel right
  const out = ops.image.perspectiveTransform(IMG, quad, moved);
  // output pixel x reads input x - 1: column 0 is the fill value, column j the input's j - 1.
  expectClose(ops.slice(out, [0, 0, 1, 0], [1, 4, 4, 2]), flat(ops.slice(IMG, [0, 0, 0, 0], [1, 4, 4, 2])), 1e-5);
  expectClose(ops.slice(out, [0, 0, 0, 0], [1, 4, 1, 2]), new Array(8).fill(0));
});

test('elasticTransform: alpha 0 gives the image back; otherwise the shape is kept and pixels move', () => {
  expectClose(ops.image.elasticTransform(IMG, { alpha: 0, seed: 1 }), IMG, 1e-6);
  const out = ops.image.elasticTransform(IMG, { alpha: 5, sigma: 1, seed: 1 });
  expect(out.shape).toEqual([1, 4, 5, 2]);
  expect(flat(out).some((v, i) => Math.abs(v - flat(tfc.tensor(IMG))[i]) > 1e-3)).toBe(true);
});

test('ssim of an image with itself is 1; batched and single agree; extractPatches3d against a slice', () => {
  expectClose(ops.image.ssim(S1, S1), 1, 1e-6);
  expectClose(ops.image.ssim([S1, S1], [S2, S1]), [0.9869633045, 1], 2e-5);
  const vol = nd([1, 3, 3, 3, 1], (i) => i);
  const p = ops.image.extractPatches3d(vol, 2, 1);
  expect(p.shape).toEqual([1, 2, 2, 2, 8]);
  // patch (0, 0, 0) = vol[0, 0:2, 0:2, 0:2, 0] flattened: 0 1 3 4 9 10 12 13
  expectClose(ops.slice(p, [0, 0, 0, 0, 0], [1, 1, 1, 1, 8]), [0, 1, 3, 4, 9, 10, 12, 13]);
});

test('errors name the op, the value and the fix', () => {
  expect(() => ops.image.cropImages(IMG, { top: 3, bottom: 1 })).toThrow(/cropImages: margins.*help:/);
  expect(() => ops.image.padImages(IMG, { top: 1, bottom: 1, targetHeight: 6 })).toThrow(/padImages.*help:/);
  expect(() => ops.image.mapCoordinates(G, [[0.5]], 1)).toThrow(/first axis.*help:/);
  expect(() => ops.image.mapCoordinates(G, COORDS, 3 as 1)).toThrow(/order.*help:/);
  expect(() => ops.image.sobelEdges([1, 2])).toThrow(/images must be.*help:/);
  expect(() => ops.image.scaleAndTranslate(IMG, [1, 2, 2, 2], [1, 1], [0, 0], [1, 2], 'area' as 'linear')).toThrow(/method.*help:/);
});

test('the image ops leave no tensor behind', async () => {
  const img = tfc.tensor(IMG);
  const quad: k.ops.image.Quad = [[0, 0], [4, 0], [4, 3], [0, 3]];
  await expectNoLeak(() => {
    const outs = [ops.image.rgbToGrayscale(RGB), ops.image.rgbToHsv(RGB), ops.image.hsvToRgb(RGB), ops.image.gaussianBlur(img), ops.image.sobelEdges(img), ops.image.cropImages(img, { top: 1 }), ops.image.padImages(img, { left: 2 }),
      ops.image.extractPatches(img, 2), ops.image.mapCoordinates(G, COORDS, 1), ops.image.perspectiveTransform(img, quad, quad), ops.image.elasticTransform(img, { seed: 2 }), ops.image.ssim(S1, S2), ops.image.scaleAndTranslate(img, [1, 3, 3, 2], [0.7, 0.6], [0, 0], [1, 2], 'cubic')];
    outs.forEach((t) => t.dispose());
  });
  img.dispose();
});
