/**
 * Kernels a backend lacks, run by the CPU backend's implementation: the inputs are read, the CPU
 * kernel computes, and the outputs are written back (the native backend needs no copy: its
 * tensors are the CPU backend's own, see native/kernels/index.ts). tfjs-backend-wasm lacks some kernels that
 * training needs (Conv2DBackpropFilter, the depthwise convolution backprops, UnsortedSegmentSum for
 * the gradient of gather, ...); with this they work, at the cost of a copy each way. Which kernels
 * fell back, and how often, is reported by `fallbackReport()`.
 */
import * as tfc from '@tensorflow/tfjs-core';
import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { cpuKernels, quietCpuBackend } from './cpu/profile';

const counts = new Map<string, number>();
let cpu: MathBackendCPU | null = null;

/** A private CPU backend instance, separate from the ones tfjs may have as 'cpu' or 'keras-cpu'. */
function cpuBackend(): MathBackendCPU {
  if (cpu === null) cpu = quietCpuBackend();
  return cpu;
}

/** Counts one run of `name` on the CPU backend's code (for backendReport). */
export function countFallback(name: string): void {
  counts.set(name, (counts.get(name) ?? 0) + 1);
}

function runOnCpu(name: string, cpuKernel: tfc.KernelFunc, args: Parameters<tfc.KernelFunc>[0]): tfc.TensorInfo | tfc.TensorInfo[] {
  countFallback(name);
  const host = args.backend as unknown as tfc.KernelBackend & { readSync(id: tfc.DataId): tfc.backend_util.BackendValues };
  const c = cpuBackend();
  const created: tfc.DataId[] = [];
  // Kernels such as Concat, Pack and AddN take an array of tensors rather than a record.
  const inputs = (Array.isArray(args.inputs) ? [] : {}) as tfc.NamedTensorInfoMap & tfc.TensorInfo[];
  for (const [key, t] of Object.entries(args.inputs)) {
    if (t === undefined || t === null) continue;
    const dataId = c.write(host.readSync(t.dataId), t.shape, t.dtype);
    created.push(dataId);
    (inputs as Record<string, tfc.TensorInfo>)[key] = { dataId, shape: t.shape, dtype: t.dtype };
  }
  try {
    const out = cpuKernel({ inputs, attrs: args.attrs, backend: c });
    const list = Array.isArray(out) ? out : [out];
    const moved = list.map((o) => {
      created.push(o.dataId);
      return { dataId: host.write(c.readSync(o.dataId), o.shape, o.dtype), shape: o.shape, dtype: o.dtype };
    });
    return Array.isArray(out) ? moved : moved[0];
  } finally {
    for (const id of created) c.disposeData(id, true);
  }
}

/** A kernel function for `backendName` that runs `kernelName`'s CPU implementation (for kernels that handle only some inputs natively). */
export function cpuKernel(kernelName: string): tfc.KernelFunc {
  const config = cpuKernels().get(kernelName);
  if (config === undefined) throw new Error(`cpuKernel: the CPU backend has no kernel '${kernelName}'.`);
  return (args) => runOnCpu(kernelName, config.kernelFunc, args);
}

/** Registers, for `backendName` (a keras-ts backend), every CPU kernel that backend does not implement itself. */
export function registerCpuFallbacks(backendName: string): void {
  for (const config of cpuKernels().values()) {
    if (tfc.getKernel(config.kernelName, backendName) !== undefined) continue;
    const cpuKernel = config.kernelFunc;
    tfc.registerKernel({
      kernelName: config.kernelName,
      backendName,
      kernelFunc: (args) => runOnCpu(config.kernelName, cpuKernel, args),
    });
  }
}

/**
 * A replacement (for copyKernels) that runs the CPU backend's `kernelName` instead of a backend's
 * own: for kernels a backend has but computes wrongly (tfjs-backend-wasm 4.x's Conv3D backprops
 * return zeros and wrong filter gradients, see test/layers/keras3_layers.test.ts on wasm).
 */
export function cpuInstead(kernelName: string): () => tfc.KernelFunc {
  return () => {
    const config = cpuKernels().get(kernelName);
    if (config === undefined) throw new Error(`keras-ts: the CPU backend has no kernel ${kernelName} to run instead.`);
    return (args) => runOnCpu(kernelName, config.kernelFunc, args);
  };
}

/** How many times each kernel fell back to the CPU since the process started (or the last reset). */
export function fallbackReport(): Record<string, number> {
  return Object.fromEntries(counts);
}

export function resetFallbackReport(): void {
  counts.clear();
}
