/**
 * InputSpec, as Keras's: what a layer accepts (dtype, shape or ndim, min/max ndim, fixed sizes of
 * some axes), with `check(shape, layerName)` doing Keras's assert_input_compatibility on a shape
 * (a null size in the spec matches any size; allowLastAxisSqueeze accepts a shape with or without
 * a trailing axis of 1). keras-ts's layers check their inputs in the Layer base; InputSpec is for
 * a user's own layers and for porting Keras code that names it.
 */
import { ValueError } from '../engine/errors';
import { optionKeys, checkOptions } from '../engine/options';
import { formatShape, Shape } from '../engine/symbolic_tensor';

export interface InputSpecArgs {
  /** The expected dtype. Keras: `dtype` @default null (any) */
  dtype?: string | null;
  /** The expected shape, null for a free axis. Keras: `shape` @default null (any) */
  shape?: Shape | null;
  /** The expected rank (from shape when given). Keras: `ndim` @default null */
  ndim?: number | null;
  /** The highest rank accepted. Keras: `max_ndim` @default null */
  maxNdim?: number | null;
  /** The lowest rank accepted. Keras: `min_ndim` @default null */
  minNdim?: number | null;
  /** Fixed sizes of some axes, {axis: size} (negative axes from the end). Keras: `axes` @default {} */
  axes?: Record<number, number | null>;
  /** Accept a shape with or without a trailing axis of size 1. Keras: `allow_last_axis_squeeze` @default false */
  allowLastAxisSqueeze?: boolean;
  /** A name for messages. Keras: `name` @default null */
  name?: string | null;
  /** The input may be left out. Keras: `optional` @default false */
  optional?: boolean;
}

const KEYS = optionKeys<InputSpecArgs>()('dtype', 'shape', 'ndim', 'maxNdim', 'minNdim', 'axes', 'allowLastAxisSqueeze', 'name', 'optional');

export class InputSpec {
  static readonly optionKeys: readonly string[] = KEYS;
  readonly dtype: string | null;
  readonly shape: Shape | null;
  readonly ndim: number | null;
  readonly maxNdim: number | null;
  readonly minNdim: number | null;
  readonly axes: Record<number, number | null>;
  readonly allowLastAxisSqueeze: boolean;
  readonly name: string | null;
  readonly optional: boolean;

  constructor(args: InputSpecArgs = {}) {
    checkOptions('InputSpec', args, KEYS);
    this.dtype = args.dtype ?? null;
    this.shape = args.shape ? [...args.shape] : null;
    this.ndim = this.shape ? this.shape.length : args.ndim ?? null;
    this.maxNdim = args.maxNdim ?? null;
    this.minNdim = args.minNdim ?? null;
    this.name = args.name ?? null;
    this.optional = args.optional ?? false;
    this.allowLastAxisSqueeze = args.allowLastAxisSqueeze ?? false;
    this.axes = Object.fromEntries(Object.entries(args.axes ?? {}).map(([k, v]) => [Number(k), v]));
    if (Object.keys(this.axes).some((k) => !Number.isInteger(Number(k)))) throw new ValueError(`InputSpec: \`axes\` must have integer keys, got ${JSON.stringify(args.axes)}. help: e.g. {axes: {-1: 16}}.`);
    const top = this.ndim ?? this.maxNdim;
    const highest = Math.max(...Object.keys(this.axes).map(Number));
    if (top !== null && Object.keys(this.axes).length > 0 && highest > top - 1) {
      throw new ValueError(`InputSpec: axis ${highest} is greater than the highest allowed, ${top - 1}. help: keep the axes below the rank.`);
    }
  }

  /** Refuses `shape` (batch included) unless it meets the spec, naming the layer and the fix. */
  check(shape: Shape, layerName: string, dtype?: string): void {
    const fail = (what: string): never => {
      throw new ValueError(`Input 0 of layer '${layerName}' is incompatible with the layer: ${what}, got shape ${formatShape(shape)}. help: reshape the input, or change the layer.`);
    };
    let s = shape;
    if (this.ndim !== null && this.allowLastAxisSqueeze) {
      if (s.length === this.ndim + 1 && s[s.length - 1] === 1) s = s.slice(0, -1);
      else if (s.length === this.ndim - 1) s = [...s, 1];
    }
    if (this.ndim !== null && s.length !== this.ndim) fail(`expected ndim=${this.ndim}, found ndim=${shape.length}`);
    if (this.maxNdim !== null && s.length > this.maxNdim) fail(`expected max_ndim=${this.maxNdim}, found ndim=${shape.length}`);
    if (this.minNdim !== null && s.length < this.minNdim) fail(`expected min_ndim=${this.minNdim}, found ndim=${shape.length}`);
    if (this.dtype !== null && dtype !== undefined && dtype !== this.dtype) fail(`expected dtype=${this.dtype}, found dtype=${dtype}`);
    for (const [key, size] of Object.entries(this.axes)) {
      const axis = Number(key) < 0 ? s.length + Number(key) : Number(key);
      if (size !== null && s[axis] !== null && s[axis] !== size) fail(`expected axis ${key} of the input to have value ${size}`);
    }
    if (this.shape !== null) {
      this.shape.forEach((want, i) => {
        if (want !== null && s[i] !== null && s[i] !== want) fail(`expected shape=${formatShape(this.shape as Shape)}`);
      });
    }
  }

  getConfig(): Record<string, unknown> {
    return { dtype: this.dtype, shape: this.shape, ndim: this.ndim, maxNdim: this.maxNdim, minNdim: this.minNdim, axes: this.axes, optional: this.optional };
  }

  static fromConfig(config: Record<string, unknown>): InputSpec {
    return new InputSpec(config as InputSpecArgs);
  }
}
