/** keras-ts's own training kernels (engine/fused_kernels.ts): cross-entropy and optimizer steps. */
import * as tfc from '@tensorflow/tfjs-core';
import { input, NativeArgs, NativeImpl } from './types';

const KIND: Record<string, number> = { softmax: 0, sigmoid: 1 };

function rowsAndClasses(probs: tfc.TensorInfo): [number, number] {
  const classes = probs.shape[probs.shape.length - 1];
  return [tfc.util.sizeFromShape(probs.shape) / classes, classes];
}

/** Optional inputs and outputs of the optimizer kernels: the same shape as w. */
function maybe(args: NativeArgs, name: string): Float32Array | null {
  const t = args.inputs[name];
  return t === undefined ? null : args.backend.f32(t);
}

export const TRAIN: Record<string, NativeImpl> = {
  KerasCrossentropy: (args) => {
    const b = args.backend;
    const [probs, target] = [input(args, 'probs'), input(args, 'target')];
    const kind = KIND[args.attrs.kind as string];
    if (kind === undefined || probs.shape.length === 0 || !tfc.util.arraysEqual(probs.shape, target.shape)) return null;
    const [rows, classes] = rowsAndClasses(probs);
    const [out, values] = b.output(probs.shape.slice(0, -1));
    if (classes > 0) b.addon.crossentropy(kind, b.f32(probs), b.f32(target), values, rows, classes);
    return out;
  },
  KerasCrossentropyGrad: (args) => {
    const b = args.backend;
    const [probs, target, dy] = [input(args, 'probs'), input(args, 'target'), input(args, 'dy')];
    const kind = KIND[args.attrs.kind as string];
    if (kind === undefined || probs.shape.length === 0 || !tfc.util.arraysEqual(probs.shape, target.shape)) return null;
    const [rows, classes] = rowsAndClasses(probs);
    if (tfc.util.sizeFromShape(dy.shape) !== rows) return null;
    const [out, values] = b.output(probs.shape);
    if (classes > 0) b.addon.crossentropyGrad(kind, b.f32(probs), b.f32(target), b.f32(dy), values, rows, classes);
    return out;
  },
  KerasAdam: (args) => {
    const b = args.backend;
    const w = input(args, 'w');
    const a = args.attrs as { alpha: number; beta1: number; beta2: number; epsilon: number; decay: number };
    const [wOut, wValues] = b.output(w.shape);
    const [mOut, mValues] = b.output(w.shape);
    const [vOut, vValues] = b.output(w.shape);
    const amsgrad = args.inputs.vHat !== undefined;
    const [hOut, hValues] = amsgrad ? b.output(w.shape) : [undefined, null];
    b.addon.adam(b.f32(w), b.f32(input(args, 'g')), b.f32(input(args, 'm')), b.f32(input(args, 'v')), maybe(args, 'vHat'), wValues, mValues, vValues, hValues,
      a.alpha, 1 - a.beta1, 1 - a.beta2, a.epsilon, a.decay);
    return hOut ? [wOut, mOut, vOut, hOut] : [wOut, mOut, vOut];
  },
  KerasSGD: (args) => {
    const b = args.backend;
    const w = input(args, 'w');
    const a = args.attrs as { lr: number; momentum: number; nesterov: boolean; decay: number };
    const [wOut, wValues] = b.output(w.shape);
    const hasMomentum = args.inputs.momentum !== undefined;
    const [mOut, mValues] = hasMomentum ? b.output(w.shape) : [undefined, null];
    b.addon.sgd(b.f32(w), b.f32(input(args, 'g')), maybe(args, 'momentum'), wValues, mValues, a.lr, a.momentum, a.nesterov, a.decay);
    return mOut ? [wOut, mOut] : [wOut];
  },
};
