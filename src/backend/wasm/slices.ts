/**
 * Slice, Unpack and SplitV for tfjs-backend-wasm that copy only the part they take. The package's
 * own kernels read the whole source tensor out of the wasm heap into a fresh array (readSync) for
 * every slice they cut, so cutting a sequence into its T steps costs T whole copies: 28 steps of a
 * [28, 128, 512] tensor took 27 ms with tfjs's Slice, 47 ms with its Unpack. Here each piece is
 * copied straight from the heap, in runs as long as the slice's trailing whole axes allow.
 */
import * as tfc from '@tensorflow/tfjs-core';
import type { KernelReplacement } from '../copy_kernels';

type HeapArray = Float32Array | Int32Array | Uint8Array;

/** The parts of tfjs-backend-wasm's BackendWasm used here. */
interface WasmBackend {
  dataIdMap: { get(dataId: object): { memoryOffset: number } };
  wasm: { HEAPU8: Uint8Array };
  makeOutput(shape: number[], dtype: tfc.DataType): tfc.TensorInfo;
}

function view(backend: WasmBackend, t: tfc.TensorInfo): HeapArray {
  const { memoryOffset } = backend.dataIdMap.get(t.dataId);
  const buffer = backend.wasm.HEAPU8.buffer;
  const size = tfc.util.sizeFromShape(t.shape);
  if (t.dtype === 'int32') return new Int32Array(buffer, memoryOffset, size);
  if (t.dtype === 'bool') return new Uint8Array(buffer, memoryOffset, size);
  return new Float32Array(buffer, memoryOffset, size);
}

/** Copies the block [begin, begin + size) of `src` (of `shape`) into `dst` from `at`. */
function copyBlock(src: HeapArray, shape: number[], begin: number[], size: number[], dst: HeapArray, at: number): void {
  const rank = shape.length;
  if (rank === 0) {
    dst[at] = src[0];
    return;
  }
  const strides = [...tfc.util.computeStrides(shape), 1];
  // Trailing axes taken whole join the innermost partial axis into one contiguous run.
  let k = rank - 1;
  let run = size[k];
  while (k > 0 && size[k] === shape[k]) run *= size[--k];
  const outer = size.slice(0, k);
  const count = tfc.util.sizeFromShape(outer);
  const index = new Array<number>(k).fill(0);
  let o = at;
  for (let n = 0; n < count; n++) {
    let offset = begin[k] * strides[k];
    for (let i = 0; i < k; i++) offset += (begin[i] + index[i]) * strides[i];
    dst.set(src.subarray(offset, offset + run), o);
    o += run;
    for (let i = k - 1; i >= 0; i--) {
      if (++index[i] < outer[i]) break;
      index[i] = 0;
    }
  }
}

/** One slice of x into a new tensor of `outShape` (the slice's shape, or it without a unit axis). */
function cut(backend: WasmBackend, x: tfc.TensorInfo, begin: number[], size: number[], outShape: number[]): tfc.TensorInfo {
  const out = backend.makeOutput(outShape, x.dtype); // may grow the heap: take the views after it
  if (tfc.util.sizeFromShape(size) > 0) copyBlock(view(backend, x), x.shape, begin, size, view(backend, out), 0);
  return out;
}

type KernelArgs = { inputs: Record<string, tfc.TensorInfo>; attrs: tfc.NamedAttrMap; backend: WasmBackend };

function slice({ inputs, attrs, backend }: KernelArgs): tfc.TensorInfo {
  const x = inputs.x;
  const [begin, size] = tfc.slice_util.parseSliceParams(x as unknown as tfc.Tensor, attrs.begin as number[], attrs.size as number[]);
  return cut(backend, x, begin, size, size);
}

function unpack({ inputs, attrs, backend }: KernelArgs): tfc.TensorInfo[] {
  const x = inputs.value;
  const axis = tfc.util.parseAxisParam(attrs.axis as number, x.shape)[0];
  const size = x.shape.slice();
  size[axis] = 1;
  const outShape = x.shape.filter((_, i) => i !== axis);
  return Array.from({ length: x.shape[axis] }, (_, i) => {
    const begin = x.shape.map((_d, j) => (j === axis ? i : 0));
    return cut(backend, x, begin, size, outShape);
  });
}

function splitV({ inputs, attrs, backend }: KernelArgs): tfc.TensorInfo[] {
  const x = inputs.x;
  const axis = tfc.util.parseAxisParam(attrs.axis as number, x.shape)[0];
  const sizes = tfc.backend_util.prepareSplitSize(x as unknown as tfc.Tensor, attrs.numOrSizeSplits as number | number[], axis);
  const begin = new Array<number>(x.shape.length).fill(0);
  return sizes.map((s) => {
    const size = x.shape.slice();
    size[axis] = s;
    const out = cut(backend, x, begin, size, size);
    begin[axis] += s;
    return out;
  });
}

/** Slice, Unpack and SplitV as copyKernels replacements of tfjs-backend-wasm's; string tensors keep the package's kernels. */
export const SLICE_KERNELS: Readonly<Record<string, KernelReplacement>> = Object.fromEntries(
  ([['Slice', slice, 'x'], ['Unpack', unpack, 'value'], ['SplitV', splitV, 'x']] as const).map(([kernelName, ours, input]) => [
    kernelName,
    (original: tfc.KernelConfig | undefined): tfc.KernelFunc =>
      ((args: KernelArgs) => (args.inputs[input].dtype === 'string' && original ? original.kernelFunc(args as never) : ours(args))) as unknown as tfc.KernelFunc,
  ]),
);
