/**
 * Registers the 'native' backend's kernels: every keras-cpu kernel (tfjs-backend-cpu's, with
 * keras-ts's segment sum) as it is (it reads and writes the same typed arrays, so nothing is
 * copied), counted as a fallback when it runs, and over those the native kernels of this folder,
 * which hand inputs they do not handle to the CPU kernel.
 */
import * as tfc from '@tensorflow/tfjs-core';
import { captureObserver } from '../../capture/observer';
import { countFallback } from '../../cpu_fallback';
import { cpuKernels } from '../../cpu/profile';
import { ATTENTION } from './attention';
import { BATCH_NORM } from './batch_norm';
import { CONV } from './conv';
import { DROPOUT } from './dropout';
import { CONV3D } from './conv3d';
import { ELEMENTWISE } from './elementwise';
import { FALLBACK_OPS } from './fallback_ops';
import { IMAGE } from './image';
import { LAYER_NORM } from './layer_norm';
import { MATMUL } from './matmul';
import { RECURRENT } from './recurrent';
import { REDUCTIONS } from './reduce';
import { RESIZE } from './resize';
import { SHAPE } from './shape';
import { TRAIN } from './train';
import type { HostArray, NativeBackend } from '../native_backend';
import type { NativeArgs, NativeImpl } from './types';

export const NATIVE_KERNELS: Readonly<Record<string, NativeImpl>> = {
  ...ELEMENTWISE, ...SHAPE, ...REDUCTIONS, ...MATMUL, ...CONV, ...CONV3D, ...TRAIN, ...IMAGE, ...RECURRENT, ...BATCH_NORM, ...FALLBACK_OPS, ...RESIZE,
  ...LAYER_NORM, ...ATTENTION, ...DROPOUT,
};

let registered = false;
const NO_ATTRS = Object.freeze({});

/** tfjs passes no attrs to some kernels; native kernels always get an object. */
function nativeArgs(args: Parameters<tfc.KernelFunc>[0]): NativeArgs {
  return (args.attrs === undefined ? { ...args, attrs: NO_ATTRS } : args) as unknown as NativeArgs;
}

/** An input whose memory a CPU kernel's output views (tfjs's Slice returns subarrays) must never be reused. */
function guardViews(args: Parameters<tfc.KernelFunc>[0], out: tfc.TensorInfo | tfc.TensorInfo[]): void {
  const b = args.backend as unknown as NativeBackend;
  const values = (t: tfc.TensorInfo | undefined): HostArray | undefined => (t ? (b.data.get(t.dataId)?.values as HostArray | undefined) : undefined);
  for (const o of Array.isArray(out) ? out : [out]) {
    const ov = values(o);
    if (ov === undefined || !ArrayBuffer.isView(ov)) continue;
    for (const t of Object.values(args.inputs) as Array<tfc.TensorInfo | undefined>) {
      const iv = values(t);
      if (t !== undefined && iv !== undefined && iv !== ov && ArrayBuffer.isView(iv) && iv.buffer === ov.buffer) b.keepOut(t.dataId);
    }
  }
}

export function registerNativeKernels(backendName: string): void {
  if (registered) return;
  const cpu = new Map([...cpuKernels()].map(([name, k]) => [name, k.kernelFunc]));
  for (const name of new Set([...cpu.keys(), ...Object.keys(NATIVE_KERNELS)])) {
    const impl = NATIVE_KERNELS[name];
    const fallback = cpu.get(name);
    const viaCpu = fallback
      ? (args: Parameters<tfc.KernelFunc>[0]) => {
        countFallback(name);
        captureObserver.current?.fallback(name);
        const out = fallback(args);
        guardViews(args, out);
        return out;
      }
      : undefined;
    let kernelFunc: tfc.KernelFunc;
    if (impl === undefined) kernelFunc = viaCpu as tfc.KernelFunc;
    else if (viaCpu === undefined) {
      kernelFunc = (args) => {
        const out = impl(nativeArgs(args));
        if (out === null) throw new Error(`native backend: kernel '${name}' does not handle these inputs and has no CPU version.`);
        return out;
      };
    } else kernelFunc = (args) => impl(nativeArgs(args)) ?? viaCpu(args);
    const plain = kernelFunc;
    if (impl !== undefined) kernelFunc = (args) => (captureObserver.current === null ? plain(args) : captureObserver.current.kernel(name, args, () => plain(args)));
    tfc.registerKernel({ kernelName: name, backendName, kernelFunc });
  }
  registered = true;
}
