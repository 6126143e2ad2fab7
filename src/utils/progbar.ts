/**
 * Keras's `keras.utils.Progbar`: a progress bar for a custom loop. `update(current, values)` moves
 * it to step `current`; `add(n, values)` moves it n steps on. Values are averaged over the steps
 * they were given for (weighted by the steps each update covers), except `statefulMetrics`, shown
 * as given. The lines are fit's bar's (callbacks/progbar_format.ts): on a terminal the line is
 * redrawn in place at most every `interval` seconds; elsewhere (pipes, CI) only the final line is
 * printed. verbose 2 prints only the final line; 0 prints nothing. Text goes to k.utils' logger.
 */
import { ValueError } from '../engine/errors';
import { formatBar, formatCount, formatElapsed, formatEta, formatLogs } from '../callbacks/progbar_format';
import { getLogger, isInteractiveLoggingEnabled } from './logger';

export interface ProgbarArgs {
  /** Keras: `width` @default 30 (fit's bar; Keras's Progbar default is 20) */
  width?: number;
  /** 0 (silent), 1 (the bar) or 2 (the final line). Keras: `verbose` @default 1 */
  verbose?: 0 | 1 | 2;
  /** The least time between two redraws, in seconds. Keras: `interval` @default 0.05 */
  interval?: number;
  /** Names of values shown as given, not averaged. Keras: `stateful_metrics` @default [] */
  statefulMetrics?: string[];
  /** The unit in the timing ('step', 'sample'). Keras: `unit_name` @default 'step' */
  unitName?: string;
  /** Where the text goes (keras-ts's): `write(text)` and `isTTY` for the live bar. Keras: none @default k.utils' logger */
  stream?: { write(text: string): unknown; isTTY?: boolean };
}

export type ProgbarValues = Array<[string, number]> | Record<string, number>;

export class Progbar {
  /** The total number of steps, or null when unknown. Keras: `target` */
  readonly target: number | null;
  readonly width: number;
  readonly verbose: 0 | 1 | 2;
  readonly interval: number;
  readonly unitName: string;
  private readonly stateful: Set<string>;
  private readonly stream: { write(text: string): unknown; isTTY?: boolean };
  private readonly live: boolean;
  /** name -> [weighted sum, steps] (or [value, 1] for a stateful one), in first-seen order. */
  private readonly values = new Map<string, [number, number]>();
  private seenSoFar = 0;
  private readonly start = Date.now();
  private lastUpdate = 0;
  private finished = false;

  constructor(target: number | null, args: ProgbarArgs = {}) {
    if (target !== null && target !== undefined && (!Number.isFinite(target) || target < 0)) {
      throw new ValueError(`Progbar: \`target\` must be a non-negative number of steps or null, got ${String(target)}. help: new k.utils.Progbar(100), or null when the total is unknown.`);
    }
    this.target = target ?? null;
    this.width = args.width ?? 30;
    this.verbose = args.verbose ?? 1;
    this.interval = args.interval ?? 0.05;
    this.unitName = args.unitName ?? 'step';
    this.stateful = new Set(args.statefulMetrics ?? []);
    const logger = getLogger();
    this.stream = args.stream ?? { write: (t: string) => logger.write(t), isTTY: isInteractiveLoggingEnabled() && logger.isTTY === true };
    this.live = this.stream.isTTY === true;
  }

  /** Moves the bar to step `current`; `finalize` (default: current >= target) prints the final line. Keras: `update` */
  update(current: number, values: ProgbarValues = [], finalize?: boolean): void {
    if (typeof current !== 'number' || !Number.isFinite(current) || current < 0) {
      throw new ValueError(`Progbar.update: \`current\` must be a non-negative step number, got ${String(current)}. help: progbar.update(step + 1, [['loss', value]]).`);
    }
    const final = finalize ?? (this.target !== null && current >= this.target);
    const steps = Math.max(current - this.seenSoFar, 1);
    for (const [name, value] of Array.isArray(values) ? values : Object.entries(values)) {
      const held = this.values.get(name);
      if (this.stateful.has(name)) this.values.set(name, [value, 1]);
      else this.values.set(name, held === undefined ? [value * steps, steps] : [held[0] + value * steps, held[1] + steps]);
    }
    this.seenSoFar = current;
    if (this.verbose === 0 || this.finished) return;
    const now = Date.now();
    if (final) {
      this.finished = true;
      this.stream.write(`${this.live ? '\r' : ''}${this.finalLine(current, (now - this.start) / 1000)}\n`);
    } else if (this.verbose === 1 && this.live && (now - this.lastUpdate) / 1000 >= this.interval) {
      this.lastUpdate = now;
      this.stream.write(`\r${this.liveLine(current, (now - this.start) / 1000)}`);
    }
  }

  /** Moves the bar `n` steps on. Keras: `add` */
  add(n: number, values: ProgbarValues = []): void {
    this.update(this.seenSoFar + n, values);
  }

  /** The values as shown: averages, stateful ones as given. */
  get shownValues(): Record<string, number> {
    return Object.fromEntries([...this.values].map(([name, [sum, n]]) => [name, sum / n]));
  }

  private liveLine(current: number, elapsed: number): string {
    if (this.target === null) return ` ${current}/Unknown${formatLogs(this.shownValues)}`;
    const eta = current > 0 ? (elapsed * (this.target - current)) / current : 0;
    return `${formatCount(current, this.target)} ${formatBar(current, this.target, this.width)} - ETA: ${formatEta(eta)}${formatLogs(this.shownValues)}`;
  }

  private finalLine(current: number, elapsed: number): string {
    const total = this.target ?? current;
    const timing = formatElapsed(elapsed, current, this.unitName);
    const bar = this.verbose === 1 ? ` ${formatBar(current, total, this.width)}` : '';
    return `${formatCount(current, total)}${bar} - ${timing}${formatLogs(this.shownValues)}`;
  }
}
