/**
 * Where fit and evaluate meet their data, after model.ts has checked that the model is usable:
 * x must be data, not a function; a model not built yet (a subclassed model, a Sequential without
 * an input shape) is built from it, from arrays and tensors at once or from a dataset's first
 * element (the dataset handed on still yields it); then the compiled Trainer runs the loop. The
 * Trainer is asked for after building: a subclassed model compiled before it was built gets its
 * Trainer then. predict's counterpart is predictEntry in predict_loop.ts.
 */
import type { History } from '../callbacks/history';
import type { Logs } from '../callbacks/callback';
import type { DataInput } from '../data/convert';
import { checkNotFunction, Dataset, isDataset } from '../data/sources';
import type { CompiledState } from './compiled_state';
import type { EvaluateArgs, FitArgs } from './fit_args';
import { Buildable, buildFromDataset } from './subclass_data';
import type { TrainableModel } from './trainable_model';

/** The model as fit, evaluate and predict see it: itself, its compiled state, and how it builds from arrays. */
export interface DataEntry {
  readonly model: Buildable & TrainableModel;
  readonly training: CompiledState;
  /** Builds the model from arrays or tensors, if it is not built (a Sequential defines its input from them). */
  buildFromData(x: DataInput): void;
}

/** fit on arrays (`yOrArgs` is y) or on a dataset of batches (`yOrArgs` is the options). */
export async function fitEntry(entry: DataEntry, x: DataInput | Dataset, yOrArgs: DataInput | FitArgs | undefined, args: FitArgs): Promise<History> {
  checkNotFunction(x, 'fit');
  if (isDataset(x)) {
    const data = await buildFromDataset(entry.model, x, 'fit');
    return entry.training.trainer.fit(data, undefined, (yOrArgs as FitArgs | undefined) ?? {});
  }
  entry.buildFromData(x);
  return entry.training.trainer.fit(x, yOrArgs as DataInput, args);
}

/** evaluate on arrays or on a dataset of batches. */
export async function evaluateEntry(entry: DataEntry, x: DataInput | Dataset, y: DataInput | undefined, args: EvaluateArgs): Promise<number[] | Logs> {
  checkNotFunction(x, 'evaluate');
  const data = isDataset(x) ? await buildFromDataset(entry.model, x, 'evaluate') : x;
  if (!isDataset(x)) entry.buildFromData(x);
  return entry.training.trainer.evaluate(data, y, args);
}
