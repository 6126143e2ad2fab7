/**
 * The calls running now, innermost last, as Keras's call context. Layer.run opens one frame per
 * call, holding the call's context and the losses added during it:
 *
 * - A layer applied from within another layer's (or a model subclass's) `call` without its own
 *   `{training}` takes the enclosing call's, and inside a training step it keeps its logits and
 *   activity loss for the step's loss as the enclosing call would (`enclosingCall`).
 * - `Layer.addLoss` (the activity regularizer goes through it) adds to the innermost frame
 *   (`addToCall`); when a call is done its summed loss goes to the frame that encloses it, out of that
 *   call's tidy scope, and the outermost call puts it in `ctx.losses`, which the training step adds
 *   to the loss; outside a step it is freed (`handOn`).
 * - `training`: given to apply, else the enclosing call's, else false (`applyContext`); where none
 *   was given anywhere, each layer runs with its own default, Keras's call-signature default
 *   (`withOwnDefault`).
 */
import * as tfc from '@tensorflow/tfjs-core';
import { ValueError } from './errors';
import type { CallArgs } from './call_args';
import type { CallContext } from './layer_types';
import type { MaskArg } from './masking';

interface Frame {
  ctx: CallContext;
  losses: tfc.Tensor[];
}

const open: Frame[] = [];

/** Runs `fn` as the innermost call, with context `ctx`; returns its result and the losses added meanwhile. */
export function withinCall<T>(ctx: CallContext, fn: () => T): { result: T; losses: tfc.Tensor[] } {
  const frame: Frame = { ctx, losses: [] };
  open.push(frame);
  try {
    return { result: fn(), losses: frame.losses };
  } finally {
    open.pop();
  }
}

/** The context of the innermost call running now, or undefined at the top level. */
export function enclosingCall(): CallContext | undefined {
  return open[open.length - 1]?.ctx;
}

/** Adds `loss` (summed to a scalar) to the innermost running call. */
export function addToCall(loss: tfc.Tensor, owner: string): void {
  if (!(loss instanceof tfc.Tensor)) {
    throw new ValueError(`${owner}.addLoss: expected a tensor, got ${String(loss)}. help: pass a scalar tensor computed in call(), e.g. this.addLoss(tf.mul(0.01, tf.sum(tf.square(x)))).`);
  }
  const into = open[open.length - 1];
  if (into === undefined) {
    throw new ValueError(`${owner}.addLoss: called outside the layer's call. help: call this.addLoss(penalty) from call(), where the penalty is computed.`);
  }
  into.losses.push(loss.rank === 0 ? loss : tfc.sum(loss));
}

/** A call's summed loss, when it is done: to the enclosing call, else to `losses` (a step's), else freed. */
export function handOn(loss: tfc.Tensor, losses: tfc.Tensor[] | undefined): void {
  const into = open[open.length - 1]?.losses ?? losses;
  if (into === undefined) loss.dispose();
  else into.push(loss);
}

/**
 * The context of an apply on real tensors: `training` as given, else the enclosing call's (inside a
 * model subclass's call), else false, marked `trainingUnset` where none was given anywhere; the
 * step's losses come from the enclosing call.
 */
export function applyContext(training: boolean | undefined, mask: MaskArg, args: CallArgs): CallContext {
  const outer = enclosingCall();
  const unset = training === undefined && (outer === undefined || outer.trainingUnset === true);
  const ctx: CallContext = { training: training ?? outer?.training ?? false, mask, args, losses: outer?.losses };
  if (unset) ctx.trainingUnset = true;
  return ctx;
}

/** `ctx` with `training` set to the layer's own default where none was given (`trainingWhenAlone`). */
export function withOwnDefault(ctx: CallContext, trainingWhenAlone: boolean): CallContext {
  return ctx.trainingUnset && ctx.training !== trainingWhenAlone ? { ...ctx, training: trainingWhenAlone } : ctx;
}
