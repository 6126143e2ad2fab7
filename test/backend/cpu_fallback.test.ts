import * as tfc from '@tensorflow/tfjs-core';
import * as k from '../../src';
import { fallbackReport } from '../../src/backend/cpu_fallback';
import { expectClose } from '../helpers';

test('kernels wasm lacks run on the CPU, give the CPU results, and are counted', async () => {
  await k.setBackend('cpu');
  const run = (): number[][] => {
    const table = tfc.tensor2d([[1, 2], [3, 4], [5, 6]]);
    const idx = tfc.tensor1d([2, 0, 2], 'int32');
    const g = tfc.grad((t: tfc.Tensor) => tfc.sum(tfc.mul(tfc.gather(t, idx), tfc.tensor2d([[1, 2], [3, 4], [5, 6]]))))(table);
    const x = tfc.tensor4d([1, 2, 3, 4, 5, 6, 7, 8], [1, 2, 2, 2]);
    const f = tfc.tensor4d([1, -1, 2, 0.5, 0, 1, -2, 3], [2, 2, 2, 1]);
    const gf = tfc.grad((w: tfc.Tensor) => tfc.sum(tfc.depthwiseConv2d(x, w as tfc.Tensor4D, 1, 'valid')))(f);
    const out = [Array.from(g.dataSync()), Array.from(gf.dataSync())];
    tfc.dispose([table, idx, g, x, f, gf]);
    return out;
  };
  const cpu = run();
  // by hand: rows 2 and 0 gathered; row 2 twice: grad rows [3, 4], [0, 0], [1 + 5, 2 + 6]
  expectClose(cpu[0], [3, 4, 0, 0, 6, 8]);
  await k.setBackend('wasm');
  const before = tfc.memory().numTensors;
  const wasm = run();
  expect(tfc.memory().numTensors).toBe(before);
  expectClose(wasm[0], cpu[0]);
  expectClose(wasm[1], cpu[1]);
  const report = fallbackReport();
  expect(report.UnsortedSegmentSum).toBeUndefined(); // the gather gradient has its own kernel (backend/segment_sum.ts)
  expect(report.DepthwiseConv2dNativeBackpropFilter).toBeGreaterThan(0);
});

test('backendReport names the backend and the kernels that fell back', async () => {
  await k.setBackend('wasm');
  k.resetFallbackReport();
  const x = tfc.tensor4d([1, 2, 3, 4], [1, 2, 2, 1]);
  const f = tfc.tensor4d([1, 1], [1, 1, 1, 2]);
  tfc.dispose(tfc.grad((w: tfc.Tensor) => tfc.sum(tfc.depthwiseConv2d(x, w as tfc.Tensor4D, 1, 'valid')))(f));
  const report = k.backendReport();
  expect(report.backend).toBe('wasm');
  expect(Object.keys(report.fallbacks)).toEqual(['DepthwiseConv2dNativeBackpropFilter']);
  tfc.dispose([x, f]);
});
