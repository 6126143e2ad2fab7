/**
 * The monitored value of EarlyStopping, ReduceLROnPlateau and ModelCheckpoint: which way it
 * improves (as Keras decides it in 'auto' mode), by how much a change must beat the best to count,
 * and reading it from an epoch's logs.
 */
import { ValueError } from '../engine/errors';
import type { Logs } from './callback';
import { getLogger } from '../utils/logger';

export type Mode = 'auto' | 'min' | 'max';

const MAXIMIZED = /(^|_)(acc|accuracy|auc|precision|recall|cosine_similarity)$|accuracy/;
const MINIMIZED = /loss$|error$|crossentropy$|hinge$|divergence$|^(val_)?(mse|mae|mape|msle|rmse|kld|poisson|huber|log_cosh|logcosh)$/;

/** 'min' or 'max' for `monitor` in `mode`; 'auto' picks from the name, or says to pass a mode. */
export function direction(monitor: string, mode: Mode, owner: string): 'min' | 'max' {
  if (mode === 'min' || mode === 'max') return mode;
  if (mode !== 'auto') throw new ValueError(`${owner}: unknown mode '${String(mode)}'. help: use 'auto', 'min' or 'max'.`);
  if (MINIMIZED.test(monitor)) return 'min';
  if (MAXIMIZED.test(monitor)) return 'max';
  throw new ValueError(
    `${owner}: cannot tell whether '${monitor}' should go up or down. help: pass mode: 'max' (e.g. for a score) or mode: 'min' (for an error).`,
  );
}

export class Monitor {
  readonly direction: 'min' | 'max';

  constructor(
    /** The log key watched, e.g. 'val_loss'. */
    readonly key: string,
    mode: Mode,
    /** The callback, for messages. */
    private readonly owner: string,
    /** A change must beat the reference by more than this to count. */
    private readonly minDelta = 0,
  ) {
    if (typeof key !== 'string' || key === '') throw new ValueError(`${owner}: \`monitor\` must be a log name, got ${JSON.stringify(key)}. help: e.g. 'val_loss'.`);
    this.direction = direction(key, mode, owner);
  }

  /** Whether `value` improves on `reference` (anything improves on none). */
  improves(value: number, reference: number | null | undefined): boolean {
    if (reference === null || reference === undefined) return true;
    return this.direction === 'min' ? value + this.minDelta < reference : value - this.minDelta > reference;
  }

  /** The worst possible value: what a fresh "best so far" starts from. */
  get worst(): number {
    return this.direction === 'min' ? Infinity : -Infinity;
  }

  /** The monitored value in `logs`; when it is missing, says so (once per call) and returns undefined. */
  read(logs: Logs): number | undefined {
    const value = logs[this.key];
    if (value === undefined) {
      getLogger().warn(`${this.owner}: '${this.key}' is not in the logs (${Object.keys(logs).join(', ')}); skipping.\n`);
    }
    return value;
  }
}
