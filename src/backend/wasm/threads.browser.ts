/**
 * The browser's side of threads.ts (scripts/build_browser.js swaps it in): tfjs-backend-wasm
 * starts its threaded build by itself where the page is cross-origin isolated (SharedArrayBuffer),
 * so only the count is passed on; one thread turns threads off.
 */
import * as tfc from '@tensorflow/tfjs-core';

/** XNNPACK's pool in tfjs-backend-wasm has at most this many threads. */
export const MAX_WASM_THREADS = 4;

/** Runs `init` (tfjs-backend-wasm's backend factory) with `threads` threads where the page allows them. */
export async function initWithThreads<T>(threads: number, setThreadsCount: (n: number) => void, init: () => Promise<T> | T): Promise<T> {
  if (threads <= 1) tfc.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  else setThreadsCount(threads);
  return init();
}
