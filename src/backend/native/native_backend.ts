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
/** Arrays shorter than this are not pooled; the pool keeps at most this many bytes. */
const MIN_POOLED = 64;
const POOL_LIMIT_BYTES = 256 * 2 ** 20;

export class NativeBackend extends MathBackendCPU {
  private readonly pool = new Map<number, Float32Array[]>();
  private pooledBytes = 0;
  /** Arrays this backend allocated, which may return to the pool when their tensor is freed. */
  private readonly poolable = new WeakSet<HostArray>();
  /** Arrays this backend allocated below the pooled size: never pooled, but updated in place as the pooled ones. */
  private readonly owned = new WeakSet<HostArray>();

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
      this.poolable.add(values);
    } else {
      values = new ARRAY_OF[dtype](n);
      if (dtype === 'float32') this.owned.add(values);
    }
    return [this.makeTensorInfo(shape, dtype, values), values as T];
  }

  /**
   * Whether a kernel may write into t's array in place: the backend allocated it (no user array,
   * no view of one) and t is its only holder. Optimizer steps update variables and their slots so.
   */
  exclusive(t: tfc.TensorInfo): boolean {
    const values = this.data.get(t.dataId)?.values;
    return values instanceof Float32Array && (this.poolable.has(values) || this.owned.has(values)) && this.refCount(t.dataId) === 1;
  }

  /** Never reuse `values`: something else (a view made by a tfjs CPU kernel) refers to its memory. */
  keepOut(values: HostArray): void {
    this.poolable.delete(values);
    this.owned.delete(values);
  }

  /** Bytes of arrays kept for reuse. */
  pooled(): number {
    return this.pooledBytes;
  }

  override disposeData(dataId: tfc.DataId, force = false): boolean {
    const values = this.data.get(dataId)?.values;
    const freed = super.disposeData(dataId, force);
    if (freed && values instanceof Float32Array && this.poolable.has(values) && values.byteLength <= POOL_LIMIT_BYTES) {
      this.poolable.delete(values);
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
    for (const [n, list] of this.pool) {
      if (this.pooledBytes + bytes <= POOL_LIMIT_BYTES) return;
      while (list.length > 0 && this.pooledBytes + bytes > POOL_LIMIT_BYTES) this.pooledBytes -= (list.pop() as Float32Array).byteLength;
      if (list.length === 0) this.pool.delete(n);
    }
  }

  /** The values, copied where the array may be reused after the tensor is freed. */
  override readSync(dataId: tfc.DataId): tfc.backend_util.BackendValues {
    const values = super.readSync(dataId);
    return values instanceof Float32Array && (this.poolable.has(values) || this.owned.has(values)) ? values.slice() : values;
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
