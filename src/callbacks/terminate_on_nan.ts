import { BaseCallback, Logs } from './callback';
import { getLogger } from '../utils/logger';

/** Stops training, with a message, as soon as a batch's loss is NaN or infinite. */
export class TerminateOnNaN extends BaseCallback {
  /** The batch at which the loss became invalid, if it did. */
  invalidAt: { epoch: number; batch: number; loss: number } | null = null;
  private epoch = 0;

  onEpochBegin(epoch: number): void {
    this.epoch = epoch;
  }

  onBatchEnd(batch: number, logs: Logs): void {
    const loss = logs.loss;
    if (loss !== undefined && !Number.isFinite(loss)) {
      this.invalidAt = { epoch: this.epoch, batch, loss };
      getLogger().warn(
        `\nTerminateOnNaN: epoch ${this.epoch + 1}, batch ${batch}: invalid loss ${loss}; terminating training. ` +
          'help: lower the learning rate, check the data for NaN, or use a loss with fromLogits: true.\n',
      );
      if (this.model) this.model.stopTraining = true;
    }
  }
}
