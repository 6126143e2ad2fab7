import { ValueError } from '../engine/errors';
import { BaseCallback, Logs } from './callback';
import { getLogger } from '../utils/logger';

/** Sets the learning rate at the start of each epoch from `schedule(epoch, currentLr)`; logs it as learning_rate. */
export class LearningRateScheduler extends BaseCallback {
  constructor(
    readonly schedule: (epoch: number, lr: number) => number,
    private readonly verbose: 0 | 1 = 0,
  ) {
    super();
    if (typeof schedule !== 'function') {
      throw new ValueError('LearningRateScheduler: `schedule` must be a function (epoch, lr) => newLr. help: e.g. (e, lr) => (e < 10 ? lr : lr * 0.9).');
    }
  }

  onEpochBegin(epoch: number): void {
    if (this.model === null) return;
    const lr = this.schedule(epoch, this.model.optimizer.learningRate);
    if (typeof lr !== 'number' || !Number.isFinite(lr)) {
      throw new ValueError(`LearningRateScheduler: the schedule returned ${String(lr)} for epoch ${epoch}. help: return a finite number.`);
    }
    this.model.optimizer.learningRate = lr;
    if (this.verbose > 0) getLogger().write(`\nEpoch ${epoch + 1}: LearningRateScheduler setting learning rate to ${lr}.\n`);
  }

  onEpochEnd(_epoch: number, logs: Logs): void {
    if (this.model !== null) logs.learning_rate = this.model.optimizer.learningRate;
  }
}
