/**
 * Custom training as Keras users write it: a Model subclass's trainStep/testStep used by fit,
 * evaluate and trainOnBatch; optimizer.minimize and apply; applyGradients in Keras's
 * (gradient, variable) order. Expected values worked by hand.
 */
import * as tfc from '@tensorflow/tfjs-core';
import * as k from '../../src';
import { expectClose, expectNoLeak } from '../helpers';

beforeAll(async () => {
  await k.setBackend('cpu');
});

/** y = w·x with w starting at 0 (one weight, no bias). */
function linearModel<M extends k.Model>(Cls: new (args: k.ModelArgs) => M): M {
  const inputs = k.Input({ shape: [1] });
  const outputs = new k.layers.Dense({ units: 1, useBias: false, kernelInitializer: 'zeros' }).apply(inputs);
  return new Cls({ inputs, outputs });
}

/** Keras's "customizing what happens in fit()" recipe, with a loss tracker of its own. */
class RecipeModel extends k.Model {
  readonly tracker = new k.metrics.Mean('loss');
  steps = 0;
  override get metrics(): k.metrics.Metric[] {
    return [this.tracker];
  }
  override trainStep({ x, y }: k.StepData): k.StepLogs {
    this.steps++;
    const vars = this.trainableVariables;
    const { value, grads } = tfc.variableGrads(() => this.computeLoss({ y, yPred: this.apply(x as tfc.Tensor, { training: true }) }), vars);
    this.optimizer.applyGradients(vars.map((v) => [grads[v.name], v]));
    this.tracker.updateState(value);
    return { loss: this.tracker.result(), steps: this.steps };
  }
  override testStep({ x, y }: k.StepData): k.StepLogs {
    const loss = this.computeLoss({ y, yPred: this.apply(x as tfc.Tensor) });
    this.tracker.updateState(loss);
    return { loss: this.tracker.result() };
  }
  override dispose(): void {
    this.tracker.dispose();
    super.dispose();
  }
}

test('fit runs the subclass trainStep: SGD on mse by hand, w 0 -> 1 -> 1.5', async () => {
  // x = [1, 2], y = [2, 4], one batch. Step 1: pred 0, loss (4 + 16) / 2 = 10,
  // dL/dw = mean(2 (w x - y) x) = mean(-4, -16) = -10, w = 0 + 0.1 · 10 = 1.
  // Step 2: pred [1, 2], loss (1 + 4) / 2 = 2.5, dL/dw = mean(-2, -8) = -5, w = 1.5.
  const model = linearModel(RecipeModel);
  model.compile({ optimizer: new k.optimizers.SGD({ learningRate: 0.1 }), loss: 'mse' });
  const history = await model.fit([[1], [2]], [[2], [4]], { epochs: 2, batchSize: 2, shuffle: false, verbose: 0 });
  expectClose(history.history.loss, [10, 2.5], 1e-5); // the tracker is reset at each epoch
  expect(history.history.steps).toEqual([1, 2]);
  expect(model.steps).toBe(2);
  expectClose(model.getWeights()[0], [[1.5]], 1e-6);
  // evaluate runs testStep: w = 1.5, pred [1.5, 3], loss (0.25 + 1) / 2 = 0.625
  const logs = await model.evaluate([[1], [2]], [[2], [4]], { returnDict: true });
  expectClose(logs.loss, 0.625, 1e-6);
  model.dispose();
});

test('trainOnBatch runs it too; the built-in step gives the same numbers', async () => {
  const custom = linearModel(RecipeModel);
  custom.compile({ optimizer: new k.optimizers.SGD({ learningRate: 0.1 }), loss: 'mse' });
  const builtIn = linearModel(k.Model);
  builtIn.compile({ optimizer: new k.optimizers.SGD({ learningRate: 0.1 }), loss: 'mse' });
  const first = custom.trainOnBatch([[1], [2]], [[2], [4]], { returnDict: true });
  expectClose(first.loss, 10, 1e-5);
  const reference = builtIn.trainOnBatch([[1], [2]], [[2], [4]]);
  expectClose(reference[0], 10, 1e-5);
  expectClose(custom.getWeights()[0], [[1]], 1e-6);
  expectClose(builtIn.getWeights()[0], [[1]], 1e-6);
  custom.dispose();
  builtIn.dispose();
});

test('a trainStep that returns nothing logs the compiled loss and metrics; computeMetrics updates them', async () => {
  class Quiet extends k.Model {
    override trainStep({ x, y }: k.StepData): void {
      const vars = this.trainableVariables;
      let preds: tfc.Tensor | null = null;
      const { value, grads } = tfc.variableGrads(() => {
        const yPred = this.apply(x as tfc.Tensor, { training: true });
        preds = tfc.keep(yPred);
        return this.computeLoss({ y, yPred });
      }, vars);
      this.optimizer.apply(vars.map((v) => grads[v.name]), vars);
      (this.metrics[0] as k.metrics.Mean).updateState(value);
      this.computeMetrics({ y, yPred: preds as unknown as tfc.Tensor });
      (preds as unknown as tfc.Tensor).dispose();
    }
  }
  const model = linearModel(Quiet);
  model.compile({ optimizer: new k.optimizers.SGD({ learningRate: 0.1 }), loss: 'mse', metrics: ['mae'] });
  const history = await model.fit([[1], [2]], [[2], [4]], { epochs: 1, batchSize: 2, verbose: 0 });
  expectClose(history.history.loss, [10], 1e-5);
  expectClose(history.history.mae, [3], 1e-5); // mean(|0 - 2|, |0 - 4|)
  model.dispose();
});

test('optimizer.minimize: f(w) = (w - 3)^2 from w = 0 with SGD 0.1 gives w = 0.6 and returns f = 9', async () => {
  const w = tfc.variable(tfc.scalar(0));
  const opt = new k.optimizers.SGD({ learningRate: 0.1 });
  await expectNoLeak(() => {
    const loss = opt.minimize(() => tfc.square(tfc.sub(w, 3)) as tfc.Scalar, [w]);
    expectClose(loss, 9);
    loss.dispose();
  });
  expectClose(w, 0.6, 1e-6);
  const loss2 = opt.minimize(() => tfc.square(tfc.sub(w, 3)) as tfc.Scalar); // every trainable variable it uses
  expectClose(loss2, 5.76, 1e-5); // (0.6 - 3)^2
  expectClose(w, 0.6 + 0.1 * 2 * 2.4, 1e-5);
  tfc.dispose([loss2, w]);
  opt.dispose();
});

test('applyGradients: Keras order, Weights as variables, missing gradients skipped; the reversed order is refused and changes nothing', () => {
  const layer = new k.layers.Dense({ units: 1, useBias: true, kernelInitializer: 'ones' });
  layer.apply(tfc.ones([1, 2])).dispose();
  const [kernel, bias] = layer.weights;
  const opt = new k.optimizers.SGD({ learningRate: 0.5 });
  const g = tfc.ones([2, 1]);
  expect(() => opt.applyGradients([[kernel.value, g] as never])).toThrow(
    /SGD\.applyGradients: pair 0 is \(variable, gradient\); Keras's order is \(gradient, variable\)\. help: pass \[grad, variable\] pairs/,
  );
  expect(() => opt.applyGradients([[tfc.ones([3]) as tfc.Tensor, kernel]])).toThrow(/has shape \[3\] but the variable has shape \[2,1\]/);
  expectClose(kernel.value, [[1], [1]]);
  opt.applyGradients([[g, kernel], [null, bias]]);
  expectClose(kernel.value, [[0.5], [0.5]]);
  expectClose(bias.value, [0]);
  expect(opt.iterations).toBe(1);
  g.dispose();
  layer.dispose();
  opt.dispose();
});

test('custom steps leak nothing over fit, evaluate and trainOnBatch', async () => {
  const model = linearModel(RecipeModel);
  model.compile({ optimizer: new k.optimizers.SGD({ learningRate: 0.01 }), loss: 'mse' });
  await model.fit([[1], [2]], [[2], [4]], { epochs: 1, verbose: 0 });
  await expectNoLeak(async () => {
    await model.fit([[1], [2], [3]], [[2], [4], [6]], { epochs: 2, batchSize: 2, verbose: 0 });
    await model.evaluate([[1], [2]], [[2], [4]]);
    model.trainOnBatch([[1]], [[2]]);
  });
  model.dispose();
});
