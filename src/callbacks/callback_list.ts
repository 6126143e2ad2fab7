import { Callback, CallbackModel, Logs, TrainingParams } from './callback';

/** Calls a list of callbacks in order, awaiting those that return promises. */
export class CallbackList {
  /** True when some callback needs batch logs as numbers every batch (which costs a device read). */
  readonly needsBatchLogs: boolean;

  constructor(readonly callbacks: Callback[]) {
    this.needsBatchLogs = callbacks.some((c) => c.onBatchEnd !== undefined);
  }

  setup(model: CallbackModel, params: TrainingParams): void {
    for (const c of this.callbacks) {
      c.setModel?.(model);
      c.setParams?.(params);
    }
  }

  async trainBegin(logs: Logs = {}): Promise<void> {
    for (const c of this.callbacks) await c.onTrainBegin?.(logs);
  }
  async trainEnd(logs: Logs = {}): Promise<void> {
    for (const c of this.callbacks) await c.onTrainEnd?.(logs);
  }
  /** fit has ended, normally or by an error: each callback gives back what it took for the run. */
  trainExit(): void {
    for (const c of this.callbacks) c.onTrainExit?.();
  }
  async epochBegin(epoch: number, logs: Logs = {}): Promise<void> {
    for (const c of this.callbacks) await c.onEpochBegin?.(epoch, logs);
  }
  async testBegin(logs: Logs = {}): Promise<void> {
    for (const c of this.callbacks) await c.onTestBegin?.(logs);
  }
  async testEnd(logs: Logs = {}): Promise<void> {
    for (const c of this.callbacks) await c.onTestEnd?.(logs);
  }
  async epochEnd(epoch: number, logs: Logs): Promise<void> {
    for (const c of this.callbacks) await c.onEpochEnd?.(epoch, logs);
  }

  async batchBegin(batch: number): Promise<void> {
    for (const c of this.callbacks) {
      if (c.onBatchBegin === undefined) continue;
      const r = c.onBatchBegin(batch, {});
      if (r instanceof Promise) await r;
    }
  }

  /** `readLogs` reads the running values from the device; it is called at most once here. */
  async batchEnd(batch: number, readLogs: () => Logs): Promise<void> {
    let logs: Logs | undefined;
    const read = (): Logs => (logs ??= readLogs());
    for (const c of this.callbacks) {
      if (c.onBatchEndLazy !== undefined) c.onBatchEndLazy(batch, read);
      else if (c.onBatchEnd !== undefined) {
        const r = c.onBatchEnd(batch, read());
        if (r instanceof Promise) await r;
      }
    }
  }
}
