/**
 * BatchNormalization and LayerNormalization, with Keras 3's defaults, and the base they share with
 * GroupNormalization (axis, epsilon, the learned scale gamma and offset beta).
 */
import * as tfc from '@tensorflow/tfjs-core';
import { Constraint, ConstraintIdentifier, getConstraint, serializeConstraint } from '../constraints';
import { ValueError } from '../engine/errors';
import { CallContext, LAYER_KEYS, LayerArgs, LayerConfig } from '../engine/layer';
import { optionKeys } from '../engine/options';
import { layerArgs } from '../engine/positional';
import { replicaContext } from '../engine/replica_context';
import { ShapePreservingLayer } from '../engine/shape_preserving_layer';
import { firstMask, maskAsFloat } from '../engine/masking';
import { formatShape, Shape } from '../engine/symbolic_tensor';
import { Weight } from '../engine/weight';
import { activate, BatchNormArgs, batchNormTraining, NormActivation, normalizeBy } from '../ops/batch_norm';
import { layerNormLastAxis } from '../ops/layer_norm';
import { getInitializer, Initializer, InitializerIdentifier, serializeInitializer } from '../initializers';
import { getRegularizer, Regularizer, RegularizerIdentifier, serializeRegularizer } from '../regularizers';

export interface NormalizationArgs extends LayerArgs {
  /**
   * The feature axis (normalized per feature for BatchNormalization, over it for LayerNormalization). Keras: `axis`
   * @default -1
   */
  axis?: number;
  /** Added to the variance to avoid dividing by zero. Keras: `epsilon` @default 1e-3 */
  epsilon?: number;
  /** Add the learned offset beta. Keras: `center` @default true */
  center?: boolean;
  /** Multiply by the learned scale gamma. Keras: `scale` @default true */
  scale?: boolean;
  /** Initializer of the offset beta. Keras: `beta_initializer` @default 'zeros' */
  betaInitializer?: InitializerIdentifier;
  /** Initializer of the scale gamma. Keras: `gamma_initializer` @default 'ones' */
  gammaInitializer?: InitializerIdentifier;
  /** A penalty on beta, added to the loss in fit. Keras: `beta_regularizer` @default undefined (none) */
  betaRegularizer?: RegularizerIdentifier;
  /** A penalty on gamma, added to the loss in fit. Keras: `gamma_regularizer` @default undefined (none) */
  gammaRegularizer?: RegularizerIdentifier;
  /** A projection of beta after each update. Keras: `beta_constraint` @default undefined (none) */
  betaConstraint?: ConstraintIdentifier;
  /** A projection of gamma after each update. Keras: `gamma_constraint` @default undefined (none) */
  gammaConstraint?: ConstraintIdentifier;
}

export const NORMALIZATION_KEYS = optionKeys<NormalizationArgs>()(
  ...LAYER_KEYS, 'axis', 'epsilon', 'center', 'scale', 'betaInitializer', 'gammaInitializer', 'betaRegularizer', 'gammaRegularizer',
  'betaConstraint', 'gammaConstraint',
);

export abstract class ScaleOffsetNormalization extends ShapePreservingLayer {
  readonly axis: number;
  readonly epsilon: number;
  readonly center: boolean;
  readonly scale: boolean;
  protected readonly betaInitializer: Initializer;
  protected readonly gammaInitializer: Initializer;
  protected readonly betaRegularizer: Regularizer | undefined;
  protected readonly gammaRegularizer: Regularizer | undefined;
  protected readonly betaConstraint: Constraint | undefined;
  protected readonly gammaConstraint: Constraint | undefined;
  gamma: Weight | null = null;
  beta: Weight | null = null;
  override supportsMasking = true;

  static override readonly positional = ['axis'];

  constructor(axis: number, options?: Omit<NormalizationArgs, 'axis'>);
  constructor(args?: NormalizationArgs);
  constructor(...given: unknown[]) {
    const args = layerArgs<NormalizationArgs>(new.target, given) ?? {};
    super(args);
    const owner = `${new.target.name} '${this.name}'`;
    this.axis = args.axis ?? -1;
    if (!Number.isInteger(this.axis)) throw new ValueError(`${owner}: \`axis\` must be an integer, got ${args.axis}.`);
    this.epsilon = args.epsilon ?? 1e-3;
    if (!(this.epsilon > 0)) throw new ValueError(`${owner}: \`epsilon\` must be positive, got ${args.epsilon}. help: e.g. {epsilon: 1e-3}.`);
    this.center = args.center ?? true;
    this.scale = args.scale ?? true;
    this.betaInitializer = getInitializer(args.betaInitializer ?? 'zeros', owner);
    this.gammaInitializer = getInitializer(args.gammaInitializer ?? 'ones', owner);
    this.betaRegularizer = getRegularizer(args.betaRegularizer, owner);
    this.gammaRegularizer = getRegularizer(args.gammaRegularizer, owner);
    this.betaConstraint = getConstraint(args.betaConstraint, owner);
    this.gammaConstraint = getConstraint(args.gammaConstraint, owner);
  }

  /** The feature axis as a non-negative index, and its size (which must be known). */
  protected featureAxis(shape: Shape): { axis: number; size: number } {
    const axis = this.axis < 0 ? shape.length + this.axis : this.axis;
    const size = shape[axis];
    if (axis <= 0 || axis >= shape.length || size === null || size === undefined) {
      throw new ValueError(
        `${this.name} (${this.className}): axis ${this.axis} is not a known feature axis of input ${formatShape(shape)}. help: use an axis other than the batch axis, e.g. -1.`,
      );
    }
    return { axis, size };
  }

  protected addScaleAndOffset(size: number): void {
    if (this.scale) {
      this.gamma = this.addWeight({ name: 'gamma', shape: [size], initializer: this.gammaInitializer, regularizer: this.gammaRegularizer, constraint: this.gammaConstraint });
    }
    if (this.center) {
      this.beta = this.addWeight({ name: 'beta', shape: [size], initializer: this.betaInitializer, regularizer: this.betaRegularizer, constraint: this.betaConstraint });
    }
  }

  /** (x - mean) / sqrt(variance + epsilon) · gamma + beta, with the statistics broadcastable on `axis` (ops/batch_norm.ts). */
  protected normalize(x: tfc.Tensor, mean: tfc.Tensor, variance: tfc.Tensor, axis: number): tfc.Tensor {
    return normalizeBy(x, mean, variance, this.normArgs(axis));
  }

  protected normArgs(axis: number): BatchNormArgs {
    return { axis, gamma: this.gamma?.value, beta: this.beta?.value, epsilon: this.epsilon };
  }

  override getConfig(): LayerConfig {
    return {
      ...super.getConfig(),
      axis: this.axis, epsilon: this.epsilon, center: this.center, scale: this.scale,
      betaInitializer: serializeInitializer(this.betaInitializer), gammaInitializer: serializeInitializer(this.gammaInitializer),
      betaRegularizer: serializeRegularizer(this.betaRegularizer), gammaRegularizer: serializeRegularizer(this.gammaRegularizer),
      betaConstraint: serializeConstraint(this.betaConstraint), gammaConstraint: serializeConstraint(this.gammaConstraint),
    };
  }
}

export interface BatchNormalizationArgs extends NormalizationArgs {
  /** Weight of the old value in the moving averages. Keras: `momentum` @default 0.99 */
  momentum?: number;
  /** Initializer of the moving mean. Keras: `moving_mean_initializer` @default 'zeros' */
  movingMeanInitializer?: InitializerIdentifier;
  /** Initializer of the moving variance. Keras: `moving_variance_initializer` @default 'ones' */
  movingVarianceInitializer?: InitializerIdentifier;
  /**
   * In a data-parallel run (k.distribution.DataParallel over several processes), compute the batch
   * statistics over the global batch, all processes together, as Keras's synchronized
   * BatchNormalization: training then matches one process on the whole batch. Without it each
   * process normalizes by the statistics of its own part of the batch (and the moving statistics
   * are averaged over the processes at the end of each epoch). No effect on one process.
   * Keras: `synchronized` @default false
   */
  synchronized?: boolean;
}

/**
 * Normalizes each feature over the batch. In training it uses the batch's mean and variance and
 * updates the moving averages (non-trainable weights); at inference, and when the layer is frozen,
 * it uses the moving averages.
 */
export class BatchNormalization extends ScaleOffsetNormalization {
  static override readonly optionKeys = optionKeys<BatchNormalizationArgs>()(
    ...NORMALIZATION_KEYS, 'momentum', 'movingMeanInitializer', 'movingVarianceInitializer', 'synchronized',
  );
  readonly className = 'BatchNormalization';
  readonly momentum: number;
  readonly synchronized: boolean;
  private readonly movingMeanInitializer: Initializer;
  private readonly movingVarianceInitializer: Initializer;
  movingMean: Weight | null = null;
  movingVariance: Weight | null = null;

  static override readonly positional = ['axis'];

  constructor(axis: number, options?: Omit<BatchNormalizationArgs, 'axis'>);
  constructor(args?: BatchNormalizationArgs);
  constructor(...given: unknown[]) {
    const args = layerArgs<BatchNormalizationArgs>(new.target, given) ?? {};
    super(args);
    this.momentum = args.momentum ?? 0.99;
    if (!(this.momentum >= 0 && this.momentum <= 1)) {
      throw new ValueError(`BatchNormalization '${this.name}': \`momentum\` must be in [0, 1], got ${args.momentum}. help: e.g. {momentum: 0.99}.`);
    }
    this.synchronized = args.synchronized ?? false;
    if (typeof this.synchronized !== 'boolean') {
      throw new ValueError(`BatchNormalization '${this.name}': \`synchronized\` must be true or false, got ${JSON.stringify(args.synchronized)}. help: e.g. {synchronized: true}.`);
    }
    this.movingMeanInitializer = getInitializer(args.movingMeanInitializer ?? 'zeros', this.name);
    this.movingVarianceInitializer = getInitializer(args.movingVarianceInitializer ?? 'ones', this.name);
  }

  override build(inputShape: Shape | Shape[]): void {
    const { size } = this.featureAxis(inputShape as Shape);
    this.addScaleAndOffset(size);
    this.movingMean = this.addWeight({ name: 'moving_mean', shape: [size], initializer: this.movingMeanInitializer, trainable: false });
    this.movingVariance = this.addWeight({ name: 'moving_variance', shape: [size], initializer: this.movingVarianceInitializer, trainable: false });
  }

  call(x: tfc.Tensor, ctx: CallContext): tfc.Tensor {
    if (ctx.training && this.trainable) return this.callTraining(x, ctx);
    const { axis } = this.featureAxis(x.shape);
    const broadcast = x.shape.map((d, i) => (i === axis ? d : 1));
    const movingMean = tfc.reshape((this.movingMean as Weight).value, broadcast);
    return this.normalize(x, movingMean, tfc.reshape((this.movingVariance as Weight).value, broadcast), axis);
  }

  /**
   * The training-mode call: normalized by the batch's statistics, which update the moving averages.
   * `activation` follows it (the graph pass fuses a ReLU layer that reads only this one: models/fusion_chains.ts).
   */
  callTraining(x: tfc.Tensor, ctx: CallContext, activation: NormActivation = 'linear'): tfc.Tensor {
    const { axis } = this.featureAxis(x.shape);
    const reduce = x.shape.map((_, i) => i).filter((i) => i !== axis);
    const movingMean = (this.movingMean as Weight).value;
    const movingVariance = (this.movingVariance as Weight).value;
    const mask = firstMask(ctx.mask);
    const { y, mean, variance } = mask === null && !this.synchronized
      ? batchNormTraining(x, { ...this.normArgs(axis), activation }) // one kernel each way where the backend has it
      : this.byMoments(x, mask ? maskedMoments(x, mask, reduce) : batchMoments(x, reduce, true), axis, activation);
    if (!this.synchronized && replicaContext()?.standIn) return y; // adds nothing
    const m = this.momentum;
    movingMean.assign(tfc.add(tfc.mul(movingMean, m), tfc.mul(tfc.reshape(mean, movingMean.shape), 1 - m)));
    movingVariance.assign(tfc.add(tfc.mul(movingVariance, m), tfc.mul(tfc.reshape(variance, movingVariance.shape), 1 - m)));
    return y;
  }

  private byMoments(x: tfc.Tensor, moments: { mean: tfc.Tensor; variance: tfc.Tensor }, axis: number, activation: NormActivation): { y: tfc.Tensor; mean: tfc.Tensor; variance: tfc.Tensor } {
    return { y: activate(this.normalize(x, moments.mean, moments.variance, axis), activation), ...moments };
  }

  override getConfig(): LayerConfig {
    return {
      ...super.getConfig(), momentum: this.momentum, synchronized: this.synchronized,
      movingMeanInitializer: serializeInitializer(this.movingMeanInitializer),
      movingVarianceInitializer: serializeInitializer(this.movingVarianceInitializer),
    };
  }
}

/**
 * The mean and variance of x over the axes `reduce` (the batch axis among them), kept as
 * broadcastable shapes: over this process's rows, or, when `synchronized` and several processes
 * train together, over the global batch (sums combined across the processes, as differentiable ops).
 */
function batchMoments(x: tfc.Tensor, reduce: number[], synchronized: boolean): { mean: tfc.Tensor; variance: tfc.Tensor } {
  const replicas = synchronized ? replicaContext() : null;
  if (replicas === null || replicas.size === 1) return tfc.moments(x, reduce, true);
  const rows = x.shape[0];
  const count = (reduce.reduce((n, i) => n * x.shape[i], 1) / rows) * replicas.globalRows(rows);
  const mean = tfc.div(replicas.sumOverReplicas(tfc.sum(x, reduce, true)), count);
  const variance = tfc.div(replicas.sumOverReplicas(tfc.sum(tfc.square(tfc.sub(x, mean)), reduce, true)), count);
  return { mean, variance };
}

/** Normalizes each sample over its feature axis (the last by default). */
export class LayerNormalization extends ScaleOffsetNormalization {
  static override readonly optionKeys = NORMALIZATION_KEYS;
  readonly className = 'LayerNormalization';

  override build(inputShape: Shape | Shape[]): void {
    const { size } = this.featureAxis(inputShape as Shape);
    this.addScaleAndOffset(size);
  }

  call(x: tfc.Tensor, ctx: CallContext): tfc.Tensor {
    void ctx;
    const { axis } = this.featureAxis(x.shape);
    const fused = axis === x.rank - 1 ? layerNormLastAxis(x, this.gamma?.value, this.beta?.value, this.epsilon) : null; // one kernel each way on native
    if (fused !== null) return fused;
    const { mean, variance } = tfc.moments(x, [axis], true);
    return this.normalize(x, mean, variance, axis);
  }
}

/** Mean and variance over `axes` of the steps the mask keeps (a (batch, steps) mask on a (batch, steps, ...) input), as Keras 3. */
function maskedMoments(x: tfc.Tensor, mask: tfc.Tensor, axes: number[]): { mean: tfc.Tensor; variance: tfc.Tensor } {
  let m = maskAsFloat(mask);
  while (m.rank < x.rank) m = tfc.expandDims(m, -1);
  const w = tfc.mul(tfc.onesLike(x), m);
  const count = tfc.maximum(tfc.sum(w, axes, true), 1);
  const mean = tfc.div(tfc.sum(tfc.mul(x, w), axes, true), count);
  const variance = tfc.div(tfc.sum(tfc.mul(tfc.square(tfc.sub(x, mean)), w), axes, true), count);
  return { mean, variance };
}
