/** LayerNormalization's kernels over the last axis (engine/fused_kernels.ts's LayerNorm and its gradient), on native/cpu/layernorm.cc. */
import { input, NativeArgs, NativeImpl, size } from './types';

/** [rows, channels] of x, or null where the kernel does not take these inputs (per-channel gamma/beta, per-row mean/rstd). */
function layout(args: NativeArgs, names: string[]): [number, number] | null {
  const x = input(args, 'x');
  const channels = x.shape[x.shape.length - 1];
  if (x.shape.length < 1 || channels === 0 || size(x.shape) === 0) return null;
  const rows = size(x.shape) / channels;
  for (const name of names) {
    const t = input(args, name);
    const expected = ['gamma', 'beta'].includes(name) ? channels : ['mean', 'rstd'].includes(name) ? rows : size(x.shape);
    if (t.dtype !== 'float32' || size(t.shape) !== expected) return null;
  }
  return [rows, channels];
}

export const LAYER_NORM: Record<string, NativeImpl> = {
  KerasLayerNorm: (args) => {
    const dims = layout(args, ['x', 'gamma', 'beta']);
    if (dims === null) return null;
    const b = args.backend;
    const x = input(args, 'x');
    const [y, yValues] = b.output(x.shape);
    const [mean, meanValues] = b.output([dims[0]]);
    const [rstd, rstdValues] = b.output([dims[0]]);
    b.addon.layerNorm(b.f32(x), b.f32(input(args, 'gamma')), b.f32(input(args, 'beta')), yValues, meanValues, rstdValues, ...dims, args.attrs.epsilon as number);
    return [y, mean, rstd];
  },
  KerasLayerNormGrad: (args) => {
    const dims = layout(args, ['x', 'dy', 'gamma', 'mean', 'rstd']);
    if (dims === null) return null;
    const b = args.backend;
    const x = input(args, 'x');
    const [dx, dxValues] = b.output(x.shape);
    const [dgamma, dgammaValues] = b.output([dims[1]]);
    const [dbeta, dbetaValues] = b.output([dims[1]]);
    const f = (name: string): Float32Array => b.f32(input(args, name));
    b.addon.layerNormGrad(f('dy'), f('x'), f('gamma'), f('mean'), f('rstd'), dxValues, dgammaValues, dbetaValues, ...dims);
    return [dx, dgamma, dbeta];
  },
};
