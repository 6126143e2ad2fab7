/**
 * The graph's fusion pass (src/models/fusion.ts): inside a model, Dense and Conv2D run as fused
 * kernels; applied on their own they run their plain ops. Both must compute the same values and the
 * same gradients, on every backend, and a subclass that overrides `call` must run its own call.
 */
import * as tfc from '@tensorflow/tfjs-core';
import * as k from '../../src';
import { expectClose, expectNoLeak, testedBackends } from '../helpers';

/** The kernels `fn` runs, by name. */
function kernelsRun(fn: () => void): Set<string> {
  const engine = tfc.engine();
  const names = new Set<string>();
  const original = engine.runKernel.bind(engine);
  engine.runKernel = ((name: string, ...rest: unknown[]) => {
    names.add(name);
    return (original as (...a: unknown[]) => unknown)(name, ...rest);
  }) as typeof engine.runKernel;
  try {
    fn();
  } finally {
    engine.runKernel = original;
  }
  return names;
}

function denseModel(): { model: k.Model; layers: k.Layer[] } {
  const inputs = k.Input({ shape: [5] });
  const layers = [
    new k.layers.Dense({ units: 4, activation: 'relu' }),
    new k.layers.Dense({ units: 3, activation: 'sigmoid' }),
    new k.layers.Dense({ units: 2, activation: 'softmax' }),
  ];
  let x = inputs;
  for (const layer of layers) x = layer.apply(x);
  return { model: new k.Model({ inputs, outputs: x }), layers };
}

function convModel(): { model: k.Model; layers: k.Layer[] } {
  const inputs = k.Input({ shape: [6, 6, 2] });
  const layers = [
    new k.layers.Conv2D({ filters: 3, kernelSize: 3, activation: 'relu', padding: 'same' }),
    new k.layers.Conv2D({ filters: 2, kernelSize: 2, strides: 2, dilationRate: 1, activation: 'linear' }),
  ];
  let x = inputs;
  for (const layer of layers) x = layer.apply(x);
  return { model: new k.Model({ inputs, outputs: x }), layers };
}

function depthwiseModel(): { model: k.Model; layers: k.Layer[] } {
  const inputs = k.Input({ shape: [6, 6, 2] });
  const layers = [
    new k.layers.DepthwiseConv2D({ kernelSize: 3, depthMultiplier: 2, activation: 'relu6', padding: 'same', biasInitializer: 'randomNormal' }),
    new k.layers.DepthwiseConv2D({ kernelSize: 2, strides: 2, activation: 'relu', useBias: false }),
  ];
  let x = inputs;
  for (const layer of layers) x = layer.apply(x);
  return { model: new k.Model({ inputs, outputs: x }), layers };
}

/** Output and gradients (for every weight) of sum(output * mix) in a training step. */
function valueAndGrads(forward: (x: tfc.Tensor) => tfc.Tensor, x: tfc.Tensor, variables: tfc.Variable[]): number[][] {
  return tfc.tidy(() => {
    let out: number[] = [];
    const { value, grads } = tfc.variableGrads(() => {
      const y = forward(x);
      out = Array.from(y.dataSync());
      const mix = tfc.linspace(-1, 1, y.size).reshape(y.shape);
      return tfc.sum(tfc.mul(y, mix)) as tfc.Scalar;
    }, variables);
    return [out, [value.dataSync()[0]], ...variables.map((v) => Array.from(grads[v.name].dataSync()))];
  });
}

describe.each(testedBackends())('on %s', (backend) => {
  beforeAll(async () => {
    await k.setBackend(backend);
  });

  test.each([
    ['Dense', denseModel, [3, 5]],
    ['Conv2D', convModel, [2, 6, 6, 2]],
    ['DepthwiseConv2D', depthwiseModel, [2, 6, 6, 2]],
  ] as const)('%s: the fused model and the plain layers give the same outputs and gradients', (_name, make, shape) => {
    const { model, layers } = make();
    const x = tfc.randomUniform([...shape], -1, 1, 'float32', 7);
    const variables = model.trainableWeights.map((w) => w.value);
    const fused = valueAndGrads((t) => model.forward([t], { training: true, losses: [], dataInputs: new Set([t]) })[0], x, variables);
    const plain = valueAndGrads((t) => layers.reduce((h, layer) => layer.apply(h, { training: true }), t), x, variables);
    fused.forEach((values, i) => expectClose(values, plain[i], 1e-5));
    expect(fused[2].some((g) => g !== 0)).toBe(true);
    x.dispose();
    model.dispose();
  });

  test('a model runs Dense as one fused kernel; the layer on its own runs matMul, add and the activation', () => {
    const { model, layers } = denseModel();
    const x = tfc.ones([2, 5]);
    const inModel = kernelsRun(() => tfc.dispose(model.predict(x) as tfc.Tensor));
    expect(inModel.has('_FusedMatMul')).toBe(true);
    expect(inModel.has('BatchMatMul')).toBe(false);
    const alone = kernelsRun(() => layers[0].apply(x).dispose());
    expect(alone.has('BatchMatMul')).toBe(true);
    expect(alone.has('_FusedMatMul')).toBe(false);
    x.dispose();
    model.dispose();
  });

  test('a Dense subclass that overrides call runs its own call inside a model', () => {
    class Doubled extends k.layers.Dense {
      override call(x: tfc.Tensor): tfc.Tensor {
        return tfc.mul(super.call(x), 2);
      }
    }
    const inputs = k.Input({ shape: [2] });
    const layer = new Doubled({ units: 1, kernelInitializer: 'ones', biasInitializer: 'ones' });
    const model = new k.Model({ inputs, outputs: layer.apply(inputs) });
    const x = tfc.tensor2d([[1, 2]]);
    const y = model.predict(x) as tfc.Tensor;
    expectClose(y, [[8]]); // 2 * (1 + 2 + 1), by hand
    tfc.dispose([x, y]);
    model.dispose();
  });

  test('fused forward and backward leak no tensors', async () => {
    const { model } = denseModel();
    model.compile({ optimizer: 'sgd', loss: 'categorical_crossentropy' });
    const x = tfc.randomNormal([8, 5]);
    const y = tfc.oneHot(tfc.tensor1d([0, 1, 0, 1, 1, 0, 0, 1], 'int32'), 2);
    await model.fit(x, y, { epochs: 1, batchSize: 4, verbose: 0 }); // builds the optimizer's slots
    await expectNoLeak(async () => {
      await model.fit(x, y, { epochs: 1, batchSize: 4, verbose: 0 });
      tfc.dispose(model.predict(x) as tfc.Tensor);
    });
    tfc.dispose([x, y]);
    model.dispose();
  });
});
