/**
 * One call of a layer on real tensors, in its own tidy scope and call frame (call_scope.ts).
 * `invoke` computes the outputs and their masks; what leaves the scope is the outputs, the masks
 * that are not null, and, inside a training or test step (ctx.losses is given, and a tidy scope
 * encloses the step), the logits behind softmax/sigmoid outputs, kept alive for the loss (elsewhere
 * they are freed), and the call's summed added loss, handed on to the enclosing call or the step.
 */
import * as tfc from '@tensorflow/tfjs-core';
import { logitsOf } from '../activations/logits';
import { handOn, withinCall } from './call_scope';
import { MaskArg, maskList } from './masking';
import type { CallContext } from './layer_types';

/** A call's outputs, each output's mask (null where none), and whether call returned a list. */
export interface CallResult {
  outputs: tfc.Tensor[];
  masks: Array<tfc.Tensor | null>;
  list: boolean;
}

/** Runs `invoke` as the innermost call with context `ctx`, in a tidy scope. */
export function runCall(ctx: CallContext, invoke: () => { outputs: tfc.Tensor | tfc.Tensor[]; masks: MaskArg }): CallResult {
  const inStep = ctx.losses !== undefined;
  let count = 0;
  let list = false;
  let maskSlots: boolean[] = [];
  let hasLoss = false;
  const result = tfc.tidy(() => {
    const { result: called, losses } = withinCall(ctx, invoke);
    list = Array.isArray(called.outputs);
    const outputs = asList(called.outputs);
    count = outputs.length;
    const outMasks = maskList(called.masks, count);
    maskSlots = outMasks.map((m) => m !== null);
    const extra = inStep ? outputs.map((o) => logitsOf(o, 'softmax') ?? logitsOf(o, 'sigmoid')).filter((t): t is tfc.Tensor => t !== undefined) : [];
    hasLoss = losses.length > 0;
    if (hasLoss) extra.push(losses.length === 1 ? losses[0] : tfc.addN(losses));
    return [...outputs, ...(outMasks.filter((m) => m !== null) as tfc.Tensor[]), ...extra];
  });
  if (hasLoss) handOn(result[result.length - 1], ctx.losses);
  let next = count;
  return { outputs: result.slice(0, count), masks: maskSlots.map((has) => (has ? result[next++] : null)), list };
}

function asList<T>(inputs: T | T[]): T[] {
  return Array.isArray(inputs) ? inputs : [inputs];
}
