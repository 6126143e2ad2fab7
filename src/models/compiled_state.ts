/**
 * What compile leaves on a model: its Trainer (the optimizer, losses, metrics and the loop). A
 * subclassed model knows its outputs, which the losses are for, only once built; compiled before
 * that, it keeps compile's arguments and makes its Trainer when first asked after it is built.
 */
import { RuntimeError } from '../engine/errors';
import type { CompileArgs } from './compile_config';
import type { Metric } from '../metrics';
import type { TrainableModel } from './trainable_model';
import { Trainer } from './trainer';

/** What the state needs from its model besides what training needs. */
interface Compilable extends TrainableModel {
  readonly name: string;
  readonly className: string;
  readonly built: boolean;
  readonly isSubclassed: boolean;
}

export class CompiledState {
  private current: Trainer | null = null;
  private pending: CompileArgs | null = null;

  constructor(private readonly model: Compilable) {}

  /** Compiles now, or, for a subclassed model not built yet, once it is. */
  compile(args: CompileArgs): void {
    const trainer = this.model.isSubclassed && !this.model.built ? null : new Trainer(this.model, args);
    this.dispose();
    this.current = trainer;
    this.pending = trainer === null ? args : null;
  }

  /** The Trainer; refused, saying what to do, before compile (or before a compiled subclassed model is built). */
  get trainer(): Trainer {
    if (this.current === null && this.pending !== null && this.model.built) this.compile(this.pending);
    if (this.current !== null) return this.current;
    const m = this.model;
    if (this.pending !== null) {
      throw new RuntimeError(
        `${m.name} (${m.className}): the model is compiled but not built, so its outputs are unknown. ` +
          'help: call fit, evaluate or predict on data, or model.build([null, ...sampleShape]) first.',
      );
    }
    throw new RuntimeError(`${m.name}: the model must be compiled before fit or evaluate. help: call model.compile({optimizer, loss, metrics}) first.`);
  }

  /** What compile was given, or null before compile. */
  get args(): CompileArgs | null {
    return this.current?.args ?? this.pending;
  }

  /** The compiled loss trackers and metrics, none before compile. */
  get metrics(): Metric[] {
    return this.current?.step.metrics ?? [];
  }

  /** Frees the optimizer's slots and the metrics' state. */
  dispose(): void {
    this.current?.dispose();
    this.current = null;
  }
}
