/**
 * Text of the Keras progress line, as pure functions: the one formatter behind both sinks, the
 * terminal bar (progbar_logger.ts) and the page's text bar (progbar_page.ts). No terminal codes.
 */
import type { Logs } from './callback';

export const BAR_WIDTH = 30;

/** `[=========>....................]` for `current` of `total`. */
export function formatBar(current: number, total: number, width = BAR_WIDTH): string {
  const filled = total > 0 ? Math.floor((width * Math.min(current, total)) / total) : width;
  let bar = '';
  if (filled > 0) bar += '='.repeat(filled - 1) + (current < total ? '>' : '=');
  return `[${bar}${'.'.repeat(width - filled)}]`;
}

/** ` 3200/8000`: the count right-aligned to the width of the total. */
export function formatCount(current: number, total: number): string {
  return ` ${String(current).padStart(String(total).length)}/${total}`;
}

/** Keras's ETA: `1s`, `1:05`, `1:01:05`. */
export function formatEta(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s >= 3600) return `${Math.floor(s / 3600)}:${pad2(Math.floor((s % 3600) / 60))}:${pad2(s % 60)}`;
  if (s >= 60) return `${Math.floor(s / 60)}:${pad2(s % 60)}`;
  return `${s}s`;
}

/** `2s 210us/sample`: the epoch's time and the time per sample. */
export function formatElapsed(seconds: number, units: number, unitName: string): string {
  const per = units > 0 ? seconds / units : 0;
  const perText = per >= 1 ? `${per.toFixed(0)}s` : per >= 1e-3 ? `${(per * 1e3).toFixed(0)}ms` : `${(per * 1e6).toFixed(0)}us`;
  return `${seconds.toFixed(0)}s ${perText}/${unitName}`;
}

/** ` - loss: 0.6543 - accuracy: 0.8123`, values with four decimals (scientific when tiny). */
export function formatLogs(logs: Logs): string {
  return Object.entries(logs)
    .map(([k, v]) => ` - ${k}: ${formatValue(v)}`)
    .join('');
}

export function formatValue(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  return Math.abs(v) > 1e-3 || v === 0 ? v.toFixed(4) : v.toExponential(4);
}

/** Where an epoch stands, for the line drawn while it runs and the one that ends it. */
export interface ProgressState {
  /** Samples (or steps) done in this epoch. */
  seen: number;
  /** Samples (or steps) in the epoch; undefined for a dataset of unknown length. */
  total: number | undefined;
  /** Seconds since the epoch began. */
  elapsed: number;
  logs: Logs;
}

/** The line while an epoch runs: ` 3200/8000 [===>....] - ETA: 2s - loss: 0.6543`, or ` 12/Unknown - loss: ...`. */
export function liveLine(s: ProgressState): string {
  if (s.total === undefined) return ` ${s.seen}/Unknown${formatLogs(s.logs)}`;
  const eta = s.seen > 0 ? (s.elapsed * (s.total - s.seen)) / s.seen : 0;
  return `${formatCount(s.seen, s.total)} ${formatBar(s.seen, s.total)} - ETA: ${formatEta(eta)}${formatLogs(s.logs)}`;
}

/** The line that ends an epoch; verbose 2 leaves the bar out. `unit` is 'sample' or 'step'. */
export function epochLine(s: ProgressState & { total: number }, unit: string, verbose: 1 | 2): string {
  const timing = formatElapsed(s.elapsed, s.seen, unit);
  const bar = verbose === 1 ? ` ${formatBar(s.seen, s.total)}` : '';
  return `${formatCount(s.seen, s.total)}${bar} - ${timing}${formatLogs(s.logs)}`;
}

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}
