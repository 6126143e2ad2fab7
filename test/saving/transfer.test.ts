/**
 * Transfer learning: layer.input/output/outputShape, getLayer by name or index, a feature extractor
 * built from a loaded model's inner tensors sharing its weights, model.trainable freezing and saved,
 * and custom classes registered once and round-tripping.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tfc from '@tensorflow/tfjs-core';
import * as k from '../../src';

let tmp: string;
beforeAll(async () => {
  await k.setBackend('cpu');
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'keras-ts-transfer-'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function base(): k.Sequential {
  return new k.Sequential([
    new k.layers.Conv2D({ filters: 2, kernelSize: 3, activation: 'relu', inputShape: [6, 6, 1], name: 'conv' }),
    new k.layers.Flatten({ name: 'flatten' }),
    new k.layers.Dense({ units: 3, activation: 'softmax', name: 'head' }),
  ]);
}

test('layer.input, layer.output, outputShape and getLayer(name | index)', () => {
  const model = base();
  const flatten = model.getLayer('flatten');
  expect(model.getLayer(1)).toBe(flatten);
  expect(flatten.outputShape).toEqual([null, 32]);
  expect(flatten.input).toBe(model.getLayer('conv').output);
  expect(model.output).toBe(model.getLayer('head').output);
  expect(model.input.shape).toEqual([null, 6, 6, 1]);
  expect(() => model.getLayer(7)).toThrow(/no layer at index 7; the model has 3 layers/);
  expect(() => model.getLayer('nope')).toThrow(/no layer named 'nope'. help: the layers are conv, flatten, head/);
  const shared = new k.layers.Dense({ units: 2 });
  const a = k.Input({ shape: [2] });
  shared.apply(a);
  shared.apply(a);
  expect(() => shared.output).toThrow(/called 2 times, so `output` is ambiguous. help: use getOutputAt/);
  expect((shared.getOutputAt(1) as k.SymbolicTensor).shape).toEqual([null, 2]);
  expect(() => new k.layers.Dense({ units: 1 }).output).toThrow(/never called on a symbolic tensor/);
});

test('a feature extractor from a loaded model\'s inner tensor shares its weights; frozen, a new head trains alone', async () => {
  const original = base();
  const file = path.join(tmp, 'base.keras');
  await original.save(file);
  const loaded = await k.models.loadModel(file);
  const features = new k.Model({ inputs: loaded.inputs, outputs: loaded.getLayer('flatten').output });
  const x = tfc.randomNormal([4, 6, 6, 1], 0, 1, 'float32', 2);
  const f = features.predict(x) as tfc.Tensor;
  expect(f.shape).toEqual([4, 32]);
  // The same weights: the loaded model's conv computes the extractor's features.
  const conv = loaded.getLayer('conv');
  const expected = tfc.reshape(conv.apply(x) as tfc.Tensor, [4, 32]);
  expect(tfc.max(tfc.abs(tfc.sub(f, expected))).dataSync()[0]).toBe(0);

  features.trainable = false;
  expect(conv.trainable).toBe(false);
  const head = new k.layers.Dense({ units: 2, activation: 'softmax', name: 'new_head' });
  const model = new k.Model({ inputs: features.inputs, outputs: head.apply(features.output) });
  expect(model.trainableWeights.map((w) => w.name)).toEqual(['new_head/kernel', 'new_head/bias']);
  const convBefore = conv.getWeights();
  const headBefore = head.getWeights();
  model.compile({ optimizer: new k.optimizers.SGD({ learningRate: 0.5 }), loss: 'sparse_categorical_crossentropy' });
  await model.fit(x, tfc.tensor1d([0, 1, 0, 1]), { epochs: 2, verbose: 0 });
  const convAfter = conv.getWeights();
  const headAfter = head.getWeights();
  convAfter.forEach((w, i) => expect(Array.from(w.dataSync())).toEqual(Array.from(convBefore[i].dataSync())));
  expect(Array.from(headAfter[0].dataSync())).not.toEqual(Array.from(headBefore[0].dataSync()));

  // trainable is saved with each layer and the model.
  await features.save(path.join(tmp, 'frozen.keras'));
  const frozen = await k.models.loadModel(path.join(tmp, 'frozen.keras'));
  expect(frozen.trainable).toBe(false);
  expect(frozen.layers.filter((l) => l.weights.length > 0).every((l) => !l.trainable)).toBe(true);
  expect(frozen.trainableWeights).toEqual([]);
  tfc.dispose([x, f, expected, ...convBefore, ...headBefore, ...convAfter, ...headAfter]);
});

class Scale extends k.Layer {
  readonly className = 'Scale';
  readonly factor: number;
  constructor(args: k.layers.LayerArgs & { factor?: number } = {}) {
    super(args);
    this.factor = args.factor ?? 2;
  }
  call(inputs: tfc.Tensor | tfc.Tensor[]): tfc.Tensor {
    return tfc.mul(Array.isArray(inputs) ? inputs[0] : inputs, this.factor);
  }
  override getConfig(): k.layers.LayerConfig {
    return { ...super.getConfig(), factor: this.factor };
  }
  // No fromConfig: the inherited Layer.fromConfig is `new this(config)`.
}

function customLoss(yTrue: tfc.Tensor, yPred: tfc.Tensor): tfc.Tensor {
  return tfc.mean(tfc.abs(tfc.sub(yTrue, yPred)), -1);
}

test('a registered custom layer and loss round-trip; an unregistered one is refused with how to register it', async () => {
  const make = (): k.Model => {
    const inputs = k.Input({ shape: [3] });
    return new k.Model({ inputs, outputs: new Scale({ factor: 3, name: 'scale' }).apply(inputs) });
  };
  const model = make();
  model.compile({ optimizer: 'sgd', loss: customLoss });
  const file = path.join(tmp, 'custom.keras');
  await expect(k.models.loadModel(file)).rejects.toThrow(/no such file/);
  const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  await model.save(file);
  stderr.mockRestore();
  await expect(k.models.loadModel(file)).rejects.toThrow(
    /unknown layer class 'Scale'.*help: if it is your own class, register it before loading: k.utils.registerKerasSerializable\(Scale, \{package: 'Custom'\}\)/,
  );
  // Given for one call only, as Keras's custom_objects:
  const once = await k.models.loadModel(file, { customObjects: { Scale }, compile: false });
  expect((once.getLayer('scale') as Scale).factor).toBe(3);

  k.utils.registerKerasSerializable(Scale, { package: 'my_pkg' });
  k.utils.registerKerasSerializable(customLoss, { package: 'my_pkg' });
  const registered = make();
  registered.compile({ optimizer: 'sgd', loss: customLoss });
  await registered.save(file);
  const config = JSON.parse(registered.toJSON());
  expect(config.config.layers[1]).toMatchObject({ class_name: 'Scale', registered_name: 'my_pkg>Scale', module: null });
  const loaded = await k.models.loadModel(file);
  expect(loaded.getLayer('scale')).toBeInstanceOf(Scale);
  expect(loaded.compileArgs?.loss).toBe(customLoss);
  const out = loaded.predict(tfc.ones([1, 3])) as tfc.Tensor;
  expect(Array.from(out.dataSync())).toEqual([3, 3, 3]);
  out.dispose();
});

test('the decorator form registers a class', () => {
  const decorate = k.utils.registerKerasSerializable({ package: 'deco' });
  class Twice extends Scale {}
  expect(decorate(Twice)).toBe(Twice);
  const json = JSON.stringify({ class_name: 'Sequential', config: { name: 's', layers: [{ class_name: 'Twice', registered_name: 'deco>Twice', config: { name: 't', factor: 2, batch_input_shape: [null, 2] } }] } });
  const model = k.models.modelFromJson(json);
  expect(model.getLayer('t')).toBeInstanceOf(Twice);
});

test('default names skip names taken by loaded layers; two layers with one name in a model are refused', () => {
  const loaded = k.models.modelFromJson(JSON.stringify({
    class_name: 'Sequential', config: { name: 'old', layers: [{ class_name: 'Dense', config: { name: 'dense_77', units: 2, batch_input_shape: [null, 2] } }] },
  }));
  const names = Array.from({ length: 80 }, () => new k.layers.Dense({ units: 1 }).name);
  expect(names).not.toContain('dense_77');
  const x = k.Input({ shape: [2] });
  const a = new k.layers.Dense({ units: 2, name: 'twin' }).apply(x);
  const b = new k.layers.Dense({ units: 2, name: 'twin' }).apply(a);
  expect(() => new k.Model({ inputs: x, outputs: b })).toThrow(/two different layers are named 'twin'.*help: give one of them another name/);
  expect(loaded.layers[0].name).toBe('dense_77');
});
