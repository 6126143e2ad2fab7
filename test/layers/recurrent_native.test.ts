/**
 * The native LSTM and GRU sequence kernels (native/cpu/rnn.cc through ops/recurrent_native.ts):
 * outputs, final states and the gradients of a fixed loss with respect to the inputs, kernels,
 * biases and initial states against PyTorch's LSTMCell / GRUCell run step by step
 * (test/reference/recurrent_grad_references.py, in recurrent_grad_refs.ts), on 'native' and on 'cpu'
 * (the generic path); then the two paths against each other on larger random shapes, masked,
 * goBackwards and Bidirectional, with no fallback and no leaked tensor (match_cpu.ts); and where the
 * native kernel must not run (other activations, recurrent dropout in training).
 */
import * as tfc from '@tensorflow/tfjs-core';
import * as k from '../../src';
import { FusedKernel } from '../../src/engine/fused_kernels';
import { matches, random } from '../backend/native/match_cpu';
import { expectClose, nativeBuilt } from '../helpers';
import { GRAD_REF } from './recurrent_grad_refs';

const L = k.layers;
const onNative = nativeBuilt() ? describe : describe.skip;
const seq = (n: number, a = 0, scale = 1): number[] => Array.from({ length: n }, (_, i) => scale * Math.sin(0.7 * i + a));
const [B, T, F, U] = [2, 5, 3, 4];
const MASK = [[1, 1, 1, 0, 0], [0, 1, 1, 1, 1]];

/** The reference script's weights (times `sign`): kernel, recurrent kernel, bias (2 rows for GRU). */
function weights(gates: number, biasRows = 1, sign = 1): tfc.Tensor[] {
  const g = gates * U;
  const scaled = (v: number[]): number[] => v.map((e) => sign * e);
  return [
    tfc.tensor(scaled(seq(F * g, 0.3, 0.5)), [F, g]),
    tfc.tensor(scaled(seq(U * g, 1.1, 0.5)), [U, g]),
    tfc.tensor(scaled(seq(biasRows * g, 2.0, 0.3)), biasRows > 1 ? [biasRows, g] : [g]),
  ];
}

/** A variable holding these values (the tensor it was made from freed). */
function variable(values: number[], shape: number[]): tfc.Variable {
  const t = tfc.tensor(values, shape);
  const v = tfc.variable(t);
  t.dispose();
  return v;
}

interface Case {
  layer: k.layers.RNN<true>;
  gates: number;
  biasRows: number;
  mask: boolean;
  initial: number; // how many initial states are given (0: zeros)
}

/** Outputs, final states, the loss and its gradients (x, kernel, recurrent kernel, bias, initial states), as the reference names them. */
function runCase(c: Case): Record<string, tfc.Tensor> {
  const x = variable(seq(B * T * F, 0.5), [B, T, F]);
  const states = [seq(B * U, 3.0, 0.5), seq(B * U, 4.0, 0.5)].slice(0, c.initial).map((v) => variable(v, [B, U]));
  const mask = c.mask ? tfc.tensor2d(MASK, undefined, 'bool') : undefined;
  tfc.dispose(c.layer.applyMulti([x, ...states], { mask })); // builds
  const given = weights(c.gates, c.biasRows);
  c.layer.setWeights(given);
  tfc.dispose(given);
  const [kernel, recurrent, bias] = c.layer.trainableWeights.map((w) => w.value);
  const outputs = c.layer.applyMulti([x, ...states], { mask });
  const loss = (): tfc.Scalar => {
    const [out, h, cState] = c.layer.applyMulti([x, ...states], { mask });
    const terms = [tfc.sum(tfc.mul(out, tfc.tensor(seq(B * T * U, 5.0), out.shape))), tfc.sum(tfc.mul(h, tfc.tensor(seq(B * U, 6.0), [B, U])))];
    if (cState) terms.push(tfc.sum(tfc.mul(cState, tfc.tensor(seq(B * U, 7.0), [B, U]))));
    return tfc.addN(terms) as tfc.Scalar;
  };
  const { value, grads } = tfc.variableGrads(loss, [x, kernel, recurrent, bias, ...states]);
  const names = ['dx', 'dkernel', 'drecurrent', 'dbias', 'dh0', 'dc0'];
  const named = Object.fromEntries([x, kernel, recurrent, bias, ...states].map((v, i) => [names[i], grads[v.name]]));
  const result = { out: outputs[0], h: outputs[1], ...(outputs[2] ? { c: outputs[2] } : {}), loss: value, ...named };
  tfc.dispose([x, ...states, ...(mask ? [mask] : [])]);
  return result;
}

const CASES: Array<[string, () => Case]> = [
  ['lstm', () => ({ layer: new L.LSTM({ units: U, returnSequences: true, returnState: true }), gates: 4, biasRows: 1, mask: false, initial: 2 })],
  ['lstm_masked_back', () => ({ layer: new L.LSTM({ units: U, returnSequences: true, returnState: true, goBackwards: true }), gates: 4, biasRows: 1, mask: true, initial: 2 })],
  ['gru', () => ({ layer: new L.GRU({ units: U, returnSequences: true, returnState: true }), gates: 3, biasRows: 2, mask: false, initial: 1 })],
  ['gru_masked', () => ({ layer: new L.GRU({ units: U, returnSequences: true, returnState: true }), gates: 3, biasRows: 2, mask: true, initial: 0 })],
  ['gru_masked_back', () => ({ layer: new L.GRU({ units: U, returnSequences: true, returnState: true, goBackwards: true }), gates: 3, biasRows: 2, mask: true, initial: 1 })],
];

/** How many times each kernel ran in `f`. */
async function kernelCounts(f: () => void): Promise<Record<string, number>> {
  const info = await tfc.profile(() => {
    f();
    return [] as tfc.Tensor[];
  });
  const counts: Record<string, number> = {};
  for (const kernel of info.kernels) counts[kernel.name] = (counts[kernel.name] ?? 0) + 1;
  return counts;
}

describe.each((nativeBuilt() ? ['native', 'cpu'] : ['cpu']) as k.BackendName[])('on %s: against PyTorch', (backend) => {
  beforeAll(async () => {
    await k.setBackend(backend);
  });

  test.each(CASES)('%s: outputs, final states and the gradients of x, kernels, bias and initial states', (name, make) => {
    const c = make();
    const before = tfc.memory().numTensors;
    const got = runCase(c);
    const ref = GRAD_REF[name];
    for (const key of Object.keys(ref)) {
      expect(got[key]).toBeDefined();
      expectClose(got[key], ref[key], 2e-5);
    }
    tfc.dispose(Object.values(got));
    c.layer.dispose();
    expect(tfc.memory().numTensors).toBe(before);
  });

  test('Bidirectional(LSTM) with a mask: outputs and gradients of x and of both layers', () => {
    const before = tfc.memory().numTensors;
    const layer = new L.Bidirectional({ layer: new L.LSTM({ units: U, returnSequences: true }) });
    const x = variable(seq(B * T * F, 0.5), [B, T, F]);
    const mask = tfc.tensor2d(MASK, undefined, 'bool');
    tfc.dispose(layer.apply(x, { mask }));
    const given = [...weights(4), ...weights(4, 1, -1)];
    layer.setWeights(given);
    tfc.dispose(given);
    const vars = layer.trainableWeights.map((w) => w.value);
    const out = layer.apply(x, { mask }) as tfc.Tensor;
    const { value, grads } = tfc.variableGrads(
      () => tfc.sum(tfc.mul(layer.apply(x, { mask }) as tfc.Tensor, tfc.tensor(seq(B * T * 2 * U, 8.0), [B, T, 2 * U]))) as tfc.Scalar,
      [x, ...vars],
    );
    const ref = GRAD_REF.bilstm_masked;
    expectClose(out, ref.out, 2e-5);
    expectClose(value, ref.loss, 2e-5);
    expectClose(grads[x.name], ref.dx, 2e-5);
    expectClose(grads[vars[0].name], ref.dkernel_fw, 2e-5);
    expectClose(grads[vars[1].name], ref.drecurrent_fw, 2e-5);
    expectClose(grads[vars[3].name], ref.dkernel_bw, 2e-5);
    expectClose(grads[vars[5].name], ref.dbias_bw, 2e-5);
    tfc.dispose([x, mask, value, out, ...Object.values(grads)]);
    layer.dispose();
    expect(tfc.memory().numTensors).toBe(before);
  });
});

onNative('the native sequence kernel against the generic path', () => {
  afterAll(async () => {
    await k.setBackend('cpu');
  });

  // [name, layer, initial states, mask] on [3, 7, 5] inputs, 6 units: every output and every gradient.
  type Make = () => k.layers.Layer;
  const shapes = { b: 3, t: 7, f: 5, u: 6 };
  const mask = (): tfc.Tensor => tfc.tensor2d([[1, 1, 1, 1, 0, 0, 0], [0, 0, 1, 1, 1, 1, 1], [1, 1, 0, 1, 1, 0, 1]], undefined, 'bool');
  const cases: Array<[string, Make, number, boolean]> = [
    ['LSTM', () => new L.LSTM({ units: shapes.u, returnSequences: true, returnState: true }), 0, false],
    ['LSTM with initial states, goBackwards', () => new L.LSTM({ units: shapes.u, returnSequences: true, returnState: true, goBackwards: true }), 2, false],
    ['LSTM masked', () => new L.LSTM({ units: shapes.u, returnSequences: true, returnState: true }), 2, true],
    ['LSTM masked, goBackwards, last output only', () => new L.LSTM({ units: shapes.u, goBackwards: true }), 0, true],
    ['GRU', () => new L.GRU({ units: shapes.u, returnSequences: true, returnState: true }), 1, false],
    ['GRU masked, goBackwards', () => new L.GRU({ units: shapes.u, returnSequences: true, returnState: true, goBackwards: true }), 0, true],
    ['GRU without bias', () => new L.GRU({ units: shapes.u, useBias: false, returnSequences: true }), 0, true],
    ['Bidirectional LSTM, sum', () => new L.Bidirectional({ layer: new L.LSTM({ units: shapes.u, returnSequences: true }), mergeMode: 'sum' }), 0, true],
    ['Bidirectional GRU, last outputs', () => new L.Bidirectional({ layer: new L.GRU({ units: shapes.u }) }), 0, false],
  ];
  test.each(cases)('%s: outputs and gradients match, no fallback, no leak', async (_name, make, initial, masked) =>
    matches(() => {
      k.utils.setRandomSeed(5);
      const layer = make();
      const x = random([shapes.b, shapes.t, shapes.f], 1);
      const states = Array.from({ length: initial }, (_, i) => random([shapes.b, shapes.u], 2 + i));
      const m = masked ? mask() : undefined;
      const f = (...given: tfc.Tensor[]): tfc.Scalar => {
        const outs = layer.applyMulti(given, { mask: m });
        return tfc.addN(outs.map((o, i) => tfc.sum(tfc.mul(o, random(o.shape, 10 + i))))) as tfc.Scalar;
      };
      tfc.dispose(f(x, ...states)); // builds
      const vars = layer.trainableWeights.map((w) => w.value);
      const { value, grads } = tfc.variableGrads(() => f(x, ...states), vars);
      const inputGrads = tfc.grads(f)([x, ...states]);
      const out = [value, ...layer.applyMulti([x, ...states], { mask: m }), ...vars.map((v) => grads[v.name]), ...inputGrads];
      layer.dispose();
      return out;
    }, 1e-5));

  test('input dropout in training (applied before the projection) matches the generic path', async () =>
    matches(() => {
      k.utils.setRandomSeed(5);
      const layer = new L.LSTM({ units: shapes.u, dropout: 0.3, seed: 7, returnSequences: true });
      const x = random([shapes.b, shapes.t, shapes.f], 1);
      const f = (a: tfc.Tensor): tfc.Scalar => tfc.sum(tfc.mul(layer.apply(a, { training: true }) as tfc.Tensor, random([shapes.b, shapes.t, shapes.u], 4)));
      tfc.dispose(f(x));
      const vars = layer.trainableWeights.map((w) => w.value);
      const { value, grads } = tfc.variableGrads(() => f(x), vars);
      const out = [value, ...vars.map((v) => grads[v.name]), tfc.grad(f)(x)];
      layer.dispose();
      return out;
    }, 1e-5));

  test('fit runs the kernel (not the step loop) and leaks nothing; dropout in training and other activations keep the generic path', async () => {
    await k.setBackend('native');
    k.utils.setRandomSeed(3);
    const model = new k.Sequential([new L.LSTM({ units: 4, inputShape: [5, 3], returnSequences: true }), new L.GRU({ units: 3 }), new L.Dense({ units: 1 })]);
    model.compile({ optimizer: 'adam', loss: 'mse' });
    const [x, y] = [random([8, 5, 3], 1), random([8, 1], 2)];
    await model.fit(x, y, { epochs: 1, batchSize: 4, verbose: 0 });
    const before = tfc.memory().numTensors;
    const counts = await kernelCounts(() => void model.trainOnBatch(x, y));
    expect(counts[FusedKernel.RecurrentSequence]).toBe(2);
    expect(counts[FusedKernel.RecurrentSequenceGrad]).toBe(2);
    expect(counts.Unpack).toBe(1); // the GRU's two bias rows; the step loop would unstack the sequence too
    expect(counts.Transpose ?? 0).toBe(0); // the kernel reads and writes the layers' [batch, steps, ·] layout
    expect(tfc.memory().numTensors).toBe(before);
    model.dispose();

    const generic = async (layer: k.layers.Layer, training: boolean): Promise<number> => {
      const counts2 = await kernelCounts(() => tfc.dispose(layer.apply(x, { training }) as tfc.Tensor));
      layer.dispose();
      return counts2[FusedKernel.RecurrentSequence] ?? 0;
    };
    expect(await generic(new L.LSTM({ units: 4, recurrentDropout: 0.5 }), true)).toBe(0);
    expect(await generic(new L.LSTM({ units: 4, recurrentDropout: 0.5 }), false)).toBe(1);
    expect(await generic(new L.GRU({ units: 4, activation: 'relu' }), false)).toBe(0);
    expect(await generic(new L.LSTM({ units: 4, recurrentActivation: 'hard_sigmoid' }), false)).toBe(0);
    expect(await generic(new L.GRU({ units: 4, resetAfter: false }), false)).toBe(0);
    tfc.dispose([x, y]);
  });
});
