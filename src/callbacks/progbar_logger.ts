/**
 * The Keras progress bar. verbose 1 draws, on a terminal, a live bar (cli-progress) that reads the
 * running metric values from the device only when it redraws (about every 50 ms); where the output
 * is not a terminal (CI logs, pipes) or interactive logging is off, it prints only each epoch's
 * final line. verbose 2 prints one line per epoch. It writes through k.utils.setLogger's logger
 * unless given a stream.
 *
 * The live bar hides the cursor and turns line wrap off; every way out gives them back: the end of
 * the epoch, the end of fit by an error (onTrainExit), Ctrl-C or SIGTERM (then the process still
 * ends, as Node's default would), and process.exit() (progbar_terminal.ts).
 */
import { SingleBar } from 'cli-progress';
import { checkOptions, optionKeys } from '../engine/options';
import { getLogger, isInteractiveLoggingEnabled } from '../utils/logger';
import { BaseCallback, Logs } from './callback';
import { epochLine, liveLine } from './progbar_format';
import { TerminalGuard } from './progbar_terminal';

/** Where the bar is written: the logger by default, or anything with a `write(text)` (and `isTTY` for a live bar). */
export interface TextStream {
  write(text: string): unknown;
  isTTY?: boolean;
}

export interface ProgbarOptions {
  /**
   * Where the bar is written. Keras: none (Keras writes to sys.stdout) @default the logger of k.utils.setLogger
   * (process.stdout unless set)
   */
  stream?: TextStream;
  /** Draw the live bar (redrawn in place). Keras: none @default true when the stream is a terminal, else false */
  live?: boolean;
  /**
   * 1: the bar (final lines only when not a terminal); 2: one line per epoch. Keras: none (Keras's ProgbarLogger
   * reads fit's `verbose`) @default 1
   */
  verbose?: 1 | 2;
}

export class ProgbarLogger extends BaseCallback {
  /** In a data-parallel run only process 0 writes. */
  readonly rankZeroOnly = true;
  private readonly stream: TextStream;
  private readonly live: boolean;
  private readonly verbose: 1 | 2;
  private bar: SingleBar | null = null;
  private seen = 0;
  private start = 0;
  private readLogs: () => Logs = () => ({});
  private finalLine: string | null = null;
  /** The line last drawn: drawn again, without reading the device, when the bar ends on a signal or exit. */
  private lastLine = '';
  private readonly guard = new TerminalGuard(() => this.abandonBar());

  static readonly optionKeys = optionKeys<ProgbarOptions>()('stream', 'live', 'verbose');

  constructor(opts: ProgbarOptions = {}) {
    checkOptions('ProgbarLogger', opts, ProgbarLogger.optionKeys);
    super();
    this.stream = opts.stream ?? loggerStream();
    this.live = opts.live ?? this.stream.isTTY === true;
    this.verbose = opts.verbose ?? 1;
  }

  /** Samples when known (array data), else steps; `undefined` total when neither is known. */
  private get total(): number | undefined {
    return this.params?.samples ?? this.params?.steps;
  }

  private get unit(): string {
    return this.params?.samples !== undefined ? 'sample' : 'step';
  }

  onEpochBegin(epoch: number): void {
    const epochs = this.params?.epochs ?? 1;
    if (epochs > 0) this.stream.write(`Epoch ${epoch + 1}/${epochs}\n`);
    this.seen = 0;
    this.start = Date.now();
    this.finalLine = null;
    this.readLogs = () => ({});
    if (this.verbose === 1 && this.live) {
      this.bar = new SingleBar({
        stream: this.stream as NodeJS.WritableStream, // cli-progress writes and clears lines; a TTY stream in practice
        format: () => this.line(),
        fps: 40, // redraw at most every 25 ms; synchronous redraws happen every ~50 ms
        hideCursor: true,
        linewrap: false,
        clearOnComplete: false,
      });
      this.guard.watch();
      this.bar.start(this.total ?? 0, 0);
    }
  }

  onBatchEndLazy(batch: number, readLogs: () => Logs): void {
    const bySample = this.params?.samples !== undefined;
    this.seen = bySample ? Math.min(this.total as number, (batch + 1) * (this.params?.batchSize ?? 0)) : batch + 1;
    this.readLogs = readLogs;
    this.bar?.update(this.seen);
  }

  onEpochEnd(_epoch: number, logs: Logs): void {
    const total = this.total ?? this.seen; // a dataset of unknown length: what was seen
    const done = this.model?.stopTraining === true ? Math.min(this.seen, total) : total; // an epoch stopped early: how far it got
    this.seen = done;
    this.finalLine = epochLine({ seen: done, total, elapsed: (Date.now() - this.start) / 1000, logs }, this.unit, this.verbose);
    if (this.bar) {
      this.bar.update(done);
      this.stopBar(); // renders the final line, then a newline
    } else {
      this.stream.write(`${this.finalLine}\n`);
    }
  }

  /** fit has ended, maybe by an error inside an epoch: a bar still drawn gives the terminal back. */
  onTrainExit(): void {
    this.abandonBar();
  }

  /** Ends the live bar: cursor shown, line wrap on, the line ended (cli-progress's stop). */
  private stopBar(): void {
    const bar = this.bar;
    if (bar === null) return;
    this.bar = null;
    this.guard.unwatch();
    bar.stop();
  }

  /** Ends a bar in the middle of its epoch, its line as last drawn (no device read in a signal or exit handler). */
  private abandonBar(): void {
    if (this.bar === null) return;
    this.finalLine = this.lastLine;
    this.stopBar();
  }

  /** The line the live bar shows: called by cli-progress only when it redraws. */
  private line(): string {
    if (this.finalLine !== null) return this.finalLine;
    this.lastLine = this.liveLine();
    return this.lastLine;
  }

  private liveLine(): string {
    return liveLine({ seen: this.seen, total: this.total, elapsed: (Date.now() - this.start) / 1000, logs: this.readLogs() });
  }
}

/** The logger as a stream: live (isTTY) where it reaches a terminal and interactive logging is on. */
function loggerStream(): TextStream & { columns?: number } {
  const logger = getLogger();
  return { write: (text) => logger.write(text), isTTY: isInteractiveLoggingEnabled() && logger.isTTY === true, columns: logger.columns };
}
