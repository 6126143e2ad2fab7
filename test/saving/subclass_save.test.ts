/**
 * A subclassed model in a `.keras` file: config.json names its registered class and holds its
 * getConfig and the input shape it was built for (build_config), as Keras 3 writes it;
 * model.weights.h5 holds its layers' variables under layers/<snake_case class>, as keras-ts lays out
 * every model (Keras 3 uses a subclass's attribute names there). A registered subclassed model
 * nested in a functional one round-trips too.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tfc from '@tensorflow/tfjs-core';
import * as k from '../../src';
import { readKerasArchive } from '../../src/saving/formats/keras_zip';
import { H5Reader } from '../../src/saving/io/h5_file';
import { expectClose } from '../helpers';

let tmp: string;
beforeAll(async () => {
  await k.setBackend('cpu');
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'keras-ts-subclass-save-'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** Two Dense layers and a scale from its config. */
class Scaled extends k.Model {
  readonly scale: number;
  readonly first = new k.layers.Dense({ units: 3, activation: 'tanh' });
  readonly second = new k.layers.Dense({ units: 2 });
  constructor(args: { scale?: number; name?: string } = {}) {
    super({ name: args.name });
    this.scale = args.scale ?? 1;
  }
  override call(x: tfc.Tensor): tfc.Tensor {
    return tfc.mul(this.second.apply(this.first.apply(x)), this.scale);
  }
  override getConfig(): k.layers.LayerConfig {
    return { ...super.getConfig(), scale: this.scale };
  }
}
k.utils.registerKerasSerializable(Scaled, { package: 'save_test' });

test('config.json: registered class, getConfig, build_config; weights under layers/dense and layers/dense_1', async () => {
  const model = new Scaled({ scale: 2 });
  model.build([null, 5]);
  const file = path.join(tmp, 'scaled.keras');
  await model.save(file);
  const { config, weights } = readKerasArchive(new Uint8Array(fs.readFileSync(file)), file);
  expect(config.class_name).toBe('Scaled');
  expect(config.registered_name).toBe('save_test>Scaled');
  expect(config.build_config).toEqual({ input_shape: [null, 5] });
  expect(config.config).toMatchObject({ name: model.name, trainable: true, scale: 2 });
  const h5 = await H5Reader.open(weights, 'weights');
  try {
    expect(h5.isGroup('layers/dense/vars')).toBe(true);
    expect(h5.isGroup('layers/dense_1/vars')).toBe(true);
  } finally {
    h5.close();
  }
  const loaded = (await k.models.loadModel(file)) as Scaled;
  expect(loaded).toBeInstanceOf(Scaled);
  expect(loaded.scale).toBe(2);
  const x = tfc.randomNormal([3, 5]);
  const [p1, p2] = [model.predict(x), loaded.predict(x)] as tfc.Tensor[];
  expectClose(p2, Array.from(p1.dataSync()), 1e-6);
  tfc.dispose([x, p1, p2]);
  model.dispose();
  loaded.dispose();
});

test('a registered subclassed model inside a functional model saves and loads with the same predictions', async () => {
  const inner = new Scaled({ scale: 3 });
  const input = k.Input({ shape: [4] });
  const hidden = new k.layers.Dense({ units: 4, activation: 'relu' }).apply(input);
  const model = new k.Model({ inputs: input, outputs: inner.apply(hidden) });
  // 4·4+4, then 4·3+3 and 3·2+2 inside
  expect(model.countParams()).toBe(20 + 15 + 8);
  const file = path.join(tmp, 'outer.keras');
  await model.save(file);
  const loaded = await k.models.loadModel(file);
  expect(loaded.layers.map((l) => l.className)).toEqual(['InputLayer', 'Dense', 'Scaled']);
  const x = tfc.randomNormal([2, 4]);
  const [p1, p2] = [model.predict(x), loaded.predict(x)] as tfc.Tensor[];
  expect(p1.shape).toEqual([2, 2]);
  expectClose(p2, Array.from(p1.dataSync()), 1e-6);
  tfc.dispose([x, p1, p2]);
  model.dispose();
  loaded.dispose();
});

test('a functional model holding an unregistered subclassed model is refused before anything is written', async () => {
  class Loose extends Scaled {}
  const inner = new Loose();
  const input = k.Input({ shape: [2] });
  const model = new k.Model({ inputs: input, outputs: inner.apply(input) });
  const file = path.join(tmp, 'loose.keras');
  await expect(model.save(file)).rejects.toThrow(/is a subclassed model \(Loose\).*it is not registered\. help/);
  expect(fs.existsSync(file)).toBe(false);
  model.dispose();
});
