/**
 * Loading keras-ts's CUDA addon (native/cuda, built by `npm run build:cuda`) and checking that it
 * found a GPU. Every failure says which piece is missing and the command that fixes it.
 */
import * as fs from 'fs';
import * as path from 'path';
import { BackendError } from '../../engine/errors';

/** The functions of native/cuda/addon.cu. Pointers are device addresses as numbers. */
export interface CudaAddon {
  init(): { ok: boolean; error?: string; device?: string; computeCapability?: number; memoryBytes?: number };
  alloc(bytes: number): number;
  free(ptr: number): void;
  upload(ptr: number, values: Float32Array | Int32Array): void;
  download(ptr: number, out: Float32Array | Int32Array): void;
  copy(dst: number, src: number, bytes: number): void;
  sync(): void;
  memoryUsed(): number;
  binary(op: number, a: number, b: number, out: number, n: number, shape: number[], aStrides: number[], bStrides: number[]): void;
  unary(op: number, x: number, out: number, n: number, alpha?: number): void;
  clip(x: number, out: number, n: number, lo: number, hi: number): void;
  select(cond: number, a: number, b: number, out: number, n: number): void;
  cast(x: number, out: number, n: number, toInt: number): void;
  fill(out: number, n: number, value: number): void;
  reduce(op: number, x: number, out: number, outer: number, size: number): void;
  argMax(x: number, out: number, outer: number, size: number): void;
  softmax(x: number, out: number, outer: number, size: number): void;
  transpose(x: number, out: number, n: number, outShape: number[], inStrides: number[]): void;
  oneHot(indices: number, out: number, n: number, depth: number, on: number, off: number): void;
  matMul(a: number, b: number, out: number, batch: number, m: number, n: number, k: number, ta: number, tb: number, strideA: number, strideB: number): void;
  /** Geometry: [n, h, w, c, kh, kw, oh, ow, sh, sw, dh, dw, padTop, padLeft]. */
  im2col(x: number, patches: number, geometry: number[]): void;
  col2im(dpatches: number, dx: number, geometry: number[]): void;
  maxPool(x: number, out: number, geometry: number[]): void;
  maxPoolGrad(dy: number, x: number, dx: number, geometry: number[]): void;
  gatherRows(x: number, indices: number, out: number, count: number, rowSize: number): void;
  /** An event recorded on the stream now (a handle). */
  eventRecord(): number;
  /** Milliseconds between two recorded events; waits for the second and frees both. */
  eventElapsed(start: number, end: number): number;
  /** Queues a device-to-host copy into pinned staging memory; returns a handle. */
  readStart(ptr: number, bytes: number): number;
  /** Whether that copy has finished. */
  readPoll(handle: number): boolean;
  /** Copies the staged bytes into `out` and frees the staging memory. */
  readFinish(handle: number, out: Float32Array | Int32Array): void;
}

/** native/cuda/build/keras_cuda.node in the nearest folder above this file that has native/cuda (source or compiled). */
function addonPath(): string {
  if (process.env.KERAS_CUDA_ADDON) return process.env.KERAS_CUDA_ADDON;
  let dir = __dirname;
  for (let i = 0; i < 6; i++) {
    if (fs.existsSync(path.join(dir, 'native', 'cuda'))) return path.join(dir, 'native', 'cuda', 'build', 'keras_cuda.node');
    dir = path.dirname(dir);
  }
  return path.join(__dirname, '..', '..', '..', 'native', 'cuda', 'build', 'keras_cuda.node');
}

export const ADDON_PATH = addonPath();

let loaded: { addon: CudaAddon; device: string } | null = null;

/** The addon, initialized on a GPU; throws a BackendError naming what is missing otherwise. */
export function loadCudaAddon(): { addon: CudaAddon; device: string } {
  if (loaded !== null) return loaded;
  if (!fs.existsSync(ADDON_PATH)) {
    throw new BackendError(
      `setBackend('cuda'): the CUDA addon is not built (no ${ADDON_PATH}). help: on a machine with nvcc (CUDA toolkit 12 or 13), ` +
        "run `npx keras-ts build-cuda` (in this repository: `npm run build:cuda`); until then use setBackend('wasm').",
    );
  }
  let addon: CudaAddon;
  try {
    addon = require(ADDON_PATH) as CudaAddon;
  } catch (e) {
    throw new BackendError(`setBackend('cuda'): the CUDA addon failed to load: ${(e as Error).message}. help: rebuild it with \`npx keras-ts build-cuda\`.`);
  }
  const info = addon.init();
  if (!info.ok) {
    const reason = info.error ?? 'unknown error';
    const help = /driver/i.test(reason)
      ? 'no NVIDIA driver new enough for CUDA 13 (or no GPU at all) was found; install the NVIDIA driver (580+), or use wasm/cpu'
      : /cuBLAS/i.test(reason)
        ? 'install cuBLAS (libcublas.so.13 or .12, part of the CUDA toolkit) on the library path'
        : /no CUDA device/i.test(reason)
          ? 'this machine has no NVIDIA GPU; use setBackend("wasm") or setBackend("cpu")'
          : 'check the NVIDIA driver and GPU with nvidia-smi';
    throw new BackendError(`setBackend('cuda'): no usable GPU: ${reason}. help: ${help}.`);
  }
  loaded = { addon, device: `${info.device} (compute capability ${(info.computeCapability ?? 0) / 10})` };
  return loaded;
}
