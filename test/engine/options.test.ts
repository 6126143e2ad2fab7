/**
 * Unknown option keys are refused everywhere, with the valid names and the key the user meant; a
 * refused call changes nothing, and the model trains afterwards.
 */
import * as tfc from '@tensorflow/tfjs-core';
import * as k from '../../src';
import { didYouMean } from '../../src/engine/options';
import { expectNoLeak } from '../helpers';

beforeAll(async () => {
  await k.setBackend('cpu');
});

test('didYouMean: snake_case to camelCase, case and small typos, nothing for unrelated keys', () => {
  expect(didYouMean('batch_size', ['batchSize', 'epochs'])).toBe('batchSize');
  expect(didYouMean('validation_split', ['validationSplit', 'epochs'])).toBe('validationSplit');
  expect(didYouMean('learningrate', ['learningRate', 'name'])).toBe('learningRate');
  expect(didYouMean('epocs', ['batchSize', 'epochs'])).toBe('epochs');
  expect(didYouMean('directory', ['dir'])).toBe('dir');
  expect(didYouMean('zzz', ['batchSize', 'epochs'])).toBeUndefined();
});

function mlp(): k.Sequential {
  const model = new k.Sequential([
    new k.layers.Dense({ units: 8, activation: 'relu', inputShape: [4] }),
    new k.layers.Dense({ units: 3, activation: 'softmax' }),
  ]);
  model.compile({ optimizer: new k.optimizers.SGD({ learningRate: 0.1 }), loss: 'categorical_crossentropy', metrics: ['accuracy'] });
  return model;
}

const x = (): tfc.Tensor => tfc.tensor2d([[1, 0, 0, 1], [0, 1, 1, 0], [1, 1, 0, 0], [0, 0, 1, 1]]);
const y = (): tfc.Tensor => tfc.oneHot(tfc.tensor1d([0, 1, 2, 0], 'int32'), 3);

test('fit refuses batch_size (did you mean batchSize) and then trains with the same model', async () => {
  const model = mlp();
  const [xs, ys] = [x(), y()];
  await expect(model.fit(xs, ys, { batch_size: 2 } as never)).rejects.toThrow(/fit: unknown option 'batch_size'\. Did you mean 'batchSize'\? help: the options are .*batchSize/);
  await expect(model.fit(xs, ys, { epochs: 1, validation_split: 0.5 } as never)).rejects.toThrow(/Did you mean 'validationSplit'/);
  const history = await model.fit(xs, ys, { batchSize: 2, epochs: 2, verbose: 0 });
  expect(history.history.loss.every(Number.isFinite)).toBe(true);
  model.dispose();
  tfc.dispose([xs, ys]);
});

test.each([
  ['compile', () => mlp().compile({ optimizer: 'sgd', loss: 'mse', metric: ['accuracy'] } as never), /compile: unknown option 'metric'\. Did you mean 'metrics'\?/],
  ['evaluate', () => mlp().evaluate(x(), y(), { batch_size: 2 } as never), /evaluate: unknown option 'batch_size'\. Did you mean 'batchSize'\?/],
  ['predict', () => mlp().predict(x(), { batch_size: 2 } as never), /predict: unknown option 'batch_size'\. Did you mean 'batchSize'\?/],
  ['trainOnBatch', () => mlp().trainOnBatch(x(), y(), { sample_weight: [1, 1, 1, 1] } as never), /trainOnBatch: unknown option 'sample_weight'\. Did you mean 'sampleWeight'\?/],
  ['Dense', () => new k.layers.Dense({ units: 3, kernel_initializer: 'zeros' } as never), /Dense: unknown option 'kernel_initializer'\. Did you mean 'kernelInitializer'\?/],
  ['Conv2D', () => new k.layers.Conv2D({ filters: 3, kernelSize: 3, stride: 2 } as never), /Conv2D: unknown option 'stride'\. Did you mean 'strides'\?/],
  ['DepthwiseConv2D', () => new k.layers.DepthwiseConv2D({ kernelSize: 3, filters: 2 } as never), /DepthwiseConv2D: unknown option 'filters'/],
  ['MaxPooling2D', () => new k.layers.MaxPooling2D({ pool_size: 2 } as never), /MaxPooling2D: unknown option 'pool_size'\. Did you mean 'poolSize'\?/],
  ['Add', () => new k.layers.Add({ axis: 1 } as never), /Add: unknown option 'axis'/],
  ['Input', () => k.Input({ shap: [3] } as never), /Input: unknown option 'shap'\. Did you mean 'shape'\?/],
  ['Model', () => new k.Model({ inputs: k.Input({ shape: [2] }), output: null } as never), /Model: unknown option 'output'\. Did you mean 'outputs'\?/],
  ['Sequential', () => new k.Sequential({ layer: [] } as never), /Sequential: unknown option 'layer'\. Did you mean 'layers'\?/],
  ['Adam', () => new k.optimizers.Adam({ learning_rate: 0.01 } as never), /Adam: unknown option 'learning_rate'\. Did you mean 'learningRate'\?/],
  ['AdamW', () => new k.optimizers.AdamW({ weight_decay: 0.01 } as never), /AdamW: unknown option 'weight_decay'\. Did you mean 'weightDecay'\?/],
  ['ExponentialDecay', () => new k.optimizers.schedules.ExponentialDecay({ initialLearningRate: 1, decaySteps: 1, decayRate: 0.5, stair: true } as never), /ExponentialDecay: unknown option 'stair'/],
  ['loss', () => new k.losses.CategoricalCrossentropy({ from_logits: true } as never), /categorical_crossentropy: unknown option 'from_logits'\. Did you mean 'fromLogits'\?/],
  ['metric', () => new k.metrics.BinaryAccuracy({ treshold: 0.3 } as never), /BinaryAccuracy: unknown option 'treshold'\. Did you mean 'threshold'\?/],
  ['initializer', () => new k.initializers.RandomNormal({ std: 1 } as never), /RandomNormal: unknown option 'std'/],
  ['GlorotUniform', () => new k.initializers.GlorotUniform({ scale: 2 } as never), /GlorotUniform: unknown option 'scale'/],
  ['regularizer', () => new k.regularizers.L2({ l1: 0.1 } as never), /L2: unknown option 'l1'/],
  ['constraint', () => new k.constraints.MaxNorm({ max_value: 2 } as never), /MaxNorm: unknown option 'max_value'\. Did you mean 'maxValue'\?/],
  ['EarlyStopping', () => new k.callbacks.EarlyStopping({ patiance: 2 } as never), /EarlyStopping: unknown option 'patiance'\. Did you mean 'patience'\?/],
  ['ReduceLROnPlateau', () => new k.callbacks.ReduceLROnPlateau({ min_lr: 0.1 } as never), /ReduceLROnPlateau: unknown option 'min_lr'\. Did you mean 'minLr'\?/],
  ['LambdaCallback', () => new k.callbacks.LambdaCallback({ on_epoch_end: () => undefined } as never), /LambdaCallback: unknown option 'on_epoch_end'\. Did you mean 'onEpochEnd'\?/],
  ['loadMnist', () => k.data.loadMnist({ directory: '/tmp' } as never), /loadMnist: unknown option 'directory'\. Did you mean 'dir'\?/],
])('%s refuses an unknown option with the valid names', async (_name, make, message) => {
  const run = async (): Promise<unknown> => make();
  await expect(run()).rejects.toThrow(message);
  await expect(run()).rejects.toThrow(/help: the options are /);
});

test('a layer subclass of the user may take options of its own', () => {
  class Scale extends k.layers.Layer {
    readonly className = 'Scale';
    readonly factor: number;
    constructor(args: k.layers.LayerArgs & { factor: number }) {
      super(args);
      this.factor = args.factor;
    }
    call(inputs: tfc.Tensor | tfc.Tensor[]): tfc.Tensor {
      return tfc.mul(inputs as tfc.Tensor, this.factor);
    }
  }
  expect(new Scale({ factor: 3, name: 'scale_by_3' }).factor).toBe(3);
});

test("verbose 'auto' is accepted by fit, evaluate and predict (as Keras's default)", async () => {
  const model = mlp();
  const [xs, ys] = [x(), y()];
  const write = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
  try {
    await model.fit(xs, ys, { epochs: 1, verbose: 'auto' });
    await model.evaluate(xs, ys, { verbose: 'auto' });
    const p = model.predict(xs, { verbose: 'auto' }) as tfc.Tensor;
    p.dispose();
    var printed = write.mock.calls.map((c) => String(c[0])).join(''); // eslint-disable-line no-var
  } finally {
    write.mockRestore();
  }
  expect(printed).toMatch(/Epoch 1\/1/);
  expect(printed).toMatch(/loss: \d/);
  expect(printed).toMatch(/1\/1 \[=+\] - \d+s \d+(ms|us)\/step/);
  await expect(model.fit(xs, ys, { verbose: 3 as never })).rejects.toThrow(/fit: `verbose` must be 0, 1, 2 or 'auto', got 3/);
  model.dispose();
  tfc.dispose([xs, ys]);
});

test('every layer, optimizer and initializer class lists its own options (so none goes unchecked)', () => {
  const exported = [...Object.values(k.layers), ...Object.values(k.optimizers), ...Object.values(k.initializers)] as unknown[];
  const classes = exported.filter((c): c is { name: string } => typeof c === 'function' && /^[A-Z]/.test(c.name) && 'prototype' in c);
  // k.layers.Input is a function (k.Input), not a class; OptimizerMap takes two positional arguments (Keras's), no options object
  const bases = new Set(['Layer', 'MultiInputLayer', 'Optimizer', 'Initializer', 'LearningRateSchedule', 'BaseConv', 'KernelLayer', 'RNNCell', 'Input', 'OptimizerMap']);
  const concrete = classes.filter((c) => !bases.has(c.name));
  expect(concrete.length).toBeGreaterThan(45);
  const missing = concrete.filter((c) => !Object.prototype.hasOwnProperty.call(c, 'optionKeys')).map((c) => c.name);
  expect(missing).toEqual([]);
});

test('a refused option leaks nothing', async () => {
  const model = mlp();
  const [xs, ys] = [x(), y()];
  await model.fit(xs, ys, { epochs: 1, verbose: 0 });
  await expectNoLeak(async () => {
    await expect(model.fit(xs, ys, { epoch: 1 } as never)).rejects.toThrow(/Did you mean 'epochs'/);
    expect(() => model.predict(xs, { batchsize: 1 } as never)).toThrow(/Did you mean 'batchSize'/);
  });
  model.dispose();
  tfc.dispose([xs, ys]);
});
