/**
 * The live progress bar's hold on the terminal. While a bar has the cursor hidden and line wrap
 * off, a TerminalGuard listens for the ways the process can end in the middle of it: SIGINT
 * (Ctrl-C), SIGTERM, and the process's 'exit' (process.exit() in a handler). Each gives the
 * terminal back first (`restore`: cursor shown, wrap on, the line ended).
 *
 * On a signal that the program does not listen for itself, the guard then stops listening and
 * raises the signal again, so the process ends as Node's default would (killed by SIGINT: status
 * 130 in a shell): a library never swallows Ctrl-C. Where the program has a listener of its own
 * (its handler, or k.callbacks.StopOnSignal), that listener decides; the bar carries on, and gives
 * the terminal back when it ends, or on 'exit'. The bar's normal end and fit's end, even by an
 * error, give it back too (progbar_logger.ts), so every hide has its restore.
 */

const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM'];

/** Every guard's signal handler, so a guard can tell the program's own listeners from the bars'. */
const guardHandlers = new Set<(...args: never[]) => unknown>();

/** Whether something other than a progress bar's guard listens for `signal` (the program's handler, StopOnSignal). */
export function programListensFor(signal: string): boolean {
  return process.listeners(signal as NodeJS.Signals).some((l) => !guardHandlers.has(l as never));
}

export class TerminalGuard {
  private watching = false;

  /** `restore` gives the terminal back; it may be called more than once and must write synchronously. */
  constructor(private readonly restore: () => void) {}

  /** Listens for SIGINT, SIGTERM and 'exit' while the terminal is held. */
  watch(): void {
    if (this.watching) return;
    this.watching = true;
    guardHandlers.add(this.onSignal);
    for (const s of SIGNALS) process.on(s, this.onSignal);
    process.on('exit', this.restore);
  }

  /** Stops listening: the terminal has been given back. */
  unwatch(): void {
    if (!this.watching) return;
    this.watching = false;
    guardHandlers.delete(this.onSignal);
    for (const s of SIGNALS) process.removeListener(s, this.onSignal);
    process.removeListener('exit', this.restore);
  }

  private readonly onSignal = (signal: NodeJS.Signals): void => {
    if (programListensFor(signal)) return; // the program's own listener decides
    this.restore();
    this.unwatch();
    if (process.listenerCount(signal) === 0) process.kill(process.pid, signal); // Node's default action: the process ends
  };
}
