/**
 * Where the layers and the optimizer meet a distribution without importing it. While a
 * data-parallel fit, evaluate or predict runs, src/distribution installs a ReplicaContext here; at
 * any other time, and in every single-process run, there is none and nothing changes.
 *
 * Two things read it: the optimizer, which sums the gradients over the processes before it clips
 * and applies them (so the built-in train step, a custom trainStep and `optimizer.minimize` inside
 * fit all train on the global batch), and BatchNormalization({synchronized: true}), which takes its
 * batch statistics over the global batch.
 */
import type * as tfc from '@tensorflow/tfjs-core';

export interface ReplicaContext {
  /** This process's index, 0..size-1. */
  readonly rank: number;
  /** How many processes train together. */
  readonly size: number;
  /**
   * The gradients of the global batch's loss, from this process's gradients of its own share: the
   * sum over processes of each one's gradients weighted by its share of the global batch's rows.
   * One collective call for the whole list; returns new tensors of the same shapes.
   */
  allReduceGradients(grads: tfc.Tensor[]): tfc.Tensor[];
  /**
   * The sum of `x` over the processes (every process passes the same shape), as a differentiable op:
   * its gradient is the sum of the processes' gradients, weighted as allReduceGradients weighs them.
   */
  sumOverReplicas(x: tfc.Tensor): tfc.Tensor;
  /**
   * True while this process's batch is a stand-in row (the global batch had fewer rows than there
   * are processes): the step runs so that every collective call is made, but adds nothing; a layer
   * that updates state from its own rows (unsynchronized batch norm) leaves it as it is.
   */
  readonly standIn: boolean;
  /** The rows of the global batch of this step, given the rows this process has. */
  globalRows(localRows: number): number;
}

let current: ReplicaContext | null = null;

/** The context of the data-parallel run in progress, or null. */
export function replicaContext(): ReplicaContext | null {
  return current;
}

/** Installs `ctx` (or none); returns the previous one, to put back. */
export function setReplicaContext(ctx: ReplicaContext | null): ReplicaContext | null {
  const previous = current;
  current = ctx;
  return previous;
}
