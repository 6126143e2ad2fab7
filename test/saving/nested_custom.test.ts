/**
 * A registered custom layer inside the layers that hold layers (TimeDistributed, Bidirectional, an
 * RNN's cell) saves to .keras and reloads as its own class with the same predictions: every
 * rebuild by name goes through the one registry.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tfc from '@tensorflow/tfjs-core';
import * as k from '../../src';

const L = k.layers;

/** x · kernel, a weight of its own. */
class Affine extends k.Layer {
  readonly className = 'Affine';
  readonly units: number;
  private kernel: k.Weight | null = null;
  constructor(args: k.layers.LayerArgs & { units: number }) {
    super(args);
    this.units = args.units;
  }
  override build(shape: k.Shape | k.Shape[]): void {
    const s = shape as k.Shape;
    this.kernel = this.addWeight({ name: 'kernel', shape: [s[s.length - 1] as number, this.units], initializer: 'glorot_uniform' });
  }
  override computeOutputShape(shape: k.Shape | k.Shape[]): k.Shape {
    return [...(shape as k.Shape).slice(0, -1), this.units];
  }
  call(x: tfc.Tensor): tfc.Tensor {
    return tfc.matMul(x, (this.kernel as k.Weight).value);
  }
  override getConfig(): k.layers.LayerConfig {
    return { ...super.getConfig(), units: this.units };
  }
}

/** h' = tanh(x · W + h · U): an RNN cell written by a user. */
class MinimalCell extends L.RNNCell {
  readonly className = 'MinimalCell';
  readonly units: number;
  readonly stateSize: number[];
  private w: k.Weight | null = null;
  private u: k.Weight | null = null;
  constructor(args: k.layers.LayerArgs & { units: number }) {
    super(args);
    this.units = args.units;
    this.stateSize = [args.units];
  }
  get outputSize(): number {
    return this.units;
  }
  override build(shape: k.Shape | k.Shape[]): void {
    const s = (Array.isArray(shape[0]) ? shape[0] : shape) as k.Shape;
    this.w = this.addWeight({ name: 'kernel', shape: [s[s.length - 1] as number, this.units], initializer: 'glorot_uniform' });
    this.u = this.addWeight({ name: 'recurrent_kernel', shape: [this.units, this.units], initializer: 'orthogonal' });
  }
  step(x: tfc.Tensor, states: tfc.Tensor[]): k.layers.StepResult {
    const h = tfc.tanh(tfc.add(tfc.matMul(x, (this.w as k.Weight).value), tfc.matMul(states[0], (this.u as k.Weight).value)));
    return { output: h, states: [h] };
  }
  override getConfig(): k.layers.LayerConfig {
    return { ...super.getConfig(), units: this.units };
  }
}

let tmp: string;
beforeAll(async () => {
  await k.setBackend('cpu');
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'keras-ts-nested-'));
  k.utils.registerKerasSerializable(Affine, { package: 'nested_test' });
  k.utils.registerKerasSerializable(MinimalCell, { package: 'nested_test' });
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const cases: Array<[string, () => k.Layer, (loaded: k.Layer) => boolean]> = [
  ['TimeDistributed', () => new L.TimeDistributed({ layer: new Affine({ units: 2 }) }), (l) => (l as InstanceType<typeof L.TimeDistributed>).layer instanceof Affine],
  ['RNN', () => new L.RNN({ cell: new MinimalCell({ units: 3 }), returnSequences: true }), (l) => (l as InstanceType<typeof L.RNN>).cell instanceof MinimalCell],
  [
    'Bidirectional',
    () => new L.Bidirectional({ layer: new L.RNN({ cell: new MinimalCell({ units: 2 }) }) }),
    (l) => [(l as InstanceType<typeof L.Bidirectional>).forwardLayer, (l as InstanceType<typeof L.Bidirectional>).backwardLayer].every((r) => r.cell instanceof MinimalCell),
  ],
];

test.each(cases)('a registered custom layer inside %s saves to .keras and reloads with the same predictions', async (name, make, isCustom) => {
  const inputs = k.Input({ shape: [4, 3] });
  const wrapper = make();
  const model = new k.Model({ inputs, outputs: wrapper.apply(inputs) });
  const x = tfc.randomNormal([2, 4, 3], 0, 1, 'float32', 11);
  const before = model.predict(x) as tfc.Tensor;
  const file = path.join(tmp, `${name}.keras`);
  await model.save(file);
  const loaded = await k.models.loadModel(file, { compile: false });
  const again = loaded.getLayer(wrapper.name);
  expect(again.className).toBe(name);
  expect(isCustom(again)).toBe(true);
  const after = loaded.predict(x) as tfc.Tensor;
  expect(after.shape).toEqual(before.shape);
  expect(tfc.max(tfc.abs(tfc.sub(before, after))).dataSync()[0]).toBe(0);
  expect(loaded.weights.length).toBe(model.weights.length);
  tfc.dispose([x, before, after]);
  model.dispose();
  loaded.dispose();
});

test('the same config, rebuilt without saving: fromConfig on the wrapper finds the registered class', () => {
  const wrapper = new L.TimeDistributed({ layer: new Affine({ units: 5 }) });
  const again = L.TimeDistributed.fromConfig(wrapper.getConfig());
  expect(again.layer).toBeInstanceOf(Affine);
  expect((again.layer as Affine).units).toBe(5);
});
