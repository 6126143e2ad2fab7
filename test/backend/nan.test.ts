/**
 * NaN in, NaN out, on every backend: wasm's clamping kernels (ClipByValue, Relu6, the fused
 * relu/relu6 of matmul and convolution) keep NaN as cpu does, so a model gone NaN reports a NaN
 * loss and TerminateOnNaN stops it, on wasm as on cpu.
 */
import * as tfc from '@tensorflow/tfjs-core';
import * as k from '../../src';
import { expectNoLeak, flat } from '../helpers';

const BACKENDS = ['cpu', 'wasm'] as const;

/** Values with NaN kept as the string 'NaN', for toEqual. */
function values(t: tfc.Tensor): Array<number | string> {
  const out = flat(t).map((v) => (Number.isNaN(v) ? 'NaN' : v));
  t.dispose();
  return out;
}

describe.each(BACKENDS)('%s', (backend) => {
  beforeAll(async () => {
    await k.setBackend(backend);
  });

  test('clamping kernels keep NaN (expected values worked by hand)', async () => {
    await expectNoLeak(() => {
      // +NaN, a NaN with its sign bit set (as Inf - Inf makes on x86 and wasm), and numbers
      const x = tfc.tensor1d(new Float32Array(new Uint32Array([0x7fc00000, 0xffc00000, 0x3f800000, 0xbf800000, 0x40e00000]).buffer));
      expect(values(tfc.clipByValue(x, 0, 0.5))).toEqual(['NaN', 'NaN', 0.5, 0, 0.5]);
      expect(values(tfc.relu6(x))).toEqual(['NaN', 'NaN', 1, 0, 6]);
      expect(values(tfc.relu(x))).toEqual(['NaN', 'NaN', 1, 0, 7]);
      const a = tfc.tensor2d([[NaN], [-1], [8]]);
      const w = tfc.tensor2d([[1]]);
      expect(values(tfc.fused.matMul({ a, b: w, activation: 'relu' }))).toEqual(['NaN', 0, 8]);
      const bias = tfc.tensor1d([0]);
      expect(values(tfc.fused.matMul({ a, b: w, bias, activation: 'relu6' }))).toEqual(['NaN', 0, 6]);
      expect(values(tfc.fused.matMul({ a, b: w, activation: 'sigmoid' }))[0]).toBe('NaN');
      // A NaN filter weight (a diverged conv layer): every output NaN after the fused relu.
      const image = tfc.tensor4d([4, -1, 3, 2], [1, 2, 2, 1]);
      const filter = tfc.tensor4d([NaN], [1, 1, 1, 1]);
      expect(values(tfc.fused.conv2d({ x: image, filter, strides: 1, pad: 'valid', activation: 'relu' }))).toEqual(['NaN', 'NaN', 'NaN', 'NaN']);
      tfc.dispose([x, a, w, bias, image, filter]);
    });
  });

  test('a NaN that a convolution turned into -Infinity comes out of the relu as NaN', async () => {
    await expectNoLeak(() => {
      const image = tfc.tensor4d([NaN, -1, 3], [1, 3, 1, 1]); // wasm's XNNPACK conv maps this NaN to -Infinity
      const filter = tfc.ones([1, 1, 1, 1]) as tfc.Tensor4D;
      expect(values(tfc.tidy(() => tfc.relu(tfc.conv2d(image, filter, 1, 'valid'))))).toEqual(['NaN', 0, 3]);
      tfc.dispose([image, filter]);
    });
  });

  test.each(['sigmoid', 'relu', 'relu6'] as const)('a %s MLP whose first layer went NaN reports a NaN loss in fit and evaluate', async (activation) => {
    const model = new k.Sequential([
      new k.layers.Dense({ units: 5, activation, inputShape: [4] }),
      new k.layers.Dense({ units: 3, activation: 'softmax' }),
    ]);
    model.compile({ optimizer: 'sgd', loss: 'categorical_crossentropy', metrics: ['accuracy'] });
    const x = tfc.randomNormal([6, 4], 0, 1, 'float32', 1);
    const y = tfc.oneHot(tfc.tensor1d([0, 1, 2, 0, 1, 2], 'int32'), 3);
    const first = model.layers[0];
    first.setWeights(first.getWeights().map((w) => {
      const nan = tfc.fill(w.shape, NaN);
      w.dispose();
      return nan;
    }));
    const history = await model.fit(x, y, { epochs: 1, verbose: 0 });
    expect(history.history.loss[0]).toBeNaN();
    const [loss] = await model.evaluate(x, y);
    expect(loss).toBeNaN();
    model.dispose();
    tfc.dispose([x, y]);
  });

  test('TerminateOnNaN stops fit at the first NaN batch', async () => {
    const model = new k.Sequential([new k.layers.Dense({ units: 2, activation: 'softmax', inputShape: [2] })]);
    model.compile({ optimizer: new k.optimizers.SGD({ learningRate: 1e30 }), loss: 'categorical_crossentropy' });
    const x = tfc.tensor2d([[1e20, -1e20], [-1e20, 1e20], [1e20, 1e20], [3, 4]]);
    const y = tfc.tensor2d([[1, 0], [0, 1], [1, 0], [0, 1]]);
    const seen: number[] = [];
    const spy = new k.callbacks.LambdaCallback({ onBatchEnd: (batch) => void seen.push(batch) });
    const write = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      await model.fit(x, y, { epochs: 3, batchSize: 1, shuffle: false, verbose: 0, callbacks: [new k.callbacks.TerminateOnNaN(), spy] });
    } finally {
      write.mockRestore();
    }
    expect(model.stopTraining).toBe(true);
    expect(seen.length).toBeLessThan(12); // 3 epochs of 4 batches had it not stopped
    model.dispose();
    tfc.dispose([x, y]);
  });
});
