/** Matrix products (BatchMatMul, _FusedMatMul with bias and activation) and Dense's backward pass. */
import * as tfc from '@tensorflow/tfjs-core';
import { opCodes } from '../../op_table';
import { input, NativeArgs, NativeImpl, size } from './types';

const ACTIVATION = opCodes('Activation');

function matMul(args: NativeArgs, bias: tfc.TensorInfo | undefined, activation: string): tfc.TensorInfo | null {
  const b = args.backend;
  const [x, y] = [input(args, 'a'), input(args, 'b')];
  const ta = args.attrs.transposeA as boolean;
  const tb = args.attrs.transposeB as boolean;
  const act = ACTIVATION[activation];
  if (x.dtype !== 'float32' || y.dtype !== 'float32' || act === undefined || x.shape.length < 2 || y.shape.length < 2) return null;
  const [ra, rb] = [x.shape.length, y.shape.length];
  const m = ta ? x.shape[ra - 1] : x.shape[ra - 2];
  const k = ta ? x.shape[ra - 2] : x.shape[ra - 1];
  const n = tb ? y.shape[rb - 2] : y.shape[rb - 1];
  if ((tb ? y.shape[rb - 1] : y.shape[rb - 2]) !== k) return null; // tfjs's kernel reports the mismatch
  if (bias !== undefined && (bias.dtype !== 'float32' || size(bias.shape) !== n || bias.shape[bias.shape.length - 1] !== n)) return null;
  let batchA = 1;
  let batchB = 1;
  let outShape = [m, n];
  if (ra > 2 || rb > 2) {
    const [outerA, outerB] = [x.shape.slice(0, -2), y.shape.slice(0, -2)];
    [batchA, batchB] = [size(outerA), size(outerB)];
    if (batchA !== batchB && batchA !== 1 && batchB !== 1) return null;
    outShape = [...tfc.backend_util.assertAndGetBroadcastShape(outerA, outerB), m, n];
  }
  const [out, values] = b.output(outShape);
  b.addon.matMul(b.f32(x), b.f32(y), values, bias ? b.f32(bias) : null, batchA, batchB, m, n, k, ta, tb, act, (args.attrs.leakyreluAlpha as number) ?? 0.2);
  return out;
}

export const MATMUL: Record<string, NativeImpl> = {
  BatchMatMul: (args) => matMul(args, undefined, 'linear'),
  _FusedMatMul: (args) => {
    if (args.inputs.preluActivationWeights !== undefined) return null;
    return matMul(args, args.inputs.bias, (args.attrs.activation as string) ?? 'linear');
  },
  /** keras-ts's Dense forward on any rank (engine/fused_kernels.ts): the 2-D product of x and w as they lie in memory. */
  KerasDense: (args) => {
    const b = args.backend;
    const [x, w, bias] = [input(args, 'x'), input(args, 'w'), args.inputs.bias];
    const inAxes = args.attrs.inAxes as number;
    const act = ACTIVATION[args.attrs.activation as string];
    if (x.dtype !== 'float32' || w.dtype !== 'float32' || act === undefined || act === ACTIVATION.leakyrelu || w.shape.length <= inAxes || x.shape.length < inAxes) return null;
    const inDim = size(w.shape.slice(0, inAxes));
    const units = size(w.shape.slice(inAxes));
    if (size(x.shape.slice(x.shape.length - inAxes)) !== inDim || (bias !== undefined && (bias.dtype !== 'float32' || size(bias.shape) !== units))) return null;
    const [out, values] = b.output([...x.shape.slice(0, x.shape.length - inAxes), ...w.shape.slice(inAxes)]);
    b.addon.matMul(b.f32(x), b.f32(w), values, bias ? b.f32(bias) : null, 1, 1, size(x.shape) / inDim, units, inDim, false, false, act, 0.2);
    return out;
  },
  /** keras-ts's Dense backward (engine/fused_kernels.ts): [dx, dw, db?] in one call. */
  KerasDenseGrad: (args) => {
    const b = args.backend;
    const [dy, x, w] = [input(args, 'dy'), input(args, 'x'), input(args, 'w')];
    const act = ACTIVATION[args.attrs.activation as string];
    // x [..., in...] and w [in..., units...] with `inAxes` (default 1) axes contracted (engine/fused_kernels.ts's Dense)
    const inAxes = (args.attrs.inAxes as number | undefined) ?? 1;
    if (act === undefined || act === ACTIVATION.leakyrelu || x.shape.length < 2 || w.shape.length <= inAxes) return null;
    const inDim = size(w.shape.slice(0, inAxes));
    const units = size(w.shape.slice(inAxes));
    const batch = size(x.shape) / inDim;
    // Where not asked for (x is the batch's data), dx is zeros: shared ones, or written where a step is recorded (backend/capture).
    const [dx, dxValues] = args.attrs.inputGradient || b.capturing ? b.output(x.shape) : [b.sharedZeros(x.shape), null];
    if (!args.attrs.inputGradient && dxValues !== null) b.addon.fill(dxValues, 0);
    const [dw, dwValues] = b.output(w.shape);
    const [db, dbValues] = args.attrs.hasBias ? b.output((args.attrs.biasShape as number[] | undefined) ?? [units]) : [undefined, null];
    const y = args.inputs.y;
    b.addon.denseGrad(b.f32(dy), b.f32(x), b.f32(w), y ? b.f32(y) : null, args.attrs.inputGradient ? dxValues : null, dwValues, dbValues,
      batch, inDim, units, act);
    return db ? [dx, dw, db] : [dx, dw];
  },
};
