/**
 * k.ops' neural-network ops (convolutions, pools, normalizations, attention, cross-entropies, CTC)
 * against PyTorch / NumPy values printed by test/reference/nn_ops_reference.py (pasted as is);
 * ctcDecode by hand; polar / viewAsReal / viewAsComplex / view by hand; gradients that flow;
 * errors; leak counts.
 */
import * as tfc from '@tensorflow/tfjs-core';
import * as k from '../../src';
import { expectClose, expectNoLeak, flat, testBackend } from '../helpers';

beforeAll(async () => {
  await k.setBackend(testBackend());
});

const ops = k.ops;
/** A nested array of `shape` whose flat element i is f(i) (NumPy's arange(n).reshape(shape) mapped). */
function nd(shape: number[], f: (i: number) => number, offset = 0): number[] | number[][] {
  if (shape.length === 0) return [f(offset)];
  const inner = shape.slice(1).reduce((a, b) => a * b, 1);
  return Array.from({ length: shape[0] }, (_, j) => (shape.length === 1 ? f(offset + j) : nd(shape.slice(1), f, offset + j * inner))) as number[][];
}
const X = nd([2, 5, 4, 3], (i) => (i % 7) * 0.5 - 1.2);
const K = nd([3, 2, 3, 2], (i) => ((i % 5) - 2) * 0.25);
const X1 = (X as unknown as number[][][][]).map((b) => b.map((row) => row[0]));
const K1 = (K as unknown as number[][][][]).map((r) => r[0]);
const DW = nd([2, 2, 3, 2], (i) => ((i % 4) - 1.5) * 0.3);
const PW = nd([1, 1, 6, 2], (i) => ((i % 3) - 1) * 0.5);
const KT = nd([2, 2, 2, 3], (i) => ((i % 5) - 2) * 0.4);
const A = [[-2.5, -1.0, 0.0, 0.5], [1.5, 2.0, -0.3, 3.7], [0.25, -4.0, 2.5, 1.0]];
const P = [[0.1, 0.6, 0.3], [0.8, 0.15, 0.05]];
const T = [[0, 1, 0], [0, 0, 1]];
const Lg = [[1.5, -0.5, 0.2], [-1.0, 2.0, 0.3]];
const Q = [[[[0.13, -0.13, 0.64, 0.1], [-0.54, 0.36, 1.3, 0.95]], [[-0.7, -1.27, -0.62, 0.04], [-2.33, -0.22, -1.25, -0.73]], [[-0.54, -0.32, 0.41, 1.04], [-0.13, 1.37, -0.67, 0.35]]]];
const KK = [[[[0.9, 0.09, -0.74, -0.92]], [[-0.46, 0.22, -1.01, -0.21]], [[-0.16, 0.54, 0.21, 0.36]], [[-0.65, -0.13, 0.78, 1.49]]]];
const V = [[[[-1.26, 1.51, 1.35, 0.78]], [[0.26, -0.31, 1.46, 1.96]], [[1.8, 1.32, 0.36, -1.21]], [[-0.0, 0.66, -1.29, 0.4]]]];
const CTC_LOGITS = [[[0.43, 0.7, -1.18, -0.66], [-0.44, -1.17, 1.74, -0.5], [0.33, -0.26, 1.58, 1.32], [0.63, -2.2, 0.05, 0.68], [1.0, -0.62, 1.82, -1.32]], [[-0.66, 0.94, 0.05, 2.0], [0.19, -0.63, -0.38, -1.09], [-1.28, 0.63, 0.58, 1.29], [-0.75, 1.69, -0.29, 1.57], [-0.43, -0.74, 0.25, 1.03]]];

// [label, the k.ops call, the reference's shape, values] from test/reference/nn_ops_reference.py.
const cases: Array<[string, () => tfc.Tensor, number[], number[]]> = [
  ['conv 2-D valid', () => ops.conv(X, K), [2, 3, 3, 2], [0.125, -0.4, 1, -2.025, -2.5, -0.15, 0.125, 0.975, 0.125, 1.975, 0.125, -1.4, 1, -2.025, -2.5, -0.15, 1, -0.025, 0.125, -1.4, 0.125, -0.4, 1, -2.025, 1, -0.025, 0.125, 0.975, 0.125, 1.975, 0.125, -0.4, 1, -2.025, -2.5, -0.15]],
  ['conv 2-D same stride 2', () => ops.conv(X, K, 2, 'same'), [2, 3, 2, 2], [-0.225, -0.95, 0.4, 1.8, 0.125, 0.975, 0.125, -1.4, -0.9, 1.25, 1.1, -0.5, -0.975, 0.3, 1.4, 0.425, 1, -0.025, 0.125, 1.975, -0.15, 1.25, 0.1, -1.375]],
  ['conv 2-D dilation 2', () => ops.conv(X, K, 1, 'valid', null, [1, 2]), [2, 3, 2, 2], [1.625, -0.025, -0.125, -1.65, -1.875, 1.35, 0.75, 0.6, -0.125, -1.65, -0.125, 1.1, -1.875, -1.025, 1.625, -0.025, 1.625, -1.4, -1.875, 1.35, 1.625, -0.025, -0.125, -1.65]],
  ['conv 2-D channels_first', () => ops.conv(ops.transpose(X, [0, 3, 1, 2]), K, 1, 'valid', 'channels_first'), [2, 2, 3, 3], [0.125, 1, -2.5, 0.125, 0.125, 0.125, 1, -2.5, 1, -0.4, -2.025, -0.15, 0.975, 1.975, -1.4, -2.025, -0.15, -0.025, 0.125, 0.125, 1, 1, 0.125, 0.125, 0.125, 1, -2.5, -1.4, -0.4, -2.025, -0.025, 0.975, 1.975, -0.4, -2.025, -0.15]],
  ['conv 1-D', () => ops.conv(X1, K1, 2), [2, 2, 2], [1.975, 0.15, 1.35, -1.85, -0.025, -0.475, 1.975, 0.15]],
  ['depthwiseConv 2-D', () => ops.depthwiseConv(X, DW), [2, 4, 3, 6], [-0.105, -0.195, -0.105, 0.405, 0.87, 0.93, 0.57, 1.23, 0.045, 0.255, -0.555, 0.255, -1.38, -1.02, 0.195, 0.105, -0.405, 0.105, -0.555, 0.255, 1.02, 1.38, -0.105, -0.195, -0.405, 0.105, -0.93, -0.87, 0.57, 1.23, -0.255, -0.045, -0.255, 0.555, -1.38, -1.02, 0.57, 1.23, 0.045, 0.255, -0.555, 0.255, -1.38, -1.02, 0.195, 0.105, -0.405, 0.105, 0.87, 0.93, -1.23, -0.57, -0.255, -0.045, -0.405, 0.105, -0.93, -0.87, 0.57, 1.23, -0.255, -0.045, -0.255, 0.555, -1.38, -1.02, -0.105, -0.195, -0.105, 0.405, 0.87, 0.93, -0.255, -0.045, -0.255, 0.555, -1.38, -1.02, -0.105, -0.195, -0.105, 0.405, 0.87, 0.93, 0.57, 1.23, 0.045, 0.255, -0.555, 0.255, 0.87, 0.93, -1.23, -0.57, -0.255, -0.045, -0.555, 0.255, 1.02, 1.38, -0.105, -0.195, -0.405, 0.105, -0.93, -0.87, 0.57, 1.23, -0.105, -0.195, -0.105, 0.405, 0.87, 0.93, 0.57, 1.23, 0.045, 0.255, -0.555, 0.255, -1.38, -1.02, 0.195, 0.105, -0.405, 0.105, -0.555, 0.255, 1.02, 1.38, -0.105, -0.195, -0.405, 0.105, -0.93, -0.87, 0.57, 1.23, -0.255, -0.045, -0.255, 0.555, -1.38, -1.02]],
  ['separableConv 2-D', () => ops.separableConv(X, DW, PW), [2, 4, 3, 2], [0.1875, 0.075, -0.075, -0.1875, -0.075, 0.8625, -0.3375, 0.3375, 0.975, -0.1875, -0.8625, 0.075, -0.075, -0.1875, -0.075, 0.8625, 0.1875, -0.975, 0.975, -0.1875, -0.8625, 0.075, 0.1875, 0.075, -0.8625, 0.075, 0.1875, 0.075, -0.075, -0.1875, 0.1875, -0.975, -0.3375, 0.3375, 0.975, -0.1875, 0.1875, 0.075, -0.075, -0.1875, -0.075, 0.8625, -0.3375, 0.3375, 0.975, -0.1875, -0.8625, 0.075]],
  ['convTranspose 2-D stride 2 valid', () => ops.convTranspose(X, KT, 2), [2, 10, 8, 2], [1.24, -0.88, 0.4, -0.32, -0.56, -0.28, 0.4, -0.92, -0.96, 0.32, -1, 2.68, 0.04, -0.48, 0.4, -0.72, -0.44, 1.24, -0.88, 0.4, 1.36, -0.56, -0.28, 0.4, -1.04, -0.96, 0.32, -1, 0.76, 0.04, -0.48, 0.4, -1.76, 2.92, -1, 0.08, 0.64, -0.68, 0.4, -0.52, -1.16, -0.08, 0.4, -1.12, 1.24, -0.88, 0.4, -0.32, -0.24, -1.76, 2.92, -1, 0.16, 0.64, -0.68, 0.4, 1.96, -1.16, -0.08, 0.4, -0.44, 1.24, -0.88, 0.4, -0.56, -0.28, 0.4, -0.92, -0.96, 0.32, -1, 2.68, 0.04, -0.48, 0.4, -0.72, -1.76, 2.92, -1, 0.08, 1.36, -0.56, -0.28, 0.4, -1.04, -0.96, 0.32, -1, 0.76, 0.04, -0.48, 0.4, -0.24, -1.76, 2.92, -1, 0.64, -0.68, 0.4, -0.52, -1.16, -0.08, 0.4, -1.12, 1.24, -0.88, 0.4, -0.32, -0.56, -0.28, 0.4, -0.92, 0.16, 0.64, -0.68, 0.4, 1.96, -1.16, -0.08, 0.4, -0.44, 1.24, -0.88, 0.4, 1.36, -0.56, -0.28, 0.4, -0.96, 0.32, -1, 2.68, 0.04, -0.48, 0.4, -0.72, -1.76, 2.92, -1, 0.08, 0.64, -0.68, 0.4, -0.52, -1.04, -0.96, 0.32, -1, 0.76, 0.04, -0.48, 0.4, -0.24, -1.76, 2.92, -1, 0.16, 0.64, -0.68, 0.4, -1.16, -0.08, 0.4, -1.12, 1.24, -0.88, 0.4, -0.32, -0.56, -0.28, 0.4, -0.92, -0.96, 0.32, -1, 2.68, 1.96, -1.16, -0.08, 0.4, -0.44, 1.24, -0.88, 0.4, 1.36, -0.56, -0.28, 0.4, -1.04, -0.96, 0.32, -1, 0.04, -0.48, 0.4, -0.72, -1.76, 2.92, -1, 0.08, 0.64, -0.68, 0.4, -0.52, -1.16, -0.08, 0.4, -1.12, 0.76, 0.04, -0.48, 0.4, -0.24, -1.76, 2.92, -1, 0.16, 0.64, -0.68, 0.4, 1.96, -1.16, -0.08, 0.4, 1.24, -0.88, 0.4, -0.32, -0.56, -0.28, 0.4, -0.92, -0.96, 0.32, -1, 2.68, 0.04, -0.48, 0.4, -0.72, -0.44, 1.24, -0.88, 0.4, 1.36, -0.56, -0.28, 0.4, -1.04, -0.96, 0.32, -1, 0.76, 0.04, -0.48, 0.4, -1.76, 2.92, -1, 0.08, 0.64, -0.68, 0.4, -0.52, -1.16, -0.08, 0.4, -1.12, 1.24, -0.88, 0.4, -0.32, -0.24, -1.76, 2.92, -1, 0.16, 0.64, -0.68, 0.4, 1.96, -1.16, -0.08, 0.4, -0.44, 1.24, -0.88, 0.4, -0.56, -0.28, 0.4, -0.92, -0.96, 0.32, -1, 2.68, 0.04, -0.48, 0.4, -0.72, -1.76, 2.92, -1, 0.08, 1.36, -0.56, -0.28, 0.4, -1.04, -0.96, 0.32, -1, 0.76, 0.04, -0.48, 0.4, -0.24, -1.76, 2.92, -1]],
  ['maxPool 2-D', () => ops.maxPool(X, 2), [2, 2, 2, 3], [1.3, 1.8, 1.3, 1.8, 1.3, 1.8, 1.8, 1.3, 1.8, 1.3, 1.8, 1.3, 1.3, 1.8, 1.8, 1.8, 1.3, 1.8, 1.3, 1.8, 1.3, 1.8, 1.3, 1.8]],
  ['averagePool 2-D pool 3 stride 1', () => ops.averagePool(X, 3, 1), [2, 3, 2, 3], [0.4666666667, 0.1888888889, 0.3, 0.4111111111, 0.1333333333, 0.2444444444, 0.2444444444, 0.3555555556, 0.4666666667, 0.1888888889, 0.3, 0.4111111111, 0.4111111111, 0.1333333333, 0.2444444444, 0.3555555556, 0.4666666667, 0.1888888889, 0.1333333333, 0.2444444444, 0.3555555556, 0.4666666667, 0.1888888889, 0.3, 0.3, 0.4111111111, 0.1333333333, 0.2444444444, 0.3555555556, 0.4666666667, 0.4666666667, 0.1888888889, 0.3, 0.4111111111, 0.1333333333, 0.2444444444]],
  ['averagePool 2-D same (TF: the real cells averaged)', () => ops.averagePool(X, [3, 2], [2, 1], 'same'), [2, 3, 4, 3], [-0.075, 0.425, 0.05, 0.55, 0.175, 0.675, 0.3, -0.075, 0.425, -0.7, -0.2, 0.3, 0.4666666667, 0.3833333333, 0.3, 0.2166666667, 0.1333333333, 0.6333333333, -0.03333333333, 0.4666666667, 0.3833333333, 0.1333333333, 0.6333333333, -0.03333333333, 0.425, 0.05, 0.55, 0.175, 0.675, 0.3, -0.075, 0.425, 0.05, -0.2, 0.3, 0.8, 0.175, 0.675, 0.3, -0.075, 0.425, 0.05, 0.55, 0.175, 0.675, 1.3, 0.05, 0.55, 0.1333333333, 0.6333333333, -0.03333333333, 0.4666666667, 0.3833333333, 0.3, 0.2166666667, 0.1333333333, 0.6333333333, -0.2, 0.3, 0.8, 0.675, 0.3, -0.075, 0.425, 0.05, 0.55, 0.175, 0.675, 0.3, 0.05, 0.55, -0.7]],
  ['maxPool 1-D', () => ops.maxPool(X1, 2, 1), [2, 4, 3], [1.3, 1.8, -0.2, 1.3, 1.8, 1.3, 0.3, 0.8, 1.3, 1.8, -0.2, 0.3, 0.8, 1.3, 1.8, -0.2, 0.3, 0.8, 1.3, 1.8, -0.2, 1.3, 1.8, 1.3]],
  ['adaptiveAveragePool 2-D to [2, 3]', () => ops.adaptiveAveragePool(X, [2, 3]), [2, 2, 3, 3], [0.3, 0.2166666667, 0.1333333333, 0.6333333333, -0.03333333333, 0.4666666667, 0.3833333333, 0.3, 0.2166666667, 0.6333333333, -0.03333333333, 0.4666666667, 0.3833333333, 0.3, 0.2166666667, 0.1333333333, 0.6333333333, -0.03333333333, -0.03333333333, 0.4666666667, 0.3833333333, 0.3, 0.2166666667, 0.1333333333, 0.6333333333, -0.03333333333, 0.4666666667, 0.3, 0.2166666667, 0.1333333333, 0.6333333333, -0.03333333333, 0.4666666667, 0.3833333333, 0.3, 0.2166666667]],
  ['adaptiveMaxPool 1-D to 3', () => ops.adaptiveMaxPool(X1, 3), [2, 3, 3], [1.3, 1.8, -0.2, 1.3, 1.8, 1.3, 1.8, -0.2, 0.3, 0.8, 1.3, 1.8, 1.3, 1.8, 0.8, 1.3, 1.8, 1.3]],
  ['batchNormalization', () => ops.batchNormalization(A, [0.5, -1, 2, 0], [1, 0.25, 4, 2], -1, [0.1, 0.2, 0.3, 0.4], [2, 1, 0.5, -1]), [3, 4], [-5.897002248, 0.2, -0.1999375117, 0.04653496462, 2.099000749, 6.18803588, -0.2749281385, -2.215641262, -0.3997501873, -5.78803588, 0.4249843779, -0.3069300708]],
  ['batchNormalization axis 0', () => ops.batchNormalization(A, [1, 0, -1], [1, 2, 3], 0), [3, 4], [-3.498251311, -1.999000749, -0.9995003747, -0.4997501873, 1.060395106, 1.413860142, -0.2120790212, 2.615641262, 0.7215675852, -1.731762205, 2.020389239, 1.154508136]],
  ['layerNormalization', () => ops.layerNormalization(A, [2, 1, 0.5, -1], [0.1, 0.2, 0.3, 0.4]), [3, 4], [-2.955050347, -0.01821788192, 0.6273268229, -0.6910894096, -0.2156923149, 0.3929230813, -0.4103077085, -0.985538493, 0.3589769874, -1.431555021, 0.8309028242, -0.04026087858]],
  ['rmsNormalization', () => ops.rmsNormalization(A, [2, 1, 0.5, -1]), [3, 4], [-3.651483619, -0.7302967239, 0, -0.3651483619, 1.340635673, 0.8937571154, -0.06703178366, -1.653450664, 0.2071121475, -1.65689718, 0.5177803686, -0.4142242949]],
  ['normalize L2', () => ops.normalize(A), [3, 4], [-0.9128709292, -0.3651483717, 0, 0.1825741858, 0.3351589216, 0.4468785622, -0.06703178433, 0.82672534, 0.05177803731, -0.8284485969, 0.5177803731, 0.2071121492]],
  ['normalize L1 axis 0', () => ops.normalize(A, 0, 1), [3, 4], [-0.5882352941, -0.1428571429, 0, 0.09615384615, 0.3529411765, 0.2857142857, -0.1071428571, 0.7115384615, 0.05882352941, -0.5714285714, 0.8928571429, 0.1923076923]],
  ['binaryCrossentropy', () => ops.binaryCrossentropy(T, P), [2, 3], [0.1053605157, 0.5108256238, 0.3566749439, 1.609437912, 0.1625189295, 2.995732274]],
  ['binaryCrossentropy logits', () => ops.binaryCrossentropy(T, Lg, true), [2, 3], [1.701413278, 0.9740769842, 0.7981388694, 0.3132616875, 2.126928011, 0.5543552445]],
  ['categoricalCrossentropy', () => ops.categoricalCrossentropy(T, P), [2], [0.5108256238, 2.995732274]],
  ['categoricalCrossentropy logits', () => ops.categoricalCrossentropy(T, Lg, true), [2], [2.342075847, 1.909020767]],
  ['sparseCategoricalCrossentropy logits', () => ops.sparseCategoricalCrossentropy([1, 2], Lg, true), [2], [2.342075847, 1.909020767]],
  ['psnr', () => ops.psnr(P, T, 1), [], [5.168883816]],
  ['multiHot', () => ops.multiHot([[0, 2], [1, 1]], 4), [2, 4], [1, 0, 1, 0, 0, 1, 0, 0]],
  ['inTopK', () => ops.inTopK([1, 2, 0], A.map((r) => r.slice(0, 3)), 2), [3], [1, 0, 1]],
  ['dotProductAttention grouped heads', () => ops.dotProductAttention(Q, KK, V), [1, 3, 2, 4], [0.2722587435, 0.8407710522, 0.1874667412, 0.3211160103, 0.4025267489, 0.7806237874, -0.5126705731, 0.1584462239, 0.1392051511, 0.6209007186, 0.4964264164, 0.7338415917, 0.2552170736, 0.3061653435, 0.9142323781, 1.118666656, 0.3371513774, 0.7276356558, -0.3345564366, 0.3017147449, 0.3234604882, 0.7219923413, 0.6122039591, 0.5181133997]],
  ['dotProductAttention mask', () => ops.dotProductAttention(Q, KK, V, null, [[[[true, true, false, true]]]]), [1, 3, 2, 4], [-0.292125754, 0.663732311, 0.1237287907, 0.8867472233, -0.0536623808, 0.6045506033, -0.7975438821, 0.6051598132, -0.2124520192, 0.4728732393, 0.5253133844, 1.145431159, -0.01848843113, 0.1265335508, 1.012431582, 1.53126112, -0.07233859381, 0.5618172283, -0.5289811302, 0.7248836346, -0.2611025046, 0.4852407041, 0.7120516773, 1.202274665]],
  ['dotProductAttention causal', () => ops.dotProductAttention(Q, KK, V, null, null, null, true), [1, 3, 2, 4], [-1.26, 1.51, 1.35, 0.78, -1.26, 1.51, 1.35, 0.78, -0.3169549025, 0.3808275806, 1.418246685, 1.512100799, -0.02191855993, 0.02756038097, 1.439597999, 1.741142171, 0.7699222596, 0.8144534605, 0.8918604832, 0.1755548079, 0.3975149485, 0.7361851393, 1.047702861, 0.5451547985]],
  ['ctcLoss', () => ops.ctcLoss([[1, 2, 0], [3, 3, 1]], CTC_LOGITS, [2, 3], [5, 4]), [2], [2.661302884, 2.752254325]],
  ['unfold', () => ops.unfold(ops.transpose(X, [0, 3, 1, 2]), [2, 3], 1, 1, [2, 1]), [2, 18, 12], [0, 0, 0, 0, 0, 1.3, -0.7, 0.8, 0, -0.7, 0.8, -1.2, 0, 0, 0, 0, 1.3, -0.7, 0.8, -1.2, -0.7, 0.8, -1.2, 0.3, 0, 0, 0, 0, -0.7, 0.8, -1.2, 0, 0.8, -1.2, 0.3, 0, 0, -1.2, 0.3, 1.8, 0, 0.3, 1.8, -0.2, 0, 1.8, -0.2, 1.3, -1.2, 0.3, 1.8, -0.2, 0.3, 1.8, -0.2, 1.3, 1.8, -0.2, 1.3, -0.7, 0.3, 1.8, -0.2, 0, 1.8, -0.2, 1.3, 0, -0.2, 1.3, -0.7, 0, 0, 0, 0, 0, 0, 1.8, -0.2, 1.3, 0, -0.2, 1.3, -0.7, 0, 0, 0, 0, 1.8, -0.2, 1.3, -0.7, -0.2, 1.3, -0.7, 0.8, 0, 0, 0, 0, -0.2, 1.3, -0.7, 0, 1.3, -0.7, 0.8, 0, 0, -0.7, 0.8, -1.2, 0, 0.8, -1.2, 0.3, 0, -1.2, 0.3, 1.8, -0.7, 0.8, -1.2, 0.3, 0.8, -1.2, 0.3, 1.8, -1.2, 0.3, 1.8, -0.2, 0.8, -1.2, 0.3, 0, -1.2, 0.3, 1.8, 0, 0.3, 1.8, -0.2, 0, 0, 0, 0, 0, 0, -1.2, 0.3, 1.8, 0, 0.3, 1.8, -0.2, 0, 0, 0, 0, -1.2, 0.3, 1.8, -0.2, 0.3, 1.8, -0.2, 1.3, 0, 0, 0, 0, 0.3, 1.8, -0.2, 0, 1.8, -0.2, 1.3, 0, 0, -0.2, 1.3, -0.7, 0, 1.3, -0.7, 0.8, 0, -0.7, 0.8, -1.2, -0.2, 1.3, -0.7, 0.8, 1.3, -0.7, 0.8, -1.2, -0.7, 0.8, -1.2, 0.3, 1.3, -0.7, 0.8, 0, -0.7, 0.8, -1.2, 0, 0.8, -1.2, 0.3, 0, 0, 0, 0, 0, 0, -0.2, 1.3, -0.7, 0, 1.3, -0.7, 0.8, 0, 0, 0, 0, -0.2, 1.3, -0.7, 0.8, 1.3, -0.7, 0.8, -1.2, 0, 0, 0, 0, 1.3, -0.7, 0.8, 0, -0.7, 0.8, -1.2, 0, 0, 0.8, -1.2, 0.3, 0, -1.2, 0.3, 1.8, 0, 0.3, 1.8, -0.2, 0.8, -1.2, 0.3, 1.8, -1.2, 0.3, 1.8, -0.2, 0.3, 1.8, -0.2, 1.3, -1.2, 0.3, 1.8, 0, 0.3, 1.8, -0.2, 0, 1.8, -0.2, 1.3, 0, 0, 0, 0, 0, 0, 0.3, 1.8, -0.2, 0, 1.8, -0.2, 1.3, 0, 0, 0, 0, 0.3, 1.8, -0.2, 1.3, 1.8, -0.2, 1.3, -0.7, 0, 0, 0, 0, 1.8, -0.2, 1.3, 0, -0.2, 1.3, -0.7, 0, 0, 1.3, -0.7, 0.8, 0, -0.7, 0.8, -1.2, 0, 0.8, -1.2, 0.3, 1.3, -0.7, 0.8, -1.2, -0.7, 0.8, -1.2, 0.3, 0.8, -1.2, 0.3, 1.8, -0.7, 0.8, -1.2, 0, 0.8, -1.2, 0.3, 0, -1.2, 0.3, 1.8, 0, 0, 0, 0, 0, 0, 0.8, -1.2, 0.3, 0, -1.2, 0.3, 1.8, 0, 0, 0, 0, 0.8, -1.2, 0.3, 1.8, -1.2, 0.3, 1.8, -0.2, 0, 0, 0, 0, -1.2, 0.3, 1.8, 0, 0.3, 1.8, -0.2, 0, 0, 1.8, -0.2, 1.3, 0, -0.2, 1.3, -0.7, 0, 1.3, -0.7, 0.8, 1.8, -0.2, 1.3, -0.7, -0.2, 1.3, -0.7, 0.8, 1.3, -0.7, 0.8, -1.2, -0.2, 1.3, -0.7, 0, 1.3, -0.7, 0.8, 0, -0.7, 0.8, -1.2, 0]],
  ['unfold dilation 2', () => ops.unfold(ops.transpose(X, [0, 3, 1, 2]), 2, 2), [2, 12, 6], [-1.2, 0.3, 1.3, -0.7, 0.3, 1.8, 1.8, -0.2, 0.8, -1.2, -0.2, 1.3, 0.3, 1.8, -0.7, 0.8, 1.8, -0.2, -0.2, 1.3, -1.2, 0.3, 1.3, -0.7, -0.7, 0.8, 1.8, -0.2, 0.8, -1.2, -1.2, 0.3, 1.3, -0.7, 0.3, 1.8, 0.8, -1.2, -0.2, 1.3, -1.2, 0.3, 0.3, 1.8, -0.7, 0.8, 1.8, -0.2, -0.2, 1.3, -1.2, 0.3, 1.3, -0.7, -0.7, 0.8, 1.8, -0.2, 0.8, -1.2, 1.3, -0.7, 0.3, 1.8, -0.7, 0.8, 0.8, -1.2, -0.2, 1.3, -1.2, 0.3, 0.8, -1.2, -0.2, 1.3, -1.2, 0.3, 0.3, 1.8, -0.7, 0.8, 1.8, -0.2, -1.2, 0.3, 1.3, -0.7, 0.3, 1.8, 1.8, -0.2, 0.8, -1.2, -0.2, 1.3, 1.3, -0.7, 0.3, 1.8, -0.7, 0.8, 0.8, -1.2, -0.2, 1.3, -1.2, 0.3, -0.7, 0.8, 1.8, -0.2, 0.8, -1.2, -1.2, 0.3, 1.3, -0.7, 0.3, 1.8, 1.8, -0.2, 0.8, -1.2, -0.2, 1.3, 1.3, -0.7, 0.3, 1.8, -0.7, 0.8, -0.2, 1.3, -1.2, 0.3, 1.3, -0.7, -0.7, 0.8, 1.8, -0.2, 0.8, -1.2]],
  ['fold', () => ops.fold(ops.unfold(ops.transpose(X, [0, 3, 1, 2]), [2, 3], 1, 1, [2, 1]), [5, 4], [2, 3], 1, 1, [2, 1]), [2, 3, 5, 4], [-2.4, 0.9, 5.4, -0.4, 2.6, -2.1, 2.4, -2.4, 0.6, 5.4, -0.6, 2.6, -1.4, 2.4, -3.6, 0.6, 3.6, -0.6, 3.9, -1.4, -1.4, 2.4, -3.6, 0.6, 3.6, -0.6, 3.9, -1.4, 1.6, -3.6, 0.9, 3.6, -0.4, 3.9, -2.1, 1.6, -2.4, 0.9, 5.4, -0.4, -0.4, 3.9, -2.1, 1.6, -2.4, 0.9, 5.4, -0.4, 2.6, -2.1, 2.4, -2.4, 0.6, 5.4, -0.6, 2.6, -1.4, 2.4, -3.6, 0.6, 1.6, -3.6, 0.9, 3.6, -0.4, 3.9, -2.1, 1.6, -2.4, 0.9, 5.4, -0.4, 2.6, -2.1, 2.4, -2.4, 0.6, 5.4, -0.6, 2.6, 2.6, -2.1, 2.4, -2.4, 0.6, 5.4, -0.6, 2.6, -1.4, 2.4, -3.6, 0.6, 3.6, -0.6, 3.9, -1.4, 1.6, -3.6, 0.9, 3.6, 3.6, -0.6, 3.9, -1.4, 1.6, -3.6, 0.9, 3.6, -0.4, 3.9, -2.1, 1.6, -2.4, 0.9, 5.4, -0.4, 2.6, -2.1, 2.4, -2.4]],
];

test.each(cases)('ops %s equals the reference', (_label, call, shape, expected) => {
  const out = call();
  expect(out.shape).toEqual(shape);
  const got = flat(out);
  got.forEach((v, i) => {
    if (!(Math.abs(v - expected[i]) <= 2e-5 + 2e-5 * Math.abs(expected[i]))) throw new Error(`value ${i}: got ${v}, expected ${expected[i]}`);
  });
  out.dispose();
});

test('ctcDecode greedy merges repeats, drops blanks, pads with -1 and scores -sum(max), as Keras', () => {
  // Step argmaxes by construction: b0 = [1, 1, 0, 1, 2] (length 5) -> [1, 1, 2]; b1 = [2, 2, 2, 0, 3] (length 3) -> [2].
  const onehot = (ids: number[]): number[][] => ids.map((c) => [0, 1, 2, 3].map((j) => (j === c ? 2 : 0)));
  const x = [onehot([1, 1, 0, 1, 2]), onehot([2, 2, 2, 0, 3])];
  const [decoded, scores] = ops.ctcDecode(x, [5, 3]);
  expect(decoded.shape).toEqual([1, 2, 5]);
  expect(flat(decoded)).toEqual([1, 1, 2, -1, -1, 2, -1, -1, -1, -1]);
  expectClose(scores, [[-10], [-6]]);
  const [unmerged] = ops.ctcDecode(x, [5, 3], 'greedy', 100, 1, false);
  expect(flat(unmerged).slice(5)).toEqual([2, 2, 2, -1, -1]);
  expect(() => ops.ctcDecode(x, [5, 3], 'beam_search')).toThrow(/beam_search.*help:.*greedy/);
  [decoded, scores, unmerged].forEach((t) => t.dispose());
});

test('gradients flow through conv, attention and ctcLoss (finite against a central difference)', () => {
  const loss = (x: tfc.Tensor): tfc.Tensor => ops.sum(ops.ctcLoss([[1, 2, 0], [3, 3, 1]], x, [2, 3], [5, 4]));
  const g = tfc.grad(loss)(tfc.tensor(CTC_LOGITS));
  const h = 1e-2;
  const bump = (d: number): number => tfc.tidy(() => loss(tfc.add(tfc.tensor(CTC_LOGITS), tfc.mul(d, tfc.oneHot(tfc.tensor1d([6], 'int32'), 40).reshape([2, 5, 4])))).dataSync()[0]);
  expect(flat(g)[6]).toBeCloseTo((bump(h) - bump(-h)) / (2 * h), 2);
  const gc = tfc.grad((x: tfc.Tensor) => ops.sum(ops.conv(x, K)))(tfc.tensor(X));
  expect(flat(gc).every(Number.isFinite)).toBe(true);
  const ga = tfc.grad((q: tfc.Tensor) => ops.sum(ops.dotProductAttention(q, KK, V, null, null, null, true)))(tfc.tensor(Q));
  expect(flat(ga).some((v) => v !== 0)).toBe(true);
  [g, gc, ga].forEach((t) => t.dispose());
});

test('polar, viewAsReal, viewAsComplex and view, by hand', () => {
  const [re, im] = ops.polar([2, 1], [Math.PI / 2, Math.PI]);
  expectClose(re, [0, -1], 1e-6);
  expectClose(im, [2, 0], 1e-6);
  expectClose(ops.viewAsReal([[1, 2], [3, 4]]), [[1, 3], [2, 4]]);
  const [r2, i2] = ops.viewAsComplex([[1, 3], [2, 4]]);
  expect([...flat(r2), ...flat(i2)]).toEqual([1, 2, 3, 4]);
  // 1.0f is 0x3f800000 = 1065353216; -2.0f is 0xc0000000 = -1073741824 as int32.
  expect(flat(ops.view([1, -2], 'int32'))).toEqual([1065353216, -1073741824]);
  expect(flat(ops.view(tfc.tensor1d([1065353216], 'int32'), 'float32'))).toEqual([1]);
  expect(() => ops.view([1], 'bool' as 'int32')).toThrow(/view.*help:/);
  expect(() => ops.fold(tfc.zeros([1, 12, 6]), [5, 4], [2, 3], 2)).toThrow(/dilation.*help:/);
  [re, im, r2, i2].forEach((t) => t.dispose());
});

/** The gradient of sum(f(x) * w) (w a fixed pattern) at a few entries against central differences of f itself, in float32. */
function expectGradMatchesDifferences(f: (x: tfc.Tensor) => tfc.Tensor, x0: tfc.TensorLike, h = 1e-2, tol = 2e-2): void {
  tfc.tidy(() => {
    const x = tfc.tensor(x0);
    const out = f(x);
    const w = tfc.reshape(tfc.sin(tfc.range(0, out.size)), out.shape);
    const loss = (t: tfc.Tensor): tfc.Tensor => tfc.sum(tfc.mul(f(t), w));
    const g = tfc.grad(loss)(x).dataSync();
    for (const i of [0, Math.floor(x.size / 3), Math.floor((2 * x.size) / 3), x.size - 1]) {
      const bump = (d: number): number => loss(tfc.add(x, tfc.reshape(tfc.oneHot(tfc.tensor1d([i], 'int32'), x.size).mul(d), x.shape))).dataSync()[0];
      const fd = (bump(h) - bump(-h)) / (2 * h);
      if (Math.abs(g[i] - fd) > tol * (1 + Math.abs(fd))) throw new Error(`entry ${i}: gradient ${g[i]}, central difference ${fd}`);
    }
  });
}

test.each([
  ['conv same stride 2', (x: tfc.Tensor) => ops.conv(x, K, 2, 'same')],
  ['convTranspose', (x: tfc.Tensor) => ops.convTranspose(x, KT, 2)],
  ['depthwiseConv', (x: tfc.Tensor) => ops.depthwiseConv(x, DW)],
  ['separableConv', (x: tfc.Tensor) => ops.separableConv(x, DW, PW)],
  ['averagePool same (the gradient of tfjs-core avgPool with same padding is wrong at the edges)', (x: tfc.Tensor) => ops.averagePool(x, [3, 2], [2, 1], 'same')],
  ['averagePool 1-D same', (x: tfc.Tensor) => ops.averagePool(ops.reshape(x, [2, 20, 3]), 3, 2, 'same')],
  ['adaptiveAveragePool', (x: tfc.Tensor) => ops.adaptiveAveragePool(x, [2, 3])],
  ['layerNormalization', (x: tfc.Tensor) => ops.layerNormalization(x, [1, 2, 3], null, -1)],
  ['rmsNormalization', (x: tfc.Tensor) => ops.rmsNormalization(x)],
  ['normalize', (x: tfc.Tensor) => ops.normalize(x)],
  ['unfold', (x: tfc.Tensor) => ops.unfold(x, 2, 1, 1, 2)],
] as Array<[string, (x: tfc.Tensor) => tfc.Tensor]>)('the gradient of %s matches central differences', (_label, f) => {
  expectGradMatchesDifferences(f, X as number[][]);
});

test('the gradient of maxPool same matches central differences (on an input without ties, where max is differentiable)', () => {
  expectGradMatchesDifferences((x) => ops.maxPool(x, 2, 1, 'same'), nd([2, 5, 4, 3], (i) => Math.sin(1.3 * i) + i * 1e-3));
});

test('the gradients of dotProductAttention (query, with a causal mask) and the cross-entropies match central differences', () => {
  expectGradMatchesDifferences((q) => ops.dotProductAttention(q, KK, V, null, null, null, true), Q as unknown as number[][]);
  expectGradMatchesDifferences((o) => ops.categoricalCrossentropy(T, o, true), Lg);
  expectGradMatchesDifferences((o) => ops.binaryCrossentropy(T, o), P);
});

test('errors name the op, the value and the fix', () => {
  expect(() => ops.conv(X, K, 1, 'full' as 'same')).toThrow(/ops\.conv: padding.*help:/);
  expect(() => ops.conv(X, K1)).toThrow(/ops\.conv.*help:/);
  expect(() => ops.convTranspose(X, KT, 1, 'valid', null, null, 2)).toThrow(/dilationRate.*help:/);
  expect(() => ops.normalize(A, -1, 0)).toThrow(/order.*help:/);
  expect(() => ops.dotProductAttention(Q, KK, V, null, null, null, false, true)).toThrow(/flashAttention.*help:/);
});

test('the nn ops leave no tensor behind', async () => {
  const x = tfc.tensor(X);
  const xFirst = tfc.transpose(x, [0, 3, 1, 2]);
  const cols = tfc.zeros([2, 12, 4]);
  await expectNoLeak(() => {
    const outs = [ops.conv(x, K, 2, 'same'), ops.convTranspose(x, KT, 2), ops.depthwiseConv(x, DW), ops.separableConv(x, DW, PW), ops.maxPool(x, 2), ops.averagePool(x, 2, 1, 'same'), ops.adaptiveMaxPool(x, [2, 2]),
      ops.conv(xFirst, K, 1, 'valid', 'channels_first'), ops.batchNormalization(A, [0, 0, 0, 0], [1, 1, 1, 1], -1), ops.layerNormalization(A), ops.rmsNormalization(A), ops.normalize(A),
      ops.dotProductAttention(Q, KK, V, null, null, null, true), ops.binaryCrossentropy(T, P), ops.categoricalCrossentropy(T, P), ops.sparseCategoricalCrossentropy([1, 2], P), ops.psnr(P, T, 1), ops.multiHot([1, 2], 3), ops.inTopK([1], [[0.1, 0.9]], 1),
      ops.ctcLoss([[1, 2, 0], [3, 3, 1]], CTC_LOGITS, [2, 3], [5, 4]), ...ops.ctcDecode(CTC_LOGITS, [5, 4]),
      ops.unfold(xFirst, 2), ops.fold(cols, [4, 4], 2, 1, 0, 2), ...ops.polar([1], [2]), ops.viewAsReal([[1], [2]]), ...ops.viewAsComplex([[1, 2]]), ops.view([1], 'int32')];
    outs.forEach((t) => t.dispose());
  });
  x.dispose();
  xFirst.dispose();
  cols.dispose();
});
