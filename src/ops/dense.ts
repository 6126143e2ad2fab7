/**
 * A dense layer's forward and backward as one differentiable op: y = activation(x·W + b) runs as a
 * single fused kernel (matmul, bias, activation), and its gradient is written out by hand (dz from
 * y, then dx, dW and db), instead of being taped kernel by kernel. This is the same math with
 * about half the kernel calls per layer and step, which on a GPU is most of a small model's step.
 * Where the backend has keras-ts's DenseGrad kernel (the native CPU backend), the whole backward
 * pass is that one kernel.
 */
import * as tfc from '@tensorflow/tfjs-core';
import { FusedKernel, hasKernel, runFused } from '../engine/fused_kernels';
import { outlivesStep, saveForGradient } from './gradient_saves';
import { columnSum, product } from './matmul';

export type DenseActivation = 'linear' | 'relu' | 'relu6' | 'elu' | 'sigmoid';

/**
 * dL/dz from dL/dy and the output y, for y = activation(z): one ActivationGrad kernel where the
 * backend has it (WebGL: one pass instead of two or three), else tfjs ops.
 */
function activationGradient(dy: tfc.Tensor, y: tfc.Tensor, activation: DenseActivation): tfc.Tensor {
  if (activation !== 'linear' && hasKernel(FusedKernel.ActivationGrad)) return runFused(FusedKernel.ActivationGrad, { dy, y }, { activation })[0];
  switch (activation) {
    case 'linear':
      return dy;
    case 'relu':
      return tfc.mul(dy, tfc.step(y));
    case 'relu6':
      return tfc.mul(dy, tfc.cast(tfc.logicalAnd(tfc.greater(y, 0), tfc.less(y, 6)), 'float32'));
    case 'elu':
      // z > 0: y = z, dy/dz = 1; z <= 0: y = exp(z) - 1, dy/dz = y + 1
      return tfc.mul(dy, tfc.where(tfc.greater(y, 0), tfc.onesLike(y), tfc.add(y, 1)));
    default:
      return tfc.mul(dy, tfc.mul(y, tfc.sub(1, y)));
  }
}

/** activation(z) with tfjs ops. */
function applyActivation(z: tfc.Tensor, activation: DenseActivation): tfc.Tensor {
  if (activation === 'linear') return z;
  return activation === 'relu' ? tfc.relu(z) : activation === 'relu6' ? tfc.relu6(z) : activation === 'elu' ? tfc.elu(z) : tfc.sigmoid(z);
}

type CustomGradientFunc = Parameters<typeof tfc.customGrad>[0];

/**
 * The fused kernel itself: tfjs's fused.matMul splits into three kernels while a gradient tape
 * records, and this op records its own gradient. tfjs's kernels take rank-3 operands (its op
 * reshapes them); the backends with keras-ts's own kernels (DenseGrad) take rank 2 as well, which
 * saves three reshapes per layer.
 */
function fusedForward(a: tfc.Tensor2D, w: tfc.Tensor2D, b: tfc.Tensor | undefined, activation: DenseActivation): tfc.Tensor2D {
  const attrs = { transposeA: false, transposeB: false, activation };
  const rank2 = hasKernel(FusedKernel.DenseGrad);
  const x = rank2 ? a : tfc.reshape(a, [1, ...a.shape]);
  const k = rank2 ? w : tfc.reshape(w, [1, ...w.shape]);
  const y = runFused(tfc._FusedMatMul, b === undefined ? { a: x, b: k } : { a: x, b: k, bias: b }, attrs)[0];
  return (rank2 ? y : tfc.reshape(y, [a.shape[0], w.shape[1]])) as tfc.Tensor2D;
}

/** [dx, dW, db?]: on the backend's DenseGrad kernel where it has one, else with tfjs ops. */
function backward(dy: tfc.Tensor, x: tfc.Tensor, w: tfc.Tensor, y: tfc.Tensor | undefined, activation: DenseActivation, inputGradient: boolean, hasBias: boolean): tfc.Tensor[] {
  if (hasKernel(FusedKernel.DenseGrad)) {
    return runFused(FusedKernel.DenseGrad, y === undefined ? { dy, x, w } : { dy, x, w, y }, { activation, inputGradient, hasBias });
  }
  const dz = activationGradient(dy, y ?? dy, activation); // y is read only by a non-linear activation
  const dx = inputGradient ? product(dz, w, false, true) : tfc.zerosLike(x);
  const dw = product(x, dz, true, false);
  return hasBias ? [dx, dw, columnSum(dz)] : [dx, dw];
}

/** The product of `dims`. */
const product1 = (dims: number[]): number => dims.reduce((a, b) => a * b, 1);

/** t in `shape` (no kernel where it has it already; -1 where the rest goes). */
function shaped<T extends tfc.Tensor>(t: tfc.Tensor, shape: number[]): T {
  const known = shape.map((d) => (d === -1 ? t.size / product1(shape.filter((e) => e !== -1)) : d));
  return (known.length === t.rank && known.every((d, i) => d === t.shape[i]) ? t : tfc.reshape(t, known)) as T;
}

/**
 * activation(x·W + b), differentiable in x, W and b: the last `inAxes` axes of x contracted with the
 * first `inAxes` of the kernel (Dense: x [..., in], kernel [in, units], inAxes 1; an attention
 * projection: x [B, T, d] and kernel [d, heads, size] give [B, T, heads, size]; the output
 * projection: heads [B, T, heads, size], kernel [heads, size, out], inAxes 2), the bias of the
 * kernel's remaining axes (any shape of that size). The reshapes to and from the 2-D product are
 * inside the op, untaped. With `inputGradient` false (x is the batch's data, alive until the
 * training step ends), the gradient for x is zeros instead of a matmul nobody reads; x, the kernel
 * and the bias are saved without a copy where they outlive the step (gradient_saves.ts). On a backend
 * with keras-ts's Dense and DenseGrad kernels, the op is the Dense kernel, with its gradient registered:
 * the tape saves x, the kernel and the output as it saves any kernel's (shared handles inside the
 * built-in step's gradient pass).
 */
export function dense<T extends tfc.Tensor = tfc.Tensor2D>(
  x: tfc.Tensor,
  kernel: tfc.Tensor,
  bias: tfc.Tensor | undefined,
  activation: DenseActivation,
  inputGradient = true,
  inAxes = 1,
): T {
  const hasBias = bias !== undefined;
  // The backend's own Dense kernel (the native CPU backend) takes any rank: no reshapes at all, and
  // its gradient is registered with tfjs-core, so the tape records the kernel itself (no customGrad scope).
  if (hasKernel(FusedKernel.Dense) && hasKernel(FusedKernel.DenseGrad)) {
    registerGradient();
    const attrs = { activation, inAxes, inputGradient, hasBias, biasShape: bias?.shape };
    return runFused(FusedKernel.Dense, bias === undefined ? { x, w: kernel } : { x, w: kernel, bias }, attrs)[0] as T;
  }
  // Elsewhere the 2-D product of the flattened operands, reshaped back.
  const inSize = product1(kernel.shape.slice(0, inAxes));
  const units = product1(kernel.shape.slice(inAxes));
  const outShape = [...x.shape.slice(0, x.rank - inAxes), ...kernel.shape.slice(inAxes)];
  const flat = (t: tfc.Tensor, shape: number[]): tfc.Tensor2D => shaped<tfc.Tensor2D>(t, shape);
  const value = (a: tfc.Tensor, w: tfc.Tensor, b: tfc.Tensor | undefined): tfc.Tensor => {
    // tfjs-backend-wasm reads a bias's rank from its buffer's first shape: a bias of another shape is added apart.
    const apart = b !== undefined && b.rank !== 1;
    const z = fusedForward(flat(a, [-1, inSize]), flat(w, [inSize, units]), apart ? undefined : b, apart ? 'linear' : activation);
    return shaped(apart ? applyActivation(tfc.add(z, shaped(b as tfc.Tensor, [units])), activation) : z, outShape);
  };
  // With no tape recording nothing takes a gradient: the product alone, without customGrad's scope.
  if (!tfc.engine().isTapeOn()) return tfc.tidy(() => value(x, kernel, bias)) as T;
  const forward = (a: tfc.Tensor, w: tfc.Tensor, b: tfc.Tensor | undefined, save: tfc.GradSaveFunc) => {
    const y = value(a, w, b);
    // The activation's derivative reads y; a linear layer's backward needs no output.
    const lasting = [outlivesStep(a, !inputGradient), outlivesStep(w), activation === 'linear'];
    const restore = saveForGradient(save, [a, w, y], lasting);
    const gradFunc = (dy: tfc.Tensor, saved: tfc.Tensor[]): tfc.Tensor[] => {
      const [sa, sw, sy] = restore(saved);
      const sy2 = activation === 'linear' ? undefined : sy;
      const grads = backward(flat(dy, [-1, units]), flat(sa, [-1, inSize]), flat(sw, [inSize, units]), sy2 && flat(sy2, [-1, units]), activation, inputGradient, hasBias);
      const [dx, dw] = [shaped(grads[0], sa.shape), shaped(grads[1], sw.shape)];
      return b === undefined ? [dx, dw] : [dx, dw, shaped(grads[2], b.shape)];
    };
    return { value: y, gradFunc };
  };
  if (!hasBias) {
    const op = tfc.customGrad(((a: tfc.Tensor, w: tfc.Tensor, save: tfc.GradSaveFunc) => forward(a, w, undefined, save)) as unknown as CustomGradientFunc);
    return op(x, kernel) as T;
  }
  const op = tfc.customGrad(forward as unknown as CustomGradientFunc);
  return op(x, kernel, bias) as T;
}

let gradientRegistered = false;

/**
 * The Dense kernel's gradient, registered with tfjs-core on first use: one DenseGrad kernel, from the
 * saved x, kernel and output (read by a non-linear activation) and the forward's attrs.
 */
function registerGradient(): void {
  if (gradientRegistered) return;
  tfc.registerGradient({
    kernelName: FusedKernel.Dense,
    inputsToSave: ['x', 'w'],
    outputsToSave: [true],
    gradFunc: (dy, saved, attrs) => {
      const [x, w, y] = saved;
      const activation = attrs.activation as DenseActivation;
      const { inputGradient, hasBias, inAxes, biasShape } = attrs;
      const inputs: Record<string, tfc.Tensor> = activation === 'linear' ? { dy: dy as tfc.Tensor, x, w } : { dy: dy as tfc.Tensor, x, w, y };
      const [dx, dw, db] = runFused(FusedKernel.DenseGrad, inputs, { activation, inputGradient, hasBias, inAxes, biasShape });
      return { x: () => dx, w: () => dw, bias: () => db };
    },
  });
  gradientRegistered = true;
}
