import * as tfc from '@tensorflow/tfjs-core';
import type * as k from '../../src';

// f(w) = sum(c w²) + d·w from w0: the problem every optimizer reference is computed on.
export const C = [0.5, 1.5, 2.0];
export const D = [0.1, -0.3, 0.2];
export const W0 = [1.0, -2.0, 0.5];

/** The weights after each of `steps` updates of `opt` on f; frees everything it made. */
export function trajectory(opt: k.optimizers.Optimizer, steps = 3): number[][] {
  const init = tfc.tensor1d(W0);
  const w = tfc.variable(init);
  const c = tfc.tensor1d(C);
  const d = tfc.tensor1d(D);
  const out: number[][] = [];
  for (let i = 0; i < steps; i++) {
    tfc.tidy(() => {
      const { grads } = tfc.variableGrads(() => tfc.add(tfc.sum(tfc.mul(c, tfc.square(w))), tfc.sum(tfc.mul(d, w))) as tfc.Scalar, [w]);
      opt.applyGradients([[grads[w.name], w]]);
    });
    out.push(Array.from(w.dataSync()));
  }
  tfc.dispose([init, w, c, d]);
  opt.dispose();
  return out;
}
