/** Checking and normalizing layer arguments, with messages that name the layer, the value and the fix. */
import { ValueError } from '../engine/errors';

/** A positive integer or a tuple of `n` of them, as a tuple. */
export function intTuple(value: number | number[] | undefined, n: number, fallback: number | number[], field: string, owner: string): number[] {
  const v = value ?? fallback;
  const list = Array.isArray(v) ? v : new Array(n).fill(v);
  if (list.length !== n || !list.every((d) => Number.isInteger(d) && d > 0)) {
    throw new ValueError(
      `${owner}: \`${field}\` must be a positive integer or ${n} of them, got ${JSON.stringify(value)}. help: e.g. {${field}: ${n === 1 ? 3 : '[3, 3]'}}.`,
    );
  }
  return list;
}

export function positiveInt(value: unknown, field: string, owner: string, example = 32): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) {
    throw new ValueError(`${owner}: \`${field}\` must be a positive integer, got ${String(value)}. help: pass e.g. {${field}: ${example}}.`);
  }
  return value;
}

export function oneOf<T extends string>(value: T | undefined, allowed: readonly T[], fallback: T, field: string, owner: string): T {
  const v = value ?? fallback;
  if (!allowed.includes(v)) {
    throw new ValueError(`${owner}: unknown \`${field}\` '${String(value)}'. help: use ${allowed.map((a) => `'${a}'`).join(' or ')}.`);
  }
  return v;
}

export type DataFormat = 'channels_last' | 'channels_first';

/** keras-ts computes in channels-last order only; channels-first inputs are refused with the fix. */
export function channelsLast(value: DataFormat | undefined, owner: string): 'channels_last' {
  if (value === undefined || value === 'channels_last') return 'channels_last';
  if (value === 'channels_first') {
    throw new ValueError(
      `${owner}: dataFormat 'channels_first' is not supported; keras-ts computes in channels-last order (batch, ..., channels). ` +
        'help: transpose the data to channels-last (e.g. add a Permute layer first) and leave dataFormat out.',
    );
  }
  throw new ValueError(`${owner}: unknown \`dataFormat\` '${String(value)}'. help: use 'channels_last'.`);
}

/** The output length of a convolution or pooling window along one axis, as Keras computes it. */
export function convOutputLength(length: number | null, kernel: number, padding: string, stride: number, dilation = 1): number | null {
  if (length === null) return null;
  const effective = (kernel - 1) * dilation + 1;
  const out = padding === 'valid' ? length - effective + 1 : length;
  return Math.floor((out + stride - 1) / stride);
}
