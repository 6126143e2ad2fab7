import { BaseCallback, Logs } from './callback';

/** Records every epoch's logs; fit returns it. `history.loss[i]` is epoch i's loss. */
export class History extends BaseCallback {
  readonly epoch: number[] = [];
  readonly history: Record<string, number[]> = {};

  onTrainBegin(): void {
    this.epoch.length = 0;
    for (const k of Object.keys(this.history)) delete this.history[k];
  }

  onEpochEnd(epoch: number, logs: Logs): void {
    this.epoch.push(epoch);
    for (const [k, v] of Object.entries(logs)) (this.history[k] ??= []).push(v);
  }
}
