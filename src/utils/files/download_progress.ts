/**
 * The progress bar of a download, in Keras's Progbar form and through k.utils' logger:
 * ` 4096/11490434 [>.............................] - ETA: 12s` redrawn in place (at most every
 * 50 ms) where the logger reaches a terminal and interactive logging is on, and only the final line
 * (` 11490434/11490434 [==============================] - 1s 0us/step`) otherwise. The bar's text is
 * the training bar's own (callbacks/progbar_format.ts); counts are bytes, as Keras counts them.
 */
import { formatBar, formatCount, formatElapsed, formatEta } from '../../callbacks/progbar_format';
import { getLogger, isInteractiveLoggingEnabled } from '../logger';

const REDRAW_MS = 50;

export class DownloadProgress {
  private readonly start = Date.now();
  private readonly live = isInteractiveLoggingEnabled() && getLogger().isTTY === true;
  private lastDraw = 0;
  private seen = 0;

  /** `total` in bytes, from Content-Length; `undefined` when the server does not say. */
  constructor(private readonly total: number | undefined) {}

  update(bytes: number): void {
    this.seen = bytes;
    const now = Date.now();
    if (!this.live || now - this.lastDraw < REDRAW_MS) return;
    this.lastDraw = now;
    getLogger().write(`\r${this.liveLine(now)}`);
  }

  /** Writes the final line (the bar full, the time taken) and ends it. */
  done(): void {
    const total = this.total ?? this.seen;
    const seconds = (Date.now() - this.start) / 1000;
    getLogger().write(`${this.live ? '\r' : ''}${formatCount(this.seen, total)} ${formatBar(this.seen, total)} - ${formatElapsed(seconds, this.seen, 'step')}\n`);
  }

  /** Ends a bar cut short by an error: the line as last drawn, then a newline. */
  abandon(): void {
    if (this.live && this.lastDraw > 0) getLogger().write('\n');
  }

  private liveLine(now: number): string {
    if (this.total === undefined) return `${formatCount(this.seen, this.seen).replace(/\/\d+$/, '')}/Unknown`;
    const elapsed = (now - this.start) / 1000;
    const eta = this.seen > 0 ? (elapsed * (this.total - this.seen)) / this.seen : 0;
    return `${formatCount(this.seen, this.total)} ${formatBar(this.seen, this.total)} - ETA: ${formatEta(eta)}`;
  }
}
