/**
 * The call a layer's `call` runs inside, as Keras's call context: a layer applied from within
 * another layer's (or a model subclass's) `call` without its own `{training}` takes the enclosing
 * call's, and inside a training step it keeps its logits and activity loss for the step's loss as
 * the enclosing call would. Layer.run opens one scope per call; `apply` reads the innermost.
 */
import type { CallContext } from './layer_types';

const open: CallContext[] = [];

/** Runs `fn` with `ctx` as the innermost enclosing call. */
export function withinCall<T>(ctx: CallContext, fn: () => T): T {
  open.push(ctx);
  try {
    return fn();
  } finally {
    open.pop();
  }
}

/** The innermost call running now, or undefined at the top level. */
export function enclosingCall(): CallContext | undefined {
  return open[open.length - 1];
}
