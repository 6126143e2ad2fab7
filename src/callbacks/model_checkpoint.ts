/**
 * ModelCheckpoint, as Keras 3's: saves the model (or its weights) every epoch or every N batches,
 * to a file name made from a template ('ckpt-{epoch:02d}-{val_loss:.2f}.keras'), optionally only
 * when the monitored value improves. Saving goes through model.save / model.saveWeights, which
 * write atomically.
 */
import { ValueError } from '../engine/errors';
import { optionKeys, checkOptions } from '../engine/options';
import { BaseCallback, Logs } from './callback';
import { formatFilepath } from './filepath_template';
import { Mode, Monitor } from './monitor';
import { getLogger } from '../utils/logger';

export interface ModelCheckpointArgs {
  /** The logged value that decides the best model with saveBestOnly. Keras: `monitor` @default 'val_loss' */
  monitor?: string;
  /** 1: one line per save. Keras: `verbose` @default 0 */
  verbose?: 0 | 1;
  /** Save only when the monitored value beats the best so far. Keras: `save_best_only` @default false */
  saveBestOnly?: boolean;
  /**
   * Save only the weights (the filepath must then be a '.weights.h5' or '.h5' file). Keras: `save_weights_only`
   * @default false
   */
  saveWeightsOnly?: boolean;
  /** 'min', 'max', or 'auto' (max for accuracy-like names, else min). Keras: `mode` @default 'auto' */
  mode?: Mode;
  /** 'epoch', or save every this many batches (the template may use {batch}). Keras: `save_freq` @default 'epoch' */
  saveFreq?: 'epoch' | number;
  /**
   * With saveBestOnly: the first save needs a value better than this. Keras: `initial_value_threshold`
   * @default undefined (the first value is saved)
   */
  initialValueThreshold?: number;
}

const KEYS = optionKeys<ModelCheckpointArgs>()('monitor', 'verbose', 'saveBestOnly', 'saveWeightsOnly', 'mode', 'saveFreq', 'initialValueThreshold');

export class ModelCheckpoint extends BaseCallback {
  /** In a data-parallel run only process 0 writes. */
  readonly rankZeroOnly = true;
  readonly filepath: string;
  readonly saveBestOnly: boolean;
  readonly saveWeightsOnly: boolean;
  readonly saveFreq: 'epoch' | number;
  private readonly verbose: number;
  private readonly watched: Monitor;
  /** The best monitored value so far (with saveBestOnly). */
  best: number | null;
  private batchesSinceSave = 0;
  private epoch = 0;

  constructor(filepath: string, args: ModelCheckpointArgs = {}) {
    super();
    checkOptions('ModelCheckpoint', args, KEYS);
    if (typeof filepath !== 'string' || filepath === '') throw new ValueError(`ModelCheckpoint: give a filepath, got ${JSON.stringify(filepath)}. help: e.g. 'ckpt-{epoch:02d}.keras'.`);
    this.filepath = filepath;
    this.saveBestOnly = args.saveBestOnly ?? false;
    this.saveWeightsOnly = args.saveWeightsOnly ?? false;
    this.saveFreq = args.saveFreq ?? 'epoch';
    this.verbose = args.verbose ?? 0;
    this.watched = new Monitor(args.monitor ?? 'val_loss', args.mode ?? 'auto', 'ModelCheckpoint');
    this.best = args.initialValueThreshold ?? null;
    if (this.saveFreq !== 'epoch' && !(Number.isInteger(this.saveFreq) && this.saveFreq > 0)) {
      throw new ValueError(`ModelCheckpoint: \`saveFreq\` must be 'epoch' or a positive number of batches, got ${JSON.stringify(args.saveFreq)}. help: e.g. {saveFreq: 100}.`);
    }
    const lower = filepath.toLowerCase();
    if (this.saveWeightsOnly && !/\.h5$|\.hdf5$/.test(lower)) {
      throw new ValueError(`ModelCheckpoint: with saveWeightsOnly the filepath must end in '.weights.h5' (or '.h5'), got '${filepath}'. help: e.g. 'ckpt-{epoch:02d}.weights.h5'.`);
    }
    if (this.saveFreq !== 'epoch') this.onBatchEnd = (batch, logs) => this.batchEnd(batch, logs);
    if (!this.saveWeightsOnly && (/\.weights\.h5$/.test(lower) || !/\.keras$|\.h5$|\.hdf5$|[\\/]$/.test(lower))) {
      throw new ValueError(`ModelCheckpoint: the filepath must end in '.keras' (or '.h5', or '/' for a tfjs folder), got '${filepath}'. help: e.g. 'ckpt-{epoch:02d}.keras', or pass saveWeightsOnly: true.`);
    }
  }

  onEpochBegin(epoch: number): void {
    this.epoch = epoch;
  }

  /** Set only with a batch frequency, so that otherwise fit does not read the logs every batch. */
  onBatchEnd?: (batch: number, logs: Logs) => Promise<void>;

  private async batchEnd(batch: number, logs: Logs): Promise<void> {
    this.batchesSinceSave += 1;
    if (this.batchesSinceSave < (this.saveFreq as number)) return;
    this.batchesSinceSave = 0;
    await this.save(this.epoch, batch + 1, logs);
  }

  async onEpochEnd(epoch: number, logs: Logs): Promise<void> {
    if (this.saveFreq === 'epoch') await this.save(epoch, undefined, logs);
  }

  private async save(epoch: number, batch: number | undefined, logs: Logs): Promise<void> {
    if (this.model === null) return;
    const values: Record<string, number> = { ...logs, epoch: epoch + 1 };
    if (batch !== undefined) values.batch = batch;
    const file = formatFilepath(this.filepath, values, 'ModelCheckpoint');
    if (this.saveBestOnly) {
      const current = this.watched.read(logs);
      if (current === undefined) return;
      if (!this.watched.improves(current, this.best)) {
        if (this.verbose > 0) getLogger().write(`\nEpoch ${epoch + 1}: ${this.watched.key} did not improve from ${this.best}\n`);
        return;
      }
      if (this.verbose > 0) getLogger().write(`\nEpoch ${epoch + 1}: ${this.watched.key} improved from ${this.best ?? this.watched.worst} to ${current}, saving model to ${file}\n`);
      this.best = current;
    } else if (this.verbose > 0) {
      getLogger().write(`\nEpoch ${epoch + 1}: saving model to ${file}\n`);
    }
    const save = this.saveWeightsOnly ? this.model.saveWeights : this.model.save;
    if (save === undefined) throw new ValueError('ModelCheckpoint: the model cannot be saved (it has no save method). help: use it with a keras-ts Model.');
    await save.call(this.model, file, { overwrite: true });
  }
}
