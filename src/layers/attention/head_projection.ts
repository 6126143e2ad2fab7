/**
 * What MultiHeadAttention and GroupQueryAttention share (Keras builds both from EinsumDense
 * projections):
 *
 *   ProjectionWeights     the projections' initializers, regularizers and constraints, resolved once
 *                         from the layer's options and serialized back into its config
 *   Projection            a [dim, heads, size] kernel and a [heads, size] bias (or [out] for the
 *                         output projection), named `<name>/kernel` and `<name>/bias` as Keras names them
 *   attentionInputs       [query, value, key?] shapes checked, rank 3 with known features
 *   callMask              the [B, T, S] mask of one call: attentionMask, the inputs' masks, causal
 *   projectHeads / attendSteps (attend) / projectOutput   the call: heads in, scaled softmax with dropout, heads out
 *
 * The layers keep their own weights' layout, names and config keys: these only compute them.
 */
import * as tfc from '@tensorflow/tfjs-core';
import { Constraint, getConstraint, serializeConstraint } from '../../constraints';
import type { AddWeightArgs } from '../../engine/add_weight';
import { ValueError } from '../../engine/errors';
import type { CallContext } from '../../engine/layer';
import { maskList } from '../../engine/masking';
import { formatShape, Shape } from '../../engine/symbolic_tensor';
import type { Weight } from '../../engine/weight';
import { getInitializer, Initializer, serializeInitializer } from '../../initializers';
import { allOf, attentionCore, causalMask, maskedSoftmax } from '../../ops/attention';
import { dense } from '../../ops/dense';
import { product } from '../../ops/matmul';
import { getRegularizer, Regularizer, serializeRegularizer } from '../../regularizers';
import { nextSeed } from '../../utils/random';
import type { KernelLayerArgs } from '../kernel_layer';

/** The projection options both layers take (each documents them in its own Args), as Dense's. */
type ProjectionArgs = Pick<KernelLayerArgs, 'useBias' | 'kernelInitializer' | 'biasInitializer' | 'kernelRegularizer' | 'biasRegularizer' | 'kernelConstraint' | 'biasConstraint'>;

/** How one kind of weight (the kernels, the biases) is initialized, penalized and constrained. */
interface WeightRecipe {
  initializer: Initializer;
  regularizer: Regularizer | undefined;
  constraint: Constraint | undefined;
}

/** One projection's weights. */
export interface Projection {
  kernel: Weight;
  bias: Weight | null;
}

/** How the projections' weights are made: the layer's options, resolved once. */
export class ProjectionWeights {
  readonly useBias: boolean;
  private readonly kernel: WeightRecipe;
  private readonly bias: WeightRecipe;

  constructor(args: ProjectionArgs, owner: string) {
    this.useBias = args.useBias ?? true;
    const initializers = [getInitializer(args.kernelInitializer ?? 'glorot_uniform', owner), getInitializer(args.biasInitializer ?? 'zeros', owner)];
    const regularizers = [getRegularizer(args.kernelRegularizer, owner), getRegularizer(args.biasRegularizer, owner)];
    const constraints = [getConstraint(args.kernelConstraint, owner), getConstraint(args.biasConstraint, owner)];
    this.kernel = { initializer: initializers[0], regularizer: regularizers[0], constraint: constraints[0] };
    this.bias = { initializer: initializers[1], regularizer: regularizers[1], constraint: constraints[1] };
  }

  /** The projection `name`, its weights made with the layer's addWeight (the bias only with useBias). */
  make(addWeight: (args: AddWeightArgs) => Weight, name: string, kernel: number[], bias: number[]): Projection {
    return {
      kernel: addWeight({ name: `${name}/kernel`, shape: kernel, ...this.kernel }),
      bias: this.useBias ? addWeight({ name: `${name}/bias`, shape: bias, ...this.bias }) : null,
    };
  }

  /** The six options as config entries, in Keras's order. */
  config(): Record<string, unknown> {
    const [k, b] = [this.kernel, this.bias];
    return {
      kernelInitializer: serializeInitializer(k.initializer), biasInitializer: serializeInitializer(b.initializer),
      kernelRegularizer: serializeRegularizer(k.regularizer), biasRegularizer: serializeRegularizer(b.regularizer),
      kernelConstraint: serializeConstraint(k.constraint), biasConstraint: serializeConstraint(b.constraint),
    };
  }
}

/** A projection's weights as Keras keeps them in its EinsumDense sublayer: kernel, then bias. */
export function projectionWeights(p: Projection): Weight[] {
  return p.bias === null ? [p.kernel] : [p.kernel, p.bias];
}

/**
 * Where Keras 3 keeps the projections' weights in .keras / .weights.h5 files: its EinsumDense
 * sublayers `_query_dense`, `_key_dense`, `_value_dense`, `_gate_dense` (where there is a gate),
 * `_output_dense` (kernel, then bias); none before the layer is built.
 */
export function kerasProjectionGroups(
  p: { query: Projection; key: Projection; value: Projection; output: Projection; gate?: Projection | null } | null,
): Array<[string, Weight[]]> {
  if (p === null) return [];
  const groups: Array<[string, Weight[]]> = [['_query_dense', projectionWeights(p.query)], ['_key_dense', projectionWeights(p.key)], ['_value_dense', projectionWeights(p.value)]];
  if (p.gate) groups.push(['_gate_dense', projectionWeights(p.gate)]);
  groups.push(['_output_dense', projectionWeights(p.output)]);
  return groups;
}

/** `dropout`, checked to be in [0, 1). */
export function checkDropout(dropout: number | undefined, owner: string): number {
  const rate = dropout ?? 0;
  if (!(rate >= 0 && rate < 1)) throw new ValueError(`${owner}: \`dropout\` must be in [0, 1), got ${dropout}. help: e.g. {dropout: 0.1}.`);
  return rate;
}

/** The [query, value, key?] shapes, each (batch, steps, features) with known features; key defaults to value. */
export function attentionInputs(inputShape: Shape | Shape[], owner: string, example: string): { query: Shape; value: Shape; key: Shape } {
  const list = (Array.isArray(inputShape[0]) ? inputShape : [inputShape]) as Shape[];
  if (list.length < 2 || list.length > 3) {
    throw new ValueError(`${owner}: apply it to [query, value] or [query, value, key], got ${list.length} input(s). help: for self-attention pass the same tensor twice: ${example}.apply([x, x]).`);
  }
  const [query, value, key = value] = list;
  for (const [what, s] of [['query', query], ['value', value], ['key', key]] as const) {
    if (s.length !== 3 || s[2] === null) {
      throw new ValueError(`${owner}: ${what} must be (batch, steps, features) with known features, got ${formatShape(s)}. help: reshape it to rank 3.`);
    }
  }
  return { query, value, key };
}

/** Refuses a value and key of different lengths. */
export function checkSameSteps(value: Shape, key: Shape, owner: string): void {
  if (value[1] !== null && key[1] !== null && value[1] !== key[1]) {
    throw new ValueError(`${owner}: value and key must have the same number of steps, got ${formatShape(value)} and ${formatShape(key)}. help: pass key and value of one sequence.`);
  }
}

/**
 * The [B, T, S] mask of one call on [query, value, key?] (null: attend everywhere): the call's
 * attentionMask (checked), the query's, value's and key's masks, the causal mask with
 * useCausalMask, and `extra` (GroupQueryAttention's sliding window).
 */
export function callMask(inputs: tfc.Tensor[], ctx: CallContext, owner: string, extra: tfc.Tensor | null = null): tfc.Tensor | null {
  const [query, value] = inputs;
  const args = ctx.args ?? {};
  const [b, t] = query.shape;
  const s = value.shape[1] as number;
  const [qMask, vMask, kMask] = maskList(ctx.mask, 3);
  const given = args.attentionMask as tfc.Tensor | undefined;
  if (given !== undefined && given !== null && !(given.rank === 3 && given.shape[0] === b && given.shape[1] === t && given.shape[2] === s)) {
    throw new ValueError(`${owner}: attentionMask must be [batch, query steps, key steps] = [${b}, ${t}, ${s}], got [${given.shape}]. help: true where a query step may attend to a key step.`);
  }
  return allOf([
    given ?? null,
    qMask ? tfc.expandDims(qMask, 2) : null,
    vMask ? tfc.expandDims(vMask, 1) : null,
    kMask && inputs.length > 2 ? tfc.expandDims(kMask, 1) : null,
    args.useCausalMask ? causalMask(t, s) : null,
    extra,
  ]);
}

/**
 * x [B, N, d] through a [d, heads, size] kernel and [heads, size] bias, as [B, N, heads, size]: one
 * dense op (ops/dense.ts; the reshapes inside it, and no saved copy of the weights).
 */
export function projectHeads(x: tfc.Tensor, p: Projection): tfc.Tensor {
  return dense<tfc.Tensor4D>(x, p.kernel.value, p.bias?.value, 'linear');
}

/** [B, N, heads, size] as [B, heads, N, size] (and back). */
export function swapStepsAndHeads(t: tfc.Tensor): tfc.Tensor {
  return tfc.transpose(t, [0, 2, 1, 3]);
}

/**
 * Attention of the scaled queries q [B, H, T, size] over k and v [B, H, S, size] under `mask`:
 * the probabilities [B, H, T, S] (dropped out in training) and the heads [B, T, H, size].
 */
export function attend(
  q: tfc.Tensor,
  k: tfc.Tensor,
  v: tfc.Tensor,
  mask: tfc.Tensor | null,
  dropout: { rate: number; seed: number | undefined; training: boolean | undefined },
): { scores: tfc.Tensor; heads: tfc.Tensor } {
  const scores = maskedSoftmax(product(q, k, false, true), mask ? tfc.expandDims(mask, 1) : null);
  const dropped = dropout.training && dropout.rate > 0 ? tfc.dropout(scores, dropout.rate, undefined, dropout.seed ?? nextSeed()) : scores;
  return { scores, heads: tfc.transpose(tfc.matMul(dropped, v), [0, 2, 1, 3]) };
}

/**
 * Attention on the projections' layout: q [B, T, H, size] (not yet scaled), k and v [B, S, H, size]
 * under `mask` [B, T, S]: the probabilities [B, H, T, S] (dropped out in training) and the heads
 * [B, T, H, size]. One fused kernel each way where the backend has it (ops/attention.ts's
 * attentionCore) and no dropout applies; else the scale, transposes and attend.
 */
export function attendSteps(
  q: tfc.Tensor,
  k: tfc.Tensor,
  v: tfc.Tensor,
  mask: tfc.Tensor | null,
  scale: number,
  dropout: { rate: number; seed: number | undefined; training: boolean | undefined },
): { scores: tfc.Tensor; heads: tfc.Tensor } {
  const fused = dropout.training && dropout.rate > 0 ? null : attentionCore(q, k, v, mask, scale);
  if (fused !== null) return { scores: fused.probs, heads: fused.heads };
  return attend(tfc.mul(swapStepsAndHeads(q), scale), swapStepsAndHeads(k), swapStepsAndHeads(v), mask, dropout);
}

/** The heads [B, T, H, size] through the output projection ([H, size, out] kernel, [out] bias), as [B, T, out]: one dense op. */
export function projectOutput(heads: tfc.Tensor, p: Projection): tfc.Tensor {
  return dense(heads, p.kernel.value, p.bias?.value, 'linear', true, 2);
}
