import { meanAbsoluteError, meanSquaredError } from '../losses/functions';
import { NameTable } from '../utils/names';
import { binaryAccuracy, categoricalAccuracy, sparseCategoricalAccuracy } from './functions';
import { MeanMetricWrapper, Metric, MetricFn } from './metric';

export * from './functions';
export { Mean, MeanMetricWrapper, Metric } from './metric';
export type { MetricFn } from './metric';

/** Keras snake_case names; camelCase names and the aliases below are accepted too. */
export type MetricName =
  | 'accuracy' | 'acc' | 'binary_accuracy' | 'categorical_accuracy' | 'sparse_categorical_accuracy'
  | 'mean_squared_error' | 'mean_absolute_error' | 'mse' | 'mae'
  | 'binaryAccuracy' | 'categoricalAccuracy' | 'sparseCategoricalAccuracy' | 'meanSquaredError' | 'meanAbsoluteError';

export type MetricIdentifier = MetricName | Metric | MetricFn;

const FUNCTIONS = new NameTable<MetricFn>(
  'metric',
  {
    // 'accuracy' is resolved from the loss and shapes by chooseAccuracy; listed here for names().
    accuracy: categoricalAccuracy,
    binary_accuracy: (t, p) => binaryAccuracy(t, p),
    categorical_accuracy: categoricalAccuracy,
    sparse_categorical_accuracy: sparseCategoricalAccuracy,
    mean_squared_error: meanSquaredError,
    mean_absolute_error: meanAbsoluteError,
  },
  { acc: 'accuracy', mse: 'mean_squared_error', mae: 'mean_absolute_error' },
);

const ACCURACY = ['accuracy', 'acc'];

export function metricNames(): string[] {
  return FUNCTIONS.names();
}

/** Which accuracy Keras means by 'accuracy', from the loss and the shapes of labels and predictions. */
export function chooseAccuracy(lossName: string, yTrueShape: number[], yPredShape: number[]): MetricFn {
  const predLast = yPredShape[yPredShape.length - 1];
  const trueLast = yTrueShape[yTrueShape.length - 1];
  if (lossName === 'binary_crossentropy' || predLast === 1) return (t, p) => binaryAccuracy(t, p);
  if (lossName === 'sparse_categorical_crossentropy') return sparseCategoricalAccuracy;
  const sparse = yTrueShape.length < yPredShape.length || (trueLast === 1 && predLast > 1);
  return sparse ? sparseCategoricalAccuracy : categoricalAccuracy;
}

/**
 * A metric from a name, a Metric or a function. 'accuracy' needs the loss and shapes, so it is
 * resolved by the caller with chooseAccuracy; here it is only recognized.
 */
export function isAccuracyName(id: unknown): boolean {
  return typeof id === 'string' && ACCURACY.includes(id.toLowerCase());
}

export function getMetric(id: MetricIdentifier | string, context: string): Metric {
  if (id instanceof Metric) return id;
  if (typeof id === 'function') return new MeanMetricWrapper(id.name || 'metric', id);
  const fn = FUNCTIONS.get(id, context);
  return new MeanMetricWrapper(id, fn);
}

/** Checks a metric name without building it, so compile can refuse unknown names at once. */
export function checkMetricName(id: string, context: string): void {
  if (!isAccuracyName(id)) FUNCTIONS.get(id, context);
}
