/**
 * predict: the model's predictStep over the batches of one data adapter, each output's batches
 * concatenated. It needs no compile. Arrays, tensors and (sync) iterables are predicted
 * synchronously, as Keras's predict returns its arrays: that path cannot give Node's event loop a
 * turn, so timers wait until it returns. An async iterable gives a Promise, since its batches
 * arrive asynchronously, and that loop lets the event loop run at least every ~25 ms
 * (utils/event_loop.ts): a server predicting a long stream stays responsive.
 * With several processes (data-parallel), each predicts a part of the arrays' rows and all get the
 * whole result; a dataset is predicted whole by every process. predictEntry is where model.predict
 * meets its data: it refuses a function and builds a model not built yet from the data first.
 */
import * as tfc from '@tensorflow/tfjs-core';
import { formatBar, formatCount, formatElapsed } from '../callbacks/progbar_format';
import { adaptData, adaptTensors, DataAdapter } from '../data/adapter';
import type { DataInput } from '../data/convert';
import { checkNotFunction, Dataset, isDataset, PredictElement } from '../data/sources';
import { asList, Batch, structured } from '../data/step_data';
import { activeRun } from '../distribution/distribution';
import { ValueError } from '../engine/errors';
import { checkOptions } from '../engine/options';
import { YieldPoint } from '../utils/event_loop';
import { logLine } from '../utils/logger';
import { checkBatchSize, checkVerbose, PredictArgs, PREDICT_KEYS } from './fit_args';
import type { DataEntry } from './data_entry';
import { modelConverter } from './prepare_data';
import { buildFromDataset, buildFromSyncDataset, isAsyncIterable } from './subclass_data';
import type { TrainableModel } from './trainable_model';

interface Checked {
  batchSize: number;
  verbose: number;
}

type Predicted = tfc.Tensor | tfc.Tensor[];

/**
 * The outputs for x, built from it first where the model is not built: a Tensor (or one per
 * output), or a Promise of them for an async iterable.
 */
export function predictEntry(entry: DataEntry, x: DataInput | Dataset | Iterable<PredictElement> | AsyncIterable<PredictElement>, args: PredictArgs): Predicted | Promise<Predicted> {
  const model = entry.model;
  checkNotFunction(x, 'predict');
  if (isAsyncIterable(x)) return buildFromDataset(model, x, 'predict').then((d) => predictAsync(model, d, args)).then(structured);
  if (isDataset(x)) x = buildFromSyncDataset(model, x as Iterable<PredictElement>, 'predict') as Dataset;
  else entry.buildFromData(x as DataInput);
  return structured(predictSync(model, x as DataInput | Dataset, args));
}

/** The outputs for x (arrays or a sync iterable), one tensor per output, owned by the caller. */
export function predictSync(model: TrainableModel, x: DataInput | Dataset, args: PredictArgs): tfc.Tensor[] {
  const opts = checkPredictArgs(args);
  const run = activeRun();
  const data = adapt(model, x, opts);
  try {
    if (run === null || data.inputs === null) return collect(model, data.epoch(false) as Iterable<Batch>, opts);
    const quiet = run.rank === 0 ? opts : { ...opts, verbose: 0 };
    const inputs = data.inputs;
    return run.guardSync('predict', () =>
      run.predict(inputs, (part) => {
        const rows = adaptTensors({ xs: part, ys: [], owned: [] }, opts.batchSize, 'predict');
        return collect(model, rows.epoch(false) as Iterable<Batch>, quiet);
      }),
    );
  } finally {
    data.dispose();
  }
}

/** The outputs for an async iterable's batches, one tensor per output, owned by the caller. */
export async function predictAsync(model: TrainableModel, x: AsyncIterable<unknown>, args: PredictArgs): Promise<tfc.Tensor[]> {
  const opts = checkPredictArgs(args);
  const data = adapt(model, x as Dataset, opts);
  const outputs = new Outputs(model);
  const turns = new YieldPoint();
  try {
    for await (const batch of data.epoch(false)) {
      outputs.add(batch);
      await turns.due();
    }
    return outputs.finish(opts);
  } catch (e) {
    outputs.dispose();
    throw e;
  } finally {
    data.dispose();
  }
}

function checkPredictArgs(args: PredictArgs): Checked {
  checkOptions('predict', args, PREDICT_KEYS);
  return { batchSize: checkBatchSize(args.batchSize ?? 32, 'predict'), verbose: checkVerbose(args.verbose, [0, 1], 0, 'predict') };
}

function adapt(model: TrainableModel, x: DataInput | Dataset, opts: Checked): DataAdapter {
  return adaptData({ x }, { where: 'predict', batchSize: opts.batchSize, needY: false, convert: modelConverter(model, null) });
}

function collect(model: TrainableModel, batches: Iterable<Batch>, opts: Checked): tfc.Tensor[] {
  const outputs = new Outputs(model);
  try {
    for (const batch of batches) outputs.add(batch);
    return outputs.finish(opts);
  } catch (e) {
    outputs.dispose();
    throw e;
  }
}

/** Each output's predictions, batch after batch. */
class Outputs {
  private readonly parts: tfc.Tensor[][];
  private readonly started = Date.now();
  private batches = 0;

  constructor(private readonly model: TrainableModel) {
    this.parts = model.outputNames.map(() => []);
  }

  /** The model's predictStep on one batch (which is then freed). */
  add(batch: Batch): void {
    try {
      const outs = tfc.tidy(() => asList(this.model.predictStep(batch.data)));
      outs.forEach((o, i) => this.parts[i].push(o));
      this.batches++;
    } finally {
      batch.dispose();
    }
  }

  /** The predictions joined per output; with verbose 1, a line with the batches and the time taken. */
  finish(opts: Checked): tfc.Tensor[] {
    const n = this.batches;
    if (n === 0) throw new ValueError('predict: the data gave no batches: 0 samples. help: pass data that holds at least one batch.');
    if (opts.verbose > 0) logLine(`${formatCount(n, n).trimStart()} ${formatBar(n, n)} - ${formatElapsed((Date.now() - this.started) / 1000, n, 'step')}`);
    return this.parts.map((list) => {
      if (list.length === 1) return list[0];
      const joined = tfc.concat(list, 0);
      tfc.dispose(list);
      return joined;
    });
  }

  dispose(): void {
    this.parts.forEach((list) => tfc.dispose(list));
  }
}
