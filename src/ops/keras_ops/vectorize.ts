/**
 * Keras 3's `vectorize(pyfunc, {excluded, signature})` (NumPy's np.vectorize): a function that
 * calls `pyfunc` once per element of its broadcast arguments (or, with a signature such as
 * '(m,n),(n)->(m)', once per core sub-array) and stacks the results. Eager and per call: meant for
 * functions that tfjs-core ops cannot broadcast themselves, not for speed.
 */
import * as tfc from '@tensorflow/tfjs-core';
import { ValueError } from '../../engine/errors';
import { run, toTensor, type TensorInput } from './tensor_input';

export interface VectorizeOptions {
  /** Positions of arguments passed to pyfunc as they are. Keras: `excluded`. @default none */
  excluded?: number[];
  /** Core dimensions, NumPy's generalized-ufunc form '(m,n),(n)->(m)'. Keras: `signature`. @default every argument scalar */
  signature?: string | null;
}

/** The number of core axes of each input in a signature like '(m,n),(n)->(m)'. */
function coreRanks(signature: string): number[] {
  const match = /^\s*(.*?)\s*->\s*\(.*\)\s*$/.exec(signature);
  if (match === null) throw new ValueError(`ops.vectorize: signature '${signature}' is not of the form '(m,n),(n)->(m)'. help: pass one output, e.g. '(n)->()'.`);
  return [...match[1].matchAll(/\(([^)]*)\)/g)].map((m) => (m[1].trim() === '' ? 0 : m[1].split(',').length));
}

function broadcastShapes(shapes: number[][]): number[] {
  const rank = Math.max(0, ...shapes.map((s) => s.length));
  return Array.from({ length: rank }, (_, i) => {
    const dims = shapes.map((s) => s[s.length - rank + i] ?? 1);
    const big = Math.max(...dims);
    if (dims.some((d) => d !== 1 && d !== big)) throw new ValueError(`ops.vectorize: argument shapes [${shapes.map((s) => `[${s}]`).join(', ')}] do not broadcast. help: pass arguments whose loop axes broadcast.`);
    return big;
  });
}

export function vectorize(pyfunc: (...args: tfc.Tensor[]) => tfc.Tensor, options: VectorizeOptions = {}): (...args: TensorInput[]) => tfc.Tensor {
  const excluded = new Set(options.excluded ?? []);
  const cores = options.signature ? coreRanks(options.signature) : null;
  return (...args: TensorInput[]) => run(() => {
    const loop = args.map((a, i) => (excluded.has(i) ? null : toTensor(a)));
    const vectorized = loop.filter((t): t is tfc.Tensor => t !== null);
    if (cores !== null && cores.length !== vectorized.length) throw new ValueError(`ops.vectorize: the signature has ${cores.length} inputs but ${vectorized.length} arguments were given. help: match the signature.`);
    const coreOf = (j: number): number => (cores === null ? 0 : cores[j]);
    const batch = broadcastShapes(vectorized.map((t, j) => t.shape.slice(0, t.rank - coreOf(j))));
    const size = batch.reduce((a, b) => a * b, 1);
    const flat = vectorized.map((t, j) => {
      const core = t.shape.slice(t.rank - coreOf(j));
      return tfc.reshape(tfc.broadcastTo(t, [...batch, ...core]), [size, ...core]);
    });
    const outs = Array.from({ length: size }, (_, n) => {
      let j = 0;
      return pyfunc(...args.map((a, i) => (loop[i] === null ? (a as tfc.Tensor) : tfc.gather(flat[j++], n))));
    });
    const out = tfc.stack(outs);
    return tfc.reshape(out, [...batch, ...out.shape.slice(1)]);
  });
}
