/**
 * The LSTM and GRU sequence kernels (engine/fused_kernels.ts's RecurrentSequence and its Grad): a
 * recurrent layer's whole loop over time, forward and back, in one addon call (native/cpu/rnn.cc).
 */
import * as tfc from '@tensorflow/tfjs-core';
import { input, NativeArgs, NativeImpl } from './types';

/** rnn.cc's cell codes, and how many [B, u] blocks per step the workspace holds. */
const CELLS: Record<string, { code: number; states: number; work: number }> = {
  lstm: { code: 0, states: 2, work: 7 },
  gru: { code: 1, states: 1, work: 5 },
};

/** rnn.cc's layout flags from the kernel's attrs. */
function layoutOf(attrs: Record<string, unknown>): number {
  return (attrs.batchMajor ? 1 : 0) | (attrs.reverse ? 2 : 0);
}

function allFloat(...ts: Array<tfc.TensorInfo | undefined>): boolean {
  return ts.every((t) => t === undefined || t.dtype === 'float32');
}

export const RECURRENT: Record<string, NativeImpl> = {
  KerasRecurrentSequence: (args: NativeArgs) => {
    const b = args.backend;
    const cell = CELLS[args.attrs.cell as string];
    const [xw, u, h0] = [input(args, 'xw'), input(args, 'recurrentKernel'), input(args, 'h0')];
    const { recurrentBias, c0, mask } = args.inputs;
    if (cell === undefined || xw.shape.length !== 3 || !allFloat(xw, u, h0, recurrentBias, c0, mask)) return null;
    const [T, B] = args.attrs.batchMajor ? [xw.shape[1], xw.shape[0]] : xw.shape;
    const units = h0.shape[1];
    const [out, outValues] = b.output(args.attrs.batchMajor ? [B, T + cell.states - 1, units] : [T + cell.states - 1, B, units]);
    const [work, workValues] = args.attrs.saveWork ? b.output([T, B, cell.work * units]) : [undefined, null];
    b.addon.rnnForward(b.f32(xw), b.f32(u), recurrentBias ? b.f32(recurrentBias) : null, b.f32(h0), c0 ? b.f32(c0) : null,
      mask ? b.f32(mask) : null, outValues, workValues, cell.code, T, B, units, layoutOf(args.attrs));
    return work ? [out, work] : [out];
  },
  KerasRecurrentSequenceGrad: (args: NativeArgs) => {
    const b = args.backend;
    const cell = CELLS[args.attrs.cell as string];
    const [dy, work, u] = [input(args, 'dy'), input(args, 'work'), input(args, 'recurrentKernel')];
    const mask = args.inputs.mask;
    if (cell === undefined || !allFloat(dy, work, u, mask)) return null;
    const [T, B, units] = [work.shape[0], work.shape[1], u.shape[0]];
    const G = u.shape[1];
    const [dxw, dxwValues] = b.output(args.attrs.batchMajor ? [B, T, G] : [T, B, G]);
    const [du, duValues] = b.output(u.shape);
    const [dh0, dh0Values] = b.output([B, units]);
    const [dc0, dc0Values] = cell.states === 2 ? b.output([B, units]) : [undefined, null];
    const [dBias, dBiasValues] = args.attrs.hasRecurrentBias ? b.output([G]) : [undefined, null];
    b.addon.rnnBackward(b.f32(dy), b.f32(work), b.f32(u), mask ? b.f32(mask) : null, dxwValues, duValues, dBiasValues, dh0Values, dc0Values,
      cell.code, T, B, units, layoutOf(args.attrs));
    return [dxw, du, dh0, ...(dc0 ? [dc0] : []), ...(dBias ? [dBias] : [])];
  },
};
