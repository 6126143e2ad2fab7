/**
 * Keras's `keras.InputSpec`: what a layer accepts (rank, minimum/maximum rank, a full shape with
 * null for free sizes, fixed sizes of some axes, a dtype). A custom layer keeps one and calls
 * `spec.check(shape, layerName)` in `build` or `call`; it throws a ValueError that names the axis,
 * the value found and the fix, as Keras's `assert_input_compatibility`.
 */
import { ValueError } from './errors';

export interface InputSpecArgs {
  /** Keras: `dtype` @default undefined (any) */
  dtype?: string;
  /** The full shape; null for a free size. Keras: `shape` @default undefined (any) */
  shape?: Array<number | null>;
  /** The exact rank. Keras: `ndim` @default undefined (any) */
  ndim?: number;
  /** Keras: `max_ndim` @default undefined */
  maxNdim?: number;
  /** Keras: `min_ndim` @default undefined */
  minNdim?: number;
  /** Sizes some axes must have: {axis: size}, negative axes from the end. Keras: `axes` @default undefined */
  axes?: Record<number, number>;
  /** Keras: `name` @default undefined */
  name?: string;
  /** Whether the input may be left out. Keras: `optional` @default false */
  optional?: boolean;
}

export class InputSpec {
  readonly dtype: string | undefined;
  readonly shape: Array<number | null> | undefined;
  readonly ndim: number | undefined;
  readonly maxNdim: number | undefined;
  readonly minNdim: number | undefined;
  readonly axes: Record<number, number>;
  readonly name: string | undefined;
  readonly optional: boolean;

  constructor(args: InputSpecArgs = {}) {
    this.dtype = args.dtype;
    this.shape = args.shape === undefined ? undefined : [...args.shape];
    this.ndim = args.shape !== undefined ? args.shape.length : args.ndim;
    this.maxNdim = args.maxNdim;
    this.minNdim = args.minNdim;
    this.axes = { ...(args.axes ?? {}) };
    this.name = args.name;
    this.optional = args.optional ?? false;
    const maxAxis = Math.max(...Object.keys(this.axes).map(Number));
    if (this.ndim !== undefined && Object.keys(this.axes).length > 0 && maxAxis >= this.ndim) {
      throw new ValueError(`InputSpec: axis ${maxAxis} is out of range for ndim ${this.ndim}. help: give axes below ndim, or negative axes.`);
    }
  }

  /** Throws when a tensor of `shape` (and `dtype`) does not fit the spec; `where` names the layer. */
  check(shape: Array<number | null>, where: string, dtype?: string): void {
    const rank = shape.length;
    const fail = (what: string, fix: string): never => {
      throw new ValueError(`${where}: input [${shape.map((d) => (d === null ? 'null' : d)).join(', ')}] ${what}. help: ${fix}.`);
    };
    if (this.ndim !== undefined && rank !== this.ndim) fail(`has rank ${rank}, expected rank ${this.ndim}`, `reshape the input to rank ${this.ndim}`);
    if (this.maxNdim !== undefined && rank > this.maxNdim) fail(`has rank ${rank}, expected at most ${this.maxNdim}`, 'flatten or reshape the input');
    if (this.minNdim !== undefined && rank < this.minNdim) fail(`has rank ${rank}, expected at least ${this.minNdim}`, 'add the missing axes (e.g. expandDims)');
    if (this.dtype !== undefined && dtype !== undefined && dtype !== this.dtype) fail(`has dtype ${dtype}, expected ${this.dtype}`, `cast it to ${this.dtype}`);
    for (const [key, size] of Object.entries(this.axes)) {
      const axis = Number(key) < 0 ? rank + Number(key) : Number(key);
      const got = shape[axis];
      if (got !== null && got !== undefined && got !== size) fail(`has size ${got} on axis ${key}, expected ${size}`, `give axis ${key} size ${size}`);
    }
    this.shape?.forEach((want, i) => {
      if (want !== null && shape[i] !== null && shape[i] !== want) fail(`has size ${shape[i]} on axis ${i}, expected ${want}`, `match the shape [${this.shape?.map((d) => (d === null ? 'null' : d)).join(', ')}]`);
    });
  }

  /** Keras's config: `new InputSpec(spec.getConfig())` rebuilds it. */
  getConfig(): InputSpecArgs {
    return { dtype: this.dtype, shape: this.shape, ndim: this.ndim, maxNdim: this.maxNdim, minNdim: this.minNdim, axes: { ...this.axes }, name: this.name, optional: this.optional };
  }
}
