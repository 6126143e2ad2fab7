/**
 * The Keras progress bar for a web page: the same text as the terminal's bar (progbar_format.ts),
 * with no terminal codes. Given an element, it redraws the element's text in place about every
 * 50 ms (reading the running metrics from the device only then): the lines of the epochs done and
 * the live line of the one running. Without one, it writes `Epoch i/n` and each epoch's final line
 * through the logger (the browser's console by default), as the terminal bar does into a file.
 * fit picks it for `verbose` where there is no Node process (utils/environment.ts).
 *
 *   await model.fit(x, y, { epochs: 5, callbacks: [new k.callbacks.PageProgbar({ element: document.querySelector('#bar') })] });
 */
import { ValueError } from '../engine/errors';
import { checkOptions, optionKeys } from '../engine/options';
import { logLine } from '../utils/logger';
import { BaseCallback, Logs } from './callback';
import { epochLine, liveLine } from './progbar_format';

/** What the bar writes into: a DOM element (a `<pre>` keeps the bar's spacing), or anything with `textContent`. */
export interface TextElement {
  textContent: string | null;
}

export interface PageProgbarOptions {
  /**
   * The element whose text shows the bar, redrawn in place. Keras: none (Keras writes to sys.stdout)
   * @default undefined (each epoch's lines go to the logger: the console in a page)
   */
  element?: TextElement;
  /** 1: the bar; 2: one line per epoch. Keras: none (Keras's ProgbarLogger reads fit's `verbose`) @default 1 */
  verbose?: 1 | 2;
}

/** The least time between two redraws of the element, in milliseconds. */
export const REDRAW_MS = 50;

export class PageProgbar extends BaseCallback {
  /** In a data-parallel run only process 0 writes. */
  readonly rankZeroOnly = true;
  private readonly element: TextElement | undefined;
  private readonly verbose: 1 | 2;
  /** The text of the epochs done, shown above the live line. */
  private done = '';
  private header = '';
  private seen = 0;
  private start = 0;
  private drawn = 0;

  static readonly optionKeys = optionKeys<PageProgbarOptions>()('element', 'verbose');

  constructor(opts: PageProgbarOptions = {}) {
    checkOptions('PageProgbar', opts, PageProgbar.optionKeys);
    const element = opts.element;
    if (element !== undefined && (element === null || typeof element !== 'object' || !('textContent' in element))) {
      throw new ValueError(`PageProgbar: \`element\` must be a DOM element (anything with textContent), got ${element === null ? 'null' : typeof element}. help: e.g. {element: document.querySelector('pre#progress')}.`);
    }
    if (opts.verbose !== undefined && opts.verbose !== 1 && opts.verbose !== 2) {
      throw new ValueError(`PageProgbar: \`verbose\` must be 1 or 2, got ${JSON.stringify(opts.verbose)}. help: 1 for the bar, 2 for one line per epoch.`);
    }
    super();
    this.element = element;
    this.verbose = opts.verbose ?? 1;
  }

  private get total(): number | undefined {
    return this.params?.samples ?? this.params?.steps;
  }

  onTrainBegin(): void {
    this.done = '';
  }

  onEpochBegin(epoch: number): void {
    this.header = `Epoch ${epoch + 1}/${this.params?.epochs ?? 1}`;
    this.seen = 0;
    this.start = Date.now();
    if (this.element === undefined) logLine(this.header);
    else this.show(this.verbose === 1 ? liveLine({ seen: 0, total: this.total, elapsed: 0, logs: {} }) : '');
  }

  onBatchEndLazy(batch: number, readLogs: () => Logs): void {
    const samples = this.params?.samples;
    this.seen = samples !== undefined ? Math.min(samples, (batch + 1) * (this.params?.batchSize ?? 0)) : batch + 1;
    if (this.element === undefined || this.verbose === 2) return;
    const now = Date.now();
    if (now - this.drawn < REDRAW_MS) return;
    this.drawn = now;
    this.show(liveLine({ seen: this.seen, total: this.total, elapsed: (now - this.start) / 1000, logs: readLogs() }));
  }

  onEpochEnd(_epoch: number, logs: Logs): void {
    const total = this.total ?? this.seen;
    const seen = this.model?.stopTraining === true ? Math.min(this.seen, total) : total;
    const unit = this.params?.samples !== undefined ? 'sample' : 'step';
    const line = epochLine({ seen, total, elapsed: (Date.now() - this.start) / 1000, logs }, unit, this.verbose);
    if (this.element === undefined) {
      logLine(line);
      return;
    }
    this.done += `${this.header}\n${line}\n`;
    this.element.textContent = this.done;
  }

  /** The epochs done, then this epoch's header and live line. */
  private show(line: string): void {
    if (this.element !== undefined) this.element.textContent = `${this.done}${this.header}\n${line}`;
  }
}
