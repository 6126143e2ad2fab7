/** Adaptive pooling's windows (PyTorch's and Keras's): output cell i of an axis of length n covers [floor(i n / out), ceil((i + 1) n / out)). */
import * as tfc from '@tensorflow/tfjs-core';

/** Pools `axis` of x to `out` windows, each reduced with `reduce` (keeping the axis). */
export function poolAxis(x: tfc.Tensor, axis: number, out: number, reduce: (t: tfc.Tensor, axis: number) => tfc.Tensor): tfc.Tensor {
  const len = x.shape[axis];
  const pieces = Array.from({ length: out }, (_, i) => {
    const start = Math.floor((i * len) / out);
    const end = Math.ceil(((i + 1) * len) / out);
    const begin = x.shape.map((_d, j) => (j === axis ? start : 0));
    const size = x.shape.map((d, j) => (j === axis ? end - start : d));
    return reduce(tfc.slice(x, begin, size), axis);
  });
  return pieces.length === 1 ? pieces[0] : tfc.concat(pieces, axis);
}
