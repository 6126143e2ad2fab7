/**
 * The losses layers add during a call (`Layer.addLoss`; the activity regularizer goes through it).
 * Each running call opens a collector; a loss goes to the innermost open one, so a layer called
 * inside another (a wrapper's inner layer, a model inside a model) hands its loss to the call that
 * encloses it, out of that call's tidy scope. The outermost call puts the sum in `ctx.losses`,
 * which the training step adds to the loss; outside a step it is freed.
 */
import * as tfc from '@tensorflow/tfjs-core';
import { ValueError } from './errors';

const open: tfc.Tensor[][] = [];

/** Runs `fn` with a collector open; returns its result and the losses added meanwhile. */
export function collectLosses<T>(fn: () => T): { result: T; losses: tfc.Tensor[] } {
  const losses: tfc.Tensor[] = [];
  open.push(losses);
  try {
    return { result: fn(), losses };
  } finally {
    open.pop();
  }
}

/** Adds `loss` (summed to a scalar) to the innermost open call. */
export function addToCall(loss: tfc.Tensor, owner: string): void {
  if (!(loss instanceof tfc.Tensor)) {
    throw new ValueError(`${owner}.addLoss: expected a tensor, got ${String(loss)}. help: pass a scalar tensor computed in call(), e.g. this.addLoss(tf.mul(0.01, tf.sum(tf.square(x)))).`);
  }
  const into = open[open.length - 1];
  if (into === undefined) {
    throw new ValueError(`${owner}.addLoss: called outside the layer's call. help: call this.addLoss(penalty) from call(), where the penalty is computed.`);
  }
  into.push(loss.rank === 0 ? loss : tfc.sum(loss));
}

/** A call's summed loss, when it is done: to the enclosing call, else to `losses` (a step's), else freed. */
export function handOn(loss: tfc.Tensor, losses: tfc.Tensor[] | undefined): void {
  const into = open[open.length - 1] ?? losses;
  if (into === undefined) loss.dispose();
  else into.push(loss);
}
