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

type Info = tfc.TensorInfo;
type Args = Parameters<tfc.KernelFunc>[0] & { backend: tfc.KernelBackend };

function kernel(name: string): tfc.KernelFunc {
  const config = tfc.getKernel(name, 'wasm');
  if (config === undefined) throw new Error(`wasm nan_kernels: tfjs-backend-wasm has no kernel '${name}'.`);
  return config.kernelFunc;
}

/** Registers `name` for wasm as `fn`, given the kernel it replaces. */
function replace(name: string, fn: (original: tfc.KernelFunc, args: Args) => Info): void {
  const config = tfc.getKernel(name, 'wasm') as tfc.KernelConfig;
  const original = config.kernelFunc;
  tfc.unregisterKernel(name, 'wasm');
  // setupFunc binds the wasm functions the original calls, when the backend starts.
  tfc.registerKernel({ ...config, kernelFunc: (args) => fn(original, args as Args) });
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

let registered = false;

export function registerNaNSafeWasmKernels(): void {
  if (registered || tfc.getKernel(tfc.ClipByValue, 'wasm') === undefined) return;
  registered = true;
  for (const name of [tfc.Relu, tfc.Relu6, tfc.ClipByValue]) {
    replace(name, (original, args) => keepNaN((args.inputs as { x: Info }).x, original(args) as Info, args.backend));
  }
  const clamps: Record<string, string> = { relu: tfc.Relu, relu6: tfc.Relu6 }; // run as replaced above
  for (const name of [tfc._FusedMatMul, tfc.FusedConv2D, tfc.FusedDepthwiseConv2D]) {
    replace(name, (original, args) => {
      const clamp = clamps[(args.attrs as { activation?: string }).activation ?? 'linear'];
      if (clamp === undefined) return original(args) as Info;
      const z = original({ ...args, attrs: { ...args.attrs, activation: 'linear' } }) as Info;
      return run(clamp, args.backend, { x: z }, [z]);
    });
  }
}
