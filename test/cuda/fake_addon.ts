/**
 * A stand-in for the CUDA addon that keeps "device" buffers in host memory and computes with plain
 * loops, so the TypeScript side of the 'cuda' backend (data storage, strides, reshapes, fallbacks)
 * is tested on machines without a GPU. The real kernels are tested by `npm run test:cuda`.
 */
import type { CudaAddon } from '../../src/backend/cuda/addon';
import { OP_TABLE } from '../../src/backend/op_table';

/** Calls `visit(i, source)` for each patch element: the input index it reads, or -1 in the padding. */
function forEachPatch(g: number[], visit: (i: number, source: number) => void): void {
  const [n, h, w, c, kh, kw, oh, ow, sh, sw, dh, dw, pt, pl] = g;
  const k = kh * kw * c;
  for (let i = 0; i < n * oh * ow * k; i++) {
    const row = Math.floor(i / k), col = i % k;
    const ch = col % c, kx = Math.floor(col / c) % kw, ky = Math.floor(col / (c * kw));
    const ox = row % ow, oy = Math.floor(row / ow) % oh, b = Math.floor(row / (ow * oh));
    const iy = oy * sh + ky * dh - pt, ix = ox * sw + kx * dw - pl;
    visit(i, iy >= 0 && iy < h && ix >= 0 && ix < w ? ((b * h + iy) * w + ix) * c + ch : -1);
  }
}

/** Max pooling (out given) or its gradient (dy and dx given), first maximum of each window. */
function poolFake(X: Float32Array, O: Float32Array | null, DY: Float32Array | null, DX: Float32Array | null, g: number[]): void {
  const [n, h, w, c, kh, kw, oh, ow, sh, sw, dh, dw, pt, pl] = g;
  if (DX) DX.fill(0, 0, n * h * w * c);
  for (let i = 0; i < n * oh * ow * c; i++) {
    const ch = i % c, ox = Math.floor(i / c) % ow, oy = Math.floor(i / (c * ow)) % oh, b = Math.floor(i / (c * ow * oh));
    let arg = -1;
    let m = -Infinity;
    for (let ky = 0; ky < kh; ky++)
      for (let kx = 0; kx < kw; kx++) {
        const iy = oy * sh + ky * dh - pt, ix = ox * sw + kx * dw - pl;
        if (iy < 0 || iy >= h || ix < 0 || ix >= w) continue;
        const idx = ((b * h + iy) * w + ix) * c + ch;
        if (arg < 0 || X[idx] > m) [m, arg] = [X[idx], idx];
      }
    if (O) O[i] = m;
    if (DX && DY && arg >= 0) DX[arg] += DY[i];
  }
}

/**
 * The GPUs the runtime shows for CUDA_VISIBLE_DEVICES, as CUDA applies it: the listed physical
 * ordinals in their order, the list ending at the first entry that is not a valid, unrepeated
 * ordinal; unset: every GPU.
 */
function visibleGpus(count: number, variable: string | undefined): number[] {
  if (variable === undefined) return Array.from({ length: count }, (_, i) => i);
  const visible: number[] = [];
  for (const entry of variable.split(',')) {
    const n = /^\s*\d+\s*$/.test(entry) ? Number(entry) : -1;
    if (n < 0 || n >= count || visible.includes(n)) break;
    visible.push(n);
  }
  return visible;
}

/** What the stand-in recorded about device selection. */
export interface FakeDeviceLog {
  /** Each init(device) call: the device asked for (a visible ordinal) and the physical GPU it is, when it exists. */
  inits: { asked: number; physical?: number }[];
  /** The physical GPU a successful init chose. */
  physical?: number;
}

export interface FakeAddonOptions {
  /** The machine's GPUs by physical ordinal (names). @default ['fake (host memory)'] */
  gpus?: string[];
}

export type FakeAddon = CudaAddon & { live(): number; log: FakeDeviceLog };

/**
 * `gpus` simulates a machine's GPUs: devices() and init(device) apply CUDA_VISIBLE_DEVICES (read at
 * the first of those calls, as the CUDA runtime reads it once) and `log` records what init chose.
 */
export function fakeAddon(options: FakeAddonOptions = {}): FakeAddon {
  const gpus = options.gpus ?? ['fake (host memory)'];
  const log: FakeDeviceLog = { inits: [] };
  let visible: number[] | undefined;
  const shown = (): number[] => (visible ??= visibleGpus(gpus.length, process.env.CUDA_VISIBLE_DEVICES));
  let current: number | undefined;
  const buffers = new Map<number, ArrayBuffer>();
  const pending = new Map<number, { staged: Uint8Array; polls: number }>();
  let readId = 0;
  let next = 256;
  const f = (p: number): Float32Array => new Float32Array(buffers.get(p) as ArrayBuffer);
  const i32 = (p: number): Int32Array => new Int32Array(buffers.get(p) as ArrayBuffer);
  // The ops by kernel name; their codes come from the one op table (src/backend/op_table.ts).
  const BIN: Record<string, (a: number, b: number) => number> = {
    Add: (a, b) => a + b, Sub: (a, b) => a - b, Multiply: (a, b) => a * b, RealDiv: (a, b) => a / b, Maximum: Math.max, Minimum: Math.min,
    Pow: Math.pow, SquaredDifference: (a, b) => (a - b) * (a - b), Equal: (a, b) => +(a === b), Greater: (a, b) => +(a > b),
    GreaterEqual: (a, b) => +(a >= b), Less: (a, b) => +(a < b), LessEqual: (a, b) => +(a <= b),
  };
  const UN: Record<string, (v: number, a: number) => number> = {
    Neg: (v) => -v, Exp: Math.exp, Log: Math.log, Sqrt: Math.sqrt, Square: (v) => v * v, Abs: Math.abs, Sigmoid: (v) => 1 / (1 + Math.exp(-v)),
    Relu: (v) => Math.max(v, 0), Tanh: Math.tanh, Step: (v, a) => (v > 0 ? 1 : a), Rsqrt: (v) => 1 / Math.sqrt(v), Reciprocal: (v) => 1 / v,
    Log1p: Math.log1p, Relu6: (v) => Math.min(Math.max(v, 0), 6), Elu: (v) => (v > 0 ? v : Math.expm1(v)), Softplus: (v) => Math.log1p(Math.exp(v)),
    Sign: Math.sign,
  };
  const unsupported = (name: string) => () => {
    throw new Error(`fake addon: op ${name} is not one the CUDA addon implements`);
  };
  const bin = OP_TABLE.BinaryOp.map(([name]) => BIN[name] ?? unsupported(name));
  const un = OP_TABLE.UnaryOp.map(([name]) => UN[name] ?? unsupported(name));
  const red = OP_TABLE.ReduceOp.map(([name]) => name);
  const coords = (i: number, shape: number[]): number[] => {
    const c = new Array(shape.length);
    for (let d = shape.length - 1; d >= 0; d--) {
      c[d] = i % shape[d];
      i = Math.floor(i / shape[d]);
    }
    return c;
  };
  return {
    init: (device = 0) => {
      const physical = shown()[device];
      log.inits.push({ asked: device, ...(physical !== undefined ? { physical } : {}) });
      if (current !== undefined && device !== current) return { ok: false, error: `the addon already runs on CUDA device ${current}` };
      if (shown().length === 0) return { ok: false, error: 'no CUDA device found' };
      if (physical === undefined) return { ok: false, error: `no CUDA device ${device} (${shown().length} present)` };
      current = device;
      log.physical = physical;
      return { ok: true, device: gpus[physical], computeCapability: 90, memoryBytes: 2 ** 30, index: device };
    },
    devices: () => ({ ok: true, devices: shown().map((p) => ({ name: gpus[p], computeCapability: 90, memoryBytes: 2 ** 30 })) }),
    log,
    alloc: (bytes) => {
      const p = next;
      next += Math.ceil(Math.max(bytes, 4) / 256) * 256 + 256; // addresses leave room for offsets into a buffer
      buffers.set(p, new ArrayBuffer(Math.max(bytes, 4)));
      return p;
    },
    free: (p) => void buffers.delete(p),
    upload: (p, v) => new Uint8Array(buffers.get(p) as ArrayBuffer).set(new Uint8Array(v.buffer, v.byteOffset, v.byteLength)),
    download: (p, out) => new Uint8Array(out.buffer, out.byteOffset, out.byteLength).set(new Uint8Array(buffers.get(p) as ArrayBuffer, 0, out.byteLength)),
    copy: (d, s, bytes) => {
      // the source may point inside a buffer (a block of rows): find the buffer that holds it
      const base = [...buffers.keys()].filter((p) => p <= s).reduce((a, p) => Math.max(a, p), 0);
      new Uint8Array(buffers.get(d) as ArrayBuffer).set(new Uint8Array(buffers.get(base) as ArrayBuffer, s - base, bytes));
    },
    sync: () => undefined,
    memoryUsed: () => [...buffers.values()].reduce((n, b) => n + b.byteLength, 0),
    binary: (op, a, b, out, n, shape, sa, sb) => {
      const [A, B, O] = [f(a), f(b), f(out)];
      for (let i = 0; i < n; i++) {
        const c = coords(i, shape);
        O[i] = bin[op](A[c.reduce((s, x, d) => s + x * sa[d], 0)], B[c.reduce((s, x, d) => s + x * sb[d], 0)]);
      }
    },
    unary: (op, x, out, n, alpha = 0) => {
      const [X, O] = [f(x), f(out)];
      for (let i = 0; i < n; i++) O[i] = un[op](X[i], alpha);
    },
    clip: (x, out, n, lo, hi) => {
      const [X, O] = [f(x), f(out)];
      for (let i = 0; i < n; i++) O[i] = Math.min(Math.max(X[i], lo), hi);
    },
    select: (c, a, b, out, n) => {
      const [C, A, B, O] = [f(c), f(a), f(b), f(out)];
      for (let i = 0; i < n; i++) O[i] = C[i] !== 0 ? A[i] : B[i];
    },
    cast: (x, out, n, toInt) => {
      if (toInt) {
        const [X, O] = [f(x), i32(out)];
        for (let i = 0; i < n; i++) O[i] = Math.trunc(X[i]);
      } else {
        const [X, O] = [i32(x), f(out)];
        for (let i = 0; i < n; i++) O[i] = X[i];
      }
    },
    fill: (out, n, v) => void f(out).fill(v, 0, n),
    reduce: (op, x, out, outer, size) => {
      const [X, O] = [f(x), f(out)];
      for (let r = 0; r < outer; r++) {
        const row = Array.from(X.subarray(r * size, (r + 1) * size));
        const sum = row.reduce((a, b) => a + b, 0);
        O[r] = ({ Sum: sum, Max: Math.max(...row), Min: Math.min(...row), Mean: sum / size, Prod: row.reduce((a, b) => a * b, 1) } as Record<string, number>)[red[op]];
      }
    },
    argMax: (x, out, outer, size) => {
      const [X, O] = [f(x), i32(out)];
      for (let r = 0; r < outer; r++) {
        const row = Array.from(X.subarray(r * size, (r + 1) * size));
        O[r] = row.indexOf(Math.max(...row));
      }
    },
    softmax: (x, out, outer, size) => {
      const [X, O] = [f(x), f(out)];
      for (let r = 0; r < outer; r++) {
        const row = Array.from(X.subarray(r * size, (r + 1) * size));
        const m = Math.max(...row);
        const e = row.map((v) => Math.exp(v - m));
        const s = e.reduce((a, b) => a + b, 0);
        e.forEach((v, j) => (O[r * size + j] = v / s));
      }
    },
    transpose: (x, out, n, shape, strides) => {
      const [X, O] = [new Uint32Array(buffers.get(x) as ArrayBuffer), new Uint32Array(buffers.get(out) as ArrayBuffer)];
      for (let i = 0; i < n; i++) O[i] = X[coords(i, shape).reduce((s, c, d) => s + c * strides[d], 0)];
    },
    oneHot: (idx, out, n, depth, on, off) => {
      const [I, O] = [i32(idx), f(out)];
      for (let i = 0; i < n * depth; i++) O[i] = I[Math.floor(i / depth)] === i % depth ? on : off;
    },
    matMul: (a, b, out, batch, m, n, k, ta, tb, sa, sb) => {
      const [A, B, O] = [f(a), f(b), f(out)];
      for (let q = 0; q < batch; q++)
        for (let i = 0; i < m; i++)
          for (let j = 0; j < n; j++) {
            let s = 0;
            for (let p = 0; p < k; p++) s += A[q * sa + (ta ? p * m + i : i * k + p)] * B[q * sb + (tb ? j * k + p : p * n + j)];
            O[q * m * n + i * n + j] = s;
          }
    },
    im2col: (x, patches, g) => {
      const [X, P] = [f(x), f(patches)];
      forEachPatch(g, (i, src) => (P[i] = src >= 0 ? X[src] : 0));
    },
    col2im: (dp, dx, g) => {
      const [P, D] = [f(dp), f(dx)];
      D.fill(0, 0, g[0] * g[1] * g[2] * g[3]);
      forEachPatch(g, (i, src) => src >= 0 && (D[src] += P[i]));
    },
    maxPool: (x, out, g) => poolFake(f(x), f(out), null, null, g),
    maxPoolGrad: (dy, x, dx, g) => poolFake(f(x), null, f(dy), f(dx), g),
    gatherRows: (x, idx, out, count, row) => {
      const [X, I, O] = [new Uint32Array(buffers.get(x) as ArrayBuffer), i32(idx), new Uint32Array(buffers.get(out) as ArrayBuffer)];
      for (let r = 0; r < count; r++) O.set(X.subarray(I[r] * row, (I[r] + 1) * row), r * row);
    },
    eventRecord: () => performance.now(),
    eventElapsed: (start, end) => end - start,
    readStart: (p, bytes) => {
      const staged = new Uint8Array(bytes);
      staged.set(new Uint8Array(buffers.get(p) as ArrayBuffer, 0, bytes));
      pending.set(++readId, { staged, polls: 0 });
      return readId;
    },
    readPoll: (h) => ++(pending.get(h) as { polls: number }).polls > 2, // finishes on the third poll, as a real copy would later
    readFinish: (h, out) => {
      new Uint8Array(out.buffer, out.byteOffset, out.byteLength).set((pending.get(h) as { staged: Uint8Array }).staged.subarray(0, out.byteLength));
      pending.delete(h);
    },
    live: () => buffers.size + pending.size,
  };
}
