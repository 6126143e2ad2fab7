/**
 * What apply returns, as Keras: one tensor, or the list for a layer with several outputs (an RNN
 * with returnState, a cell, attention with its scores, a model of several outputs), symbolically
 * and eagerly; typed so that `const [out, h, c] = lstm.apply(x)` needs no cast. Also what `call`
 * receives: one tensor for a Layer, the list for a MultiInputLayer.
 */
import * as tfc from '@tensorflow/tfjs-core';
import * as k from '../../src';
import { expectClose, expectNoLeak } from '../helpers';

const L = k.layers;

beforeAll(async () => {
  await k.setBackend('cpu');
});

test('const [out, h, c] = new LSTM({units, returnState: true}).apply(x), symbolically', () => {
  const inputs = k.Input({ shape: [5, 3] });
  const [out, h, c] = new L.LSTM({ units: 4, returnState: true }).apply(inputs);
  expect([out.shape, h.shape, c.shape]).toEqual([[null, 4], [null, 4], [null, 4]]);
  const [seq, hSeq] = new L.GRU({ units: 2, returnSequences: true, returnState: true }).apply(inputs);
  expect([seq.shape, hSeq.shape]).toEqual([[null, 5, 2], [null, 2]]);
  const one: k.SymbolicTensor = new L.LSTM({ units: 4 }).apply(inputs); // no returnState: one tensor, typed so
  expect(one.shape).toEqual([null, 4]);
  const model = new k.Model({ inputs, outputs: [out, h, c] });
  expect(model.outputShapes).toEqual([[null, 4], [null, 4], [null, 4]]);
  model.dispose();
});

test('eagerly: h is the output (its last step with returnSequences), c a state of its own', async () => {
  const x = tfc.randomNormal([2, 5, 3], 0, 1, 'float32', 7);
  const lstm = new L.LSTM({ units: 4, returnState: true });
  const [out, h, c] = lstm.apply(x);
  expect([out.shape, h.shape, c.shape]).toEqual([[2, 4], [2, 4], [2, 4]]);
  expectClose(h, Array.from(out.dataSync()), 0);
  // h = o · tanh(c) elementwise, with the output gate o in (0, 1): |h| < |tanh(c)|.
  const [hs, tc] = [h.dataSync(), tfc.tanh(c).dataSync()];
  hs.forEach((v, i) => expect(Math.abs(v)).toBeLessThanOrEqual(Math.abs(tc[i]) + 1e-7));
  const sequences = new L.LSTM({ units: 4, returnSequences: true, returnState: true });
  const [all, hLast] = sequences.apply(x);
  expect(all.shape).toEqual([2, 5, 4]);
  expectClose(hLast, Array.from(tfc.slice(all, [0, 4, 0], [2, 1, 4]).dataSync()), 0);
  await expectNoLeak(() => tfc.dispose(lstm.apply(x)));
  tfc.dispose([x, out, h, c, all, hLast]);
});

test('a cell, attention with its scores and a model of two outputs return lists; applyMulti always does', () => {
  const x = tfc.ones([2, 3]);
  const cell = new L.GRUCell({ units: 2 });
  const [y, state] = cell.apply([x, tfc.zeros([2, 2])]);
  expect([y.shape, state.shape]).toEqual([[2, 2], [2, 2]]);
  expectClose(y, Array.from(state.dataSync()), 0); // a GRU cell's output is its state
  const q = k.Input({ shape: [4, 6] });
  const [att, scores] = new L.MultiHeadAttention({ numHeads: 2, keyDim: 3 }).apply([q, q], { returnAttentionScores: true });
  expect([att.shape, scores.shape]).toEqual([[null, 4, 6], [null, 2, 4, 4]]);
  const inputs = k.Input({ shape: [3] });
  const two = new k.Model({ inputs, outputs: [new L.Dense({ units: 2 }).apply(inputs), new L.Dense({ units: 1 }).apply(inputs)] });
  const outs = two.apply(x) as unknown as tfc.Tensor[];
  expect(Array.isArray(outs) && outs.map((t) => t.shape)).toEqual([[2, 2], [2, 1]]);
  const single = new L.Dense({ units: 2 }).applyMulti(x);
  expect(single.length).toBe(1);
  tfc.dispose([x, y, state, ...outs, ...single]);
  two.dispose();
});

test("a Layer's call gets the tensor, a MultiInputLayer's the list; a single-input layer refuses two", () => {
  const seen: string[] = [];
  class One extends k.Layer {
    readonly className = 'One';
    call(x: tfc.Tensor): tfc.Tensor {
      seen.push(Array.isArray(x) ? 'list' : 'tensor');
      return tfc.clone(x);
    }
  }
  class Many extends k.MultiInputLayer {
    readonly className = 'Many';
    override computeOutputShape(shape: k.Shape | k.Shape[]): k.Shape {
      return (Array.isArray(shape[0]) ? shape[0] : shape) as k.Shape;
    }
    call(xs: tfc.Tensor[]): tfc.Tensor {
      seen.push(`list of ${xs.length}`);
      return tfc.addN(xs);
    }
  }
  const x = tfc.ones([2, 3]);
  tfc.dispose([new One({}).apply(x), new One({}).apply([x]), new Many({}).apply(x), new Many({}).apply([x, x])]);
  expect(seen).toEqual(['tensor', 'tensor', 'list of 1', 'list of 2']);
  expect(() => new L.Dense({ units: 2, name: 'takes_one' }).apply([x, x])).toThrow(
    /takes_one \(Dense\): takes one input, got 2\. help: apply it to one tensor; a layer of several inputs extends MultiInputLayer/,
  );
  const a = k.Input({ shape: [3] });
  expect(new Many({}).apply(a).shape).toEqual([null, 3]);
  x.dispose();
});

test('Bidirectional with returnState: [output, ...forward states, ...backward states], typed as a list', () => {
  const inputs = k.Input({ shape: [5, 3] });
  const [y, hf, cf, hb, cb] = new L.Bidirectional({ layer: new L.LSTM({ units: 2, returnState: true }) }).apply(inputs);
  expect([y, hf, cf, hb, cb].map((t) => t.shape)).toEqual([[null, 4], [null, 2], [null, 2], [null, 2], [null, 2]]);
  const merged: k.SymbolicTensor = new L.Bidirectional({ layer: new L.GRU({ units: 2 }) }).apply(inputs);
  expect(merged.shape).toEqual([null, 4]);
});
