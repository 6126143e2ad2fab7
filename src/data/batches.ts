/**
 * Batches of in-memory arrays. On the CPU backends they are cut on the host: the arrays are read
 * from the device once, each epoch draws a permutation, and each batch gathers its rows into a new
 * typed array that becomes one small tensor (slicing a batch from a large tensor instead costs a
 * copy of the whole tensor on tfjs-backend-wasm, whose Slice reads the full buffer: 3.3 ms per batch
 * of the 8,000-digit set). Where the backend's profile says batchesOnDevice, the arrays stay the
 * backend's tensors and each batch is gathered there from the permutation's indices: on a GPU
 * ('cuda') no batch crosses the bus (measured on an H200: a 1024-sample batch's upload was most of a
 * step); on 'native' the addon copies the rows into a reused array.
 */
import * as tfc from '@tensorflow/tfjs-core';
import { capabilities } from '../backend/profile';
import { permutation } from '../utils/random';

type Values = Float32Array | Int32Array | Uint8Array;

export class ArrayBatches {
  readonly samples: number;
  readonly numBatches: number;
  private readonly values: Values[];
  private readonly onDevice: boolean;
  private readonly rowShapes: number[][];
  private readonly rowSizes: number[];
  private readonly dtypes: tfc.DataType[];

  constructor(
    private readonly arrays: tfc.Tensor[],
    readonly batchSize: number,
  ) {
    this.samples = arrays[0].shape[0];
    this.numBatches = Math.ceil(this.samples / batchSize);
    this.onDevice = capabilities().batchesOnDevice;
    this.values = this.onDevice ? [] : arrays.map((a) => a.dataSync() as Values);
    this.rowShapes = arrays.map((a) => a.shape.slice(1));
    this.rowSizes = this.rowShapes.map((s) => s.reduce((p, q) => p * q, 1));
    this.dtypes = arrays.map((a) => a.dtype);
  }

  /** The batches of one epoch, in a fresh random order if `shuffle`. */
  epoch(shuffle: boolean): Epoch {
    return new Epoch(this, shuffle ? permutation(this.samples) : null);
  }

  /** Batch `i` of every array, in `order` (or as stored); the caller owns the tensors. */
  batch(order: Int32Array | null, i: number): tfc.Tensor[] {
    const start = i * this.batchSize;
    const size = Math.min(this.batchSize, this.samples - start);
    if (this.onDevice) return this.deviceBatch(order, start, size);
    return this.values.map((vals, a) => {
      const row = this.rowSizes[a];
      let data: Values;
      if (order === null) data = vals.subarray(start * row, (start + size) * row);
      else {
        data = new (vals.constructor as new (n: number) => Values)(size * row);
        for (let r = 0; r < size; r++) {
          const src = order[start + r] * row;
          data.set(vals.subarray(src, src + row), r * row);
        }
      }
      return tfc.tensor(data, [size, ...this.rowShapes[a]], this.dtypes[a]);
    });
  }

  private deviceBatch(order: Int32Array | null, start: number, size: number): tfc.Tensor[] {
    if (order === null) return this.arrays.map((a) => tfc.slice(a, start, size));
    const rows = tfc.tensor1d(order.subarray(start, start + size), 'int32');
    const out = this.arrays.map((a) => tfc.gather(a, rows));
    rows.dispose();
    return out;
  }
}

export class Epoch {
  constructor(
    private readonly source: ArrayBatches,
    private readonly order: Int32Array | null,
  ) {}

  /** Batch `i` of every array; the caller owns the tensors. */
  batch(i: number): tfc.Tensor[] {
    return this.source.batch(this.order, i);
  }
}
