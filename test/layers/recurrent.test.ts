/**
 * SimpleRNN, LSTM, GRU, Bidirectional against PyTorch's nn.RNN / nn.LSTM / nn.GRU (weights
 * converted from Keras's layouts) and NumPy, from test/reference/recurrent_references.py; the
 * written-out backward against autograd through the step-by-step path; masks, states, config.
 */
import * as tfc from '@tensorflow/tfjs-core';
import * as k from '../../src';
import type { LayerConfig } from '../../src/engine/layer';
import type { Weight } from '../../src/engine/weight';
import { expectClose } from '../helpers';
import { REF } from './recurrent_refs';

const L = k.layers;
const seq = (n: number, a = 0, scale = 1): number[] => Array.from({ length: n }, (_, i) => scale * Math.sin(0.7 * i + a));
const [B, T, F, U] = [2, 5, 3, 4];
const x = (): tfc.Tensor => tfc.tensor(seq(B * T * F, 0.5), [B, T, F]);
/** The reference script's weights: kernel, recurrent kernel, bias (bias rows 2 for GRU's resetAfter). */
const weights = (gates: number, biasRows = 1): tfc.Tensor[] => {
  const g = gates * U;
  return [
    tfc.tensor(seq(F * g, 0.3, 0.5), [F, g]),
    tfc.tensor(seq(U * g, 1.1, 0.5), [U, g]),
    tfc.tensor(seq(biasRows * g, 2.0, 0.3), biasRows > 1 ? [biasRows, g] : [g]),
  ];
};
const h0 = (): tfc.Tensor => tfc.tensor(seq(B * U, 3.0, 0.5), [B, U]);
const c0 = (): tfc.Tensor => tfc.tensor(seq(B * U, 4.0, 0.5), [B, U]);

function run(layer: k.Layer, setTo: tfc.Tensor[], inputs: tfc.Tensor | tfc.Tensor[]): tfc.Tensor[] {
  tfc.dispose(layer.applyMulti(inputs)); // builds
  layer.setWeights(setTo);
  return layer.applyMulti(inputs);
}

describe.each(['cpu', 'wasm'] as k.BackendName[])('on %s', (backend) => {
  beforeAll(async () => {
    await k.setBackend(backend);
  });

  test('LSTM: sequence, h and c as PyTorch nn.LSTM', () => {
    const [out, h, c] = run(new L.LSTM({ units: U, returnSequences: true, returnState: true }), weights(4), x());
    expect(out.shape).toEqual([B, T, U]);
    expectClose(out, REF.lstm_seq, 1e-5);
    expectClose(h, REF.lstm_h, 1e-5);
    expectClose(c, REF.lstm_c, 1e-5);
  });

  test('LSTM: initial states (as inputs and as the initialState option) and goBackwards', () => {
    const layer = new L.LSTM({ units: U, returnSequences: true, returnState: true });
    const [out, h, c] = run(layer, weights(4), [x(), h0(), c0()]);
    expectClose(out, REF.lstm_init_seq, 1e-5);
    expectClose(h, REF.lstm_init_h, 1e-5);
    expectClose(c, REF.lstm_init_c, 1e-5);
    expectClose(layer.applyMulti(x(), { initialState: [h0(), c0()] })[0], REF.lstm_init_seq, 1e-5);
    const [back, hb] = run(new L.LSTM({ units: U, returnSequences: true, returnState: true, goBackwards: true }), weights(4), x());
    expectClose(back, REF.lstm_back_seq, 1e-5);
    expectClose(hb, REF.lstm_back_h, 1e-5);
  });

  test('GRU (resetAfter, bias [2, 3u]) as PyTorch nn.GRU, with and without an initial state', () => {
    const layer = new L.GRU({ units: U, returnSequences: true, returnState: true });
    const [out, h] = run(layer, weights(3, 2), x());
    expect(layer.weights.map((w) => w.shape)).toEqual([[F, 3 * U], [U, 3 * U], [2, 3 * U]]);
    expectClose(out, REF.gru_seq, 1e-5);
    expectClose(h, REF.gru_h, 1e-5);
    expectClose(layer.applyMulti([x(), h0()])[0], REF.gru_init_seq, 1e-5);
  });

  test('GRU with resetAfter false (bias [3u]) as NumPy', () => {
    const [out, h] = run(new L.GRU({ units: U, returnSequences: true, returnState: true, resetAfter: false }), weights(3), x());
    expectClose(out, REF.gru_reset_before_seq, 1e-5);
    expectClose(h, REF.gru_reset_before_h, 1e-5);
  });

  test('SimpleRNN (tanh, relu) as PyTorch nn.RNN', () => {
    const [out, h] = run(new L.SimpleRNN({ units: U, returnSequences: true, returnState: true }), weights(1), x());
    expectClose(out, REF.rnn_seq, 1e-5);
    expectClose(h, REF.rnn_h, 1e-5);
    const [relu] = run(new L.SimpleRNN({ units: U, returnSequences: true, activation: 'relu' }), weights(1), x());
    expectClose(relu, REF.rnn_relu_seq, 1e-5);
  });

  test('Bidirectional(LSTM) concat as a bidirectional nn.LSTM; sum, ave, mul and null merge the same two outputs', () => {
    const w = weights(4);
    const both = [...w, ...w.map((t) => tfc.neg(t))];
    const make = (mergeMode: k.layers.MergeMode): k.Layer => new L.Bidirectional({ layer: new L.LSTM({ units: U, returnSequences: true }), mergeMode });
    const [cat] = run(make('concat'), both, x());
    expectClose(cat, REF.bilstm_concat, 1e-5);
    const [fwd, bwd] = run(make(null), both, x());
    const [sum] = run(make('sum'), both, x());
    const [ave] = run(make('ave'), both, x());
    const [mul] = run(make('mul'), both, x());
    expectClose(sum, Array.from(tfc.add(fwd, bwd).dataSync()), 1e-6);
    expectClose(ave, Array.from(tfc.div(tfc.add(fwd, bwd), 2).dataSync()), 1e-6);
    expectClose(mul, Array.from(tfc.mul(fwd, bwd).dataSync()), 1e-6);
    expectClose(tfc.concat([fwd, bwd], -1), REF.bilstm_concat, 1e-5);
  });

  test.each([
    ['LSTM', (): k.layers.RNN => new L.LSTM({ units: 3, returnSequences: true })],
    ['GRU', (): k.layers.RNN => new L.GRU({ units: 3, returnSequences: true })],
    ['SimpleRNN', (): k.layers.RNN => new L.SimpleRNN({ units: 3, returnSequences: true })],
    ['LSTM with dropout', (): k.layers.RNN => new L.LSTM({ units: 3, returnSequences: true, dropout: 0.3, recurrentDropout: 0.3, seed: 5, activation: 'relu', recurrentActivation: 'hard_sigmoid' })],
  ])('%s: the written-out backward equals autograd through the step-by-step path (masked batch)', (_name, make) => {
    k.utils.setRandomSeed(4);
    const layer = make();
    const input = tfc.tensor(seq(3 * 6 * 2, 0.1), [3, 6, 2]);
    const mask = tfc.tensor2d([[1, 1, 1, 0, 0, 0], [1, 1, 1, 1, 1, 1], [0, 1, 1, 1, 1, 0]], undefined, 'bool');
    const r = tfc.tensor(seq(3 * 6 * 3, 2.5), [3, 6, 3]);
    const loss = (): tfc.Scalar => tfc.sum(tfc.mul(layer.apply(input, { training: true, mask }), r)) as tfc.Scalar;
    tfc.dispose(tfc.tidy(loss));
    const vars = layer.trainableWeights.map((w) => w.value);
    const cell = layer.cell as unknown as { draws: number; runSequence: unknown };
    const draws = cell.draws;
    const fast = tfc.variableGrads(loss, vars);
    const own = cell.runSequence;
    cell.runSequence = (): null => null; // the step-by-step path, differentiated by tfjs
    cell.draws = draws; // the same dropout masks
    const slow = tfc.variableGrads(loss, vars);
    cell.runSequence = own;
    expect(Math.abs(fast.value.dataSync()[0] - slow.value.dataSync()[0])).toBeLessThan(1e-5);
    for (const v of vars) expectClose(fast.grads[v.name], Array.from(slow.grads[v.name].dataSync()), 1e-5);
    tfc.dispose([input, mask, r, fast.value, slow.value, ...Object.values(fast.grads), ...Object.values(slow.grads)]);
    layer.dispose();
  });
});

describe('masks', () => {
  beforeAll(async () => {
    await k.setBackend('wasm');
  });

  test.each([
    ['LSTM', (o: object): k.layers.RNN => new L.LSTM({ units: U, ...o })],
    ['GRU', (o: object): k.layers.RNN => new L.GRU({ units: U, ...o })],
    ['SimpleRNN', (o: object): k.layers.RNN => new L.SimpleRNN({ units: U, ...o })],
    ['RNN(StackedRNNCells)', (o: object): k.layers.RNN => new L.RNN({ cell: [new L.GRUCell({ units: 3 }), new L.LSTMCell({ units: U })], ...o })],
  ])('%s: a padded batch gives the unpadded outputs at the real steps, and the last real state', (_name, make) => {
    for (const goBackwards of [false, true]) {
      k.utils.setRandomSeed(9);
      const layer = make({ returnSequences: true, returnState: true, goBackwards });
      const full = x();
      const short = tfc.slice(full, [0, 0, 0], [1, 3, F]); // sample 0 has 3 real steps
      const padded = tfc.concat([tfc.concat([short, tfc.zeros([1, 2, F])], 1), tfc.slice(full, [1, 0, 0], [1, T, F])]);
      const mask = tfc.tensor2d([[1, 1, 1, 0, 0], [1, 1, 1, 1, 1]], undefined, 'bool');
      const [outP, ...statesP] = layer.applyMulti(padded, { mask });
      const [outS, ...statesS] = layer.applyMulti(short);
      const real = tfc.slice(outP, [0, 0, 0], [1, 3, U]);
      // Backwards, the output sequence is in processing order: the 2 padded steps come first and repeat zeros.
      const expected = goBackwards ? tfc.concat([tfc.zeros([1, 2, U]), outS], 1) : outS;
      expectClose(goBackwards ? tfc.slice(outP, [0, 0, 0], [1, 5, U]) : real, Array.from(expected.dataSync()), 1e-5);
      // after the last real step, the output repeats
      const lastReal = tfc.slice(outP, [0, 2, 0], [1, 1, U]);
      if (!goBackwards) expectClose(tfc.slice(outP, [0, 3, 0], [1, 2, U]), Array.from(tfc.concat([lastReal, lastReal], 1).dataSync()), 1e-6);
      statesP.forEach((s, i) => expectClose(tfc.slice(s, [0, 0], [1, s.shape[1] as number]), Array.from(statesS[i].dataSync()), 1e-5));
      // the unmasked sample is untouched by the mask
      const [outFull] = layer.applyMulti(tfc.slice(full, [1, 0, 0], [1, T, F]));
      expectClose(tfc.slice(outP, [1, 0, 0], [1, T, U]), Array.from(outFull.dataSync()), 1e-5);
      layer.dispose();
    }
  });

  test('Embedding({maskZero}) masks an LSTM in a model; the loss and accuracy count only real steps', async () => {
    k.utils.setRandomSeed(2);
    const inputs = k.Input({ shape: [null] });
    const e = new L.Embedding({ inputDim: 6, outputDim: 3, maskZero: true }).apply(inputs);
    const h = new L.LSTM({ units: 5, returnSequences: true }).apply(e);
    const outputs = new L.Dense({ units: 2, activation: 'softmax' }).apply(h);
    const model = new k.Model({ inputs, outputs });
    model.compile({ optimizer: 'sgd', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
    const ids = tfc.tensor2d([[1, 2, 0, 0], [3, 4, 5, 0]]);
    const y = tfc.tensor2d([[0, 1, 1, 1], [1, 0, 1, 0]]);
    const [loss, acc] = await model.evaluate(ids, y);
    const probs = model.predict(ids) as tfc.Tensor;
    // By hand: mean cross-entropy and accuracy over the 5 real steps only.
    const p = probs.arraySync() as number[][][];
    const yv = y.arraySync() as number[][];
    const real = [[0, 0], [0, 1], [1, 0], [1, 1], [1, 2]];
    const ce = real.reduce((s, [b, t]) => s - Math.log(p[b][t][yv[b][t]]), 0) / real.length;
    const right = real.filter(([b, t]) => (p[b][t][1] > p[b][t][0] ? 1 : 0) === yv[b][t]).length / real.length;
    expect(Math.abs(loss - ce)).toBeLessThan(1e-5);
    expect(Math.abs(acc - right)).toBeLessThan(1e-6);
    // A model of the same layers on the unpadded first sample agrees at its real steps.
    const one = tfc.slice(probs, [0, 0, 0], [1, 2, 2]);
    const alone = model.predict(tfc.tensor2d([[1, 2]])) as tfc.Tensor;
    expectClose(alone, Array.from(one.dataSync()), 1e-5);
    model.dispose();
  });

  test('Masking marks steps whose features all equal maskValue, zeroes them, and feeds the mask on', () => {
    const m = new L.Masking({ maskValue: -1 });
    const input = tfc.tensor3d([[[1, 2], [-1, -1], [-1, 3]]]);
    expectClose(m.apply(input), [1, 2, 0, 0, -1, 3], 0);
    expect(Array.from((m.computeMask(input) as tfc.Tensor).dataSync())).toEqual([1, 0, 1]);
    expect(m.getConfig().maskValue).toBe(-1);
  });

  test('a mask computed from trained values (Masking after a Dense) stays on the tape without stopping backpropagation', async () => {
    const model = new k.Sequential([new L.Dense({ units: 3, inputShape: [4, 2] }), new L.Masking({ maskValue: 0 }), new L.SimpleRNN({ units: 2 }), new L.Dense({ units: 1 })]);
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    const history = await model.fit(tfc.tensor(seq(16, 0.3), [2, 4, 2]), tfc.tensor2d([[1], [0]]), { epochs: 2, verbose: 0 });
    expect(history.history.loss[1]).toBeLessThan(history.history.loss[0]);
    model.dispose();
  });

  test('an explicit mask given to apply in a functional model (a symbolic input) is used instead of the carried one', () => {
    const seqIn = k.Input({ shape: [T, F] });
    const maskIn = k.Input({ shape: [T], dtype: 'bool' });
    const out = new L.GRU({ units: 2 }).apply(seqIn, { mask: maskIn });
    const model = new k.Model({ inputs: [seqIn, maskIn], outputs: out });
    const mask = tfc.tensor2d([[1, 1, 0, 0, 0], [1, 1, 1, 1, 1]], undefined, 'bool');
    const [masked] = [model.predict([x(), mask]) as tfc.Tensor];
    const gru = model.layers[2] as k.layers.GRU;
    // the first sample stops after 2 steps: the same as the GRU on its first 2 steps
    expectClose(tfc.slice(masked, [0, 0], [1, 2]), Array.from(gru.apply(tfc.slice(x(), [0, 0, 0], [1, 2, F])).dataSync()), 1e-5);
  });

  test('a layer that does not support masking drops the mask, with one warning', () => {
    const spy = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    const inputs = k.Input({ shape: [3] });
    const flat = new L.Flatten().apply(new L.Embedding({ inputDim: 5, outputDim: 2, maskZero: true }).apply(inputs));
    const model = new k.Model({ inputs, outputs: new L.Dense({ units: 1 }).apply(flat) });
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    const ids = tfc.tensor2d([[1, 0, 0]]);
    model.trainOnBatch(ids, tfc.tensor2d([[1]]));
    model.trainOnBatch(ids, tfc.tensor2d([[1]]));
    expect(spy).toHaveBeenCalledTimes(1);
    expect(String(spy.mock.calls[0][0])).toMatch(/flatten(_\d+)?' \(Flatten\) was given an input with a mask, but it does not support masking/);
    spy.mockRestore();
    model.dispose();
  });

  test('a mask of the wrong shape is refused with the shapes and the fix', () => {
    const layer = new L.LSTM({ units: 2 });
    expect(() => layer.apply(x(), { mask: tfc.ones([B, T + 1], 'bool') })).toThrow(/mask has shape \[2,6\] but the input has shape \[2,5,3\].*help:/);
  });
});

describe('states, options and config', () => {
  beforeAll(async () => {
    await k.setBackend('wasm');
  });

  test('stateful: two halves in a row equal the whole sequence; resetStates starts over', () => {
    const w = weights(4);
    const whole = new L.LSTM({ units: U, returnSequences: true });
    const [all] = run(whole, w, x());
    const layer = new L.LSTM({ units: U, returnSequences: true, stateful: true });
    tfc.dispose(layer.applyMulti(x()));
    layer.setWeights(w);
    layer.resetStates();
    const first = layer.apply(tfc.slice(x(), [0, 0, 0], [B, 2, F]));
    const second = layer.apply(tfc.slice(x(), [0, 2, 0], [B, 3, F]));
    expectClose(tfc.concat([first, second], 1), Array.from(all.dataSync()), 1e-5);
    layer.resetStates();
    expectClose(layer.apply(tfc.slice(x(), [0, 0, 0], [B, 2, F])), Array.from(first.dataSync()), 1e-6);
    expect(() => layer.apply(tfc.slice(x(), [0, 0, 0], [1, 2, F]))).toThrow(/keeps states for batches of 2, got a batch of 1.*help:/);
    expect(() => whole.resetStates()).toThrow(/resetStates is for stateful layers/);
  });

  test('RNN with a custom cell runs step by step and matches SimpleRNN with the same weights', () => {
    class Plain extends L.RNNCell {
      readonly className = 'Plain';
      readonly stateSize = [U];
      private w: k.layers.Dense | null = null;
      private u: k.layers.Dense | null = null;
      get outputSize(): number {
        return U;
      }
      override build(shape: k.Shape | k.Shape[]): void {
        this.w = new L.Dense({ units: U });
        this.u = new L.Dense({ units: U, useBias: false });
        this.w.ensureBuilt(shape as k.Shape);
        this.u.ensureBuilt([null, U]);
      }
      override get trainableWeights(): Weight[] {
        return [...(this.w as k.layers.Dense).trainableWeights, ...(this.u as k.layers.Dense).trainableWeights];
      }
      step(input: tfc.Tensor, states: tfc.Tensor[]): k.layers.StepResult {
        const h = tfc.tanh(tfc.add((this.w as k.layers.Dense).call(input, { training: false }), (this.u as k.layers.Dense).call(states[0], { training: false })));
        return { output: h, states: [h] };
      }
    }
    const [kernel, recurrent, bias] = weights(1);
    const [custom] = run(new L.RNN({ cell: new Plain(), returnSequences: true }), [kernel, bias, recurrent], x());
    expectClose(custom, REF.rnn_seq, 1e-5);
  });

  test('config round trip: fromConfig(getConfig()) is the same layer (and Bidirectional, TimeDistributed, RNN of cells)', () => {
    const layers: k.Layer[] = [
      new L.LSTM({ units: 3, returnSequences: true, goBackwards: true, dropout: 0.1, recurrentDropout: 0.2, unitForgetBias: false, recurrentActivation: 'hard_sigmoid' }),
      new L.GRU({ units: 3, resetAfter: false, returnState: true, kernelRegularizer: 'l2' }),
      new L.SimpleRNN({ units: 3, activation: 'relu', stateful: true, zeroOutputForMask: true }),
      new L.Bidirectional({ layer: new L.GRU({ units: 2, returnSequences: true }), mergeMode: 'ave' }),
      new L.TimeDistributed({ layer: new L.Dense({ units: 2, activation: 'relu' }) }),
      new L.RNN({ cell: [new L.SimpleRNNCell({ units: 2 }), new L.LSTMCell({ units: 3 })], returnSequences: true }),
      new L.Masking({ maskValue: 2 }),
    ];
    for (const layer of layers) {
      const cls = layer.constructor as unknown as { fromConfig(c: LayerConfig): k.Layer };
      const again = cls.fromConfig(layer.getConfig());
      expect(again.className).toBe(layer.className);
      expect(again.getConfig()).toEqual(layer.getConfig());
      if (layer instanceof L.Masking) continue;
      const input = tfc.tensor(seq(2 * 4 * 3, 0.2), [2, 4, 3]);
      const a = layer.applyMulti(input);
      tfc.dispose(again.applyMulti(input));
      again.setWeights(layer.getWeights());
      if (again instanceof L.RNN && again.stateful) again.resetStates();
      const b = again.applyMulti(input);
      a.forEach((t, i) => expectClose(b[i], Array.from(t.dataSync()), 1e-6));
    }
    expect(new L.LSTM({ units: 2 }).getConfig()).toMatchObject({ units: 2, activation: 'tanh', recurrentActivation: 'sigmoid', unitForgetBias: true, returnSequences: false });
  });

  test('LSTM weights are Keras-shaped and its forget-gate bias starts at 1', () => {
    const layer = new L.LSTM({ units: 3 });
    tfc.dispose(layer.apply(tfc.zeros([1, 2, 5])));
    expect(layer.weights.map((w) => w.shape)).toEqual([[5, 12], [3, 12], [12]]);
    expect(Array.from(layer.getWeights()[2].dataSync())).toEqual([0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0]);
    expect(layer.countParams()).toBe(5 * 12 + 3 * 12 + 12);
  });

  test('summary and output shapes in a model; returnState outputs [output, h, c] with output = h', () => {
    const inputs = k.Input({ shape: [7, 3] });
    const [out, h, c] = new L.LSTM({ units: 4, returnState: true }).applyMulti(inputs);
    expect([out.shape, h.shape, c.shape]).toEqual([[null, 4], [null, 4], [null, 4]]);
    const model = new k.Model({ inputs, outputs: [out, h, c] });
    const [o, hh] = model.predict(tfc.tensor(seq(2 * 7 * 3), [2, 7, 3])) as tfc.Tensor[];
    expectClose(o, Array.from(hh.dataSync()), 0);
    const seqModel = new k.Sequential([new L.GRU({ units: 8, inputShape: [10, 2], returnSequences: true }), new L.TimeDistributed({ layer: new L.Dense({ units: 3 }) })]);
    const text = seqModel.summary(() => undefined);
    expect(text).toMatch(/gru(_\d+)? \(GRU\)\s+\(None, 10, 8\)\s+288/);
    expect(text).toMatch(/time_distributed(_\d+)? \(TimeDistributed\)\s+\(None, 10, 3\)\s+27/);
  });

  test('bad input: rank, initial states, options, Bidirectional pairs', () => {
    expect(() => new L.LSTM({ units: 2 }).apply(k.Input({ shape: [5] }))).toThrow(/expected input of rank 3 \(batch, timesteps, features\), got \(None, 5\).*help:/);
    expect(() => new L.LSTM({ units: 2 }).apply([x(), h0()])).toThrow(/initial states must be 2 tensor\(s\) of shape \[2, 2\], \[2, 2\], got \[2,4\].*help:/);
    expect(() => new L.LSTM({ units: 0 })).toThrow(/`units` must be a positive integer, got 0/);
    expect(() => new L.GRU({ units: 2, returnSequence: true } as unknown as k.layers.GRUArgs)).toThrow(/unknown option 'returnSequence'.*Did you mean 'returnSequences'/);
    expect(() => new L.LSTM({ units: 2, dropout: 1.5 })).toThrow(/`dropout` must be a number in \[0, 1\), got 1.5/);
    expect(() => new L.LSTM({ units: 2 }).apply(x(), { initalState: [h0()] })).toThrow(/unknown option 'initalState'.*Did you mean 'initialState'/);
    expect(() => new L.Bidirectional({ layer: new L.LSTM({ units: 2 }), mergeMode: 'max' as k.layers.MergeMode })).toThrow(/unknown `mergeMode` "max".*help:/);
    expect(() => new L.Bidirectional({ layer: new L.LSTM({ units: 2, returnState: true }), backwardLayer: new L.LSTM({ units: 2, goBackwards: true }) })).toThrow(
      /must have the same returnState, got true and false/,
    );
    expect(() => new L.Bidirectional({ layer: new L.LSTM({ units: 2 }), backwardLayer: new L.LSTM({ units: 2 }) })).toThrow(/must differ in goBackwards/);
    expect(() => new L.Bidirectional({ layer: new L.Dense({ units: 2 }) as unknown as k.layers.RNN })).toThrow(/must be a recurrent layer/);
    expect(() => new L.TimeDistributed({ layer: new L.Dense({ units: 2 }) }).apply(k.Input({ shape: [4] }))).toThrow(/expected one input of rank 3 or more/);
  });

  test('Bidirectional with returnState: [merged, forward h, c, backward h, c]; initial states split in half', () => {
    const layer = new L.Bidirectional({ layer: new L.LSTM({ units: U, returnState: true }), mergeMode: 'sum' });
    const outs = layer.applyMulti(x());
    expect(outs.map((t) => t.shape)).toEqual([[B, U], [B, U], [B, U], [B, U], [B, U]]);
    const withStates = layer.applyMulti(x(), { initialState: [h0(), c0(), h0(), c0()] });
    expect(withStates.length).toBe(5);
    expect(() => layer.applyMulti(x(), { initialState: [h0(), c0()] })).toThrow(/expected 4 initial states/);
    const shapes = layer.computeOutputShape([null, T, F]) as k.Shape[];
    expect(shapes).toEqual([[null, U], [null, U], [null, U], [null, U], [null, U]]);
  });

  test('no tensors leak from apply, fit, evaluate and predict of recurrent models', async () => {
    k.utils.setRandomSeed(3);
    const model = new k.Sequential([
      new L.Masking({ inputShape: [5, 3] }),
      new L.Bidirectional({ layer: new L.LSTM({ units: 4, returnSequences: true, dropout: 0.2, recurrentDropout: 0.2 }) }),
      new L.TimeDistributed({ layer: new L.Dense({ units: 3 }) }),
      new L.GRU({ units: 3 }),
      new L.Dense({ units: 2, activation: 'softmax' }),
    ]);
    model.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
    const input = tfc.tensor(seq(8 * 5 * 3, 0.4), [8, 5, 3]);
    const y = tfc.tensor1d([0, 1, 0, 1, 1, 0, 0, 1]);
    await model.fit(input, y, { epochs: 1, batchSize: 4, verbose: 0 });
    const before = tfc.memory().numTensors;
    await model.fit(input, y, { epochs: 2, batchSize: 4, verbose: 0 });
    await model.evaluate(input, y, { batchSize: 4 });
    tfc.dispose(model.predict(input));
    const lstm = new L.LSTM({ units: 2, returnState: true, stateful: true });
    tfc.dispose(lstm.applyMulti(input));
    const afterStateful = tfc.memory().numTensors;
    tfc.dispose(lstm.applyMulti(input));
    expect(tfc.memory().numTensors).toBe(afterStateful);
    lstm.dispose();
    expect(tfc.memory().numTensors - before).toBe(0);
    model.dispose();
  });
});
