import { ValueError } from '../engine/errors';
import { optionKeys, checkOptions } from '../engine/options';
import { BaseCallback, Logs } from './callback';
import { Mode, Monitor } from './monitor';
import { getLogger } from '../utils/logger';

export interface ReduceLROnPlateauArgs {
  /** The logged value to watch ('val_loss', 'loss', ...). Keras: `monitor` @default 'val_loss' */
  monitor?: string;
  /** The learning rate is multiplied by this, in (0, 1). Keras: `factor` @default 0.1 */
  factor?: number;
  /** Epochs without improvement before reducing. Keras: `patience` @default 10 */
  patience?: number;
  /** 1: a line at each reduction. Keras: `verbose` @default 0 */
  verbose?: 0 | 1;
  /** 'min', 'max', or 'auto' (max for accuracy-like names, else min). Keras: `mode` @default 'auto' */
  mode?: Mode;
  /** Smallest change that counts as an improvement. Keras: `min_delta` @default 1e-4 */
  minDelta?: number;
  /** Epochs to wait after a reduction before counting again. Keras: `cooldown` @default 0 */
  cooldown?: number;
  /** The learning rate is never reduced below this. Keras: `min_lr` @default 0 */
  minLr?: number;
}

/** Lowers the optimizer's learning rate when the monitored value stops improving; logs it as learning_rate. */
export class ReduceLROnPlateau extends BaseCallback {
  readonly monitor: string;
  readonly factor: number;
  readonly patience: number;
  readonly cooldown: number;
  readonly minLr: number;
  readonly minDelta: number;
  private readonly verbose: number;
  private readonly watched: Monitor;
  private wait = 0;
  private cooldownCounter = 0;
  private best = Infinity;

  static readonly optionKeys = optionKeys<ReduceLROnPlateauArgs>()(
    'monitor', 'factor', 'patience', 'verbose', 'mode', 'minDelta', 'cooldown', 'minLr',
  );

  constructor(args: ReduceLROnPlateauArgs = {}) {
    checkOptions('ReduceLROnPlateau', args, ReduceLROnPlateau.optionKeys);
    super();
    this.monitor = args.monitor ?? 'val_loss';
    this.factor = args.factor ?? 0.1;
    if (!(this.factor > 0 && this.factor < 1)) {
      throw new ValueError(`ReduceLROnPlateau: \`factor\` must be in (0, 1), got ${args.factor}. help: e.g. {factor: 0.5}.`);
    }
    this.patience = args.patience ?? 10;
    this.cooldown = args.cooldown ?? 0;
    this.minLr = args.minLr ?? 0;
    this.minDelta = args.minDelta ?? 1e-4;
    this.verbose = args.verbose ?? 0;
    this.watched = new Monitor(this.monitor, args.mode ?? 'auto', 'ReduceLROnPlateau', this.minDelta);
  }

  onTrainBegin(): void {
    this.best = this.watched.worst;
    this.wait = 0;
    this.cooldownCounter = 0;
  }

  onEpochEnd(epoch: number, logs: Logs): void {
    if (this.model === null) return;
    const optimizer = this.model.optimizer;
    logs.learning_rate = optimizer.learningRate;
    const current = this.watched.read(logs);
    if (current === undefined) return;
    if (this.cooldownCounter > 0) {
      this.cooldownCounter -= 1;
      this.wait = 0;
    }
    if (this.watched.improves(current, this.best)) {
      this.best = current;
      this.wait = 0;
    } else if (this.cooldownCounter <= 0) {
      this.wait += 1;
      if (this.wait >= this.patience) {
        const old = optimizer.learningRate;
        if (old > Math.fround(this.minLr)) {
          optimizer.learningRate = Math.max(old * this.factor, this.minLr);
          if (this.verbose > 0) getLogger().write(`\nEpoch ${epoch + 1}: ReduceLROnPlateau reducing learning rate to ${optimizer.learningRate}.\n`);
          this.cooldownCounter = this.cooldown;
          this.wait = 0;
        }
      }
    }
  }
}
