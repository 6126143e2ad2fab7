import type { Tensor } from '@tensorflow/tfjs-core';
import { optionKeys, checkOptions } from '../engine/options';
import { BaseCallback, Logs } from './callback';
import { Mode, Monitor } from './monitor';
import { getLogger } from '../utils/logger';

export interface EarlyStoppingArgs {
  /** The logged value to watch ('val_loss', 'accuracy', ...). Keras: `monitor` @default 'val_loss' */
  monitor?: string;
  /** Smallest change that counts as an improvement. Keras: `min_delta` @default 0 */
  minDelta?: number;
  /** Epochs without improvement before stopping. Keras: `patience` @default 0 */
  patience?: number;
  /** 1: a line when training stops. Keras: `verbose` @default 0 */
  verbose?: 0 | 1;
  /** 'min', 'max', or 'auto' (max for accuracy-like names, else min). Keras: `mode` @default 'auto' */
  mode?: Mode;
  /** Training stops unless the monitored value beats this. Keras: `baseline` @default undefined (none) */
  baseline?: number;
  /** At the end of training, restore the weights of the best epoch. Keras: `restore_best_weights` @default false */
  restoreBestWeights?: boolean;
  /** Epochs to wait before monitoring starts (a warm-up). Keras: `start_from_epoch` @default 0 */
  startFromEpoch?: number;
}

/** Stops training when the monitored value stops improving, as Keras 3's EarlyStopping. */
export class EarlyStopping extends BaseCallback {
  readonly monitor: string;
  readonly patience: number;
  readonly baseline: number | undefined;
  readonly restoreBestWeights: boolean;
  readonly startFromEpoch: number;
  private readonly verbose: number;
  private readonly watched: Monitor;
  private wait = 0;
  /** The epoch (0-based) at which training was stopped, or 0. */
  stoppedEpoch = 0;
  best: number | null = null;
  bestEpoch = 0;
  private bestWeights: Tensor[] | null = null;

  static readonly optionKeys = optionKeys<EarlyStoppingArgs>()(
    'monitor', 'minDelta', 'patience', 'verbose', 'mode', 'baseline', 'restoreBestWeights', 'startFromEpoch',
  );

  constructor(args: EarlyStoppingArgs = {}) {
    checkOptions('EarlyStopping', args, EarlyStopping.optionKeys);
    super();
    this.monitor = args.monitor ?? 'val_loss';
    // As Keras: an improvement must beat the reference by more than minDelta.
    this.watched = new Monitor(this.monitor, args.mode ?? 'auto', 'EarlyStopping', Math.abs(args.minDelta ?? 0));
    this.patience = args.patience ?? 0;
    this.verbose = args.verbose ?? 0;
    this.baseline = args.baseline;
    this.restoreBestWeights = args.restoreBestWeights ?? false;
    this.startFromEpoch = args.startFromEpoch ?? 0;
  }

  onTrainBegin(): void {
    this.wait = 0;
    this.stoppedEpoch = 0;
    this.best = null;
    this.bestEpoch = 0;
    this.setBestWeights(null);
  }

  private improves(value: number, reference: number | null | undefined): boolean {
    return this.watched.improves(value, reference);
  }

  onEpochEnd(epoch: number, logs: Logs): void {
    const current = this.watched.read(logs);
    if (current === undefined) return;
    if (epoch < this.startFromEpoch || this.model === null) return;
    if (this.restoreBestWeights && this.bestWeights === null) {
      this.setBestWeights(this.model.getWeights());
      this.bestEpoch = epoch;
    }
    this.wait += 1;
    if (this.improves(current, this.best)) {
      this.best = current;
      this.bestEpoch = epoch;
      if (this.restoreBestWeights) this.setBestWeights(this.model.getWeights());
      if (this.baseline === undefined || this.improves(current, this.baseline)) this.wait = 0;
      return;
    }
    if (this.wait >= this.patience && epoch > 0) {
      this.stoppedEpoch = epoch;
      this.model.stopTraining = true;
    }
  }

  onTrainEnd(): void {
    if (this.stoppedEpoch > 0 && this.verbose > 0) getLogger().write(`Epoch ${this.stoppedEpoch + 1}: early stopping\n`);
    if (this.restoreBestWeights && this.bestWeights !== null && this.model !== null) {
      if (this.verbose > 0) getLogger().write(`Restoring model weights from the end of the best epoch: ${this.bestEpoch + 1}.\n`);
      this.model.setWeights(this.bestWeights);
    }
    this.setBestWeights(null);
  }

  private setBestWeights(weights: Tensor[] | null): void {
    this.bestWeights?.forEach((t) => t.dispose());
    this.bestWeights = weights;
  }
}
