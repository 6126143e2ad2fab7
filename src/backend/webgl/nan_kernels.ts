/**
 * NaN in, NaN out, on WebGL as on cpu. GLSL gives NaN no guaranteed meaning, and several of
 * tfjs-backend-webgl's shaders turn it into a number (measured in headless Chromium on SwiftShader:
 * elu, selu and softplus of NaN give Infinity, and so does pow(NaN, 2)), so a model whose weights
 * have gone NaN could keep a finite-looking output. keras-webgl runs these kernels as the package
 * does, then selects the input where it is NaN (IsNan and Select, whose shaders test the bits, not
 * the value): where(isNaN(x), x, f(x)). For Pow, the NaN test is of a + b (broadcast to the
 * output's shape), NaN where either operand is (and where a = Inf, b = -Inf, a diverged run anyway).
 */
import * as tfc from '@tensorflow/tfjs-core';
import type { KernelReplacement } from '../copy_kernels';

type Info = tfc.TensorInfo;

/** keras-webgl's tfjs backend name. */
export const KERAS_WEBGL = 'keras-webgl';

function run(name: string, args: Parameters<tfc.KernelFunc>[0], inputs: Record<string, Info>): Info {
  const config = tfc.getKernel(name, KERAS_WEBGL);
  if (config === undefined) throw new Error(`webgl nan_kernels: ${KERAS_WEBGL} has no kernel '${name}'.`);
  return config.kernelFunc({ inputs, backend: args.backend, attrs: {} }) as Info;
}

/** f(args), with the elements where `probe(args)` is NaN taken from the probe instead. */
function keepingNaN(probe: (args: Parameters<tfc.KernelFunc>[0]) => { value: Info; owned: boolean }): KernelReplacement {
  return (config) => {
    if (config === undefined) throw new Error('webgl nan_kernels: tfjs-backend-webgl lacks a kernel this file replaces.');
    const original = config.kernelFunc;
    return (args) => {
      const y = original(args) as Info;
      const { value, owned } = probe(args);
      const nan = run(tfc.IsNan, args, { x: value });
      const out = run(tfc.Select, args, { condition: nan, t: value, e: y });
      for (const t of [nan, y, ...(owned ? [value] : [])]) (args.backend as tfc.KernelBackend).disposeData(t.dataId);
      return out;
    };
  };
}

const unary = keepingNaN((args) => ({ value: args.inputs.x as Info, owned: false }));
const binary = keepingNaN((args) => ({ value: run(tfc.Add, args, { a: args.inputs.a as Info, b: args.inputs.b as Info }), owned: true }));

/** keras-webgl's NaN-safe kernels, as copyKernels replacements of tfjs-backend-webgl's. */
export const NAN_SAFE_KERNELS: Readonly<Record<string, KernelReplacement>> = {
  [tfc.Elu]: unary,
  [tfc.Selu]: unary,
  [tfc.Softplus]: unary,
  [tfc.Pow]: binary,
};
