/**
 * UnsortedSegmentSum (the gradient of gather, so of every Embedding) as one pass over the data:
 * out[segment[i]] += x[i]. tfjs-backend-cpu computes it segment by segment with tensor ops
 * (an equal, a multiply and a sum per segment), which took 127 ms for a 60-word table and a batch
 * of 32 × 16 ids, and grows with the vocabulary; wasm has no kernel and ran that one through the
 * CPU fallback. This takes well under a millisecond. keras-cpu and keras-wasm register it (and
 * native, which takes keras-cpu's kernels).
 */
import * as tfc from '@tensorflow/tfjs-core';

interface HostBackend {
  readSync(dataId: tfc.DataId): tfc.backend_util.BackendValues;
  write(values: tfc.backend_util.BackendValues, shape: number[], dtype: tfc.DataType): tfc.DataId;
}

function segmentSum(args: { inputs: tfc.NamedTensorInfoMap; attrs: tfc.NamedAttrMap; backend: unknown }): tfc.TensorInfo {
  const { x, segmentIds } = args.inputs as Record<string, tfc.TensorInfo>;
  const numSegments = args.attrs.numSegments as number;
  const backend = args.backend as HostBackend;
  const values = backend.readSync(x.dataId) as Float32Array | Int32Array;
  const ids = backend.readSync(segmentIds.dataId) as Int32Array | Float32Array;
  const innerShape = x.shape.slice(segmentIds.shape.length);
  const inner = tfc.util.sizeFromShape(innerShape);
  const out = x.dtype === 'int32' ? new Int32Array(numSegments * inner) : new Float32Array(numSegments * inner);
  for (let i = 0; i < ids.length; i++) {
    const s = ids[i];
    if (s < 0 || s >= numSegments) continue;
    const from = i * inner;
    const to = s * inner;
    for (let j = 0; j < inner; j++) out[to + j] += values[from + j];
  }
  const shape = [numSegments, ...innerShape];
  return { dataId: backend.write(out, shape, x.dtype), shape, dtype: x.dtype };
}

/** The kernel, as a copyKernels replacement (it needs no original). */
export const unsortedSegmentSum = (): tfc.KernelFunc => segmentSum as unknown as tfc.KernelFunc;
