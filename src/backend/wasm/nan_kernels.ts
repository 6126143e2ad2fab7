/**
 * NaN in, NaN out, on wasm as on cpu. Several tfjs-backend-wasm kernels turn NaN into a number, so
 * a model whose weights have gone NaN could report a finite loss (cross-entropy clips
 * probabilities: -ln 1e-7 = 16.118) and TerminateOnNaN would never fire:
 * - Relu maps a NaN whose sign bit is set (what arithmetic such as Inf - Inf produces) to 0, and
 *   ClipByValue and Relu6 map every NaN to their lower bound; so do the relu/relu6 fused into
 *   matmuls and convolutions;
 * - the XNNPACK convolutions and poolings clamp their output to [-Infinity, Infinity], which maps
 *   NaN to -Infinity (and a following relu to 0).
 * The clamping kernels are replaced by the original plus (x - x): zero where x is finite, NaN where
 * it is NaN or infinite, so a NaN (or the -Infinity a convolution made of it) comes out as NaN. An
 * infinite input, too, gives NaN where the clamp would give a bound (both are non-finite: the run
 * has diverged either way). The fused kernels run without their clamp, then the replaced one. Each
 * replacement costs two fast elementwise passes (+0.26 ms on a 32x26x26x32 relu, next to an 8.3 ms
 * convolution; the CNN's epoch time stayed within run-to-run noise); wasm's broadcasting Maximum,
 * the obvious alternative, takes 6.7 ms on that tensor.
 */
import * as tfc from '@tensorflow/tfjs-core';
import type { KernelReplacement } from '../copy_kernels';

/** keras-wasm's tfjs backend name (its kernels: tfjs-backend-wasm's, with these and slices.ts's). */
export const KERAS_WASM = 'keras-wasm';

type Info = tfc.TensorInfo;
type Args = Parameters<tfc.KernelFunc>[0] & { backend: tfc.KernelBackend };

/** keras-wasm's kernel `name` (for Relu and Relu6: the NaN-safe one below). */
function kernel(name: string): tfc.KernelFunc {
  const config = tfc.getKernel(name, KERAS_WASM);
  if (config === undefined) throw new Error(`wasm nan_kernels: ${KERAS_WASM} has no kernel '${name}'.`);
  return config.kernelFunc;
}

/** Runs kernel `name` and frees the inputs listed in `free`. */
function run(name: string, backend: tfc.KernelBackend, inputs: Record<string, Info>, free: Info[] = []): Info {
  const out = kernel(name)({ inputs, backend, attrs: {} }) as Info;
  free.forEach((t) => backend.disposeData(t.dataId));
  return out;
}

/** The clamp of x (`clamped`) plus (x - x): the clamp where x is finite, NaN elsewhere. Frees `clamped`. */
function keepNaN(x: Info, clamped: Info, backend: tfc.KernelBackend): Info {
  const zeroOrNaN = run(tfc.Sub, backend, { a: x, b: x });
  return run(tfc.Add, backend, { a: clamped, b: zeroOrNaN }, [zeroOrNaN, clamped]);
}

/** `fn` given the package's kernel (setupFunc, which binds its wasm functions when the backend starts, stays the package's). */
function wrap(fn: (original: tfc.KernelFunc, args: Args) => Info): KernelReplacement {
  return (config) => {
    if (config === undefined) throw new Error('wasm nan_kernels: tfjs-backend-wasm lacks a kernel this file replaces.');
    const original = config.kernelFunc;
    return (args) => fn(original, args as Args);
  };
}

const clampKeepingNaN = wrap((original, args) => keepNaN((args.inputs as { x: Info }).x, original(args) as Info, args.backend));
const CLAMPS: Record<string, string> = { relu: tfc.Relu, relu6: tfc.Relu6 }; // run as replaced here
/** A fused kernel run without its clamp, then the NaN-safe clamp. */
const fusedKeepingNaN = wrap((original, args) => {
  const clamp = CLAMPS[(args.attrs as { activation?: string }).activation ?? 'linear'];
  if (clamp === undefined) return original(args) as Info;
  const z = original({ ...args, attrs: { ...args.attrs, activation: 'linear' } }) as Info;
  return run(clamp, args.backend, { x: z }, [z]);
});

/** keras-wasm's NaN-safe kernels, as copyKernels replacements of tfjs-backend-wasm's. */
export const NAN_SAFE_KERNELS: Readonly<Record<string, KernelReplacement>> = {
  [tfc.Relu]: clampKeepingNaN,
  [tfc.Relu6]: clampKeepingNaN,
  [tfc.ClipByValue]: clampKeepingNaN,
  [tfc._FusedMatMul]: fusedKeepingNaN,
  [tfc.FusedConv2D]: fusedKeepingNaN,
  [tfc.FusedDepthwiseConv2D]: fusedKeepingNaN,
};
