/**
 * tfjs-backend-wasm's threaded SIMD build in Node. tfjs turns it off in Node (its flag
 * WASM_HAS_MULTITHREAD_SUPPORT is false there, tfjs issue #3830), though Emscripten's pthreads
 * run on worker_threads. Three things stand in the way, each handled only while the backend
 * initializes:
 * - tfjs passes the pthread worker's script as a Blob URL, which Node's Worker cannot load:
 *   URL.createObjectURL answers with pthread_worker.js's path for that Blob;
 * - inside each worker the main script comes as a Blob too: pthread_worker.js resolves it to the
 *   script's file in node_modules;
 * - tfjs sizes XNNPACK's thread pool as half the logical cores (it assumes two hyperthreads per
 *   core), at most 4: os.cpus() reports twice the threads asked for.
 * Its workers are then unref'd, so that they do not keep Node running after the program's work.
 * If the threaded build fails to start, the single-threaded one runs instead.
 */
import * as path from 'path';
import * as tfc from '@tensorflow/tfjs-core';

// eslint-disable-next-line @typescript-eslint/no-var-requires
const osModule = require('os') as { cpus: () => unknown[] };

const WORKER = path.join(__dirname, 'pthread_worker.js');
/** XNNPACK's pool in tfjs-backend-wasm has at most this many threads. */
export const MAX_WASM_THREADS = 4;

/** Runs `init` (tfjs-backend-wasm's backend factory) so that it starts `threads` threads. */
export async function initWithThreads<T>(threads: number, setThreadsCount: (n: number) => void, init: () => Promise<T> | T): Promise<T> {
  if (threads <= 1) {
    tfc.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
    return init();
  }
  const createObjectURL = URL.createObjectURL;
  const revokeObjectURL = URL.revokeObjectURL;
  const cpus = osModule.cpus;
  tfc.env().set('WASM_HAS_MULTITHREAD_SUPPORT', true);
  setThreadsCount(threads);
  URL.createObjectURL = (blob: Blob) => (blob?.type === 'application/javascript' ? WORKER : createObjectURL(blob));
  URL.revokeObjectURL = (url: string) => (url === WORKER ? undefined : revokeObjectURL(url));
  osModule.cpus = () => Array.from({ length: 2 * threads }, (_, i) => cpus()[i % cpus().length]);
  try {
    const backend = await init();
    const pthread = (backend as { wasm?: { PThread?: { unusedWorkers?: Array<{ unref?: () => void }>; runningWorkers?: Array<{ unref?: () => void }> } } }).wasm?.PThread;
    for (const worker of [...(pthread?.unusedWorkers ?? []), ...(pthread?.runningWorkers ?? [])]) worker.unref?.();
    return backend;
  } catch {
    tfc.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
    return init();
  } finally {
    URL.createObjectURL = createObjectURL;
    URL.revokeObjectURL = revokeObjectURL;
    osModule.cpus = cpus;
  }
}
