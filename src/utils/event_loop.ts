/**
 * Giving the event loop its turn during long loops (fit, evaluate, predict of an async iterable).
 * A loop of synchronous steps that awaits only promises never lets a macrotask run: in Node,
 * timers, I/O, HTTP servers and signal handlers wait until it ends; in a page, nothing is drawn
 * and clicks wait. The loops check a YieldPoint after each batch; once the period has passed since
 * the last turn, it awaits one macrotask: setImmediate in Node (due timers, I/O and signals run in
 * that turn), a MessageChannel message in a page (the browser may draw a frame and handle input
 * before it; unlike setTimeout(0), it is not clamped to 4 ms). The period is 25 ms in Node and
 * 16 ms in a page (one frame at 60 Hz). Reading the clock costs well under a microsecond and a turn
 * of an idle loop a few tens of microseconds, so yielding by the clock rather than every batch keeps
 * the cost out of the step time.
 */
import { runsInNode } from './environment';

/** The most wall-clock time a loop runs between two turns of Node's event loop (plus one batch). */
export const YIELD_EVERY_MS = 25;
/** The same in a page: one frame at 60 Hz, so the page keeps drawing during fit. */
export const PAGE_YIELD_EVERY_MS = 16;

/** Awaits one turn of the event loop (timers, I/O and signal handlers run in it; in a page, a frame may be drawn). */
export function nextTurn(): Promise<void> {
  if (typeof setImmediate === 'function') return new Promise((resolve) => setImmediate(resolve));
  if (typeof MessageChannel === 'function') {
    return new Promise((resolve) => {
      const channel = new MessageChannel();
      const port = channel.port1 as unknown as { onmessage: (() => void) | null; close(): void }; // the browser's MessagePort
      port.onmessage = () => {
        port.close();
        resolve();
      };
      channel.port2.postMessage(null);
    });
  }
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/** A clock of the time since the event loop last had a turn. */
export class YieldPoint {
  private last = performance.now();
  private readonly every = runsInNode() ? YIELD_EVERY_MS : PAGE_YIELD_EVERY_MS;

  /** Lets the event loop run if the period has passed since it last did; else resolves at once. */
  async due(): Promise<void> {
    if (performance.now() - this.last >= this.every) await this.now();
  }

  /** Lets the event loop run now. */
  async now(): Promise<void> {
    await nextTurn();
    this.last = performance.now();
  }
}
