/**
 * The window functions of Keras's audio layers, as scipy.signal.get_window computes them:
 * 'hann' and 'hamming' (symmetric, or periodic as for an FFT), 'boxcar' (ones), or the values given.
 */
import { ValueError } from '../../../engine/errors';

export type WindowName = 'hann' | 'hamming' | 'boxcar';

export function windowValues(window: WindowName | number[], length: number, periodic: boolean, owner: string): number[] {
  if (Array.isArray(window)) {
    if (window.length !== length) throw new ValueError(`${owner}: the window must have ${length} values (the frame length), got ${window.length}. help: pass ${length} numbers, or a name such as 'hann'.`);
    return window;
  }
  const n = periodic ? length : length - 1;
  const cosine = (a: number, b: number): number[] => Array.from({ length }, (_, i) => (n === 0 ? 1 : a - b * Math.cos((2 * Math.PI * i) / n)));
  if (window === 'hann') return cosine(0.5, 0.5);
  if (window === 'hamming') return cosine(0.54, 0.46);
  if (window === 'boxcar') return new Array<number>(length).fill(1);
  throw new ValueError(`${owner}: unknown window '${String(window)}'. help: use 'hann', 'hamming', 'boxcar', a list of numbers, or null.`);
}
