/**
 * tfjs-backend-wasm's threaded build in Node (src/backend/wasm/threads.ts): it starts with the
 * threads asked for, computes what cpu computes, and its workers do not keep Node running (Jest
 * would report the open handles and the examples would not exit).
 */
import * as tfc from '@tensorflow/tfjs-core';
import * as k from '../../../src';
import { expectClose } from '../../helpers';

test('setNumThreads(2) before wasm starts gives it two threads, and results equal cpu', async () => {
  k.setNumThreads(2);
  const run = async (backend: k.BackendName): Promise<number[][]> => {
    await k.setBackend(backend);
    return tfc.tidy(() => {
      const a = tfc.tensor2d(Array.from({ length: 96 * 70 }, (_, i) => Math.sin(i)), [96, 70]);
      const b = tfc.tensor2d(Array.from({ length: 70 * 40 }, (_, i) => Math.cos(i)), [70, 40]);
      const x = tfc.tensor4d(Array.from({ length: 2 * 12 * 12 * 3 }, (_, i) => Math.sin(0.3 * i)), [2, 12, 12, 3]);
      const f = tfc.tensor4d(Array.from({ length: 3 * 3 * 3 * 8 }, (_, i) => Math.cos(0.7 * i)), [3, 3, 3, 8]);
      return [Array.from(tfc.matMul(a, b).dataSync()), Array.from(tfc.conv2d(x, f, 1, 'same').dataSync())];
    });
  };
  const wasm = await run('wasm');
  expect(k.backendReport()).toMatchObject({ backend: 'wasm', threads: 2 });
  const cpu = await run('cpu');
  expectClose(wasm[0], cpu[0], 1e-3);
  expectClose(wasm[1], cpu[1], 1e-3);
});
