/**
 * The NumPy-style k.ops added for issue 24 (special functions, creation, splits, products, integer
 * and bitwise ops, scatter / segment / search / counting, nan-aware reductions, windows, Fourier
 * ops as [real, imag] pairs, stft and its inverse, depth <-> space) against NumPy values printed by
 * test/reference/numpy_more_reference.py (pasted as is); tensor facts; errors; leak counts.
 */
import * as tfc from '@tensorflow/tfjs-core';
import * as k from '../../src';
import { expectClose, expectNoLeak, flat, testBackend } from '../helpers';

beforeAll(async () => {
  await k.setBackend(testBackend());
});

const ops = k.ops;
const A = [[-2.5, -1.0, 0.0, 0.5], [1.5, 2.0, -0.3, 3.7], [0.25, -4.0, 2.5, 1.0]];
const V = [3, -1, 4, 1, -5, 9];
const N = [[1, NaN, 3], [NaN, NaN, 2], [5, 4, NaN]];
const I1 = [12, -7, 5, 0, 255, 1024];
const I2 = [18, 3, -10, 4, 15, 3];
const SIG = Array.from({ length: 16 }, (_, i) => Math.sin(i * 0.7) + 0.3 * Math.cos(i * 2.1));
const X4 = Array.from({ length: 2 }, (_, a) => Array.from({ length: 4 }, (_b, b) => Array.from({ length: 4 }, (_c, c) => [0, 1].map((d) => ((a * 4 + b) * 4 + c) * 2 + d))));

// [label, the k.ops call, NumPy's shape, NumPy's values] from test/reference/numpy_more_reference.py.
const cases: Array<[string, () => tfc.Tensor, number[], number[]]> = [
  ['erfc', () => ops.erfc([-1, 0, 0.5, 2]), [4], [1.842700793, 1, 0.4795001222, 0.004677734981]],
  ['erfinv', () => ops.erfinv([-0.9, -0.3, 0, 0.5, 0.99]), [5], [-1.163087154, -0.2724627147, -3.733809167e-60, 0.4769362762, 1.821386368]],
  ['i0', () => ops.i0([0, 1, -2.5, 3.75, 8]), [5], [1, 1.266065878, 3.289839144, 9.118945861, 427.5641157]],
  ['sinc', () => ops.sinc([-1.5, 0, 0.25, 2]), [4], [-0.2122065908, 1, 0.9003163162, -3.898171833e-17]],
  ['ldexp', () => ops.ldexp([1, 3, -0.5], [3, -1, 4]), [3], [8, 1.5, -8]],
  ['nextafter', () => ops.nextafter([1, 0, -2], [2, -1, -3]), [3], [1.000000119, -1.401298464e-45, -2.000000238]],
  ['fabs', () => ops.fabs(A), [3, 4], [2.5, 1, 0, 0.5, 1.5, 2, 0.3, 3.7, 0.25, 4, 2.5, 1]],
  ['geomspace', () => ops.geomspace(1, 1000, 4), [4], [1, 10, 100, 1000]],
  ['geomspace negative no endpoint', () => ops.geomspace(-2, -32, 4, false), [4], [-2, -4, -8, -16]],
  ['meshgrid xy [0]', () => ops.meshgrid([1, 2, 3], [4, 5])[0], [2, 3], [1, 2, 3, 1, 2, 3]],
  ['meshgrid ij [1]', () => ops.meshgrid([1, 2, 3], [4, 5], { indexing: 'ij' })[1], [3, 2], [4, 5, 4, 5, 4, 5]],
  ['vander', () => ops.vander([1, 2, 3], 4), [3, 4], [1, 1, 1, 1, 8, 4, 2, 1, 27, 9, 3, 1]],
  ['vander increasing', () => ops.vander([2, -1], null, true), [2, 2], [1, 2, 1, -1]],
  ['diagflat k -1', () => ops.diagflat([[1, 2], [3, 4]], -1), [5, 5], [0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 3, 0, 0, 0, 0, 0, 4, 0]],
  ['arraySplit 3 [2]', () => ops.arraySplit(V, 4)[2], [1], [-5]],
  ['append flat', () => ops.append(A, [7, 8]), [14], [-2.5, -1, 0, 0.5, 1.5, 2, -0.3, 3.7, 0.25, -4, 2.5, 1, 7, 8]],
  ['append axis 0', () => ops.append(A, [[7, 8, 9, 10]], 0), [4, 4], [-2.5, -1, 0, 0.5, 1.5, 2, -0.3, 3.7, 0.25, -4, 2.5, 1, 7, 8, 9, 10]],
  ['isin', () => ops.isin(A, [0.5, -4, 9]), [3, 4], [0, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0]],
  ['isin invert', () => ops.isin([1, 2, 3], [2], false, true), [3], [1, 0, 1]],
  ['allclose', () => ops.allclose([1, 2], [1.000001, 2]), [], [1]],
  ['select', () => ops.select([ops.less(V, 0), ops.greater(V, 3)], [ops.negative(V), ops.multiply(V, 10)], -1), [6], [-1, 1, 40, -1, 5, 90]],
  ['kron', () => ops.kron([[1, 2], [3, 4]], [[0, 1], [1, 0], [2, 2]]), [6, 4], [0, 1, 0, 2, 1, 0, 2, 0, 2, 2, 4, 4, 0, 3, 0, 4, 3, 0, 4, 0, 6, 6, 8, 8]],
  ['tensordot axes 1', () => ops.tensordot(A, ops.transpose(A), 1), [3, 3], [7.5, -3.9, 3.875, -3.9, 20.03, -4.675, 3.875, -4.675, 23.3125]],
  ['tensordot axes lists', () => ops.tensordot(A, A, [[0], [0]]), [4, 4], [8.5625, 4.5, 0.175, 4.55, 4.5, 21, -10.6, 2.9, 0.175, -10.6, 6.34, 1.39, 4.55, 2.9, 1.39, 14.94]],
  ['cross', () => ops.cross([[1, 2, 3], [-1, 0, 2]], [[4, 5, 6], [2, 2, 1]]), [2, 3], [-3, 6, -3, -4, 5, -2]],
  ['cross 2-D vectors', () => ops.cross([1, 2], [3, 4]), [], [-2]],
  ['correlate valid', () => ops.correlate(V, [1, 0.5, -1]), [4], [-1.5, 0, 9.5, -10.5]],
  ['correlate full', () => ops.correlate(V, [1, 0.5, -1], 'full'), [8], [-3, 2.5, -1.5, 0, 9.5, -10.5, -0.5, 9]],
  ['correlate same', () => ops.correlate(V, [1, 0.5, -1, 2], 'same'), [6], [-5, 10.5, 0.5, -10, 27.5, -10.5]],
  ['cdist', () => ops.cdist(A, [[0, 0, 0, 0], [1, 1, 1, 1]]), [3, 2], [2.738612788, 4.183300133, 4.4754888, 3.198437118, 4.828301979, 5.273755777]],
  ['corrcoef', () => ops.corrcoef(A), [3, 3], [1, 0.1951875191, 0.3334291325, 0.1951875191, 1, -0.3084057509, 0.3334291325, -0.3084057509, 1]],
  ['trapezoid', () => ops.trapezoid(A), [3], [-2, 4.3, -0.875]],
  ['trapezoid x axis 0', () => ops.trapezoid(A, [0, 1, 3], 1, 0), [4], [1.25, -1.5, 2.05, 6.8]],
  ['rot90', () => ops.rot90(A), [4, 3], [0.5, 3.7, 1, 0, -0.3, 2.5, -1, 2, -4, -2.5, 1.5, 0.25]],
  ['rot90 k -1', () => ops.rot90(A, -1), [4, 3], [0.25, 1.5, -2.5, -4, 2, -1, 2.5, -0.3, 0, 1, 3.7, 0.5]],
  ['rot90 k 2', () => ops.rot90(A, 2), [3, 4], [1, 2.5, -4, 0.25, 3.7, -0.3, 2, 1.5, 0.5, 0, -1, -2.5]],
  ['angle', () => ops.angle([-2, 0, 3]), [3], [3.141592654, 0, 0]],
  ['bitwiseAnd', () => ops.bitwiseAnd(I1, I2), [6], [0, 1, 4, 0, 15, 0]],
  ['bitwiseOr', () => ops.bitwiseOr(I1, I2), [6], [30, -5, -9, 4, 255, 1027]],
  ['bitwiseXor', () => ops.bitwiseXor(I1, I2), [6], [30, -6, -13, 4, 240, 1027]],
  ['bitwiseInvert', () => ops.bitwiseInvert(I1), [6], [-13, 6, -6, -1, -256, -1025]],
  ['leftShift', () => ops.leftShift(I1, [1, 2, 3, 4, 0, 5]), [6], [24, -28, 40, 0, 255, 32768]],
  ['rightShift', () => ops.rightShift(I1, [1, 2, 1, 4, 3, 5]), [6], [6, -2, 2, 0, 31, 32]],
  ['gcd', () => ops.gcd(I1, I2), [6], [6, 1, 5, 4, 15, 1]],
  ['lcm', () => ops.lcm(I1, I2), [6], [36, 21, 10, 0, 255, 3072]],
  ['scatter', () => ops.scatter([[0, 1], [2, 3], [0, 1]], [5, 7, 1], [3, 4]), [3, 4], [0, 6, 0, 0, 0, 0, 0, 0, 0, 0, 0, 7]],
  ['scatterUpdate', () => ops.scatterUpdate(A, [[0, 0], [2, 3]], [9, 8]), [3, 4], [9, -1, 0, 0.5, 1.5, 2, -0.3, 3.7, 0.25, -4, 2.5, 8]],
  ['scatterUpdate rows', () => ops.scatterUpdate(A, [[1]], [[0, 0, 0, 0]]), [3, 4], [-2.5, -1, 0, 0.5, 0, 0, 0, 0, 0.25, -4, 2.5, 1]],
  ['sliceUpdate', () => ops.sliceUpdate(A, [1, 2], [[7, 8], [9, 10]]), [3, 4], [-2.5, -1, 0, 0.5, 1.5, 2, 7, 8, 0.25, -4, 9, 10]],
  ['getItem', () => ops.getItem(A, [1, [1, null]]), [3], [2, -0.3, 3.7]],
  ['getItem negative', () => ops.getItem(A, [-1]), [4], [0.25, -4, 2.5, 1]],
  ['segmentSum', () => ops.segmentSum(A, [0, 0, 2]), [3, 4], [-1, 1, -0.3, 4.2, 0, 0, 0, 0, 0.25, -4, 2.5, 1]],
  ['segmentMax', () => ops.segmentMax(A, [1, 0, 1], 2), [2, 4], [1.5, 2, -0.3, 3.7, 0.25, -1, 2.5, 1]],
  ['segmentMin', () => ops.segmentMin(V, [0, 0, 1, 1, 1, 2]), [3], [-1, -5, 9]],
  ['segmentProd', () => ops.segmentProd(V, [0, 0, 1, 1, 1, 2]), [3], [-3, -20, 9]],
  ['searchsorted left', () => ops.searchsorted([1, 2, 2, 3, 5], [2, 0, 4, 6]), [4], [1, 0, 4, 5]],
  ['searchsorted right', () => ops.searchsorted([1, 2, 2, 3, 5], [2, 0, 4, 6], 'right'), [4], [3, 0, 4, 5]],
  ['digitize', () => ops.digitize(V, [-2, 0, 2, 5]), [6], [3, 1, 3, 2, 0, 4]],
  ['bincount', () => ops.bincount([1, 3, 1, 0, 3, 3]), [4], [1, 2, 0, 3]],
  ['bincount weights minlength', () => ops.bincount([1, 3, 1], [0.5, 2, 1.5], 6), [6], [0, 2, 0, 2, 0, 0]],
  ['histogram counts', () => ops.histogram(V, 4)[0], [4], [1, 2, 2, 1]],
  ['histogram edges', () => ops.histogram(V, 4)[1], [5], [-5, -1.5, 2, 5.5, 9]],
  ['histogram range', () => ops.histogram(V, 3, [0, 6])[0], [3], [1, 1, 1]],
  ['unique', () => ops.unique([3, 1, 3, 2, 1]) as tfc.Tensor, [3], [1, 2, 3]],
  ['unique inverse', () => (ops.unique([3, 1, 3, 2, 1], true, true) as tfc.Tensor[])[1], [5], [2, 0, 2, 1, 0]],
  ['unique counts', () => (ops.unique([3, 1, 3, 2, 1], true, false, true) as tfc.Tensor[])[1], [3], [2, 1, 2]],
  ['nonzero rows', () => ops.nonzero(A)[0], [11], [0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2]],
  ['nonzero cols', () => ops.nonzero(A)[1], [11], [0, 1, 3, 0, 1, 2, 3, 0, 1, 2, 3]],
  ['unravelIndex [1]', () => ops.unravelIndex([0, 5, 11], [3, 4])[1], [3], [0, 1, 3]],
  ['nanargmax axis 1', () => ops.nanargmax(N, 1), [3], [2, 2, 0]],
  ['nanargmin', () => ops.nanargmin(N), [], [0]],
  ['nancumsum axis 0', () => ops.nancumsum(N, 0), [3, 3], [1, 0, 3, 1, 0, 5, 6, 4, 5]],
  ['nancumprod', () => ops.nancumprod(N), [9], [1, 1, 3, 3, 3, 6, 30, 120, 120]],
  ['nanmedian axis 0', () => ops.nanmedian(N, 0), [3], [3, 4, 2.5]],
  ['nanquantile 0.3 axis 1 keepdims', () => ops.nanquantile(N, 0.3, 1, true), [3, 1], [1.6, 2, 4.3]],
  ['nanpercentile 80', () => ops.nanpercentile(N, 80), [], [4.2]],
  ['bartlett', () => ops.bartlett(5), [5], [0, 0.5, 1, 0.5, 0]],
  ['blackman', () => ops.blackman(6), [6], [-1.387778781e-17, 0.2007701433, 0.8492298567, 0.8492298567, 0.2007701433, -1.387778781e-17]],
  ['hamming', () => ops.hamming(5), [5], [0.08, 0.54, 1, 0.54, 0.08]],
  ['hanning', () => ops.hanning(6), [6], [0, 0.3454915028, 0.9045084972, 0.9045084972, 0.3454915028, 0]],
  ['kaiser', () => ops.kaiser(7, 5.5), [7], [0.02342214103, 0.2885087416, 0.7532742151, 1, 0.7532742151, 0.2885087416, 0.02342214103]],
  ['fft real', () => ops.fft([A, ops.flipud(A)])[0], [3, 4], [-3, -7.5, -2, 2.5, 6.9, 0.1, -4.5, 3.5, -0.25, -3.75, 5.75, -0.75]],
  ['fft imag', () => ops.fft([A, ops.flipud(A)])[1], [3, 4], [-0.25, -0.75, 5.75, -3.75, 6.9, 3.5, -4.5, 0.1, -3, 2.5, -2, -7.5]],
  ['fft2 real', () => ops.fft2([A, ops.flipud(A)])[0], [3, 4], [3.65, -11.15, -0.75, 5.25, 2.248651497, -4.808974596, -4.790063509, 7.706793069, -14.8986515, -6.541025404, -0.4599364905, -5.456793069]],
  ['ifft2 imag', () => ops.ifft2([A, ops.flipud(A)])[1], [3, 4], [0.3041666667, -0.9291666667, -0.0625, 0.4375, 0.3326734698, 0.3025506638, 0.0102699676, -0.03465018295, -0.6993401364, -0.3108839972, 1.489730032, -0.590349817]],
  ['rfft real', () => ops.rfft(SIG)[0], [9], [1.887973394, 2.414240213, -3.633188331, 0.1734645315, 0.6000097855, 1.368964422, 0.02800359, 0.32121169, 0.3666148041]],
  ['rfft imag fftLength 10', () => ops.rfft(SIG, 10)[1], [6], [0, -4.267035106, 0.9566795192, 1.418424813, -0.325947373, 0]],
  ['irfft', () => ops.irfft(ops.rfft(A)), [3, 4], [-2.5, -1, 0, 0.5, 1.5, 2, -0.3, 3.7, 0.25, -4, 2.5, 1]],
  ['irfft odd fftLength', () => ops.irfft(ops.rfft(SIG), 9), [9], [0.1107806436, 1.634242383, 1.113069228, -1.016137859, -1.697333001, -0.120614736, 1.650324701, 1.175907337, -0.9622653029]],
  ['stft real', () => ops.stft(SIG, 6, 4, 8)[0], [5, 5], [1.458331526, -0.822654996, -0.1191857418, 0.222654996, -0.01996004199, 0.7481500642, -0.5343756252, 0.1125450322, 0.1759725174, -0.256433913, -1.408811337, 1.207573585, -0.7497008201, 0.3313668435, -0.1696678797, 1.90695748, -1.686925574, 1.154666585, -0.6209156307, 0.39939176, -0.6537141438, 0.723785333, -0.6602189636, 0.2675181684, -0.00845493164]],
  ['stft imag', () => ops.stft(SIG, 6, 4, 8)[1], [5, 5], [0, 1.110223025e-16, -1.110223025e-16, 0, 0, 0, -1.231080014, 1.242458448, -0.5260215737, 0, 0, 1.039833803, -1.094220164, 0.507627194, 0, 0, -0.62036792, 0.5279089906, -0.1262081343, 0, 0, 0.8002436153, -0.5485034755, -0.02454256129, 0]],
  ['extractSequences', () => ops.extractSequences(A, 2, 1), [3, 3, 2], [-2.5, -1, -1, 0, 0, 0.5, 1.5, 2, 2, -0.3, -0.3, 3.7, 0.25, -4, -4, 2.5, 2.5, 1]],
  ['spaceToDepth', () => ops.spaceToDepth(X4, 2), [2, 2, 2, 8], [0, 1, 2, 3, 8, 9, 10, 11, 4, 5, 6, 7, 12, 13, 14, 15, 16, 17, 18, 19, 24, 25, 26, 27, 20, 21, 22, 23, 28, 29, 30, 31, 32, 33, 34, 35, 40, 41, 42, 43, 36, 37, 38, 39, 44, 45, 46, 47, 48, 49, 50, 51, 56, 57, 58, 59, 52, 53, 54, 55, 60, 61, 62, 63]],
  ['depthToSpace inverts it', () => ops.depthToSpace(ops.spaceToDepth(X4, 2), 2), [2, 4, 4, 2], [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59, 60, 61, 62, 63]],
];

test.each(cases)('ops %s equals NumPy', (_label, call, shape, expected) => {
  const out = call();
  expect(out.shape).toEqual(shape);
  const got = flat(out);
  expect(got.length).toBe(expected.length);
  got.forEach((v, i) => {
    const e = expected[i];
    if (Number.isNaN(e) ? !Number.isNaN(v) : !(Math.abs(v - e) <= 2e-5 + 2e-5 * Math.abs(e))) throw new Error(`value ${i}: got ${v}, expected ${e}`);
  });
  out.dispose();
});

test('tensor facts and the real-only complex helpers', () => {
  const t = tfc.tensor(A);
  expect([ops.shape(t), ops.ndim(A), ops.size(t), ops.dtype(t), ops.isTensor(t), ops.isTensor(A)]).toEqual([[3, 4], 2, 12, 'float32', true, false]);
  expect(ops.convertToNumpy(t)).toEqual(t.arraySync());
  expect(flat(ops.imag(A))).toEqual(new Array(12).fill(0));
  expect(flat(ops.isreal(A))).toEqual(new Array(12).fill(1));
  expect(flat(ops.saturateCast([1e10, -1e10, 3.7], 'int32'))).toEqual([2147483647, -2147483648, 3]);
  expect(ops.hsplit(A, 2).map((s) => s.shape)).toEqual([[3, 2], [3, 2]]);
  expect(ops.vsplit(A, [1]).map((s) => s.shape)).toEqual([[1, 4], [2, 4]]);
  expect(ops.argpartition(V, 2).shape).toEqual([6]);
  expect(flat(ops.argpartition(V, 2)).slice(0, 3).map((i) => V[i]).every((v) => v <= 1)).toBe(true); // the 3 smallest first
  t.dispose();
});

test('istft inverts stft (Hann, 75% and 50% overlap; batched; length crops)', () => {
  const [re, im] = ops.stft(SIG, 8, 2, 8);
  expectClose(ops.istft([re, im], 8, 2, 8), SIG, 1e-5);
  const batch = [SIG, SIG.map((v) => -2 * v)];
  const pair = ops.stft(batch, 8, 4, 8);
  const back = ops.istft(pair, 8, 4, 8, 12);
  expect(back.shape).toEqual([2, 12]);
  expectClose(back, [...SIG.slice(0, 12), ...SIG.slice(0, 12).map((v) => -2 * v)], 1e-5);
  [re, im, ...pair, back].forEach((t) => t.dispose());
});

test('rearrange: transpose, merge and split groups (einops semantics, worked by hand)', () => {
  // X4 is (2, 4, 4, 2) with element value ((a * 4 + b) * 4 + c) * 2 + d.
  const t = ops.rearrange(X4, 'b h w c -> b c h w');
  expect(t.shape).toEqual([2, 2, 4, 4]);
  expect(flat(ops.getItem(t, [1, 1, 2, 3]))).toEqual([((1 * 4 + 2) * 4 + 3) * 2 + 1]);
  const merged = ops.rearrange(X4, 'b h w c -> b (h w c)');
  expect(merged.shape).toEqual([2, 32]);
  expect(flat(merged)).toEqual(Array.from({ length: 64 }, (_, i) => i));
  const split2 = ops.rearrange(merged, 'b (h w c) -> b h w c', { h: 4, w: 4 });
  expect(flat(split2)).toEqual(flat(tfc.tensor(X4)));
  // space to depth, einops style: (h ph) (w pw) -> h w (ph pw c), the same as ops.spaceToDepth's TensorFlow order
  expect(flat(ops.rearrange(X4, 'b (h ph) (w pw) c -> b h w (ph pw c)', { ph: 2, pw: 2 }))).toEqual(flat(ops.spaceToDepth(X4, 2)));
  expect(() => ops.rearrange(X4, 'b h w -> b h w')).toThrow(/rank 4.*help:/);
  expect(() => ops.rearrange(X4, 'b h w c -> b h w')).toThrow(/same axes.*help:/);
  expect(() => ops.rearrange(X4, '... c -> c ...')).toThrow(/not an axis name.*help:/);
});

test('errors name the op, the value and the fix', () => {
  expect(() => ops.geomspace(0, 10)).toThrow(/geomspace.*help:/);
  expect(() => ops.sliceUpdate(A, [2, 2], [[1, 2], [3, 4]])).toThrow(/do not fit.*help:/);
  expect(() => ops.getItem(A, [5])).toThrow(/out of range.*help:/);
  expect(() => ops.segmentSum(A, [0, 1])).toThrow(/one id per row.*help:/);
  expect(() => ops.select([ops.less(V, 0)], [])).toThrow(/select.*help:/);
  expect(() => ops.stft(SIG, 6, 4, 8, 'bartlett')).toThrow(/window.*help:/);
  expect(() => ops.spaceToDepth(tfc.zeros([1, 3, 4, 1]), 2)).toThrow(/multiples.*help:/);
});

test('every single-op case leaves no tensor behind', () => {
  // (a case that picks one part of a multi-output op leaves the other parts, the case's own: checked below)
  const single = cases.filter(([, call]) => (call.toString().match(/ops\.\w+\(/g) ?? []).length === 1 && !/\)\[\d\]/.test(call.toString()));
  expect(single.length).toBeGreaterThan(60);
  const leaking = single.filter(([, call]) => {
    const before = tfc.memory().numTensors;
    call().dispose();
    return tfc.memory().numTensors !== before;
  });
  expect(leaking.map(([label]) => label)).toEqual([]);
});

test('the multi-output ops and the tensor facts leave no tensor behind', async () => {
  await expectNoLeak(() => {
    expect([ops.shape(A), ops.ndim(A), ops.size(A), (ops.convertToNumpy([1, 2]) as number[]).length]).toEqual([[3, 4], 2, 12, 2]);
    [...ops.fft([A, A]), ...ops.rfft(SIG), ...ops.stft(SIG, 6, 4, 8), ...ops.histogram(V), ...ops.nonzero(A), ...ops.unravelIndex([1, 2], [2, 2]), ...ops.meshgrid([1, 2], [3]), ...ops.arraySplit(V, 4), ...(ops.unique(V, true, true, true) as tfc.Tensor[])].forEach((t) => t.dispose());
    const pair = ops.stft(SIG, 8, 2, 8);
    [...pair, ops.istft(pair, 8, 2, 8)].forEach((t) => t.dispose());
  });
});
