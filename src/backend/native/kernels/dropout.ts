/** Dropout in training (engine/fused_kernels.ts's Dropout, tfjs's seeded draws), on native/cpu/dropout.cc. */
import { input, NativeImpl } from './types';

export const DROPOUT: Record<string, NativeImpl> = {
  KerasDropout: (args) => {
    const b = args.backend;
    const x = input(args, 'x');
    const rate = args.attrs.rate as number;
    const state = args.attrs.state as number[];
    if (x.dtype !== 'float32' || !(rate >= 0 && rate < 1) || state.length !== 4) return null;
    const [y, yValues] = b.output(x.shape);
    const [multiplier, multiplierValues] = b.output(x.shape);
    b.addon.dropout(b.f32(x), yValues, multiplierValues, yValues.length, rate, state[0], state[1], state[2], state[3]);
    return [y, multiplier];
  },
};
