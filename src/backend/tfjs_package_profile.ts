/**
 * A profile for a tfjs backend package that keras-ts takes as it is (WebGL, WebGPU): the package
 * is fetched by `load()` (an `import()`, so the browser build keeps it in a chunk of its own, out
 * of keras-ts.mjs), and register() copies its kernels under keras-ts's own tfjs backend name, so
 * tfjs's backend of the package's name stays as the package registered it (copy_kernels.ts).
 */
import * as tfc from '@tensorflow/tfjs-core';
import { BackendError } from '../engine/errors';
import { copyKernels, KernelReplacement } from './copy_kernels';
import type { BackendProfile } from './profile';

export interface TfjsPackageProfileArgs {
  /** keras-ts's name ('webgl'). */
  name: string;
  /** The name the package registers its backend under in tfjs ('webgl'). */
  packageBackend: string;
  /** The package's name, for messages. */
  packageName: string;
  /** `() => import('<package>')`, written out so that bundlers see the package. */
  importPackage: () => Promise<unknown>;
  /** Kernels replaced on keras-ts's copy. */
  replace?: Readonly<Record<string, KernelReplacement>>;
  /** keras-ts's own kernels (engine/fused_kernels.ts) added to its copy, by name. */
  kernels?: Readonly<Record<string, tfc.KernelFunc>>;
  /** The rest of the profile (capabilities, gradients). */
  profile?: Partial<BackendProfile>;
}

/** The profile; its tfjs backend is 'keras-<name>'. */
export function tfjsPackageProfile(args: TfjsPackageProfileArgs): BackendProfile {
  const tfjsName = `keras-${args.name}`;
  let loaded = false;
  let registered = false;
  return {
    deviceType: 'GPU',
    ...args.profile,
    name: args.name,
    tfjsName,
    load: async () => {
      if (loaded) return;
      await args.importPackage(); // registers tfjs's own backend and kernels, as for any user
      loaded = true;
    },
    register: () => {
      if (registered) return;
      if (!loaded) {
        throw new BackendError(
          `${args.name}: ${args.packageName} is loaded when the backend is first chosen, and it has not been yet. help: \`await k.setBackend('${args.name}')\` first.`,
        );
      }
      const factory = tfc.findBackendFactory(args.packageBackend);
      if (factory == null) {
        throw new BackendError(
          `setBackend('${args.name}'): ${args.packageName} registered no '${args.packageBackend}' backend here (it does only in a browser). ` +
            "help: in Node, choose setBackend('native'), 'wasm' or 'cpu'.",
        );
      }
      tfc.registerBackend(tfjsName, factory, 0);
      copyKernels(args.packageBackend, tfjsName, args.replace ?? {});
      for (const [kernelName, kernelFunc] of Object.entries(args.kernels ?? {})) tfc.registerKernel({ kernelName, backendName: tfjsName, kernelFunc });
      registered = true;
    },
    numThreads: () => 1,
  };
}
