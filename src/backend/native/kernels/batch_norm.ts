/** BatchNormalization's training kernels (engine/fused_kernels.ts's BatchNormTrain and its gradient), on native/cpu/batchnorm.cc. */
import * as tfc from '@tensorflow/tfjs-core';
import { opCodes } from '../../op_table';
import { input, NativeArgs, NativeImpl, size } from './types';

const ACTIVATION = opCodes('Activation');
const FUSED = new Set(['linear', 'relu', 'relu6']);

/** [rows, channels] of a channels-last x, or null where the kernel does not take these inputs. */
function layout(args: NativeArgs, names: string[]): [number, number] | null {
  const x = input(args, 'x');
  const channels = x.shape[x.shape.length - 1];
  if (x.shape.length < 2 || channels === 0 || size(x.shape) === 0 || !FUSED.has(args.attrs.activation as string)) return null;
  for (const name of names) {
    const t = input(args, name);
    if (t.dtype !== 'float32') return null;
    if (['gamma', 'beta', 'mean', 'variance'].includes(name) ? size(t.shape) !== channels : !tfc.util.arraysEqual(t.shape, x.shape)) return null;
  }
  return [size(x.shape) / channels, channels];
}

export const BATCH_NORM: Record<string, NativeImpl> = {
  KerasBatchNormTrain: (args) => {
    const dims = layout(args, ['x', 'gamma', 'beta']);
    if (dims === null) return null;
    const b = args.backend;
    const x = input(args, 'x');
    const [y, yValues] = b.output(x.shape);
    const [mean, meanValues] = b.output([dims[1]]);
    const [variance, varianceValues] = b.output([dims[1]]);
    b.addon.batchNormTrain(b.f32(x), b.f32(input(args, 'gamma')), b.f32(input(args, 'beta')), yValues, meanValues, varianceValues, ...dims,
      args.attrs.epsilon as number, ACTIVATION[args.attrs.activation as string]);
    return [y, mean, variance];
  },
  KerasBatchNormTrainGrad: (args) => {
    const dims = layout(args, ['x', 'dy', 'gamma', 'beta', 'mean', 'variance']);
    if (dims === null) return null;
    const b = args.backend;
    const x = input(args, 'x');
    const [dx, dxValues] = b.output(x.shape);
    const [dgamma, dgammaValues] = b.output([dims[1]]);
    const [dbeta, dbetaValues] = b.output([dims[1]]);
    const f = (name: string): Float32Array => b.f32(input(args, name));
    b.addon.batchNormTrainGrad(f('dy'), f('x'), f('gamma'), f('beta'), f('mean'), f('variance'), dxValues, dgammaValues, dbetaValues, ...dims,
      args.attrs.epsilon as number, ACTIVATION[args.attrs.activation as string]);
    return [dx, dgamma, dbeta];
  },
};
