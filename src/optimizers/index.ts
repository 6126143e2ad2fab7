import { ValueError } from '../engine/errors';
import { NameTable } from '../utils/names';
import { Adadelta } from './adadelta';
import { Adagrad } from './adagrad';
import { Adam, AdamW } from './adam';
import { Adafactor } from './adafactor';
import { Adamax } from './adamax';
import { Ftrl } from './ftrl';
import { Lamb } from './lamb';
import { Lion } from './lion';
import { Muon } from './muon';
import { ScheduleFreeAdamW } from './schedule_free_adamw';
import { Nadam } from './nadam';
import { Optimizer } from './optimizer';
import { LossScaleOptimizer } from './loss_scale_optimizer';
import { MultiOptimizer } from './multi_optimizer';
import { OptimizerMap } from './optimizer_map';
import { RMSprop } from './rmsprop';
import { deserializeSchedule, LearningRateSchedule } from './schedules';
import { SGD } from './sgd';

export { Optimizer } from './optimizer';
export type { OptimizerArgs } from './optimizer';
export { SGD } from './sgd';
export type { SGDArgs } from './sgd';
export { Adam, AdamW } from './adam';
export type { AdamArgs } from './adam';
export { RMSprop } from './rmsprop';
export type { RMSpropArgs } from './rmsprop';
export { Adagrad } from './adagrad';
export type { AdagradArgs } from './adagrad';
export { Adadelta } from './adadelta';
export type { AdadeltaArgs } from './adadelta';
export { Adamax } from './adamax';
export type { AdamaxArgs } from './adamax';
export { Nadam } from './nadam';
export type { NadamArgs } from './nadam';
export { Lion } from './lion';
export type { LionArgs } from './lion';
export { Ftrl } from './ftrl';
export type { FtrlArgs } from './ftrl';
export { Lamb } from './lamb';
export type { LambArgs } from './lamb';
export { Adafactor } from './adafactor';
export type { AdafactorArgs } from './adafactor';
export { Muon } from './muon';
export type { MuonArgs } from './muon';
export { ScheduleFreeAdamW } from './schedule_free_adamw';
export type { ScheduleFreeAdamWArgs } from './schedule_free_adamw';
export { LossScaleOptimizer } from './loss_scale_optimizer';
export { MultiOptimizer } from './multi_optimizer';
export type { MultiOptimizerArgs, OptimizerSelector } from './multi_optimizer';
export { OptimizerMap } from './optimizer_map';
export type { LossScaleOptimizerArgs } from './loss_scale_optimizer';
export * as schedules from './schedules';

/** Keras snake_case names; camelCase and class names are accepted too. */
export type OptimizerName =
  | 'sgd' | 'adam' | 'adamw' | 'rmsprop' | 'adagrad' | 'adadelta' | 'adamax' | 'nadam' | 'lion' | 'ftrl' | 'lamb' | 'adafactor' | 'muon' | 'schedule_free_adamw'
  | 'SGD' | 'Adam' | 'AdamW' | 'RMSprop' | 'Adagrad' | 'Adadelta' | 'Adamax' | 'Nadam' | 'Lion' | 'Ftrl' | 'Lamb' | 'Adafactor' | 'Muon' | 'ScheduleFreeAdamW';
export type OptimizerIdentifier = OptimizerName | Optimizer;

type OptimizerClass = new (args?: Record<string, unknown>) => Optimizer;

const CLASSES: Record<string, OptimizerClass> = {
  sgd: SGD, adam: Adam, adamw: AdamW, rmsprop: RMSprop, adagrad: Adagrad, adadelta: Adadelta, adamax: Adamax, nadam: Nadam, lion: Lion, ftrl: Ftrl, lamb: Lamb, adafactor: Adafactor, muon: Muon, schedule_free_adamw: ScheduleFreeAdamW,
} as Record<string, OptimizerClass>;

const TABLE = new NameTable<OptimizerClass>('optimizer', CLASSES);

export function optimizerNames(): string[] {
  return TABLE.names();
}

/** An Optimizer from a name (with Keras's default settings) or an instance. */
export function getOptimizer(id: OptimizerIdentifier | string, context: string): Optimizer {
  if (id instanceof Optimizer) return id;
  if (typeof id !== 'string') {
    throw new ValueError(`${context}: expected an optimizer name or object, got ${String(id)}. help: e.g. 'adam' or new k.optimizers.SGD({learningRate: 0.01}).`);
  }
  return new (TABLE.get(id, context))();
}

/** { className, config } for an optimizer: JSON-safe, and `deserializeOptimizer` rebuilds it. */
export function serializeOptimizer(opt: Optimizer): { className: string; config: Record<string, unknown> } {
  return { className: opt.className, config: opt.getConfig() };
}

export function deserializeOptimizer(spec: { className: string; config: Record<string, unknown> }): Optimizer {
  if (spec?.className === 'MultiOptimizer') return multiOptimizerFrom(spec.config);
  const cls = TABLE.get(spec.className, 'deserializeOptimizer');
  const config = { ...spec.config };
  const inner = config.innerOptimizer as { className: string; config: Record<string, unknown> } | undefined;
  if (spec.className === 'LossScaleOptimizer' && inner !== undefined && !(inner instanceof Optimizer)) {
    const { name, initialScale, dynamicGrowthSteps } = config as { name?: string; initialScale?: number; dynamicGrowthSteps?: number };
    return new LossScaleOptimizer({ innerOptimizer: deserializeOptimizer(inner), name, initialScale, dynamicGrowthSteps });
  }
  const lr = config.learningRate as unknown;
  if (typeof lr === 'object' && lr !== null && !(lr instanceof LearningRateSchedule)) {
    config.learningRate = deserializeSchedule(lr as { className: string; config: Record<string, unknown> });
  }
  return new cls(config);
}

type Spec = { className: string; config: Record<string, unknown> };

/** A MultiOptimizer from its config: the OptimizerMap's optimizers rebuilt one by one (its keys are paths, kept as they are). */
function multiOptimizerFrom(config: Record<string, unknown>): MultiOptimizer {
  const map = (config.optimizerMap as { config?: { defaultOptimizer?: Spec; optimizerMap?: Record<string, Spec> } } | undefined)?.config;
  if (map?.defaultOptimizer === undefined) {
    throw new ValueError(`deserializeOptimizer: a MultiOptimizer config needs optimizerMap {className: 'OptimizerMap', config: {defaultOptimizer, optimizerMap}}, got ${JSON.stringify(config.optimizerMap)?.slice(0, 80)}. help: pass what serializeOptimizer returned.`);
  }
  const mapped = Object.fromEntries(Object.entries(map.optimizerMap ?? {}).map(([key, o]) => [key, deserializeOptimizer(o)]));
  const optimizerMap = new OptimizerMap(deserializeOptimizer(map.defaultOptimizer), mapped);
  return new MultiOptimizer({ optimizerMap, name: config.name as string | undefined, lossScaleFactor: config.lossScaleFactor as number | undefined });
}
