import * as tfc from '@tensorflow/tfjs-core';
import * as k from '../../src';
import { expectClose, testedBackends } from '../helpers';

/**
 * Reference by plain loops: for L = sum(conv2d(x, w) ⊙ r), dL/dw[a,b,c,f] = Σ x_pad[n, o·s + a, p·s + b, c] r[n,o,p,f]
 * and dL/dx is the same sum scattered back to x.
 */
function reference(x: number[], xs: number[], w: number[], ws: number[], r: number[], rs: number[], s: number, pt: number, pl: number): { dx: number[]; dw: number[] } {
  const [n, h, wd, c] = xs;
  const [kh, kw, , f] = ws;
  const [, oh, ow] = rs;
  const dx = new Array(x.length).fill(0);
  const dw = new Array(w.length).fill(0);
  for (let b = 0; b < n; b++)
    for (let o = 0; o < oh; o++)
      for (let p = 0; p < ow; p++)
        for (let a = 0; a < kh; a++)
          for (let q = 0; q < kw; q++) {
            const i = o * s + a - pt;
            const j = p * s + q - pl;
            if (i < 0 || j < 0 || i >= h || j >= wd) continue;
            for (let ci = 0; ci < c; ci++)
              for (let fi = 0; fi < f; fi++) {
                const rv = r[((b * oh + o) * ow + p) * f + fi];
                const xi = ((b * h + i) * wd + j) * c + ci;
                const wi = ((a * kw + q) * c + ci) * f + fi;
                dw[wi] += x[xi] * rv;
                dx[xi] += w[wi] * rv;
              }
          }
  return { dx, dw };
}

const cases: Array<[string, number[], number[], number, 'valid' | 'same']> = [
  ['3x3 valid stride 1', [2, 6, 5, 3], [3, 3, 3, 4], 1, 'valid'],
  ['3x3 same stride 2, odd size', [1, 7, 6, 2], [3, 3, 2, 3], 2, 'same'],
  ['2x3 valid stride 2', [2, 8, 7, 1], [2, 3, 1, 2], 2, 'valid'],
  ['4x4 same stride 3', [1, 10, 9, 2], [4, 4, 2, 2], 3, 'same'],
  ['1x1 same', [2, 3, 3, 4], [1, 1, 4, 5], 1, 'same'],
];

describe.each(testedBackends())('Conv2D gradient on %s', (backend) => {
  beforeAll(async () => {
    await k.setBackend(backend);
  });
  test.each(cases)('%s', (_name, xShape, wShape, stride, pad) => {
    let seed = 7;
    const rand = (m: number): number[] => Array.from({ length: m }, () => ((seed = (seed * 16807) % 2147483647) / 2147483647) * 2 - 1);
    const size = (s: number[]): number => s.reduce((a, b) => a * b, 1);
    const xv = rand(size(xShape));
    const wv = rand(size(wShape));
    const x = tfc.tensor4d(xv, xShape as [number, number, number, number]);
    const w = tfc.tensor4d(wv, wShape as [number, number, number, number]);
    const y = tfc.conv2d(x, w, stride, pad);
    const rv = rand(y.size);
    const r = tfc.tensor(rv, y.shape);
    const [dx, dw] = tfc.grads((a: tfc.Tensor, b: tfc.Tensor) => tfc.sum(tfc.mul(tfc.conv2d(a as tfc.Tensor4D, b as tfc.Tensor4D, stride, pad), r)))([x, w]);
    const info = tfc.backend_util.computeConv2DInfo(x.shape, w.shape, stride, 1, pad);
    const ref = reference(xv, xShape, wv, wShape, rv, y.shape, stride, info.padInfo.top, info.padInfo.left);
    expectClose(dx, ref.dx, 1e-4);
    expectClose(dw, ref.dw, 1e-4);
    tfc.dispose([x, w, y, r, dx, dw]);
  });
});
