/**
 * The one place keras-ts writes text. The progress bar, evaluate's and predict's lines, the
 * callbacks' messages, warnings and model.summary() all go through the logger set here:
 *
 *   k.utils.setLogger({ write: (t) => myLog.info(t), warn: (t) => myLog.warn(t) });
 *   k.utils.disableInteractiveLogging();   // no live progress bar, only each epoch's final line
 *
 * By default text goes to process.stdout and warnings to process.stderr, and the progress bar is
 * live where stdout is a terminal; in a page both go to the browser's console. Keras's names: enable/disable/isInteractiveLoggingEnabled.
 */
import { runsInNode } from './environment';

/** Where text goes. */
export interface Logger {
  /** Progress, results and summaries (text carries its own newlines). */
  write(text: string): void;
  /** Warnings: the training goes on, but something needs the user's attention. */
  warn(text: string): void;
  /** Whether `write` reaches a terminal, where the progress bar can redraw its line. @default false */
  readonly isTTY?: boolean;
  /** The terminal's width, for the live progress bar. */
  readonly columns?: number;
}

/** Node's stdout and stderr; in a page (no process), the browser's console, a line per call, no terminal codes. */
const consoleLogger: Logger = {
  write: (text) => void (runsInNode() ? process.stdout.write(text) : console.log(text.replace(/\n$/, ''))),
  warn: (text) => void (runsInNode() ? process.stderr.write(text) : console.warn(text.replace(/\n$/, ''))),
  get isTTY() {
    return runsInNode() && process.stdout.isTTY === true;
  },
  get columns() {
    return runsInNode() ? process.stdout.columns : undefined;
  },
};

let current: Logger = consoleLogger;
let interactive = true;

/** Sends every message of keras-ts to `logger`; `null` restores the default (stdout and stderr). */
export function setLogger(logger: Logger | null): void {
  if (logger !== null && (typeof logger !== 'object' || typeof logger.write !== 'function' || typeof logger.warn !== 'function')) {
    throw new TypeError('setLogger: a logger needs write(text) and warn(text) methods. help: e.g. setLogger({write: (t) => out.push(t), warn: (t) => err.push(t)}), or null for the default.');
  }
  current = logger ?? consoleLogger;
}

/** The logger in use. */
export function getLogger(): Logger {
  return current;
}

/** As Keras: the progress bar may draw live (the default, on a terminal). */
export function enableInteractiveLogging(): void {
  interactive = true;
}

/** As Keras: no live progress bar; fit writes each epoch's final line only, as it does into a file. */
export function disableInteractiveLogging(): void {
  interactive = false;
}

export function isInteractiveLoggingEnabled(): boolean {
  return interactive;
}

/** Writes a line of text through the logger. */
export function logLine(text: string): void {
  current.write(`${text}\n`);
}

/** Writes a warning line through the logger. */
export function warn(text: string): void {
  current.warn(`${text}\n`);
}
