/**
 * Pipeline, Wrapper, ReversibleEmbedding, InputSpec, k.layers.Input / serialize / deserialize:
 * values against NumPy (test/reference/layers5_references.py) or worked by hand, gradients against
 * central differences, configs, .keras/.h5, leaks and refusals.
 */
import * as tfc from '@tensorflow/tfjs-core';
import * as k from '../../src';
import { expectClose, expectNoLeak, testBackend } from '../helpers';
import { checkGradients, expectRoundTrip, seq } from './layers5_helpers';
import { LAYERS5_REFS } from './layers5_refs';

const L = k.layers;

beforeAll(async () => {
  await k.setBackend(testBackend());
});

describe('Pipeline', () => {
  test('applies its layers in order: Dense(2) with a set kernel then ReLU equals relu(x W) by hand', () => {
    const dense = new L.Dense(2, { useBias: false });
    const pipe = new L.Pipeline([dense, new L.ReLU()]);
    const x = tfc.tensor2d([[1, 2], [-1, 0.5]]);
    tfc.dispose(pipe.apply(x));
    dense.setWeights([tfc.tensor2d([[1, -1], [0.5, 2]])]);
    // [1,2]·W = [2, 3]; [-1,0.5]·W = [-0.75, 2]
    expectClose(pipe.apply(x) as tfc.Tensor, [2, 3, 0, 2]);
    expect(pipe.trainableWeights).toEqual(dense.trainableWeights);
    expect(pipe.apply(k.Input({ shape: [2] })).shape).toEqual([null, 2]);
    x.dispose();
  });

  test('passes the training flag (Dropout drops only in training) and the mask along; no leaks', async () => {
    const pipe = new L.Pipeline([new L.Embedding(5, 2, { maskZero: true }), new L.Dropout(0.5, { seed: 1 })]);
    const ids = tfc.tensor2d([[1, 0, 3]], [1, 3], 'int32');
    const inference = pipe.apply(ids) as tfc.Tensor;
    const training = pipe.apply(ids, { training: true }) as tfc.Tensor;
    expect(tfc.equal(inference, training).all().dataSync()[0]).toBe(0);
    const [, masks] = [null, pipe.callMasked(ids, { training: false }).masks];
    expect(Array.from((masks[0] as tfc.Tensor).dataSync())).toEqual([1, 0, 1]);
    await expectNoLeak(() => tfc.dispose(pipe.apply(ids, { training: true })));
    tfc.dispose([ids, inference, training, masks[0] as tfc.Tensor]);
  });

  test('config holds its layers; .keras/.h5 round trip; refusals', async () => {
    const pipe = new L.Pipeline([new L.Dense(3, { activation: 'relu' }), new L.LayerNormalization()], { name: 'prep' });
    const config = pipe.getConfig();
    expect((config.layers as Array<{ className: string }>).map((l) => l.className)).toEqual(['Dense', 'LayerNormalization']);
    const rebuilt = L.Pipeline.fromConfig(config);
    expect(rebuilt.layers.map((l) => l.className)).toEqual(['Dense', 'LayerNormalization']);
    const x = seq([2, 4]);
    await expectRoundTrip(() => new L.Pipeline([new L.Dense(3, { biasInitializer: 'random_normal' }), new L.Dense(2)]), [4], x);
    expect(() => new L.Pipeline([3 as never])).toThrow(/`layers` must be a list of layers.*help:/);
    expect(() => L.Pipeline.fromConfig({ name: 'p' } as never)).toThrow(/must hold `layers`.*help:/);
    x.dispose();
  });
});

describe('Wrapper', () => {
  /** A user's wrapper: the inner layer's output doubled. */
  class Doubled extends L.Wrapper {
    readonly className = 'Doubled';
    constructor(args: k.layers.WrapperArgs) {
      super(args);
    }
    call(x: tfc.Tensor): tfc.Tensor {
      return tfc.mul(this.layer.callOnTensors(x, { training: false })[0], 2);
    }
  }

  test('a subclass gets the inner layer built, its weights, the config with `layer`, and fromConfig', () => {
    const inner = new L.Dense(2, { useBias: false });
    const w = new Doubled({ layer: inner });
    const x = tfc.tensor2d([[1, 1]]);
    tfc.dispose(w.apply(x));
    inner.setWeights([tfc.tensor2d([[1, 2], [3, 4]])]);
    expectClose(w.apply(x) as tfc.Tensor, [8, 12]);
    expect(w.trainableWeights).toEqual(inner.trainableWeights);
    w.trainable = false;
    expect(w.trainableWeights).toEqual([]);
    expect(w.nonTrainableWeights.length).toBe(1);
    expect((w.getConfig().layer as { className: string }).className).toBe('Dense');
    const again = Doubled.fromConfig(w.getConfig()) as Doubled;
    expect(again.layer.className).toBe('Dense');
    expect(() => new Doubled({ layer: 'dense' as never })).toThrow(/`layer` must be a Layer.*help:/);
    x.dispose();
  });
});

describe('ReversibleEmbedding', () => {
  test('forward embeds like Embedding; reverse, tied: h · Eᵀ equals NumPy', () => {
    const layer = new L.ReversibleEmbedding(5, 3);
    const ids = tfc.tensor2d([[0, 4]], [1, 2], 'int32');
    tfc.dispose(layer.apply(ids));
    const e = seq([5, 3], 1, 0.5);
    layer.setWeights([e]);
    expectClose(layer.apply(ids) as tfc.Tensor, [...Array.from(e.dataSync()).slice(0, 3), ...Array.from(e.dataSync()).slice(12, 15)]);
    const h = seq([2, 4, 3]);
    const logits = layer.apply(h, { reverse: true } as never) as tfc.Tensor;
    expect(logits.shape).toEqual([2, 4, 5]);
    expectClose(logits, LAYERS5_REFS['ReversibleEmbedding reverse tied'].values, 1e-5);
    expect(layer.apply(k.Input({ shape: [4, 3] }), { reverse: true } as never).shape).toEqual([null, 4, 5]);
    expect(layer.apply(k.Input({ shape: [4] })).shape).toEqual([null, 4, 3]);
    tfc.dispose([ids, e, h, logits]);
  });

  test('untied with a soft cap: its own reverse_embeddings, 0.5 · tanh(h R / 0.5); gradients; config; .keras/.h5; leaks', async () => {
    const layer = new L.ReversibleEmbedding(5, 3, { tieWeights: false, logitSoftCap: 0.5, maskZero: true });
    const h = tfc.variable(seq([2, 4, 3]));
    tfc.dispose(layer.apply(h, { reverse: true } as never));
    expect(layer.weights.map((w) => [w.name.split('/').pop(), w.shape])).toEqual([['embeddings', [5, 3]], ['reverse_embeddings', [3, 5]]]);
    const w = [seq([5, 3], 1, 0.5), seq([3, 5], 2, 0.5)];
    layer.setWeights(w);
    expectClose(layer.apply(h, { reverse: true } as never) as tfc.Tensor, LAYERS5_REFS['ReversibleEmbedding reverse untied, soft cap 0.5'].values, 1e-5);
    checkGradients('ReversibleEmbedding', () => layer.apply(h, { reverse: true } as never) as tfc.Tensor, [(layer.reverseEmbeddings as k.Weight).value, h]);
    await expectNoLeak(() => tfc.dispose(layer.apply(h, { reverse: true } as never)));
    expect(layer.getConfig()).toMatchObject({ inputDim: 5, outputDim: 3, tieWeights: false, logitSoftCap: 0.5, reverseDtype: null, maskZero: true });
    const ids = tfc.tensor2d([[1, 0, 2]], [1, 3], 'int32');
    expect(Array.from((layer.callMasked(ids, { training: false }).masks[0] as tfc.Tensor).dataSync())).toEqual([1, 0, 1]);
    await expectRoundTrip(() => new L.ReversibleEmbedding(6, 2, { tieWeights: false }), [3], tfc.tensor2d([[1, 2, 5], [0, 3, 4]]));
    expect(() => new L.ReversibleEmbedding(5, 3, { logitSoftCap: -1 })).toThrow(/`logitSoftCap` must be a positive number.*help:/);
    expect(() => layer.apply(seq([1, 2]), { reverse: true } as never)).toThrow(/outputDim = 3.*help:/);
    tfc.dispose([h, ids, ...w]);
  });
});

describe('InputSpec, k.layers.Input, serialize and deserialize', () => {
  test('InputSpec checks ndim, min/max ndim, axes and shape as Keras\'s assert_input_compatibility', () => {
    const spec = new L.InputSpec({ ndim: 3, axes: { [-1]: 4 } });
    expect(() => spec.check([null, 5, 4], 'l')).not.toThrow();
    expect(() => spec.check([null, 4], 'l')).toThrow(/expected ndim=3, found ndim=2.*help:/);
    expect(() => spec.check([null, 5, 3], 'l')).toThrow(/expected axis -1 of the input to have value 4.*help:/);
    const squeeze = new L.InputSpec({ shape: [null, 28, 28, 1], allowLastAxisSqueeze: true });
    expect(() => squeeze.check([2, 28, 28], 'l')).not.toThrow();
    expect(() => squeeze.check([2, 28, 27, 1], 'l')).toThrow(/expected shape=\(None, 28, 28, 1\)|expected shape=/);
    expect(() => new L.InputSpec({ minNdim: 2 }).check([3], 'l')).toThrow(/min_ndim=2/);
    expect(L.InputSpec.fromConfig(spec.getConfig()).getConfig()).toEqual(spec.getConfig());
    expect(() => new L.InputSpec({ ndim: 2, axes: { 3: 1 } })).toThrow(/axis 3 is greater than the highest allowed, 1.*help:/);
    expect(k.InputSpec).toBe(L.InputSpec);
  });

  test('k.layers.Input is k.Input; serialize / deserialize rebuild a layer and the layers it holds', () => {
    expect(L.Input).toBe(k.Input);
    expect(L.Input({ shape: [3] }).shape).toEqual([null, 3]);
    const td = new L.TimeDistributed(new L.Dense(4, { activation: 'tanh' }));
    expect(td).toBeInstanceOf(L.Wrapper); // TimeDistributed is a Wrapper, as Keras's
    const spec = L.serialize(td);
    expect(spec.class_name).toBe('TimeDistributed'); // Keras's dict, as keras.layers.serialize
    const back = L.deserialize(spec) as k.layers.TimeDistributed;
    expect(back.className).toBe('TimeDistributed');
    expect(back.layer.getConfig()).toMatchObject({ units: 4, activation: 'tanh' });
    expect(() => L.deserialize({ className: 'NoSuchLayer', config: {} as never })).toThrow(/NoSuchLayer/);
    expect(() => L.deserialize(3 as never)).toThrow(/expected \{className, config\}.*help:/);
  });
});
