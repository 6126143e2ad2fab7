import * as fs from 'fs';
import { BaseCallback, Logs } from './callback';

/** Writes each epoch's logs to a CSV file: a header `epoch,<sorted keys>`, then a row per epoch. */
export class CSVLogger extends BaseCallback {
  /** In a data-parallel run only process 0 writes. */
  readonly rankZeroOnly = true;
  private keys: string[] | null = null;
  private writeHeader = true;

  constructor(
    readonly filename: string,
    readonly separator = ',',
    /** Append to an existing file (no second header) instead of overwriting it. */
    readonly append = false,
  ) {
    super();
  }

  onTrainBegin(): void {
    this.keys = null;
    const exists = fs.existsSync(this.filename) && fs.statSync(this.filename).size > 0;
    this.writeHeader = !(this.append && exists);
    if (!this.append) fs.writeFileSync(this.filename, '');
  }

  onEpochEnd(epoch: number, logs: Logs): void {
    this.keys ??= Object.keys(logs).sort();
    const lines: string[] = [];
    if (this.writeHeader) {
      lines.push(['epoch', ...this.keys].join(this.separator));
      this.writeHeader = false;
    }
    lines.push([String(epoch), ...this.keys.map((k) => (k in logs ? String(logs[k]) : 'NA'))].join(this.separator));
    fs.appendFileSync(this.filename, `${lines.join('\n')}\n`);
  }
}
