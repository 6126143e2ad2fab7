/**
 * k.layers.serialize / deserialize and k.saving.serializeKerasObject / deserializeKerasObject are
 * one implementation: both take Keras 3's dict and keras-ts's {className, config}. The Keras dict
 * below is what Keras 3.15.1's keras.layers.serialize(TimeDistributed(Dense(2, activation="tanh",
 * kernel_regularizer=L2(0.01)))) returns, field for field (Wrapper.get_config's "layer", Dense's
 * get_config with quantization_config, the base config's DTypePolicy dict).
 */
import * as tfc from '@tensorflow/tfjs-core';
import * as k from '../../src';
import { expectClose, expectNoLeak, testBackend } from '../helpers';

beforeAll(async () => {
  await k.setBackend(testBackend());
});

const policy = { module: 'keras', class_name: 'DTypePolicy', config: { name: 'float32' }, registered_name: null };
const KERAS_TD = {
  module: 'keras.layers',
  class_name: 'TimeDistributed',
  config: {
    name: 'time_distributed',
    trainable: true,
    dtype: policy,
    layer: {
      module: 'keras.layers',
      class_name: 'Dense',
      config: {
        name: 'dense',
        trainable: true,
        dtype: policy,
        units: 2,
        activation: 'tanh',
        use_bias: true,
        kernel_initializer: { module: 'keras.initializers', class_name: 'GlorotUniform', config: { seed: null }, registered_name: null },
        bias_initializer: { module: 'keras.initializers', class_name: 'Zeros', config: {}, registered_name: null },
        kernel_regularizer: { module: 'keras.regularizers', class_name: 'L2', config: { l2: 0.01 }, registered_name: null },
        bias_regularizer: null,
        kernel_constraint: null,
        bias_constraint: null,
        quantization_config: null,
      },
      registered_name: null,
    },
  },
  registered_name: null,
};

function checkTd(layer: k.Layer): void {
  expect(layer).toBeInstanceOf(k.layers.TimeDistributed);
  const dense = (layer as k.layers.TimeDistributed).layer as k.layers.Dense;
  expect(dense).toBeInstanceOf(k.layers.Dense);
  expect(dense.getConfig()).toMatchObject({ units: 2, activation: 'tanh', useBias: true, kernelRegularizer: { className: 'L2', config: { l2: 0.01 } } });
  // weights set by hand: y = tanh(x·W + b), W = [[1, 0], [0, 2]], b = [0.5, -0.5]
  const x = tfc.tensor([[[0.2, 0.1]], [[-1, 0.3]]]);
  layer.apply(x);
  dense.setWeights([tfc.tensor([[1, 0], [0, 2]]), tfc.tensor([0.5, -0.5])]);
  const y = layer.apply(x) as tfc.Tensor;
  expectClose(y, [[Math.tanh(0.7), Math.tanh(-0.3)], [Math.tanh(-0.5), Math.tanh(0.1)]], 1e-6);
  tfc.dispose([x, y]);
}

describe('one serialize / deserialize for layers and saving', () => {
  test("Keras 3.15's dict, as JSON: k.layers.deserialize and k.saving.deserializeKerasObject rebuild the same layer", () => {
    const json = JSON.parse(JSON.stringify(KERAS_TD));
    const a = k.layers.deserialize(json);
    checkTd(a);
    const b = k.saving.deserializeKerasObject(JSON.parse(JSON.stringify(KERAS_TD))) as k.Layer;
    checkTd(b);
    a.dispose();
    b.dispose();
  });

  test("k.layers.serialize writes Keras's dict (what serializeKerasObject writes); both forms deserialize through both names", () => {
    const td = new k.layers.TimeDistributed(new k.layers.Dense(2, { activation: 'tanh', kernelRegularizer: new k.regularizers.L2({ l2: 0.01 }) }));
    const dict = k.layers.serialize(td) as typeof KERAS_TD;
    expect(dict).toEqual(k.saving.serializeKerasObject(td));
    expect(dict).toMatchObject({ module: 'keras.layers', class_name: 'TimeDistributed', registered_name: null });
    expect(dict.config.layer).toMatchObject({
      module: 'keras.layers',
      class_name: 'Dense',
      config: { units: 2, activation: 'tanh', use_bias: true, kernel_regularizer: { module: 'keras.regularizers', class_name: 'L2', config: { l2: 0.01 } } },
    });
    checkTd(k.layers.deserialize(JSON.parse(JSON.stringify(dict))));
    const tsForm = { className: 'TimeDistributed', config: td.getConfig() };
    checkTd(k.layers.deserialize(tsForm));
    checkTd(k.saving.deserializeKerasObject(tsForm) as k.Layer);
    expect(k.saving.deserializeKerasObject({ className: 'L2', config: { l2: 0.5 } })).toBeInstanceOf(k.regularizers.L2);
    td.dispose();
  });

  test('refusals name the value and the fix; deserializing and applying leaks nothing', async () => {
    expect(() => k.layers.deserialize({ module: 'keras.layers', class_name: 'NoSuchLayer', config: {}, registered_name: null })).toThrow(/NoSuchLayer.*help:/s);
    expect(() => k.saving.deserializeKerasObject({ className: 'NoSuchThing', config: {} })).toThrow(/NoSuchThing.*help:/s);
    expect(() => k.layers.deserialize({ units: 3 } as never)).toThrow(/expected \{className, config\} or Keras's \{class_name, config\}, got \{"units":3\}.*help:/);
    const x = tfc.ones([1, 1, 2]);
    await expectNoLeak(() => {
      const layer = k.layers.deserialize(JSON.parse(JSON.stringify(KERAS_TD)));
      tfc.dispose(layer.apply(x) as tfc.Tensor);
      layer.dispose();
    });
    x.dispose();
  });
});
