/**
 * keras-ts's image sampler (engine/fused_kernels.ts's ImageSample and its gradient), under the
 * geometric ops (ops/image_sampling.ts: affine and displacement transforms), in the addon
 * (native/cpu/image_sample.cc): the same arithmetic as the sampler's tfjs path.
 */
import { opCodes } from '../../op_table';
import { input, NativeArgs, NativeImpl } from './types';

const FILL = opCodes('FillMode');

interface SampleAttrs {
  xs: Float64Array;
  ys: Float64Array;
  interpolation: string;
  fillMode: string;
  fillValue: number;
}

function run(args: NativeArgs, name: string, grad: boolean): ReturnType<NativeImpl> {
  const b = args.backend;
  const x = input(args, name);
  const a = args.attrs as unknown as SampleAttrs;
  if (x.shape.length !== 4) return null;
  const [out, values] = b.output(x.shape);
  const bilinear = a.interpolation !== 'nearest';
  if (grad) b.addon.imageSampleGrad(b.f32(x), values, x.shape, a.xs, a.ys, bilinear, FILL[a.fillMode]);
  else b.addon.imageSample(b.f32(x), values, x.shape, a.xs, a.ys, bilinear, FILL[a.fillMode], a.fillValue);
  return out;
}

export const IMAGE: Record<string, NativeImpl> = {
  KerasImageSample: (args) => run(args, 'images', false),
  KerasImageSampleGrad: (args) => run(args, 'dy', true),
};
