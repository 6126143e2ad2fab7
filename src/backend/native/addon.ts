/**
 * Loading keras-ts's native CPU addon. Where it comes from, in order (the first that loads wins):
 * 1. KERAS_NATIVE_ADDON, a path (then nothing else is tried);
 * 2. the prebuilt platform package keras-ts-native-<platform>-<arch> (scripts/pack_native.js; an
 *    optional dependency, so npm installs it where it fits), unless KERAS_NATIVE_PREBUILT=0;
 * 3. the source build, native/cpu/build/keras_cpu.node (native/cpu/build.js, at install or by
 *    `npm run build:native`).
 * A platform package that is there but does not load says so in one line and the source build is
 * tried; with neither, setBackend('native') throws naming what is missing and the command that
 * makes the backend available, and the automatic choice (ensureBackend) goes on to wasm.
 */
import * as fs from 'fs';
import * as path from 'path';
import { BackendError } from '../../engine/errors';
import { OP_TABLE } from '../op_table';

type F32 = Float32Array;
type Data = Float32Array | Int32Array | Uint8Array;

/** The functions of native/cpu/*.cc. Arrays are tensors' own data; outputs are written in place. */
export interface NativeAddon {
  info(): { onednn: string; isa: string; threads: number; cores: number };
  setNumThreads(n: number): void;
  getNumThreads(): number;
  /** liveBytes: temporaries alive now (0 between calls); pooledBytes: kept for reuse; cachedPrimitives: oneDNN primitives kept. */
  memory(): { liveBytes: number; pooledBytes: number; cachedPrimitives: number };
  releaseMemory(): void;
  opTable(): Record<string, number>;
  matMul(a: F32, b: F32, out: F32, bias: F32 | null, batchA: number, batchB: number, m: number, n: number, k: number, ta: boolean, tb: boolean, act: number, alpha: number): void;
  denseGrad(dy: F32, x: F32, w: F32, y: F32 | null, dx: F32 | null, dw: F32, db: F32 | null, batch: number, inDim: number, units: number, act: number): void;
  /**
   * geometry: [n, h, w, c, kh, kw, oh, ow, f, sh, sw, dh, dw, padTop, padLeft, padBottom, padRight, groups?]; groups = c
   * makes it depthwise (filter [kh, kw, c, f / c]).
   */
  conv2d(x: F32, filter: F32, bias: F32 | null, y: F32, geometry: number[], act: number): void;
  conv2dBackpropInput(dy: F32, filter: F32, dx: F32, geometry: number[]): void;
  conv2dBackpropFilter(x: F32, dy: F32, dfilter: F32, geometry: number[]): void;
  convGrad(dy: F32, x: F32, filter: F32, y: F32 | null, dx: F32 | null, dfilter: F32, dbias: F32 | null, geometry: number[], act: number, inputGradient: number): void;
  pool(x: F32, y: F32, geometry: number[], isMax: boolean): void;
  poolGrad(dy: F32, x: F32, dx: F32, geometry: number[], isMax: boolean): void;
  /** The 3-D versions: NDHWC, filters [kd, kh, kw, c, f], geometry as native/cpu/conv_geometry.h lays it out. */
  conv3d(x: F32, filter: F32, bias: F32 | null, y: F32, geometry: number[], act: number): void;
  conv3dBackpropInput(dy: F32, filter: F32, dx: F32, geometry: number[]): void;
  conv3dBackpropFilter(x: F32, dy: F32, dfilter: F32, geometry: number[]): void;
  pool3d(x: F32, y: F32, geometry: number[], isMax: boolean): void;
  pool3dGrad(dy: F32, x: F32, dx: F32, geometry: number[], isMax: boolean): void;
  binary(op: number, a: Data, b: Data, out: Data, shape: number[], aStrides: number[], bStrides: number[]): void;
  unary(op: number, x: Data, out: Data, alpha: number): void;
  clip(x: F32, out: F32, lo: number, hi: number): void;
  select(cond: Uint8Array, a: Data, b: Data, out: Data): void;
  cast(x: Data, out: Data): void;
  fill(out: Data, value: number): void;
  transpose(x: Data, out: Data, shape: number[], perm: number[]): void;
  /** reversed[d] is 1 for each axis of `shape` to reverse. */
  reverse(x: Data, out: Data, shape: number[], reversed: number[]): void;
  /** shape [n, h, w, c]; xs, ys the input point of each output pixel (ops/image_sampling.ts); fillMode an op_table FillMode code. */
  imageSample(images: F32, out: F32, shape: number[], xs: Float64Array, ys: Float64Array, bilinear: boolean, fillMode: number, fillValue: number): void;
  imageSampleGrad(dy: F32, dx: F32, shape: number[], xs: Float64Array, ys: Float64Array, bilinear: boolean, fillMode: number): void;
  /** mirror: -1 a constant pad with value, 0 'reflect', 1 'symmetric'. */
  pad(x: Data, out: Data, shape: number[], before: number[], after: number[], mirror: number, value: number): void;
  /** For r < rows: dst[dstOffset + r·dstStride ..+width] = src[srcOffset + r·srcStride ..+width] (one dtype). */
  copyBlocks(src: Data, dst: Data, rows: number, width: number, srcStride: number, srcOffset: number, dstStride: number, dstOffset: number): void;
  /** out [numSegments, inner] = the rows of x [ids.length, inner] summed by id. */
  segmentSum(x: F32 | Int32Array, ids: Int32Array, out: F32 | Int32Array, inner: number, numSegments: number): void;
  oneHot(indices: Int32Array, out: F32 | Int32Array, depth: number, on: number, off: number): void;
  activationGrad(dy: F32, y: F32, dz: F32, act: number): void;
  gatherRows(x: Data, indices: Int32Array, out: Data, rowSize: number): void;
  /** native/cpu/fallback_ops.cc: op 0 LeakyRelu, 1 Erf. */
  unaryMore(op: number, x: F32, out: F32, alpha: number): void;
  eluGrad(dy: F32, y: F32, out: F32): void;
  /** op 0 NotEqual, 1 LogicalOr (bool inputs); strides 0 on broadcast axes. */
  logical(op: number, a: Data, b: Data, out: Uint8Array, shape: number[], aStrides: number[], bStrides: number[]): void;
  /** All (all) or Any over each row of `inner` bools. */
  reduceBool(x: Uint8Array, out: Uint8Array, inner: number, all: boolean): void;
  tile(x: Data, out: Data, shape: number[], reps: number[]): void;
  /** GatherV2 along the middle axis of x viewed as [outer, axisSize, inner]. */
  gatherAxis(x: Data, indices: Int32Array, out: Data, outer: number, axisSize: number, inner: number): void;
  /** native/cpu/resize.cc: shape [n, h, w, c] of the images; rows, cols: [lo, hi, frac] per output row / column. */
  resize(x: F32, out: F32, shape: number[], outH: number, outW: number, rows: Float64Array, cols: Float64Array): void;
  resizeGrad(dy: F32, dx: F32, shape: number[], outH: number, outW: number, rows: Float64Array, cols: Float64Array): void;
  /** blocks (default 1): x is that many [outer, inner] (or, leading, [inner, outer]) blocks, out as many [outer]. */
  reduce(op: number, x: F32 | Int32Array, out: F32 | Int32Array, outer: number, inner: number, leading: boolean, blocks?: number): void;
  argMax(x: F32 | Int32Array, out: Int32Array, outer: number, inner: number): void;
  matches(pred: F32, truth: F32, out: F32, rows: number, classes: number, sparse: boolean): void;
  accumulate(total: F32, values: F32, out: F32, n: number, scale: number): void;
  softmax(x: F32, out: F32, outer: number, inner: number): void;
  /**
   * reduce: 0 one value per row, 1 their sum, 2 their mean (out and, for the gradient, dy hold one value);
   * sparse (softmax only): target holds one class index per row.
   */
  crossentropy(kind: number, probs: F32, target: F32, out: F32, rows: number, classes: number, reduce: number, sparse: boolean): void;
  crossentropyGrad(kind: number, probs: F32, target: F32, dy: F32, dz: F32, rows: number, classes: number, reduce: number, sparse: boolean): void;
  adam(w: F32, g: F32, m: F32, v: F32, vHat: F32 | null, wOut: F32, mOut: F32, vOut: F32, vHatOut: F32 | null, alpha: number, oneMinusBeta1: number, oneMinusBeta2: number, epsilon: number, decay: number): void;
  /** BatchNormalization with batch statistics over the rows of x [rows, channels] (native/cpu/batchnorm.cc). */
  batchNormTrain(x: F32, gamma: F32, beta: F32, y: F32, mean: F32, variance: F32, rows: number, channels: number, epsilon: number, act: number): void;
  batchNormTrainGrad(dy: F32, x: F32, gamma: F32, beta: F32, mean: F32, variance: F32, dx: F32 | null, dgamma: F32, dbeta: F32, rows: number, channels: number, epsilon: number, act: number): void;
  rmsprop(w: F32, g: F32, v: F32, momentum: F32 | null, averageGrad: F32 | null, wOut: F32, vOut: F32, momentumOut: F32 | null, averageGradOut: F32 | null, lr: number, rho: number, oneMinusRho: number, mu: number, epsilon: number, decay: number): void;
  adagrad(w: F32, g: F32, accumulator: F32, wOut: F32, accumulatorOut: F32, lr: number, epsilon: number, decay: number): void;
  /** LayerNormalization over the last axis of x [rows, channels]: y, and each row's mean and 1/sqrt(variance + epsilon) (native/cpu/layernorm.cc). */
  layerNorm(x: F32, gamma: F32, beta: F32, y: F32, mean: F32, rstd: F32, rows: number, channels: number, epsilon: number): void;
  layerNormGrad(dy: F32, x: F32, gamma: F32, mean: F32, rstd: F32, dx: F32 | null, dgamma: F32, dbeta: F32, rows: number, channels: number): void;
  /** Softmax over the last axis of the allowed entries of scores (a uint8 mask broadcast by strides; others 0) (native/cpu/attention.cc). */
  maskedSoftmax(scores: F32, mask: Uint8Array, out: F32, rowDims: number[], maskStrides: number[], maskInnerStride: number, inner: number): void;
  /** dx = p · (dy - Σ dy · p) per row of [rows, inner]: the softmax's backward from its output. */
  softmaxGrad(p: F32, dy: F32, dx: F32, rows: number, inner: number): void;
  /**
   * Dropout in training with tfjs's seeded draws (native/cpu/dropout.cc): alea from the state (c, s0, s1, s2) one draw u
   * per element, multiplier = floor(u + kp) / kp with kp = float32(1 - rate), y = x · multiplier, all in float32.
   */
  dropout(x: F32, y: F32, multiplier: F32, n: number, rate: number, c: number, s0: number, s1: number, s2: number): void;
  /**
   * Scaled dot-product attention with q [B, T, H, D], k [B, S, H, D], v [B, S, H, Dv], a uint8 mask over [B, T, S] by
   * strides: out [B, T, H, Dv], probs [B, H, T, S]; dims [B, T, S, H, D, Dv] (native/cpu/attention_core.cc).
   */
  attentionCore(q: F32, k: F32, v: F32, mask: Uint8Array, out: F32, probs: F32, dims: number[], maskStrides: number[], scale: number): void;
  attentionCoreGrad(dOut: F32, dProbs: F32 | null, q: F32, k: F32, v: F32, probs: F32, dq: F32, dk: F32, dv: F32, dims: number[], scale: number): void;
  sgd(w: F32, g: F32, momentum: F32 | null, wOut: F32, momentumOut: F32 | null, lr: number, mu: number, nesterov: boolean, decay: number): void;
  /**
   * cell 0 LSTM, 1 GRU (rnn.cc): out [T (+1 for LSTM's c), B, u]; work [T, B, (LSTM 7, GRU 5) u] or null; layout bit 0
   * batch-major (xw, mask, out [B, T (+1), ·]), bit 1 xw and mask read from the end.
   */
  rnnForward(xw: F32, u: F32, recBias: F32 | null, h0: F32, c0: F32 | null, mask: F32 | null, out: F32, work: F32 | null, cell: number, steps: number, batch: number, units: number, layout: number): void;
  rnnBackward(dy: F32, work: F32, u: F32, mask: F32 | null, dxw: F32, du: F32, dRecBias: F32 | null, dh0: F32, dc0: F32 | null, cell: number, steps: number, batch: number, units: number, layout: number): void;
  /** The capture runner (capture.cc): a recorded step's calls read once (bound, dynamic: (call, argument, index) triples); absent from older builds. */
  captureCreate?(fns: string[], args: unknown[][], bound: Int32Array, dynamic: Int32Array): object;
  /** Runs a program from captureCreate once, in one call: `inputs` bound, `dynamics` this step's numbers. */
  captureRun?(program: object, inputs: Array<F32 | Int32Array | Uint8Array>, dynamics: Float64Array): void;
}

/** The folder of the native CPU sources: native/cpu in the nearest folder above this file that has it. */
function nativeDir(): string {
  let dir = __dirname;
  for (let i = 0; i < 6; i++) {
    if (fs.existsSync(path.join(dir, 'native', 'cpu'))) return path.join(dir, 'native', 'cpu');
    dir = path.dirname(dir);
  }
  return path.join(__dirname, '..', '..', '..', 'native', 'cpu');
}

const DIR = nativeDir();
/** The source build's addon (or KERAS_NATIVE_ADDON's). */
export const NATIVE_ADDON_PATH = process.env.KERAS_NATIVE_ADDON ?? path.join(DIR, 'build', 'keras_cpu.node');
/** The prebuilt platform package for this machine. */
export const NATIVE_PACKAGE = `keras-ts-native-${process.platform}-${process.arch}`;

/** Where the loaded addon came from. */
export interface NativeAddonSource {
  kind: 'env' | 'package' | 'source';
  path: string;
}
/** The command that makes the native backend available where it is missing. */
export const NATIVE_INSTALL_HELP = 'run `apt-get install g++ libdnnl-dev` (Debian/Ubuntu: a C++ compiler and oneDNN), then `npx keras-ts build-native` (in this repository: `npm run build:native`)';

let loaded: NativeAddon | null = null;
let loadedFrom: NativeAddonSource | null = null;

/** Where the loaded addon came from (null before it loads). */
export function nativeAddonSource(): NativeAddonSource | null {
  return loadedFrom;
}

/** keras-ts's own version: the platform package must be the same release. */
function ownVersion(): string | undefined {
  try {
    return (JSON.parse(fs.readFileSync(path.join(DIR, '..', '..', 'package.json'), 'utf8')) as { version?: string }).version;
  } catch {
    return undefined;
  }
}

/**
 * The platform package's addon, if one is installed: its path, or why it is not usable (another
 * release of keras-ts). Resolved from this file, as npm lays out keras-ts's optional dependency.
 */
function platformPackage(): { path: string } | { skipped: string } | null {
  if (process.env.KERAS_NATIVE_PREBUILT === '0') return null;
  let manifest: string;
  try {
    manifest = require.resolve(`${NATIVE_PACKAGE}/package.json`);
  } catch {
    return null;
  }
  const version = (JSON.parse(fs.readFileSync(manifest, 'utf8')) as { version?: string }).version;
  const own = ownVersion();
  if (own !== undefined && version !== own) return { skipped: `it is version ${String(version)}, keras-ts is ${own}` };
  return { path: path.join(path.dirname(manifest), 'keras_cpu.node') };
}

/** require()s an addon and checks its op table; the first line of the reason it failed otherwise. */
function tryLoad(file: string): NativeAddon | string {
  try {
    const addon = require(file) as NativeAddon;
    checkOpTable(addon);
    return addon;
  } catch (e) {
    return (e as Error).message.split('\n')[0];
  }
}

/** Why the last build did not produce the addon, from native/cpu/build/status.json. */
function buildFailure(): { reason: string; help: string } | null {
  try {
    const status = JSON.parse(fs.readFileSync(path.join(DIR, 'build', 'status.json'), 'utf8')) as { ok: boolean; reason?: string; help?: string };
    return status.ok ? null : { reason: status.reason ?? 'unknown', help: status.help ?? NATIVE_INSTALL_HELP };
  } catch {
    return null;
  }
}

/** The addon, loaded and checked; throws a BackendError naming what is missing otherwise. */
export function loadNativeAddon(): NativeAddon {
  if (loaded !== null) return loaded;
  // OpenMP's threads (oneDNN's and ours) spin after each parallel region by default. On a machine
  // with few cores the spinning thread competes with V8's own threads (compiler, GC), and a
  // descheduled OpenMP thread stalls the next region for a time slice: measured here on 2 cores,
  // epochs of the seed MLP at batch 128 took 0.09-0.57 s by default and 0.04-0.12 s passive.
  // libgomp reads this when it loads (with the addon); a user's own setting wins.
  if (process.env.OMP_WAIT_POLICY === undefined && process.env.GOMP_SPINCOUNT === undefined) process.env.OMP_WAIT_POLICY = 'passive';
  let prebuiltFailure = '';
  if (process.env.KERAS_NATIVE_ADDON === undefined) {
    const pkg = platformPackage();
    if (pkg !== null) {
      const result = 'path' in pkg ? tryLoad(pkg.path) : pkg.skipped;
      if (typeof result !== 'string' && 'path' in pkg) return use(result, { kind: 'package', path: pkg.path });
      prebuiltFailure = `the prebuilt ${NATIVE_PACKAGE} was not used: ${result}`;
      if (fs.existsSync(NATIVE_ADDON_PATH)) console.warn(`keras-ts: ${prebuiltFailure}; using the source build ${NATIVE_ADDON_PATH}.`);
    }
  }
  const also = prebuiltFailure ? ` (${prebuiltFailure})` : '';
  if (!fs.existsSync(NATIVE_ADDON_PATH)) {
    const failure = buildFailure();
    throw new BackendError(
      failure
        ? `setBackend('native'): the native CPU addon was not built: ${failure.reason}${also}. help: ${failure.help}.`
        : `setBackend('native'): the native CPU addon is not built (${NATIVE_ADDON_PATH} is missing)${also}. help: ${NATIVE_INSTALL_HELP}.`,
    );
  }
  const result = tryLoad(NATIVE_ADDON_PATH);
  if (typeof result === 'string') {
    const rebuild = /built from other sources/.test(result);
    throw new BackendError(
      rebuild
        ? result
        : `setBackend('native'): the native CPU addon failed to load: ${result}${also}. help: its libraries may be missing or changed: ${NATIVE_INSTALL_HELP}.`,
    );
  }
  return use(result, { kind: process.env.KERAS_NATIVE_ADDON === undefined ? 'source' : 'env', path: NATIVE_ADDON_PATH });
}

function use(addon: NativeAddon, from: NativeAddonSource): NativeAddon {
  loaded = addon;
  loadedFrom = from;
  return addon;
}

/** The addon's op codes must be this source's (an addon built from older sources is refused). */
function checkOpTable(addon: NativeAddon): void {
  const theirs = typeof addon.opTable === 'function' ? addon.opTable() : {};
  for (const family of Object.values(OP_TABLE)) {
    family.forEach(([, cName], code) => {
      if (theirs[cName] !== code) {
        throw new BackendError(
          `setBackend('native'): the native CPU addon was built from other sources (op ${cName} is ${theirs[cName]}, expected ${code}). ` +
            'help: rebuild it with `npx keras-ts build-native`.',
        );
      }
    });
  }
}
