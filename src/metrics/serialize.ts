/**
 * serializeMetric / deserializeMetric: a metric as {className, config} and back, as
 * serializeLoss / deserializeLoss do for losses (Keras's keras.metrics.serialize / deserialize).
 * Only keras-ts's own metric classes are rebuilt; the state (the values seen) is not part of it.
 */
import { ValueError } from '../engine/errors';
import * as accuracy from './accuracy_metrics';
import * as confusion from './confusion_metrics';
import * as constrained from './constrained_metrics';
import * as correlation from './correlation_metrics';
import * as counts from './count_metrics';
import * as fScore from './f_score_metrics';
import * as iou from './iou_metrics';
import * as lossMetrics from './loss_metrics';
import { Metric } from './metric';
import * as r2 from './r2_score';
import * as regression from './regression_metrics';

type MetricClass = new (config: Record<string, unknown>) => Metric;

function classes(): Map<string, MetricClass> {
  const table = new Map<string, MetricClass>();
  for (const source of [accuracy, confusion, constrained, correlation, counts, fScore, iou, lossMetrics, r2, regression]) {
    for (const [name, value] of Object.entries(source)) {
      if (typeof value === 'function' && value.prototype instanceof Metric) table.set(name, value as unknown as MetricClass);
    }
  }
  return table;
}

export function serializeMetric(metric: Metric): { className: string; config: Record<string, unknown> } {
  const className = [...classes()].find(([, cls]) => cls === metric.constructor)?.[0];
  if (className === undefined) {
    throw new ValueError(`serializeMetric: ${metric.constructor.name} '${metric.name}' is not a keras-ts metric class. help: save your own metric by its name, or register it with k.utils.registerKerasSerializable.`);
  }
  return { className, config: metric.getConfig() };
}

export function deserializeMetric(spec: { className: string; config: Record<string, unknown> }): Metric {
  const table = classes();
  const cls = table.get(spec.className);
  if (cls === undefined) {
    throw new ValueError(`deserializeMetric: unknown metric class '${spec.className}'. help: use one of ${[...table.keys()].join(', ')}.`);
  }
  return new cls(spec.config);
}
