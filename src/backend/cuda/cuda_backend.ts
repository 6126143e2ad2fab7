/**
 * The 'cuda' tfjs-core backend: float32, int32 and bool tensors live in GPU memory (a stream-ordered
 * pool in the addon; bool as float32 0/1, so comparisons, casts and selects stay on the device);
 * string and complex tensors stay on the host. Kernels run natively where
 * kernels.ts implements them and on the CPU backend's code otherwise (cpu_fallback.ts). A tensor
 * made on another backend is moved here when a kernel uses it, as tfjs's own backends do.
 */
import * as tfc from '@tensorflow/tfjs-core';
import type { CudaAddon } from './addon';

interface Entry {
  /** Device address, or 0 for host-resident data. */
  ptr: number;
  bytes: number;
  shape: number[];
  dtype: tfc.DataType;
  refCount: number;
  /** Host values, for dtypes kept on the host (string, complex64). */
  host: tfc.backend_util.BackendValues | null;
}

const ON_DEVICE: tfc.DataType[] = ['float32', 'int32', 'bool'];

export class CudaBackend extends tfc.KernelBackend {
  private readonly data = new Map<tfc.DataId, Entry>();
  private nextId = 0;

  constructor(readonly addon: CudaAddon, readonly device: string) {
    super();
  }

  /**
   * A tensor's entry; a tensor that lives on another backend (made before a setBackend or outside
   * a device scope) is moved here first, through tfjs's engine, as tfjs-backend-cpu's DataStorage does.
   */
  private entry(dataId: tfc.DataId): Entry | undefined {
    const e = this.data.get(dataId);
    if (e !== undefined || !tfc.engine().state.tensorInfo.has(dataId)) return e;
    tfc.engine().moveData(this, dataId);
    return this.data.get(dataId);
  }

  /** The device address of a float32/int32 tensor's data (0 when it lives on the host). */
  pointer(dataId: tfc.DataId): number {
    const e = this.entry(dataId);
    if (e === undefined) throw new Error('cuda backend: a disposed tensor was used.');
    return e.ptr;
  }

  isOnDevice(t: tfc.TensorInfo): boolean {
    return this.entry(t.dataId)?.ptr !== 0;
  }

  /** A new uninitialized device tensor for a kernel's output. */
  makeOutput(shape: number[], dtype: 'float32' | 'int32' | 'bool'): tfc.TensorInfo {
    const dataId = { id: this.nextId++ };
    const bytes = 4 * tfc.util.sizeFromShape(shape);
    this.data.set(dataId, { ptr: this.addon.alloc(bytes), bytes, shape, dtype, refCount: 1, host: null });
    return { dataId, shape, dtype };
  }

  override write(values: tfc.backend_util.BackendValues, shape: number[], dtype: tfc.DataType): tfc.DataId {
    const dataId = { id: this.nextId++ };
    this.store(dataId, values, shape, dtype, 1);
    return dataId;
  }

  private store(dataId: tfc.DataId, values: tfc.backend_util.BackendValues | null, shape: number[], dtype: tfc.DataType, refCount: number): void {
    if (!ON_DEVICE.includes(dtype)) {
      this.data.set(dataId, { ptr: 0, bytes: 0, shape, dtype, refCount, host: values });
      return;
    }
    const size = tfc.util.sizeFromShape(shape);
    const ptr = this.addon.alloc(4 * size);
    if (values !== null) {
      const typed = dtype === 'int32' ? Int32Array.from(values as ArrayLike<number>) : values instanceof Float32Array ? values : Float32Array.from(values as ArrayLike<number>);
      this.addon.upload(ptr, typed);
    }
    this.data.set(dataId, { ptr, bytes: 4 * size, shape, dtype, refCount, host: null });
  }

  override move(dataId: tfc.DataId, values: tfc.backend_util.BackendValues, shape: number[], dtype: tfc.DataType, refCount: number): void {
    this.store(dataId, values, shape, dtype, refCount);
  }

  override readSync(dataId: tfc.DataId): tfc.backend_util.BackendValues {
    const e = this.entry(dataId);
    if (e === undefined) throw new Error('cuda backend: reading a disposed tensor.');
    if (e.ptr === 0) return e.host as tfc.backend_util.BackendValues;
    const size = e.bytes / 4;
    const out = e.dtype === 'int32' ? new Int32Array(size) : new Float32Array(size);
    this.addon.download(e.ptr, out);
    return e.dtype === 'bool' ? Uint8Array.from(out) : out;
  }

  /**
   * Reads without blocking the event loop: the copy goes through pinned staging memory on the
   * stream, and the promise resolves once an event says it is done.
   */
  override async read(dataId: tfc.DataId): Promise<tfc.backend_util.BackendValues> {
    const e = this.entry(dataId);
    if (e === undefined) throw new Error('cuda backend: reading a disposed tensor.');
    if (e.ptr === 0) return e.host as tfc.backend_util.BackendValues;
    const handle = this.addon.readStart(e.ptr, e.bytes);
    while (!this.addon.readPoll(handle)) await new Promise((resolve) => setImmediate(resolve));
    const size = e.bytes / 4;
    const out = e.dtype === 'int32' ? new Int32Array(size) : new Float32Array(size);
    this.addon.readFinish(handle, out);
    return e.dtype === 'bool' ? Uint8Array.from(out) : out;
  }

  override refCount(dataId: tfc.DataId): number {
    return this.data.get(dataId)?.refCount ?? 0;
  }

  override incRef(dataId: tfc.DataId): void {
    const e = this.entry(dataId);
    if (e) e.refCount++;
  }

  override disposeData(dataId: tfc.DataId, force = false): boolean {
    const e = this.data.get(dataId);
    if (e === undefined) return true;
    e.refCount--;
    if (!force && e.refCount > 0) return false;
    if (e.ptr !== 0) this.addon.free(e.ptr);
    this.data.delete(dataId);
    return true;
  }

  override numDataIds(): number {
    return this.data.size;
  }

  override memory(): { unreliable: boolean; numBytesInGPU: number } {
    return { unreliable: false, numBytesInGPU: this.addon.memoryUsed() };
  }

  override timerAvailable(): boolean {
    return true;
  }

  /** GPU time of the work `f` queues, measured with CUDA events around it. */
  override async time(f: () => void): Promise<tfc.BackendTimingInfo> {
    const start = this.addon.eventRecord();
    const wall = performance.now();
    f();
    const end = this.addon.eventRecord();
    const kernelMs = this.addon.eventElapsed(start, end);
    return { kernelMs, wallMs: performance.now() - wall } as tfc.BackendTimingInfo;
  }

  override floatPrecision(): 32 {
    return 32;
  }

  override epsilon(): number {
    return 1e-7;
  }

  override dispose(): void {
    for (const e of this.data.values()) if (e.ptr !== 0) this.addon.free(e.ptr);
    this.data.clear();
  }
}
