import { LOSS_ALIASES, lossFunction, lossNames } from '../losses';
import { NameTable } from '../utils/names';
import { Accuracy, BinaryAccuracy, CategoricalAccuracy, SparseCategoricalAccuracy, SparseTopKCategoricalAccuracy, TopKCategoricalAccuracy } from './accuracy_metrics';
import { AUC, Precision, Recall } from './confusion_metrics';
import { MeanMetricWrapper, Metric, MetricFn } from './metric';
import { CosineSimilarity, MeanAbsoluteError, MeanSquaredError, RootMeanSquaredError } from './regression_metrics';
import { FalseNegatives, FalsePositives, TrueNegatives, TruePositives } from './count_metrics';
import { F1Score, FBetaScore } from './f_score_metrics';
import { R2Score } from './r2_score';
import { ConcordanceCorrelation, PearsonCorrelation } from './correlation_metrics';
import * as L from './loss_metrics';

export * from './functions';
export { Mean, Sum, MeanMetricWrapper, Metric } from './metric';
export type { MetricFn } from './metric';
export * from './accuracy_metrics';
export * from './confusion_metrics';
export * from './regression_metrics';
export * from './count_metrics';
export * from './constrained_metrics';
export * from './f_score_metrics';
export * from './iou_metrics';
export * from './r2_score';
export * from './correlation_metrics';
export * from './loss_metrics';
export { serializeMetric, deserializeMetric } from './serialize';
/** Keras's keras.metrics also holds the loss functions (keras.metrics.mean_squared_error, ...). */
export {
  meanSquaredError, meanAbsoluteError, meanAbsolutePercentageError, meanSquaredLogarithmicError, binaryCrossentropy,
  binaryFocalCrossentropy, categoricalCrossentropy, sparseCategoricalCrossentropy, huber, logCosh, klDivergence, poisson,
  hinge, squaredHinge, categoricalHinge,
} from '../losses/functions';
export { categoricalFocalCrossentropy } from '../losses/overlap_functions';

/** Keras snake_case names; camelCase names, class names and the aliases below are accepted too. */
export type MetricName =
  | 'accuracy' | 'acc' | 'binary_accuracy' | 'categorical_accuracy' | 'sparse_categorical_accuracy'
  | 'top_k_categorical_accuracy' | 'sparse_top_k_categorical_accuracy' | 'precision' | 'recall' | 'auc'
  | 'mean_squared_error' | 'mean_absolute_error' | 'root_mean_squared_error' | 'cosine_similarity' | 'mse' | 'mae' | 'rmse'
  | 'binary_crossentropy' | 'categorical_crossentropy' | 'sparse_categorical_crossentropy' | 'binary_focal_crossentropy'
  | 'mean_absolute_percentage_error' | 'mean_squared_logarithmic_error' | 'huber' | 'log_cosh' | 'kl_divergence'
  | 'poisson' | 'hinge' | 'squared_hinge' | 'categorical_hinge' | 'mape' | 'msle' | 'kld' | 'logcosh'
  | 'true_positives' | 'true_negatives' | 'false_positives' | 'false_negatives' | 'f1_score' | 'fbeta_score' | 'r2_score'
  | 'pearson_correlation' | 'concordance_correlation'
  | 'binaryAccuracy' | 'categoricalAccuracy' | 'sparseCategoricalAccuracy' | 'meanSquaredError' | 'meanAbsoluteError';

export type MetricIdentifier = MetricName | Metric | MetricFn;

type Factory = (name: string) => Metric;

const OWN: Record<string, Factory> = {
  // 'accuracy' is resolved from the loss and shapes by chooseAccuracy; this entry is the plain one.
  accuracy: (name) => new Accuracy({ name }),
  binary_accuracy: (name) => new BinaryAccuracy({ name }),
  categorical_accuracy: (name) => new CategoricalAccuracy({ name }),
  sparse_categorical_accuracy: (name) => new SparseCategoricalAccuracy({ name }),
  top_k_categorical_accuracy: (name) => new TopKCategoricalAccuracy({ name }),
  sparse_top_k_categorical_accuracy: (name) => new SparseTopKCategoricalAccuracy({ name }),
  precision: (name) => new Precision({ name }),
  recall: (name) => new Recall({ name }),
  auc: (name) => new AUC({ name }),
  mean_squared_error: (name) => new MeanSquaredError({ name }),
  mean_absolute_error: (name) => new MeanAbsoluteError({ name }),
  root_mean_squared_error: (name) => new RootMeanSquaredError({ name }),
  cosine_similarity: (name) => new CosineSimilarity({ name }),
  true_positives: (name) => new TruePositives({ name }),
  true_negatives: (name) => new TrueNegatives({ name }),
  false_positives: (name) => new FalsePositives({ name }),
  false_negatives: (name) => new FalseNegatives({ name }),
  f1_score: (name) => new F1Score({ name }),
  fbeta_score: (name) => new FBetaScore({ name }),
  r2_score: (name) => new R2Score({ name }),
  pearson_correlation: (name) => new PearsonCorrelation({ name }),
  concordance_correlation: (name) => new ConcordanceCorrelation({ name }),
  // the losses Keras has metric classes for; the other losses become metrics below
  mean_absolute_percentage_error: (name) => new L.MeanAbsolutePercentageError({ name }),
  mean_squared_logarithmic_error: (name) => new L.MeanSquaredLogarithmicError({ name }),
  log_cosh: (name) => new L.LogCoshError({ name }),
  binary_crossentropy: (name) => new L.BinaryCrossentropy({ name }),
  categorical_crossentropy: (name) => new L.CategoricalCrossentropy({ name }),
  sparse_categorical_crossentropy: (name) => new L.SparseCategoricalCrossentropy({ name }),
  kl_divergence: (name) => new L.KLDivergence({ name }),
  poisson: (name) => new L.Poisson({ name }),
  hinge: (name) => new L.Hinge({ name }),
  squared_hinge: (name) => new L.SquaredHinge({ name }),
  categorical_hinge: (name) => new L.CategoricalHinge({ name }),
};

/** Every loss is a metric too: the mean of its per-sample values. */
const FROM_LOSSES: Record<string, Factory> = Object.fromEntries(
  lossNames()
    .map((quoted) => quoted.slice(1, -1))
    .filter((n) => !(n in OWN) && !(n in LOSS_ALIASES))
    .map((n) => [n, (name: string) => new MeanMetricWrapper(name, lossFunction(n, 'metrics'))]),
);

const ALIASES: Record<string, string> = {
  ...Object.fromEntries(Object.entries(LOSS_ALIASES).filter(([a]) => a !== 'crossentropy')),
  acc: 'accuracy',
  rmse: 'root_mean_squared_error',
  top_k_accuracy: 'top_k_categorical_accuracy',
};

const TABLE = new NameTable<Factory>('metric', { ...OWN, ...FROM_LOSSES }, ALIASES);

export function metricNames(): string[] {
  return TABLE.names();
}

/** Which accuracy Keras means by 'accuracy', from the loss and the shapes of labels and predictions. */
export function chooseAccuracy(lossName: string, yTrueShape: number[], yPredShape: number[], name: string): Metric {
  const predLast = yPredShape[yPredShape.length - 1];
  const trueLast = yTrueShape[yTrueShape.length - 1];
  if (lossName === 'binary_crossentropy' || lossName === 'binary_focal_crossentropy' || predLast === 1) return new BinaryAccuracy({ name });
  if (lossName === 'sparse_categorical_crossentropy') return new SparseCategoricalAccuracy({ name });
  const sparse = yTrueShape.length < yPredShape.length || (trueLast === 1 && predLast > 1);
  return sparse ? new SparseCategoricalAccuracy({ name }) : new CategoricalAccuracy({ name });
}

/** Whether `id` is 'accuracy' or 'acc', which Keras resolves from the loss and shapes. */
export function isAccuracyName(id: unknown): boolean {
  return typeof id === 'string' && ['accuracy', 'acc'].includes(id.toLowerCase());
}

/** A metric from a name (logged under that name), a Metric, or a function (yTrue, yPred) -> per-sample values. */
export function getMetric(id: MetricIdentifier | string, context: string): Metric {
  if (id instanceof Metric) return id;
  if (typeof id === 'function') return new MeanMetricWrapper(id.name || 'metric', id);
  return TABLE.get(id, context)(id);
}

/** Checks a metric name without building it, so compile can refuse unknown names at once. */
export function checkMetricName(id: string, context: string): void {
  TABLE.get(id, context);
}

/**
 * Why `metric` cannot score labels of shape `yTrue` against predictions of shape `yPred`, or null
 * when it can. Keeps a mismatched metric from failing deep inside tfjs with a broadcasting error.
 */
export function metricShapeProblem(metric: Metric, yTrue: number[], yPred: number[]): string | null {
  const classes = yPred[yPred.length - 1];
  const sameShape = yTrue.length === yPred.length && yTrue.every((d, i) => i === 0 || d === yPred[i]);
  const sparseShape = yTrue.length === yPred.length - 1 || (yTrue.length === yPred.length && yTrue[yTrue.length - 1] === 1);
  if (metric instanceof CategoricalAccuracy || metric instanceof TopKCategoricalAccuracy) {
    if (classes < 2) return 'needs one score per class (an output with 2 or more units)';
    if (!sameShape) return 'needs one-hot labels shaped like the predictions (for class indices use the sparse_ variant)';
  }
  if (metric instanceof SparseCategoricalAccuracy || metric instanceof SparseTopKCategoricalAccuracy) {
    if (classes < 2) return 'needs one score per class (an output with 2 or more units)';
    if (!sparseShape) return 'needs class-index labels, one per sample (for one-hot labels use the non-sparse variant)';
  }
  if ((metric instanceof BinaryAccuracy || metric instanceof Precision || metric instanceof Recall || metric instanceof AUC) && !sameShape) {
    return 'needs labels shaped like the predictions';
  }
  return null;
}
