/**
 * Giving Node's event loop its turn during long loops (fit, evaluate, predict of an async iterable).
 * A loop of synchronous steps that awaits only promises never lets a macrotask run: timers, I/O,
 * HTTP servers and signal handlers wait until it ends. The loops check a YieldPoint after each
 * batch; once YIELD_EVERY_MS of wall clock have passed since the last turn, it awaits one
 * setImmediate, in whose turn of the loop due timers, I/O and signals run. Reading the clock costs
 * well under a microsecond and a turn of an idle loop a few tens of microseconds, so yielding by
 * the clock rather than every batch keeps the cost out of the step time.
 */

/** The most wall-clock time a loop runs between two turns of the event loop (plus one batch). */
export const YIELD_EVERY_MS = 25;

/** Awaits one turn of the event loop (timers, I/O and signal handlers run in it; a page has no setImmediate: a timer). */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => (typeof setImmediate === 'function' ? setImmediate(resolve) : setTimeout(resolve, 0)));
}

/** A clock of the time since the event loop last had a turn. */
export class YieldPoint {
  private last = performance.now();

  /** Lets the event loop run if YIELD_EVERY_MS have passed since it last did; else resolves at once. */
  async due(): Promise<void> {
    if (performance.now() - this.last >= YIELD_EVERY_MS) await this.now();
  }

  /** Lets the event loop run now. */
  async now(): Promise<void> {
    await nextTurn();
    this.last = performance.now();
  }
}
