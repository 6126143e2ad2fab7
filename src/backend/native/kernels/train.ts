/** keras-ts's own training kernels (engine/fused_kernels.ts): cross-entropy and optimizer steps. */
import * as tfc from '@tensorflow/tfjs-core';
import { input, NativeArgs, NativeImpl } from './types';

const KIND: Record<string, number> = { softmax: 0, sigmoid: 1 };

function rowsAndClasses(probs: tfc.TensorInfo): [number, number] {
  const classes = probs.shape[probs.shape.length - 1];
  return [tfc.util.sizeFromShape(probs.shape) / classes, classes];
}

/**
 * Where an optimizer kernel writes a new value of t: t's own array when only t holds it (the step
 * then reads and writes each element once, as PyTorch's in-place updates do, instead of filling a
 * second array), else a new one.
 */
function target(args: NativeArgs, t: tfc.TensorInfo): [tfc.TensorInfo, Float32Array] {
  const b = args.backend;
  return b.exclusive(t) ? [b.view(t, t.shape), b.f32(t)] : b.output(t.shape);
}

/** The addon's `reduce` argument: 0 one value per row, 1 their sum, 2 their mean. */
type Reduce = 0 | 1 | 2;

/**
 * Whether the kernel takes these inputs: a known kind, and a target shaped as probs (or, with the
 * reduced kernels' `sparse`, one class index per row of a softmax's probs).
 */
function takes(args: NativeArgs, probs: tfc.TensorInfo, target: tfc.TensorInfo): boolean {
  const kind = KIND[args.attrs.kind as string];
  if (kind === undefined || probs.shape.length === 0 || target.dtype !== 'float32') return false;
  if (args.attrs.sparse !== true) return tfc.util.arraysEqual(probs.shape, target.shape);
  return kind === KIND.softmax && tfc.util.sizeFromShape(target.shape) === rowsAndClasses(probs)[0];
}

/** Cross-entropy per row of probs, or reduced to one value; null (tfjs's ops) for inputs the kernel does not take. */
function crossentropy(args: NativeArgs, reduce: Reduce): tfc.TensorInfo | null {
  const b = args.backend;
  const [probs, target] = [input(args, 'probs'), input(args, 'target')];
  if (!takes(args, probs, target)) return null;
  const kind = KIND[args.attrs.kind as string];
  const [rows, classes] = rowsAndClasses(probs);
  const [out, values] = b.output(reduce === 0 ? probs.shape.slice(0, -1) : []);
  if (classes > 0) b.addon.crossentropy(kind, b.f32(probs), b.f32(target), values, rows, classes, reduce, args.attrs.sparse === true);
  else values.fill(0); // no classes: every row's loss, and their sum and mean, are 0
  return out;
}

/** Its gradient with respect to the logits, from dy per row (or the reduced value's dy). */
function crossentropyGrad(args: NativeArgs, reduce: Reduce): tfc.TensorInfo | null {
  const b = args.backend;
  const [probs, target, dy] = [input(args, 'probs'), input(args, 'target'), input(args, 'dy')];
  if (!takes(args, probs, target)) return null;
  const kind = KIND[args.attrs.kind as string];
  const [rows, classes] = rowsAndClasses(probs);
  if (tfc.util.sizeFromShape(dy.shape) !== (reduce === 0 ? rows : 1)) return null;
  const [out, values] = b.output(probs.shape);
  if (classes > 0) b.addon.crossentropyGrad(kind, b.f32(probs), b.f32(target), b.f32(dy), values, rows, classes, reduce, args.attrs.sparse === true);
  return out;
}

export const TRAIN: Record<string, NativeImpl> = {
  KerasCrossentropy: (args) => crossentropy(args, 0),
  KerasCrossentropyGrad: (args) => crossentropyGrad(args, 0),
  KerasCrossentropyReduced: (args) => crossentropy(args, args.attrs.mean === true ? 2 : 1),
  KerasCrossentropyReducedGrad: (args) => crossentropyGrad(args, args.attrs.mean === true ? 2 : 1),
  KerasAdam: (args) => {
    const b = args.backend;
    const a = args.attrs as { count: number; alpha: number; beta1: number; beta2: number; epsilon: number; decay: number };
    const out: tfc.TensorInfo[] = [];
    for (let i = 0; i < a.count; i++) {
      const [w, m, v] = [input(args, `w${i}`), input(args, `m${i}`), input(args, `v${i}`)];
      const vHat = args.inputs[`vHat${i}`];
      const [wOut, wValues] = target(args, w);
      const [mOut, mValues] = target(args, m);
      const [vOut, vValues] = target(args, v);
      const [hOut, hValues] = vHat ? target(args, vHat) : [undefined, null];
      b.addon.adam(b.f32(w), b.f32(input(args, `g${i}`)), b.f32(m), b.f32(v), vHat ? b.f32(vHat) : null, wValues, mValues, vValues, hValues,
        a.alpha, 1 - a.beta1, 1 - a.beta2, a.epsilon, a.decay);
      out.push(wOut, mOut, vOut, ...(hOut ? [hOut] : []));
    }
    return out;
  },
  KerasRMSprop: (args) => {
    const b = args.backend;
    const a = args.attrs as { count: number; lr: number; rho: number; momentum: number; epsilon: number; decay: number };
    const out: tfc.TensorInfo[] = [];
    for (let i = 0; i < a.count; i++) {
      const [w, v, m, avg] = [input(args, `w${i}`), input(args, `v${i}`), args.inputs[`m${i}`], args.inputs[`a${i}`]];
      const [wOut, wValues] = target(args, w);
      const [vOut, vValues] = target(args, v);
      const [mOut, mValues] = m ? target(args, m) : [undefined, null];
      const [aOut, aValues] = avg ? target(args, avg) : [undefined, null];
      b.addon.rmsprop(b.f32(w), b.f32(input(args, `g${i}`)), b.f32(v), m ? b.f32(m) : null, avg ? b.f32(avg) : null, wValues, vValues, mValues, aValues,
        a.lr, a.rho, 1 - a.rho, a.momentum, a.epsilon, a.decay);
      out.push(wOut, vOut, ...(mOut ? [mOut] : []), ...(aOut ? [aOut] : []));
    }
    return out;
  },
  KerasAdagrad: (args) => {
    const b = args.backend;
    const a = args.attrs as { count: number; lr: number; epsilon: number; decay: number };
    const out: tfc.TensorInfo[] = [];
    for (let i = 0; i < a.count; i++) {
      const [w, acc] = [input(args, `w${i}`), input(args, `a${i}`)];
      const [wOut, wValues] = target(args, w);
      const [aOut, aValues] = target(args, acc);
      b.addon.adagrad(b.f32(w), b.f32(input(args, `g${i}`)), b.f32(acc), wValues, aValues, a.lr, a.epsilon, a.decay);
      out.push(wOut, aOut);
    }
    return out;
  },
  KerasSGD: (args) => {
    const b = args.backend;
    const a = args.attrs as { count: number; lr: number; momentum: number; nesterov: boolean; decay: number };
    const out: tfc.TensorInfo[] = [];
    for (let i = 0; i < a.count; i++) {
      const w = input(args, `w${i}`);
      const momentum = args.inputs[`m${i}`];
      const [wOut, wValues] = target(args, w);
      const [mOut, mValues] = momentum ? target(args, momentum) : [undefined, null];
      b.addon.sgd(b.f32(w), b.f32(input(args, `g${i}`)), momentum ? b.f32(momentum) : null, wValues, mValues, a.lr, a.momentum, a.nesterov, a.decay);
      out.push(wOut, ...(mOut ? [mOut] : []));
    }
    return out;
  },
};
