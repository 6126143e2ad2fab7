/**
 * Loading keras-ts's CUDA addon (native/cuda, built by `npm run build:cuda`): listing the GPUs it
 * sees (cudaDevices: loads the addon and counts, starts nothing) and initializing it on one GPU
 * (loadCudaAddon: one GPU per process, chosen by the first successful init). Every failure says
 * which piece is missing and the command that fixes it.
 *
 * GPU numbers are the CUDA runtime's: it applies CUDA_VISIBLE_DEVICES itself (read once, when the
 * addon first calls CUDA), so GPU 0 is the first visible one. `KERAS_CUDA_ADDON` names another
 * addon file (the tests point it at a host-memory stand-in).
 */
import * as fs from 'fs';
import * as path from 'path';
import { BackendError } from '../../engine/errors';

/** One GPU as the addon reports it. */
export interface CudaDeviceInfo {
  name: string;
  /** major * 10 + minor (90 for sm_90). */
  computeCapability?: number;
  memoryBytes?: number;
}

/** The functions of native/cuda/addon.cu. Pointers are device addresses as numbers. */
export interface CudaAddon {
  /** Selects GPU `device` (default 0), creates the stream and cuBLAS; asking for another device after a successful init fails. */
  init(device?: number): { ok: boolean; error?: string; device?: string; computeCapability?: number; memoryBytes?: number; index?: number };
  /** The GPUs the CUDA runtime shows (CUDA_VISIBLE_DEVICES applied); selects nothing, allocates nothing. */
  devices(): { ok: boolean; error?: string; devices: CudaDeviceInfo[] };
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

/** native/cuda/build/keras_cuda.node in the nearest folder above this file that has native/cuda (source or compiled), or KERAS_CUDA_ADDON. */
export function cudaAddonPath(): string {
  if (process.env.KERAS_CUDA_ADDON) return process.env.KERAS_CUDA_ADDON;
  let dir = __dirname;
  for (let i = 0; i < 6; i++) {
    if (fs.existsSync(path.join(dir, 'native', 'cuda'))) return path.join(dir, 'native', 'cuda', 'build', 'keras_cuda.node');
    dir = path.dirname(dir);
  }
  return path.join(__dirname, '..', '..', '..', 'native', 'cuda', 'build', 'keras_cuda.node');
}

const BUILD_HELP = "on a machine with nvcc (CUDA toolkit 12 or 13), run `npx keras-ts build-cuda` (in this repository: `npm run build:cuda`); until then use setBackend('wasm')";

/** The addon module, loaded but not initialized, or why it cannot be (ending with its help). */
function requireAddon(): CudaAddon | string {
  const file = cudaAddonPath();
  if (!fs.existsSync(file)) return `the CUDA addon is not built (no ${file}). help: ${BUILD_HELP}.`;
  try {
    return require(file) as CudaAddon;
  } catch (e) {
    return `the CUDA addon failed to load: ${(e as Error).message}. help: rebuild it with \`npx keras-ts build-cuda\`.`;
  }
}

/** The fix for an init() or devices() error reported by the CUDA runtime. */
function helpFor(reason: string): string {
  return /driver/i.test(reason)
    ? 'no NVIDIA driver new enough for CUDA 13 (or no GPU at all) was found; install the NVIDIA driver (580+), or use wasm/cpu'
    : /cuBLAS/i.test(reason)
      ? 'install cuBLAS (libcublas.so.13 or .12, part of the CUDA toolkit) on the library path'
      : /no CUDA device/i.test(reason)
        ? 'this machine has no NVIDIA GPU (or CUDA_VISIBLE_DEVICES hides them all); use setBackend("wasm") or setBackend("cpu")'
        : 'check the NVIDIA driver and GPU with nvidia-smi';
}

/**
 * The GPUs the addon sees, numbered as '/gpu:N' numbers them, or none and why (ending with its
 * help). Costs, the first time: loading the addon (about 1.3 MB, the CUDA runtime linked in) and
 * the CUDA driver's initialization; no GPU memory, stream or cuBLAS. Later calls reuse both.
 */
export function cudaDevices(): { devices: CudaDeviceInfo[]; unavailable?: string } {
  const addon = requireAddon();
  if (typeof addon === 'string') return { devices: [], unavailable: addon };
  if (typeof addon.devices !== 'function') {
    return { devices: [], unavailable: `the CUDA addon at ${cudaAddonPath()} predates device listing. help: rebuild it with \`npx keras-ts build-cuda\`.` };
  }
  const info = addon.devices();
  if (!info.ok) return { devices: [], unavailable: `no usable GPU: ${info.error ?? 'unknown error'}. help: ${helpFor(info.error ?? '')}.` };
  if (info.devices.length === 0) return { devices: [], unavailable: `no usable GPU: no CUDA device found. help: ${helpFor('no CUDA device')}.` };
  return { devices: info.devices };
}

let loaded: { addon: CudaAddon; device: string; index: number } | null = null;

/** The GPU the addon was initialized on, or undefined before its first successful init. */
export function cudaDeviceInUse(): number | undefined {
  return loaded?.index;
}

/**
 * The addon, initialized on GPU `index` (default: the one in use, else 0); throws a BackendError
 * naming what is missing otherwise, or, once it runs on one GPU, when another is asked for.
 */
export function loadCudaAddon(index?: number): { addon: CudaAddon; device: string; index: number } {
  if (loaded !== null) {
    if (index !== undefined && index !== loaded.index) throw new BackendError(oneGpuMessage(loaded.index, index));
    return loaded;
  }
  const addon = requireAddon();
  if (typeof addon === 'string') throw new BackendError(`setBackend('cuda'): ${addon}`);
  const info = addon.init(index ?? 0);
  if (!info.ok) {
    const reason = info.error ?? 'unknown error';
    throw new BackendError(`setBackend('cuda'): no usable GPU: ${reason}. help: ${helpFor(reason)}.`);
  }
  loaded = { addon, device: `${info.device} (compute capability ${(info.computeCapability ?? 0) / 10})`, index: info.index ?? index ?? 0 };
  return loaded;
}

/** Why GPU `wanted` cannot be used once the addon runs on GPU `inUse`, and what to do. */
export function oneGpuMessage(inUse: number, wanted: number): string {
  return (
    `the CUDA backend already runs on /gpu:${inUse} in this process, and keras-ts computes on one GPU per process (its tensors live there). ` +
    `help: choose the GPU before cuda's first use (setBackend('cuda:${wanted}') first), or run one process per GPU, each with its own CUDA_VISIBLE_DEVICES.`
  );
}
