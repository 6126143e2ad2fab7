import * as tfc from '@tensorflow/tfjs-core';
import { ValueError } from '../engine/errors';
import { checkOptions, optionKeys } from '../engine/options';
import { NameTable } from '../utils/names';
import * as F from './functions';
import { Loss, LossArgs } from './loss';
import * as O from './overlap_functions';
import { circle, CircleOptions } from './circle';
import { ctc } from './ctc';
import { maskedSampleWeight } from './mask';

export * from './functions';
export * from './overlap_functions';
export { circle } from './circle';
export type { CircleOptions } from './circle';
export { ctc } from './ctc';
export { Loss } from './loss';
export type { LossArgs, Reduction } from './loss';

type LossClass<A> = new (args?: LossArgs & A) => Loss;

const CROSSENTROPY_KEYS = optionKeys<F.CrossentropyOptions>()('fromLogits', 'labelSmoothing', 'axis');

/**
 * A Loss subclass with Keras's name, whose function closes over the options `A` (whose keys are
 * `keys`); `makeReduced`, where given, makes the function's one-op sum or mean (F.ReducedLossFn).
 */
function lossClass<A extends object>(
  name: string,
  keys: ReadonlyArray<keyof A & string>,
  make: (opts: A) => F.LossFn,
  makeReduced?: (opts: A) => F.ReducedLossFn,
): LossClass<A> {
  const allowed = ['reduction', 'name', ...keys];
  return class extends Loss {
    constructor(args: LossArgs & A = {} as LossArgs & A) {
      checkOptions(name, args, allowed);
      const { reduction, name: ownName, ...opts } = args;
      super(name, make(opts as unknown as A), { reduction, name: ownName }, opts, makeReduced?.(opts as unknown as A));
    }
  };
}

export const BinaryCrossentropy = lossClass<F.CrossentropyOptions>(
  'binary_crossentropy',
  CROSSENTROPY_KEYS,
  (o) => (t, p) => F.binaryCrossentropy(t, p, o),
  (o) => (t, p, r) => F.binaryCrossentropy(t, p, o, r) as tfc.Scalar,
);
export const BinaryFocalCrossentropy = lossClass<F.FocalOptions>(
  'binary_focal_crossentropy',
  optionKeys<F.FocalOptions>()(...CROSSENTROPY_KEYS, 'applyClassBalancing', 'alpha', 'gamma'),
  (o) => (t, p) => F.binaryFocalCrossentropy(t, p, o),
);
export const CategoricalCrossentropy = lossClass<F.CrossentropyOptions>(
  'categorical_crossentropy',
  CROSSENTROPY_KEYS,
  (o) => (t, p) => F.categoricalCrossentropy(t, p, o),
  (o) => (t, p, r) => F.categoricalCrossentropy(t, p, o, r) as tfc.Scalar,
);
export const SparseCategoricalCrossentropy = lossClass<F.SparseCrossentropyOptions>(
  'sparse_categorical_crossentropy',
  optionKeys<F.SparseCrossentropyOptions>()('fromLogits', 'axis'),
  (o) => (t, p) => F.sparseCategoricalCrossentropy(t, p, o),
  (o) => (t, p, r) => F.sparseCategoricalCrossentropy(t, p, o, r) as tfc.Scalar,
);
export const MeanSquaredError = lossClass('mean_squared_error', [], () => F.meanSquaredError);
export const MeanAbsoluteError = lossClass('mean_absolute_error', [], () => F.meanAbsoluteError);
export const MeanAbsolutePercentageError = lossClass('mean_absolute_percentage_error', [], () => F.meanAbsolutePercentageError);
export const MeanSquaredLogarithmicError = lossClass('mean_squared_logarithmic_error', [], () => F.meanSquaredLogarithmicError);
export const Huber = lossClass<{ delta?: number }>('huber', ['delta'], (o) => (t, p) => F.huber(t, p, o.delta ?? 1));
export const LogCosh = lossClass('log_cosh', [], () => F.logCosh);
export const KLDivergence = lossClass('kl_divergence', [], () => F.klDivergence);
export const Poisson = lossClass('poisson', [], () => F.poisson);
export const CosineSimilarity = lossClass<{ axis?: number }>('cosine_similarity', ['axis'], (o) => (t, p) => F.cosineSimilarity(t, p, o.axis ?? -1));
export const Hinge = lossClass('hinge', [], () => F.hinge);
export const SquaredHinge = lossClass('squared_hinge', [], () => F.squaredHinge);
export const CategoricalHinge = lossClass('categorical_hinge', [], () => F.categoricalHinge);
export const CategoricalFocalCrossentropy = lossClass<O.CategoricalFocalOptions>(
  'categorical_focal_crossentropy',
  optionKeys<O.CategoricalFocalOptions>()('alpha', 'gamma', 'fromLogits', 'labelSmoothing', 'axis'),
  (o) => (t, p) => O.categoricalFocalCrossentropy(t, p, o),
);
export const CategoricalGeneralizedCrossEntropy = lossClass<{ /** Between 0 (cross-entropy) and 1 (MAE), exclusive. Keras: `q` @default 0.5 */ q?: number }>(
  'categorical_generalized_cross_entropy',
  ['q'],
  (o) => {
    const q = o.q ?? 0.5;
    if (typeof q !== 'number' || !(q > 0 && q < 1)) throw new ValueError(`CategoricalGeneralizedCrossEntropy: \`q\` must be in (0, 1), got ${o.q}. help: keep the default 0.5.`);
    return (t, p) => O.categoricalGeneralizedCrossEntropy(t, p, q);
  },
);
export const Dice = lossClass<{ /** The axes summed over. Keras: `axis` @default undefined (every axis: one value per batch) */ axis?: number | number[] | null }>(
  'dice',
  ['axis'],
  (o) => (t, p) => O.dice(t, p, o.axis),
);
export const Tversky = lossClass<O.TverskyOptions>('tversky', optionKeys<O.TverskyOptions>()('alpha', 'beta', 'axis'), (o) => (t, p) => O.tversky(t, p, o));
export const CTC = lossClass('ctc', [], () => ctc);

/**
 * Circle loss. As Keras, the samples whose loss is 0 are masked: 'sum_over_batch_size' averages
 * over the others only.
 */
export class Circle extends lossClass<CircleOptions>('circle', optionKeys<CircleOptions>()('gamma', 'margin', 'removeDiagonal'), (o) => (t, p) => circle(t, p, o)) {
  override call(yTrue: tfc.Tensor, yPred: tfc.Tensor, sampleWeight?: tfc.Tensor): tfc.Tensor {
    return tfc.tidy(() => {
      const positive = tfc.greater(this.perSample(yTrue, yPred), 0);
      return super.call(yTrue, yPred, maskedSampleWeight(positive, sampleWeight, this.reduction === 'sum_over_batch_size'));
    });
  }
}

/** Keras snake_case names; camelCase names and the aliases below are accepted too. */
export type LossName =
  | 'binary_crossentropy' | 'binary_focal_crossentropy' | 'categorical_crossentropy' | 'sparse_categorical_crossentropy'
  | 'mean_squared_error' | 'mean_absolute_error' | 'mean_absolute_percentage_error' | 'mean_squared_logarithmic_error'
  | 'huber' | 'log_cosh' | 'kl_divergence' | 'poisson' | 'cosine_similarity' | 'hinge' | 'squared_hinge' | 'categorical_hinge'
  | 'categorical_focal_crossentropy' | 'categorical_generalized_cross_entropy' | 'dice' | 'tversky' | 'ctc' | 'circle'
  | 'mse' | 'mae' | 'mape' | 'msle' | 'kld' | 'logcosh'
  | 'binaryCrossentropy' | 'categoricalCrossentropy' | 'sparseCategoricalCrossentropy' | 'meanSquaredError' | 'meanAbsoluteError';

export type LossIdentifier = LossName | Loss | F.LossFn;

const CLASSES: Record<string, LossClass<object>> = {
  binary_crossentropy: BinaryCrossentropy,
  binary_focal_crossentropy: BinaryFocalCrossentropy,
  categorical_crossentropy: CategoricalCrossentropy,
  sparse_categorical_crossentropy: SparseCategoricalCrossentropy,
  mean_squared_error: MeanSquaredError,
  mean_absolute_error: MeanAbsoluteError,
  mean_absolute_percentage_error: MeanAbsolutePercentageError,
  mean_squared_logarithmic_error: MeanSquaredLogarithmicError,
  huber: Huber,
  log_cosh: LogCosh,
  kl_divergence: KLDivergence,
  poisson: Poisson,
  cosine_similarity: CosineSimilarity,
  hinge: Hinge,
  squared_hinge: SquaredHinge,
  categorical_hinge: CategoricalHinge,
  categorical_focal_crossentropy: CategoricalFocalCrossentropy,
  categorical_generalized_cross_entropy: CategoricalGeneralizedCrossEntropy,
  dice: Dice,
  tversky: Tversky,
  ctc: CTC,
  circle: Circle,
};

export const LOSS_ALIASES: Record<string, string> = {
  mse: 'mean_squared_error',
  mae: 'mean_absolute_error',
  mape: 'mean_absolute_percentage_error',
  msle: 'mean_squared_logarithmic_error',
  kld: 'kl_divergence',
  kullback_leibler_divergence: 'kl_divergence',
  logcosh: 'log_cosh',
  huber_loss: 'huber',
  crossentropy: 'categorical_crossentropy',
};

const TABLE = new NameTable<LossClass<object>>('loss', CLASSES, LOSS_ALIASES);

export function lossNames(): string[] {
  return TABLE.names();
}

/** The per-sample function of a named loss, with default options (used by metrics too). */
export function lossFunction(name: string, context: string): F.LossFn {
  return new (TABLE.get(name, context))().perSample;
}

/** A Loss from a name, a Loss, or a function (yTrue, yPred) -> per-sample loss. */
export function getLoss(id: LossIdentifier | string, context: string): Loss {
  if (id instanceof Loss) return id;
  if (typeof id === 'function') return new Loss(id.name || 'loss', id);
  return new (TABLE.get(id, context))();
}

/** { className, config } for a loss; `deserializeLoss` rebuilds it. */
export function serializeLoss(loss: Loss): { className: string; config: Record<string, unknown> } {
  return { className: loss.className, config: loss.getConfig() };
}

export function deserializeLoss(spec: { className: string; config: Record<string, unknown> }): Loss {
  return new (TABLE.get(spec.className, 'deserializeLoss'))(spec.config as LossArgs);
}
