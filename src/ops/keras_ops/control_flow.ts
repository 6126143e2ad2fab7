/**
 * Keras 3's control flow and functional ops (keras/src/ops/core.py) in eager form: the Python-side
 * loop Keras's eager backends run, with each op's intermediates freed (one tidy around the whole
 * op, so gradients taken through them still see every step). A "structure" is a tensor or a list
 * of tensors (Keras's pytrees, one level deep); numbers and nested arrays are turned into tensors.
 * `cond`'s and `whileLoop`'s predicates are read back to JavaScript (a synchronous data read).
 */
import * as tfc from '@tensorflow/tfjs-core';
import { ensureRegistered } from '../../backend/backend';
import { ValueError } from '../../engine/errors';
import { toTensor, type TensorInput } from './tensor_input';

export type Structure = tfc.Tensor | tfc.Tensor[];

const asList = (s: Structure): tfc.Tensor[] => (Array.isArray(s) ? s : [s]);
const toStructure = (x: TensorInput | TensorInput[], list: boolean): Structure => (list ? (x as TensorInput[]).map((v) => toTensor(v)) : toTensor(x as TensorInput));
const truth = (p: TensorInput | boolean): boolean => (typeof p === 'boolean' ? p : toTensor(p).dataSync()[0] !== 0);

function tidy<T extends tfc.TensorContainer>(f: () => T): T {
  ensureRegistered();
  return tfc.tidy(f);
}

/** `trueFn()` when `pred` holds (a boolean or a scalar tensor), else `falseFn()`. */
export function cond<T extends tfc.TensorContainer>(pred: TensorInput | boolean, trueFn: () => T, falseFn: () => T): T {
  return tidy(() => (truth(pred) ? trueFn() : falseFn()));
}

/** `branches[index](...operands)`, index clamped to [0, branches.length - 1] (as Keras's). */
export function switchCase<T extends tfc.TensorContainer>(index: TensorInput, branches: Array<(...operands: tfc.Tensor[]) => T>, ...operands: TensorInput[]): T {
  if (branches.length === 0) throw new ValueError('ops.switch: no branches. help: pass at least one function.');
  return tidy(() => {
    const i = Math.min(Math.max(Math.trunc(toTensor(index).dataSync()[0]), 0), branches.length - 1);
    return branches[i](...operands.map((o) => toTensor(o)));
  });
}
export { switchCase as switch };

/**
 * Runs `body` while `cond` holds (at most `maximumIterations` times) and returns the last loop
 * variables, with loopVars' structure: a list's items are passed to cond and body positionally.
 */
export function whileLoop(cond: (...vars: tfc.Tensor[]) => TensorInput | boolean, body: (...vars: tfc.Tensor[]) => Structure | TensorInput[], loopVars: TensorInput | TensorInput[], maximumIterations: number | null = null): Structure {
  const list = Array.isArray(loopVars) && loopVars.every((v) => v instanceof tfc.Tensor || typeof v === 'number' || Array.isArray(v)) && !(loopVars.every((v) => typeof v === 'number'));
  return tidy(() => {
    let vars = asList(toStructure(loopVars, list));
    for (let i = 0; (maximumIterations === null || i < maximumIterations) && truth(cond(...vars)); i++) {
      const next = body(...vars);
      const nextList = list ? (next as TensorInput[]).map((v) => toTensor(v)) : [toTensor(next as TensorInput)];
      if (nextList.length !== vars.length) throw new ValueError(`ops.whileLoop: body returned ${nextList.length} values for ${vars.length} loop variables. help: return the same structure as loopVars.`);
      vars = nextList;
    }
    return list ? vars : vars[0];
  });
}

/** `bodyFun(i, val)` for i from lower to upper - 1, starting at initVal; returns the last val. */
export function foriLoop(lower: number, upper: number, bodyFun: (i: tfc.Tensor, val: Structure) => Structure, initVal: Structure | TensorInput): Structure {
  return tidy(() => {
    let val: Structure = Array.isArray(initVal) && initVal.every((v) => v instanceof tfc.Tensor) ? (initVal as tfc.Tensor[]) : toTensor(initVal as TensorInput);
    for (let i = lower; i < upper; i++) val = bodyFun(tfc.scalar(i, 'int32'), val);
    return val;
  });
}

/** Slice i (along axis 0) of each tensor of a structure. */
const sliceAt = (s: Structure, i: number): Structure => (Array.isArray(s) ? s.map((t) => tfc.gather(t, i)) : tfc.gather(s, i));

/** `f(slice)` for every slice of xs along axis 0, the results stacked (xs and the results may be lists). */
export function map(f: (x: Structure) => Structure, xs: Structure | TensorInput): Structure {
  return tidy(() => {
    const s: Structure = xs instanceof tfc.Tensor || (Array.isArray(xs) && xs.every((v) => v instanceof tfc.Tensor)) ? (xs as Structure) : toTensor(xs as TensorInput);
    const n = asList(s)[0].shape[0];
    const outs = Array.from({ length: n }, (_, i) => f(sliceAt(s, i)));
    if (n === 0) throw new ValueError('ops.map: xs has no slices along axis 0. help: pass a tensor with shape[0] > 0.');
    return Array.isArray(outs[0]) ? outs[0].map((_, j) => tfc.stack(outs.map((o) => (o as tfc.Tensor[])[j]))) : tfc.stack(outs as tfc.Tensor[]);
  });
}

/** Keras's vectorizedMap: in eager form the same as `map` (one call per slice, results stacked). */
export function vectorizedMap(fn: (x: Structure) => Structure, elements: Structure | TensorInput): Structure {
  return map(fn, elements);
}

/**
 * `f(carry, x)` -> [carry, y] over the slices of xs (or `length` times with x null), in reverse when
 * `reverse`; returns [the last carry, the ys stacked] (ys null when f returns null). `unroll` is
 * accepted for Keras's signature and has no effect in eager mode.
 */
export function scan(f: (carry: Structure, x: Structure | null) => [Structure, Structure | null], init: Structure | TensorInput, xs: Structure | null = null, length: number | null = null, reverse = false, _unroll: number | boolean = 1): [Structure, Structure | null] {
  let hasYs = false;
  const out = tidy(() => {
    const n = xs !== null ? asList(xs)[0].shape[0] : length;
    if (n === null) throw new ValueError('ops.scan: both xs and length are null. help: pass xs, or length for a scan without inputs.');
    if (length !== null && xs !== null && length !== n) throw new ValueError(`ops.scan: length ${length} but xs has ${n} slices. help: drop length or make it match.`);
    let carry: Structure = init instanceof tfc.Tensor || (Array.isArray(init) && init.every((v) => v instanceof tfc.Tensor)) ? (init as Structure) : toTensor(init as TensorInput);
    const ys: Array<Structure | null> = new Array(n);
    for (let step = 0; step < n; step++) {
      const i = reverse ? n - 1 - step : step;
      const [c, y] = f(carry, xs === null ? null : sliceAt(xs, i));
      carry = c;
      ys[i] = y;
    }
    hasYs = n > 0 && ys[0] !== null;
    if (!hasYs) return [carry];
    const stacked = Array.isArray(ys[0]) ? (ys[0] as tfc.Tensor[]).map((_, j) => tfc.stack(ys.map((y) => (y as tfc.Tensor[])[j]))) : tfc.stack(ys as tfc.Tensor[]);
    return [carry, stacked];
  });
  return [out[0], hasYs ? out[1] : null];
}

/**
 * The inclusive prefix "sums" of elems along `axis` under an associative `f(a, b)` (which gets two
 * equally shaped stretches of elems and combines them elementwise), in log2(n) rounds of f
 * (Hillis-Steele), from the end when `reverse`.
 */
export function associativeScan(f: (a: Structure, b: Structure) => Structure, elems: Structure | TensorInput, reverse = false, axis = 0): Structure {
  return tidy(() => {
    let s: tfc.Tensor[] = asList(elems instanceof tfc.Tensor || (Array.isArray(elems) && elems.every((v) => v instanceof tfc.Tensor)) ? (elems as Structure) : toTensor(elems as TensorInput));
    const list = Array.isArray(elems) && elems.every((v) => v instanceof tfc.Tensor);
    const ax = axis < 0 ? axis + s[0].rank : axis;
    if (reverse) s = s.map((t) => tfc.reverse(t, ax));
    const n = s[0].shape[ax];
    const cut = (t: tfc.Tensor, start: number, size: number): tfc.Tensor => {
      const begin = t.shape.map((_, d) => (d === ax ? start : 0));
      return tfc.slice(t, begin, t.shape.map((dim, d) => (d === ax ? size : dim)));
    };
    for (let offset = 1; offset < n; offset *= 2) {
      const earlier = s.map((t) => cut(t, 0, n - offset));
      const later = s.map((t) => cut(t, offset, n - offset));
      const combined = asList(f(list ? earlier : earlier[0], list ? later : later[0]));
      s = s.map((t, j) => tfc.concat([cut(t, 0, offset), combined[j]], ax));
    }
    if (reverse) s = s.map((t) => tfc.reverse(t, ax));
    return list ? s : s[0];
  });
}

/**
 * Keras's custom_gradient: `f(...args)` returns [output, gradFn] and the returned function computes
 * output with gradFn(upstream) (one gradient per argument, a tensor or a list) as its gradient.
 * The backward pass calls `f` again on the saved inputs to get a fresh gradFn (tensors f's closure
 * held from the forward pass are freed by then), so f runs twice when differentiated.
 */
export function customGradient(f: (...args: tfc.Tensor[]) => [tfc.Tensor, (upstream: tfc.Tensor) => tfc.Tensor | tfc.Tensor[]]): (...args: TensorInput[]) => tfc.Tensor {
  return (...args: TensorInput[]) => tidy(() => {
    const g = tfc.customGrad(((...inputs: Array<tfc.Tensor | tfc.GradSaveFunc>) => {
      const save = inputs.pop() as tfc.GradSaveFunc;
      const xs = inputs as tfc.Tensor[];
      save(xs);
      const [value] = f(...xs);
      return { value, gradFunc: (dy: tfc.Tensor, saved: tfc.Tensor[]) => f(...saved)[1](dy) };
    }) as Parameters<typeof tfc.customGrad>[0]);
    return g(...args.map((a) => toTensor(a)));
  });
}
