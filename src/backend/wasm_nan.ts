/**
 * NaN in, NaN out, on wasm as on cpu. tfjs-backend-wasm's ClipByValue and Relu6 (std::min/max
 * clamps) and its fused matmul and convolutions' relu/relu6 turn NaN into a number, so a model whose weights have
 * gone NaN could report a finite loss (cross-entropy clips probabilities: -ln 1e-7 = 16.118) and
 * TerminateOnNaN would never fire. These kernels are replaced by compositions of wasm's own kernels
 * that keep NaN: clip, then select x where x is NaN; the fused matmul without its clamp, then Relu
 * (which keeps NaN) or the NaN-keeping Relu6.
 */
import * as tfc from '@tensorflow/tfjs-core';

type Info = tfc.TensorInfo;
type Args = Parameters<tfc.KernelFunc>[0] & { backend: tfc.KernelBackend };

function kernel(name: string): tfc.KernelFunc {
  const config = tfc.getKernel(name, 'wasm');
  if (config === undefined) throw new Error(`wasm_nan: tfjs-backend-wasm has no kernel '${name}'.`);
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

/** `clamped`, except where `x` is NaN: there, NaN. Frees `clamped`. */
function keepNaN(x: Info, clamped: Info, backend: tfc.KernelBackend): Info {
  const isNaN = kernel(tfc.IsNan)({ inputs: { x }, backend, attrs: {} }) as Info;
  const out = kernel(tfc.Select)({ inputs: { condition: isNaN, t: x, e: clamped }, backend, attrs: {} }) as Info;
  backend.disposeData(isNaN.dataId);
  backend.disposeData(clamped.dataId);
  return out;
}

let registered = false;

export function registerNaNSafeWasmKernels(): void {
  if (registered || tfc.getKernel(tfc.ClipByValue, 'wasm') === undefined) return;
  registered = true;
  for (const name of [tfc.ClipByValue, tfc.Relu6]) {
    replace(name, (original, args) => {
      const x = (args.inputs as { x: Info }).x;
      return keepNaN(x, original(args) as Info, args.backend);
    });
  }
  const relu = kernel(tfc.Relu);
  const relu6 = kernel(tfc.Relu6); // the NaN-keeping one registered above
  for (const name of [tfc._FusedMatMul, tfc.FusedConv2D, tfc.FusedDepthwiseConv2D]) {
    replace(name, (original, args) => {
      const activation = (args.attrs as { activation?: string }).activation;
      if (activation !== 'relu' && activation !== 'relu6') return original(args) as Info;
      const z = original({ ...args, attrs: { ...args.attrs, activation: 'linear' } }) as Info;
      const out = (activation === 'relu' ? relu : relu6)({ inputs: { x: z }, backend: args.backend, attrs: {} }) as Info;
      args.backend.disposeData(z.dataId);
      return out;
    });
  }
}
