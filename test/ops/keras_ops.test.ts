/**
 * k.ops (src/ops/keras_ops): each op against NumPy, whose functions Keras 3's keras.ops follow by
 * name and argument order. The cases' values are printed by test/reference/ops_reference.py (float64
 * NumPy) and pasted as is; a custom layer from Keras's "Making new layers and models via subclassing"
 * guide, written with k.ops, trains; stopGradient's gradient; leak counts.
 */
import * as tfc from '@tensorflow/tfjs-core';
import * as k from '../../src';
import { expectNoLeak, testBackend } from '../helpers';

beforeAll(async () => {
  await k.setBackend(testBackend());
});

const ops = k.ops;
const A = [[-2.5, -1.0, 0.0, 0.5], [1.5, 2.0, -0.3, 3.7], [0.25, -4.0, 2.5, 1.0]];
const P = [[0.5, 1.0, 2.0, 4.0], [0.1, 3.0, 7.5, 10.0]];
const B = [[1.0, -2.0, 0.5, 3.0]];
const T3 = Array.from({ length: 2 }, (_, i) => Array.from({ length: 3 }, (_, j) => Array.from({ length: 4 }, (_, l) => (i * 12 + j * 4 + l) * 0.5 - 3)));
const U = [-0.9, -0.5, 0.0, 0.3, 0.8];
const I = [[2, 0, 1, 3], [1, 1, 0, -1], [3, 2, 2, 0]];

// [label, the k.ops call, NumPy's shape, NumPy's values] from test/reference/ops_reference.py.
const cases: Array<[string, () => tfc.Tensor, number[], number[]]> = [
  ['abs', () => ops.abs(A), [3, 4], [2.5, 1, 0, 0.5, 1.5, 2, 0.3, 3.7, 0.25, 4, 2.5, 1]],
  ['add broadcast', () => ops.add(A, B), [3, 4], [-1.5, -3, 0.5, 3.5, 2.5, 0, 0.2, 6.7, 1.25, -6, 3, 4]],
  ['subtract', () => ops.subtract(A, B), [3, 4], [-3.5, 1, -0.5, -2.5, 0.5, 4, -0.8, 0.7, -0.75, -2, 2, -2]],
  ['multiply', () => ops.multiply(A, 2), [3, 4], [-5, -2, 0, 1, 3, 4, -0.6, 7.4, 0.5, -8, 5, 2]],
  ['divide', () => ops.divide(A, B), [3, 4], [-2.5, 0.5, 0, 0.1666666667, 1.5, -1, -0.6, 1.233333333, 0.25, 2, 5, 0.3333333333]],
  ['negative', () => ops.negative(A), [3, 4], [2.5, 1, -0, -0.5, -1.5, -2, 0.3, -3.7, -0.25, 4, -2.5, -1]],
  ['square', () => ops.square(A), [3, 4], [6.25, 1, 0, 0.25, 2.25, 4, 0.09, 13.69, 0.0625, 16, 6.25, 1]],
  ['sqrt', () => ops.sqrt(P), [2, 4], [0.7071067812, 1, 1.414213562, 2, 0.316227766, 1.732050808, 2.738612788, 3.16227766]],
  ['exp', () => ops.exp(A), [3, 4], [0.08208499862, 0.3678794412, 1, 1.648721271, 4.48168907, 7.389056099, 0.7408182207, 40.44730436, 1.284025417, 0.01831563889, 12.18249396, 2.718281828]],
  ['expm1', () => ops.expm1(U), [5], [-0.5934303403, -0.3934693403, 0, 0.3498588076, 1.225540928]],
  ['log', () => ops.log(P), [2, 4], [-0.6931471806, 0, 0.6931471806, 1.386294361, -2.302585093, 1.098612289, 2.014903021, 2.302585093]],
  ['log1p', () => ops.log1p(P), [2, 4], [0.4054651081, 0.6931471806, 1.098612289, 1.609437912, 0.0953101798, 1.386294361, 2.140066163, 2.397895273]],
  ['log2', () => ops.log2(P), [2, 4], [-1, 0, 1, 2, -3.321928095, 1.584962501, 2.906890596, 3.321928095]],
  ['log10', () => ops.log10(P), [2, 4], [-0.3010299957, 0, 0.3010299957, 0.6020599913, -1, 0.4771212547, 0.8750612634, 1]],
  ['power', () => ops.power(P, B), [2, 4], [0.5, 1, 1.414213562, 64, 0.1, 0.1111111111, 2.738612788, 1000]],
  ['maximum', () => ops.maximum(A, B), [3, 4], [1, -1, 0.5, 3, 1.5, 2, 0.5, 3.7, 1, -2, 2.5, 3]],
  ['minimum', () => ops.minimum(A, B), [3, 4], [-2.5, -2, 0, 0.5, 1, -2, -0.3, 3, 0.25, -4, 0.5, 1]],
  ['clip', () => ops.clip(A, -1, 2), [3, 4], [-1, -1, 0, 0.5, 1.5, 2, -0.3, 2, 0.25, -1, 2, 1]],
  ['sign', () => ops.sign(A), [3, 4], [-1, -1, 0, 1, 1, 1, -1, 1, 1, -1, 1, 1]],
  ['floor', () => ops.floor(A), [3, 4], [-3, -1, 0, 0, 1, 2, -1, 3, 0, -4, 2, 1]],
  ['ceil', () => ops.ceil(A), [3, 4], [-2, -1, 0, 1, 2, 2, -0, 4, 1, -4, 3, 1]],
  ['round half to even', () => ops.round(A), [3, 4], [-2, -1, 0, 0, 2, 2, -0, 4, 0, -4, 2, 1]],
  ['round 1 decimal', () => ops.round([0.25, 1.37, -2.45, 3.14159], 1), [4], [0.2, 1.4, -2.4, 3.1]],
  ['sin', () => ops.sin(A), [3, 4], [-0.5984721441, -0.8414709848, 0, 0.4794255386, 0.9974949866, 0.9092974268, -0.2955202067, -0.5298361409, 0.2474039593, 0.7568024953, 0.5984721441, 0.8414709848]],
  ['cos', () => ops.cos(A), [3, 4], [-0.8011436155, 0.5403023059, 1, 0.8775825619, 0.07073720167, -0.4161468365, 0.9553364891, -0.8481000317, 0.9689124217, -0.6536436209, -0.8011436155, 0.5403023059]],
  ['tan', () => ops.tan(U), [5], [-1.260158218, -0.5463024898, 0, 0.3093362496, 1.029638557]],
  ['arcsin', () => ops.arcsin(U), [5], [-1.119769515, -0.5235987756, 0, 0.304692654, 0.927295218]],
  ['arctan2', () => ops.arctan2(A, B), [3, 4], [-1.19028995, -2.677945045, 0, 0.1651486774, 0.9827937232, 2.35619449, -0.5404195003, 0.8894981015, 0.2449786631, -2.034443936, 1.373400767, 0.3217505544]],
  ['tanh', () => ops.tanh(A), [3, 4], [-0.9866142982, -0.761594156, 0, 0.4621171573, 0.9051482536, 0.9640275801, -0.2913126125, 0.9987782413, 0.2449186624, -0.9993292997, 0.9866142982, 0.761594156]],
  ['sigmoid', () => ops.sigmoid(A), [3, 4], [0.07585818002, 0.2689414214, 0.5, 0.6224593312, 0.8175744762, 0.880797078, 0.4255574832, 0.9758729786, 0.5621765009, 0.01798620996, 0.92414182, 0.7310585786]],
  ['floorDivide', () => ops.floorDivide(A, B), [3, 4], [-3, 0, 0, 0, 1, -1, -1, 1, 0, 2, 5, 0]],
  ['mod', () => ops.mod(A, 1.5), [3, 4], [0.5, 0.5, 0, 0.5, 0, 0.5, 1.2, 0.7, 0.25, 0.5, 1, 1]],
  ['greater', () => ops.greater(A, B), [3, 4], [0, 1, 0, 0, 1, 1, 0, 1, 0, 0, 1, 0]],
  ['sum all', () => ops.sum(A), [], [3.65]],
  ['sum axis 0', () => ops.sum(A, 0), [4], [-0.75, -3, 2.2, 5.2]],
  ['sum axis -1 keepdims', () => ops.sum(A, -1, true), [3, 1], [-3, 6.9, -0.25]],
  ['sum axes [0, 2]', () => ops.sum(T3, [0, 2]), [3], [6, 22, 38]],
  ['mean axis 1', () => ops.mean(A, 1), [3], [-0.75, 1.725, -0.0625]],
  ['mean all keepdims', () => ops.mean(A, null, true), [1, 1], [0.3041666667]],
  ['max axis 0', () => ops.max(A, 0), [4], [1.5, 2, 2.5, 3.7]],
  ['min axis 1 keepdims', () => ops.min(A, 1, true), [3, 1], [-2.5, -0.3, -4]],
  ['prod axis 1', () => ops.prod(P, 1), [2], [4, 22.5]],
  ['std all', () => ops.std(A), [], [2.035769545]],
  ['std axis 0', () => ops.std(A, 0), [4], [1.670828138, 2.449489743, 1.255211359, 1.405544576]],
  ['var axis 1 keepdims', () => ops.var(A, 1, true), [3, 1], [1.3125, 2.031875, 5.82421875]],
  ['argmax all', () => ops.argmax(A), [], [7]],
  ['argmax axis 1', () => ops.argmax(A, 1), [3], [3, 3, 2]],
  ['argmin axis 0 keepdims', () => ops.argmin(A, 0, true), [1, 4], [0, 2, 1, 0]],
  ['any axis 1', () => ops.any(ops.greater(A, 3), 1), [3], [0, 1, 0]],
  ['all axis 0', () => ops.all(ops.greater(A, -3), 0), [4], [1, 0, 1, 1]],
  ['logsumexp all', () => ops.logsumexp(A), [], [4.281662924]],
  ['logsumexp axis 1 keepdims', () => ops.logsumexp(A, 1, true), [3, 1], [1.130978057, 3.971402009, 2.785203622]],
  ['reshape', () => ops.reshape(A, [4, 3]), [4, 3], [-2.5, -1, 0, 0.5, 1.5, 2, -0.3, 3.7, 0.25, -4, 2.5, 1]],
  ['transpose', () => ops.transpose(T3), [4, 3, 2], [-3, 3, -1, 5, 1, 7, -2.5, 3.5, -0.5, 5.5, 1.5, 7.5, -2, 4, 0, 6, 2, 8, -1.5, 4.5, 0.5, 6.5, 2.5, 8.5]],
  ['transpose axes', () => ops.transpose(T3, [1, 0, 2]), [3, 2, 4], [-3, -2.5, -2, -1.5, 3, 3.5, 4, 4.5, -1, -0.5, 0, 0.5, 5, 5.5, 6, 6.5, 1, 1.5, 2, 2.5, 7, 7.5, 8, 8.5]],
  ['expandDims -1', () => ops.expandDims(A, -1), [3, 4, 1], [-2.5, -1, 0, 0.5, 1.5, 2, -0.3, 3.7, 0.25, -4, 2.5, 1]],
  ['squeeze', () => ops.squeeze(B, 0), [4], [1, -2, 0.5, 3]],
  ['concatenate axis 0', () => ops.concatenate([A, B], 0), [4, 4], [-2.5, -1, 0, 0.5, 1.5, 2, -0.3, 3.7, 0.25, -4, 2.5, 1, 1, -2, 0.5, 3]],
  ['concatenate axis -1', () => ops.concatenate([A, A], -1), [3, 8], [-2.5, -1, 0, 0.5, -2.5, -1, 0, 0.5, 1.5, 2, -0.3, 3.7, 1.5, 2, -0.3, 3.7, 0.25, -4, 2.5, 1, 0.25, -4, 2.5, 1]],
  ['stack axis 1', () => ops.stack([A, ops.onesLike(A)], 1), [3, 2, 4], [-2.5, -1, 0, 0.5, 1, 1, 1, 1, 1.5, 2, -0.3, 3.7, 1, 1, 1, 1, 0.25, -4, 2.5, 1, 1, 1, 1, 1]],
  ['split sections [1]', () => ops.split(A, 2, 1)[1], [3, 2], [0, 0.5, -0.3, 3.7, 2.5, 1]],
  ['split indices [1]', () => ops.split(A, [1, 3], 1)[1], [3, 2], [-1, 0, 2, -0.3, -4, 2.5]],
  ['split indices [2]', () => ops.split(A, [1, 3], 1)[2], [3, 1], [0.5, 3.7, 1]],
  ['tile', () => ops.tile(B, [2, 2]), [2, 8], [1, -2, 0.5, 3, 1, -2, 0.5, 3, 1, -2, 0.5, 3, 1, -2, 0.5, 3]],
  ['tile short reps', () => ops.tile(A, 2), [3, 8], [-2.5, -1, 0, 0.5, -2.5, -1, 0, 0.5, 1.5, 2, -0.3, 3.7, 1.5, 2, -0.3, 3.7, 0.25, -4, 2.5, 1, 0.25, -4, 2.5, 1]],
  ['repeat axis 0', () => ops.repeat(A, 2, 0), [6, 4], [-2.5, -1, 0, 0.5, -2.5, -1, 0, 0.5, 1.5, 2, -0.3, 3.7, 1.5, 2, -0.3, 3.7, 0.25, -4, 2.5, 1, 0.25, -4, 2.5, 1]],
  ['repeat flat counts', () => ops.repeat([1, 2, 3], [3, 0, 2]), [5], [1, 1, 1, 3, 3]],
  ['broadcastTo', () => ops.broadcastTo(B, [3, 4]), [3, 4], [1, -2, 0.5, 3, 1, -2, 0.5, 3, 1, -2, 0.5, 3]],
  ['take flat', () => ops.take(A, [0, 5, -1]), [3], [-2.5, 2, 1]],
  ['take axis 1', () => ops.take(A, [[3, 0], [-1, 1]], 1), [3, 2, 2], [0.5, -2.5, 0.5, -1, 3.7, 1.5, 3.7, 2, 1, 0.25, 1, -4]],
  ['takeAlongAxis axis 1', () => ops.takeAlongAxis(A, I, 1), [3, 4], [0, -2.5, -1, 0.5, 2, 2, 1.5, 3.7, 1, 2.5, 2.5, 0.25]],
  ['takeAlongAxis axis 0', () => ops.takeAlongAxis(A, [[2, 0, 1, 1]], 0), [1, 4], [0.25, -1, -0.3, 3.7]],
  ['takeAlongAxis argsort-style', () => ops.takeAlongAxis(T3, ops.expandDims(ops.argmax(T3, -1), -1), -1), [2, 3, 1], [-1.5, 0.5, 2.5, 4.5, 6.5, 8.5]],
  ['where', () => ops.where(ops.greater(A, 0), A, B), [3, 4], [1, -2, 0.5, 0.5, 1.5, 2, 0.5, 3.7, 0.25, -2, 2.5, 1]],
  ['slice', () => ops.slice(T3, [1, 0, 1], [1, 2, 3]), [1, 2, 3], [3.5, 4, 4.5, 5.5, 6, 6.5]],
  ['roll flat', () => ops.roll(A, 2), [3, 4], [2.5, 1, -2.5, -1, 0, 0.5, 1.5, 2, -0.3, 3.7, 0.25, -4]],
  ['roll axis 1', () => ops.roll(A, -1, 1), [3, 4], [-1, 0, 0.5, -2.5, 2, -0.3, 3.7, 1.5, -4, 2.5, 1, 0.25]],
  ['roll two axes', () => ops.roll(A, [1, 2], [0, 1]), [3, 4], [2.5, 1, 0.25, -4, 0, 0.5, -2.5, -1, -0.3, 3.7, 1.5, 2]],
  ['flip all', () => ops.flip(A), [3, 4], [1, 2.5, -4, 0.25, 3.7, -0.3, 2, 1.5, 0.5, 0, -1, -2.5]],
  ['flip axis 1', () => ops.flip(A, 1), [3, 4], [0.5, 0, -1, -2.5, 3.7, -0.3, 2, 1.5, 1, 2.5, -4, 0.25]],
  ['diff', () => ops.diff(A), [3, 3], [1.5, 1, 0.5, 0.5, -2.3, 4, -4.25, 6.5, -1.5]],
  ['diff n 2 axis 0', () => ops.diff(A, 2, 0), [1, 4], [-5.25, -9, 3.1, -5.9]],
  ['trace', () => ops.trace(A), [], [2]],
  ['trace offset 1', () => ops.trace(A, 1), [], [-0.3]],
  ['trace 3-D axes 1 2', () => ops.trace(T3, -1, 1, 2), [2], [0.5, 12.5]],
  ['matmul', () => ops.matmul(A, ops.transpose(P)), [3, 2], [-0.25, 1.75, 16.95, 40.9, 5.125, 16.775]],
  ['matmul batched', () => ops.matmul(T3, ops.transpose(A)), [2, 3, 3], [9.25, -14.45, 2.75, 3.25, -0.65, 2.25, -2.75, 13.15, 1.75, -8.75, 26.95, 1.25, -14.75, 40.75, 0.75, -20.75, 54.55, 0.25]],
  ['matmul vector', () => ops.matmul(A, [1, 2, 3, 4]), [3], [-2.5, 19.4, 3.75]],
  ['dot 2-D', () => ops.dot(A, ops.transpose(B)), [3, 1], [1, 8.45, 12.5]],
  ['dot 3-D', () => ops.dot(A, ops.transpose(T3, [0, 2, 1])), [3, 2, 3], [9.25, 3.25, -2.75, -8.75, -14.75, -20.75, -14.45, -0.65, 13.15, 26.95, 40.75, 54.55, 2.75, 2.25, 1.75, 1.25, 0.75, 0.25]],
  ['einsum ij,kj->ik', () => ops.einsum('ij,kj->ik', A, P), [3, 2], [-0.25, 1.75, 16.95, 40.9, 5.125, 16.775]],
  ['softmax', () => ops.softmax(A), [3, 4], [0.02649026274, 0.118721121, 0.3227174659, 0.5320711504, 0.08446635332, 0.1392614734, 0.0139621943, 0.762309979, 0.07924558151, 0.001130377511, 0.7518611436, 0.1677628974]],
  ['logSoftmax axis 0', () => ops.logSoftmax(A, 0), [3, 4], [-4.266065434, -3.050945764, -2.633564571, -3.302527451, -0.2660654342, -0.05094576352, -2.933564571, -0.1025274514, -1.516065434, -6.050945764, -0.1335645707, -2.802527451]],
  ['relu', () => ops.relu(A), [3, 4], [0, 0, 0, 0.5, 1.5, 2, 0, 3.7, 0.25, 0, 2.5, 1]],
  ['arange stop', () => ops.arange(5), [5], [0, 1, 2, 3, 4]],
  ['arange float step', () => ops.arange(1, 2, 0.25), [4], [1, 1.25, 1.5, 1.75]],
  ['eye k 1', () => ops.eye(3, 4, 1), [3, 4], [0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]],
  ['linspace', () => ops.linspace(0, 1, 5), [5], [0, 0.25, 0.5, 0.75, 1]],
  ['linspace no endpoint', () => ops.linspace(0, 1, 4, false), [4], [0, 0.25, 0.5, 0.75]],
  ['full', () => ops.full([2, 3], 7), [2, 3], [7, 7, 7, 7, 7, 7]],
];

/** Relative-and-absolute closeness for float32 results against float64 references. */
function expectValues(actual: tfc.Tensor, shape: number[], expected: number[]): void {
  expect(actual.shape).toEqual(shape);
  const got = Array.from(actual.dataSync());
  expect(got.length).toBe(expected.length);
  got.forEach((v, i) => {
    if (Math.abs(v - expected[i]) > 1e-5 + 2e-6 * Math.abs(expected[i])) throw new Error(`value ${i}: got ${v}, expected ${expected[i]}`);
  });
}

test.each(cases)('ops %s equals NumPy', (_label, call, shape, expected) => {
  const out = call();
  expectValues(out, shape, expected);
  out.dispose();
});

// The cases that call one op and keep all it returns (a nested call's inner result, and the parts of
// a split the case does not pick, are the case's own undisposed tensors; split is checked below).
const single = cases.filter(([, call]) => (call.toString().match(/ops\.\w+\(/g) ?? []).length === 1 && !call.toString().includes('split'));

test('every single-op case leaves no tensor behind, given arrays or tensors', async () => {
  expect(single.length).toBeGreaterThan(70);
  const leaking = single.filter(([, call]) => {
    const before = tfc.memory().numTensors;
    call().dispose();
    return tfc.memory().numTensors !== before;
  });
  expect(leaking.map(([label]) => label)).toEqual([]);
  const a = tfc.tensor(A);
  const img = tfc.ones([4, 4, 1]);
  await expectNoLeak(() => {
    for (const out of [ops.sum(a, 0), ops.takeAlongAxis(a, I, 1), ops.trace(a), ops.roll(a, 1, 1), ops.stopGradient(a), ops.image.resize(img, [2, 2]), ops.image.affineTransform(img, [1, 0, 1, 0, 1, 0, 0, 0])]) out.dispose();
    ops.split(a, [1, 3], 1).forEach((t) => t.dispose());
  });
  a.dispose();
  img.dispose();
});
