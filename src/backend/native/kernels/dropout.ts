/** Dropout in training (engine/fused_kernels.ts's Dropout), on native/cpu/dropout.cc. */
import { input, NativeImpl } from './types';

export const DROPOUT: Record<string, NativeImpl> = {
  KerasDropout: (args) => {
    const b = args.backend;
    const x = input(args, 'x');
    const [rate, seed] = [args.attrs.rate as number, args.attrs.seed as number];
    if (x.dtype !== 'float32' || !(rate >= 0 && rate < 1) || !Number.isSafeInteger(seed) || seed < 0) return null;
    const [y, yValues] = b.output(x.shape);
    const [scale, scaleValues] = b.output(x.shape);
    if (yValues.length > 0) b.addon.dropout(b.f32(x), yValues, scaleValues, yValues.length, rate, seed);
    return [y, scale];
  },
};
