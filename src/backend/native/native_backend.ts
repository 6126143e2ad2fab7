/**
 * The 'native' tfjs-core backend: tfjs-backend-cpu's backend class, so tensors are its typed
 * arrays in host memory and every tfjs CPU kernel runs on them unchanged, with no copy; the hot
 * kernels are replaced by the native addon's (kernels/). Its own additions are the addon, a few
 * helpers for kernels, and a pool of the float32 arrays its kernels allocate: a training step
 * allocates the same sizes every step, and reusing them (rather than leaving hundreds of KB per
 * step to the garbage collector) measured 10% of a small model's step here.
 *
 * Pooled arrays never leave the backend: reads (dataSync, data) get a copy, and an array that a
 * tfjs CPU kernel returned a view of is never reused (kernels/index.ts reports those).
 */
import * as tfc from '@tensorflow/tfjs-core';
import { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import type { NativeAddon } from './addon';

export type HostArray = Float32Array | Int32Array | Uint8Array;

const ARRAY_OF: Record<string, new (n: number) => HostArray> = { float32: Float32Array, int32: Int32Array, bool: Uint8Array };
/**
 * Arrays shorter than this are not pooled. The pool keeps at most as many bytes as the pooled-size
 * arrays ever alive at once (a training step's activations and gradients: 740 MB in MobileNetV2's
 * at 96x96, batch 32; each array allocated anew costs its page faults inside the kernel that first
 * writes it, which took the step from 0.7 s to 4 s on a busy machine), and at least POOL_MIN_BYTES.
 */
const MIN_POOLED = 64;
const POOL_MIN_BYTES = 256 * 2 ** 20;
/** How many sizes of shared zero arrays sharedZeros() keeps (the oldest size is dropped first). */
const MAX_ZERO_SIZES = 8;

/** How the backend holds a tensor's array, marked on its data entry. */
enum Kept {
  /** Allocated by output() at a pooled size: returns to the pool when freed. */
  Pooled = 1,
  /** Allocated by output() below the pooled size: never pooled, but updated in place as the pooled ones. */
  Owned = 2,
  /** A sharedZeros() array shared among tensors: never written, never pooled. */
  SharedZeros = 3,
}

/** tfjs-backend-cpu's data entry, with the mark. */
interface Entry {
  values?: tfc.backend_util.BackendValues;
  kept?: Kept;
}

export class NativeBackend extends MathBackendCPU {
  private readonly pool = new Map<number, Float32Array[]>();
  private pooledBytes = 0;
  /** Bytes of the arrays from output() alive now (not pooled), and the most ever. */
  private liveBytes = 0;
  private peakLiveBytes = 0;
  /** All-zero arrays by length, shared by the sharedZeros() tensors of that size (never written, never pooled). */
  private readonly zeroArrays = new Map<number, Float32Array>();

  /** True while a step is recorded (backend/capture): kernels then do all their work in the addon, where it is recorded. */
  capturing = false;

  constructor(readonly addon: NativeAddon) {
    super();
    (this as unknown as { firstUse: boolean }).firstUse = false; // no "install tfjs-node" banner
  }

  /**
   * A tensor's values as the typed array of its dtype. tfjs-backend-cpu sometimes keeps a cast's
   * bytes (a float32 tensor over an Int32Array or Uint8Array); those are converted here.
   */
  array(t: tfc.TensorInfo): HostArray {
    const values = this.data.get(t.dataId)?.values as HostArray | undefined;
    const Want = ARRAY_OF[t.dtype];
    if (values === undefined || Want === undefined) throw new Error(`native backend: no ${t.dtype} data for this tensor.`);
    if (values instanceof Want) return values;
    const copy = new Want(values.length);
    copy.set(values as ArrayLike<number>);
    return copy;
  }

  f32(t: tfc.TensorInfo): Float32Array {
    const values = this.data.get(t.dataId)?.values;
    return values instanceof Float32Array ? values : (this.array({ ...t, dtype: 'float32' }) as Float32Array);
  }

  /**
   * A new tensor of `shape` and its array, for a kernel that writes every element (a reused array
   * holds old values; pass zeroed for one of zeros).
   */
  output<T extends HostArray = Float32Array>(shape: number[], dtype: 'float32' | 'int32' | 'bool' = 'float32', zeroed = false): [tfc.TensorInfo, T] {
    const n = tfc.util.sizeFromShape(shape);
    let values: HostArray | undefined;
    if (dtype === 'float32' && n >= MIN_POOLED) {
      const list = this.pool.get(n);
      if (list !== undefined) {
        // The pool's sizes stay in the order of last use (makeRoom frees the oldest first).
        this.pool.delete(n);
        this.pool.set(n, list);
      }
      values = list?.pop();
      if (values !== undefined) {
        this.pooledBytes -= values.byteLength;
        if (zeroed) values.fill(0);
      } else values = new Float32Array(n);
      this.liveBytes += values.byteLength;
      this.peakLiveBytes = Math.max(this.peakLiveBytes, this.liveBytes);
      return [this.marked(shape, dtype, values, Kept.Pooled), values as T];
    }
    values = new ARRAY_OF[dtype](n);
    return [dtype === 'float32' ? this.marked(shape, dtype, values, Kept.Owned) : this.makeTensorInfo(shape, dtype, values), values as T];
  }

  /**
   * A float32 tensor of zeros that takes no allocation or fill: its array is shared with every other
   * sharedZeros() tensor of its size, so nothing writes into it (not exclusive, never pooled; reads get a copy).
   * For outputs that must exist but nothing reads, as a batch's own input gradient.
   */
  sharedZeros(shape: number[]): tfc.TensorInfo {
    const n = tfc.util.sizeFromShape(shape);
    let values = this.zeroArrays.get(n);
    if (values === undefined) {
      if (this.zeroArrays.size >= MAX_ZERO_SIZES) this.zeroArrays.delete(this.zeroArrays.keys().next().value as number);
      this.zeroArrays.set(n, (values = new Float32Array(n)));
    }
    return this.marked(shape, 'float32', values, Kept.SharedZeros);
  }

  /** A new tensor over `values`, its data entry marked with how this backend holds the array (a field there, not a WeakSet: no ephemeron for the collector). */
  private marked(shape: number[], dtype: tfc.DataType, values: HostArray, kept: Kept): tfc.TensorInfo {
    const info = this.makeTensorInfo(shape, dtype, values);
    (this.data.get(info.dataId) as Entry).kept = kept;
    return info;
  }

  private kept(dataId: tfc.DataId): Kept | undefined {
    return (this.data.get(dataId) as Entry | undefined)?.kept;
  }

  /**
   * Whether a kernel may write into t's array in place: the backend allocated it (no user array,
   * no view of one) and t is its only holder. Optimizer steps update variables and their slots so.
   */
  exclusive(t: tfc.TensorInfo): boolean {
    const kept = this.kept(t.dataId);
    return (kept === Kept.Pooled || kept === Kept.Owned) && this.refCount(t.dataId) === 1;
  }

  /** Never reuse this tensor's array: something else (a view made by a tfjs CPU kernel) refers to its memory. */
  keepOut(dataId: tfc.DataId): void {
    const entry = this.data.get(dataId) as Entry | undefined;
    if (entry === undefined || entry.kept === undefined) return;
    const values = entry.values as Float32Array;
    if (entry.kept === Kept.Pooled) this.liveBytes -= values.byteLength;
    // A shared zero array seen through a view is no longer handed to new sharedZeros() tensors.
    if (entry.kept === Kept.SharedZeros && this.zeroArrays.get(values.length) === values) this.zeroArrays.delete(values.length);
    entry.kept = undefined;
  }

  /** Bytes of arrays kept for reuse. */
  pooled(): number {
    return this.pooledBytes;
  }

  override disposeData(dataId: tfc.DataId, force = false): boolean {
    const entry = this.data.get(dataId) as Entry | undefined;
    const [values, kept] = [entry?.values, entry?.kept];
    const freed = super.disposeData(dataId, force);
    if (!freed || kept !== Kept.Pooled || !(values instanceof Float32Array)) return freed;
    this.liveBytes -= values.byteLength;
    if (values.byteLength <= this.poolLimit()) {
      this.makeRoom(values.byteLength);
      let list = this.pool.get(values.length);
      if (list === undefined) this.pool.set(values.length, (list = []));
      list.push(values);
      this.pooledBytes += values.byteLength;
    }
    return freed;
  }

  /**
   * Frees pooled arrays of the sizes least recently asked for until `bytes` more fit: a workload that
   * follows another (a small model's steps after a large one's predictions) otherwise finds the pool
   * full of sizes it never asks for, and allocates every array anew.
   */
  private makeRoom(bytes: number): void {
    const limit = this.poolLimit();
    for (const [n, list] of this.pool) {
      if (this.pooledBytes + bytes <= limit) return;
      while (list.length > 0 && this.pooledBytes + bytes > limit) this.pooledBytes -= (list.pop() as Float32Array).byteLength;
      if (list.length === 0) this.pool.delete(n);
    }
  }

  /** The most bytes the pool keeps: as many as were ever alive at once, at least POOL_MIN_BYTES. */
  private poolLimit(): number {
    return Math.max(POOL_MIN_BYTES, this.peakLiveBytes);
  }

  /** The values, copied where the array may be reused after the tensor is freed. */
  override readSync(dataId: tfc.DataId): tfc.backend_util.BackendValues {
    const kept = this.kept(dataId);
    const values = super.readSync(dataId);
    return values instanceof Float32Array && kept !== undefined ? values.slice() : values;
  }

  override dispose(): void {
    this.pool.clear();
    this.pooledBytes = 0;
    super.dispose();
  }

  /** A view of the same data with another shape (what Reshape does: no copy). */
  view(t: tfc.TensorInfo, shape: number[], dtype: tfc.DataType = t.dtype): tfc.TensorInfo {
    this.incRef(t.dataId);
    return { dataId: t.dataId, shape, dtype };
  }
}
