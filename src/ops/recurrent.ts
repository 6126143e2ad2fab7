/**
 * A recurrent layer's loop over time as one differentiable op with its backward pass written out
 * (backpropagation through time), instead of a gradient tape of a dozen small kernels per step.
 *
 * The input projection of every step (x·W + b) is computed before, in one matmul, and given here
 * time-major as `xw` [T, B, G]. Each step then does one recurrent matmul (h·U, plus the recurrent
 * bias if any) and the cell's elementwise gate arithmetic (a StepKernel). The backward pass runs
 * the steps in reverse with the cell's hand-written derivatives, one matmul per step for the
 * gradient flowing to the previous state, and the recurrent kernel's gradient as one matmul over
 * all steps at the end.
 *
 * tfjs's customGrad returns one tensor, so the op returns the state after every step, stacked:
 * [T, B, units] for the first state (h), followed by the final value of each further state (an
 * LSTM's c) as one more [1, B, units] slice each.
 *
 * Where the backend has a sequence kernel for the cell (the native CPU backend, for LSTM and GRU
 * with tanh and sigmoid), the layers call ops/recurrent_native.ts instead, which runs the whole loop
 * and its backward there.
 */
import * as tfc from '@tensorflow/tfjs-core';
import { columnSum, product } from './matmul';

/** The elementwise part of one cell step, and its derivative. */
export interface StepKernel {
  /** How many states the cell carries (LSTM 2: h and c; GRU and SimpleRNN 1). The first is h. */
  readonly states: number;
  /**
   * The backend sequence kernel that computes the same cell (ops/recurrent_native.ts), where the
   * backend has it: 'lstm' or 'gru' (reset_after), with tanh and sigmoid only.
   */
  readonly native?: 'lstm' | 'gru';
  /**
   * One step: from the input projection xw_t [B, G], the recurrent projection rec_t [B, G] (h·U,
   * plus the recurrent bias) and the states, the new states and the tensors the backward needs.
   */
  forward(xw: tfc.Tensor, rec: tfc.Tensor, states: tfc.Tensor[]): { states: tfc.Tensor[]; saved: tfc.Tensor[] };
  /**
   * Before the backward loop: from what `forward` saved, each kind stacked over the steps
   * ([T, ...]), the per-step factors of the derivative, stacked the same way (computed for every
   * step at once, so the loop itself runs few ops).
   */
  factors(saved: tfc.Tensor[]): tfc.Tensor[];
  /**
   * One step back: from the gradients of the new states and this step's factors, the gradients
   * of xw_t and rec_t, and of the old states by every path except through rec_t (the driver adds
   * that one); null for h where there is no other path.
   */
  backward(dStates: tfc.Tensor[], factors: tfc.Tensor[]): { dxw: tfc.Tensor; drec: tfc.Tensor; dStates: Array<tfc.Tensor | null> };
}

export interface SequenceArgs {
  kernel: StepKernel;
  /** The input projection of every step, time-major: [T, B, G]. */
  xw: tfc.Tensor3D;
  /** [units, G] */
  recurrentKernel: tfc.Tensor2D;
  /** [G], added to h·U (GRU's second bias row); none for LSTM and SimpleRNN. */
  recurrentBias?: tfc.Tensor1D;
  /** One [B, units] tensor per state. */
  initialStates: tfc.Tensor[];
  /** [T, B] 0/1 (float32): a step where it is 0 leaves every state as it was. */
  mask?: tfc.Tensor;
  /** [B, units]: multiplies h before the recurrent matmul (recurrent dropout). */
  recurrentMultiplier?: tfc.Tensor;
}

type CustomGradientFunc = Parameters<typeof tfc.customGrad>[0];

/** Runs the sequence; returns the stacked states as described at the top of this file. */
export function recurrentSequence(args: SequenceArgs): tfc.Tensor3D {
  const { kernel } = args;
  const T = args.xw.shape[0];
  const n = kernel.states;
  // The op's inputs, in this order; the mask and the multiplier get zero gradients.
  const optional = { bias: args.recurrentBias, mask: args.mask ? tfc.expandDims(args.mask, 2) : undefined, r: args.recurrentMultiplier };
  const present = (Object.keys(optional) as Array<keyof typeof optional>).filter((key) => optional[key] !== undefined);
  const inputs: tfc.Tensor[] = [args.xw, args.recurrentKernel, ...present.map((key) => optional[key] as tfc.Tensor), ...args.initialStates];

  const forward = (given: tfc.Tensor[], save: tfc.GradSaveFunc): tfc.Tensor3D => {
    const [xw, u] = given;
    const extra = (key: keyof typeof optional): tfc.Tensor | null => (present.includes(key) ? given[2 + present.indexOf(key)] : null);
    const bias = extra('bias');
    const r = extra('r');
    const masks = extra('mask') ? tfc.unstack(extra('mask') as tfc.Tensor) : null;
    const steps = tfc.unstack(xw);
    let states = given.slice(2 + present.length);
    const hs: tfc.Tensor[] = [];
    const hrs: tfc.Tensor[] = [];
    const saved: tfc.Tensor[][] = [];
    for (let t = 0; t < T; t++) {
      const prev = states;
      const step = tfc.tidy(() => {
        const hr = r ? tfc.mul(prev[0], r) : prev[0];
        const mm = tfc.matMul(hr, u);
        const out = kernel.forward(steps[t], bias ? tfc.add(mm, bias) : mm, prev);
        const m = masks?.[t];
        const next = m ? out.states.map((s, i) => tfc.add(prev[i], tfc.mul(m, tfc.sub(s, prev[i])))) : out.states;
        return [...next, hr, ...out.saved];
      });
      states = step.slice(0, n);
      hrs.push(step[n]);
      saved.push(step.slice(n + 1));
      hs.push(states[0]);
    }
    const stacked = saved[0].map((_, kind) => tfc.stack(saved.map((perStep) => perStep[kind])));
    save([u, ...(r ? [r] : []), ...(masks ? [extra('mask') as tfc.Tensor] : []), tfc.concat(hrs), ...stacked]);
    return tfc.concat([tfc.stack(hs), ...states.slice(1).map((s) => tfc.expandDims(s, 0))]) as tfc.Tensor3D;
  };

  const backward = (dy: tfc.Tensor, savedAll: tfc.Tensor[]): tfc.Tensor[] => {
    let at = 0;
    const take = (count: number): tfc.Tensor[] => savedAll.slice(at, (at += count));
    const [u] = take(1);
    const r = present.includes('r') ? take(1)[0] : null;
    const mask = present.includes('mask') ? take(1)[0] : null;
    const [hrs] = take(1);
    const factors = kernel.factors(savedAll.slice(at)).map((f) => tfc.unstack(f));
    const masks = mask ? tfc.unstack(mask) : null;
    const skips = mask ? tfc.unstack(tfc.sub(1, mask)) : null;
    const dys = tfc.unstack(dy);
    // The gradient reaching each state after the last step: h from its output slot, the others from theirs.
    let dStates = [dys[T - 1], ...dys.slice(T)];
    const uT = tfc.transpose(u);
    const dxws: tfc.Tensor[] = new Array(T);
    const drecs: tfc.Tensor[] = new Array(T);
    for (let t = T - 1; t >= 0; t--) {
      const incoming = dStates;
      const out = tfc.tidy(() => {
        const m = masks?.[t];
        const dNew = m ? incoming.map((d) => tfc.mul(d, m)) : incoming;
        const k = kernel.backward(dNew, factors.map((f) => f[t]));
        const product0 = tfc.matMul(k.drec, uT);
        const throughRec = r ? tfc.mul(product0, r) : product0;
        const direct = k.dStates[0];
        let dh = direct ? tfc.add(direct, throughRec) : throughRec;
        let rest = k.dStates.slice(1) as tfc.Tensor[];
        if (m) {
          const skip = (skips as tfc.Tensor[])[t];
          dh = tfc.add(dh, tfc.mul(incoming[0], skip));
          rest = rest.map((d, i) => tfc.add(d, tfc.mul(incoming[i + 1], skip)));
        }
        if (t > 0) dh = tfc.add(dh, dys[t - 1]);
        return [k.dxw, k.drec, dh, ...rest];
      });
      dxws[t] = out[0];
      drecs[t] = out[1];
      dStates = out.slice(2);
    }
    const dxw = tfc.stack(dxws);
    const drec2d = tfc.reshape(tfc.stack(drecs), [-1, dxw.shape[2] as number]);
    const grads: Record<keyof typeof optional, () => tfc.Tensor> = {
      bias: () => columnSum(drec2d),
      mask: () => tfc.zeros([T, dxw.shape[1] as number, 1]),
      r: () => tfc.zerosLike(r as tfc.Tensor),
    };
    return [dxw, product(hrs, drec2d, true, false), ...present.map((key) => grads[key]()), ...dStates];
  };

  const op = tfc.customGrad(((...all: Array<tfc.Tensor | tfc.GradSaveFunc>) => {
    const save = all[all.length - 1] as tfc.GradSaveFunc;
    const value = forward(all.slice(0, -1) as tfc.Tensor[], save);
    return { value, gradFunc: backward };
  }) as unknown as CustomGradientFunc);
  const result = op(...inputs) as tfc.Tensor3D;
  optional.mask?.dispose();
  return result;
}
