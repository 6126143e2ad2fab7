/**
 * A tfjs backend's kernels registered again under keras-ts's own backend name, some replaced: how
 * keras-cpu and keras-wasm take tfjs-backend-cpu's and tfjs-backend-wasm's kernels without
 * changing the packages' own registrations (which other tfjs code in the process keeps using).
 */
import * as tfc from '@tensorflow/tfjs-core';

/** A replacement for one kernel, given the package's own (undefined where the package lacks it). */
export type KernelReplacement = (original: tfc.KernelConfig | undefined) => tfc.KernelFunc;

/**
 * Registers every kernel of `from` under `to` (setupFunc and disposeFunc included, so a backend
 * that binds its kernels when it starts still does), and the `replace`d ones as their replacement.
 */
export function copyKernels(from: string, to: string, replace: Readonly<Record<string, KernelReplacement>> = {}): void {
  const configs = new Map(tfc.getKernelsForBackend(from).map((k) => [k.kernelName, k]));
  for (const kernelName of new Set([...configs.keys(), ...Object.keys(replace)])) {
    const original = configs.get(kernelName);
    const kernelFunc = replace[kernelName]?.(original) ?? (original as tfc.KernelConfig).kernelFunc;
    tfc.registerKernel({ ...original, kernelName, backendName: to, kernelFunc });
  }
}
