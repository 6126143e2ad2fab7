/** ZeroPadding2D, Cropping2D and UpSampling2D: layers that resize images. Channels last. */
import * as tfc from '@tensorflow/tfjs-core';
import { ValueError } from '../engine/errors';
import { CallContext, Layer, LAYER_KEYS, LayerArgs, LayerConfig } from '../engine/layer';
import { optionKeys } from '../engine/options';
import { layerArgs } from '../engine/positional';
import { formatShape, Shape } from '../engine/symbolic_tensor';
import { channelsLast, DataFormat, intTuple, oneOf } from './args';
import { repeatSpatial } from './spatial_nd';

type Margins = [[number, number], [number, number]];

/** An int, [rows, cols] or [[top, bottom], [left, right]] as [[top, bottom], [left, right]]. */
function margins(value: number | [number, number] | Margins | undefined, fallback: number, field: string, owner: string): Margins {
  const v = value ?? fallback;
  let m: Margins | null = null;
  if (typeof v === 'number') m = [[v, v], [v, v]];
  else if (Array.isArray(v) && v.length === 2 && v.every((x) => typeof x === 'number')) m = [[v[0] as number, v[0] as number], [v[1] as number, v[1] as number]];
  else if (Array.isArray(v) && v.length === 2 && v.every((x) => Array.isArray(x) && x.length === 2)) m = v as Margins;
  if (m === null || !m.flat().every((x) => Number.isInteger(x) && x >= 0)) {
    throw new ValueError(
      `${owner}: \`${field}\` must be a non-negative integer, [rows, cols] or [[top, bottom], [left, right]], got ${JSON.stringify(value)}. help: e.g. {${field}: 1}.`,
    );
  }
  return m;
}

function image(layer: Layer, shape: Shape): Shape {
  if (shape.length !== 4) {
    throw new ValueError(`${layer.name} (${layer.className}): expected input of rank 4 (batch, height, width, channels), got ${formatShape(shape)}.`);
  }
  return shape;
}

const grow = (d: number | null, by: number): number | null => (d === null ? null : d + by);

export interface ZeroPadding2DArgs extends LayerArgs {
  /**
   * Zeros added: one number for all sides, [rows, cols] symmetric, or [[top, bottom], [left, right]]. Keras:
   * `padding` @default 1
   */
  padding?: number | [number, number] | Margins;
  /** Where the channels are; only 'channels_last' is supported. Keras: `data_format` @default 'channels_last' */
  dataFormat?: DataFormat;
}

export class ZeroPadding2D extends Layer {
  static override readonly optionKeys = optionKeys<ZeroPadding2DArgs>()(...LAYER_KEYS, 'padding', 'dataFormat');
  readonly className = 'ZeroPadding2D';
  readonly padding: Margins;

  static override readonly positional = ['padding'];

  constructor(padding: number | [number, number] | Margins, options?: Omit<ZeroPadding2DArgs, 'padding'>);
  constructor(args?: ZeroPadding2DArgs);
  constructor(...given: unknown[]) {
    const args = layerArgs<ZeroPadding2DArgs>(new.target, given) ?? {};
    super(args);
    this.padding = margins(args.padding, 1, 'padding', `ZeroPadding2D '${this.name}'`);
    channelsLast(args.dataFormat, `ZeroPadding2D '${this.name}'`);
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const [n, h, w, c] = image(this, inputShape as Shape);
    const [[t, b], [l, r]] = this.padding;
    return [n, grow(h, t + b), grow(w, l + r), c];
  }

  call(x: tfc.Tensor, ctx: CallContext): tfc.Tensor {
    void ctx;
    return tfc.pad(x, [[0, 0], this.padding[0], this.padding[1], [0, 0]]);
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), padding: this.padding };
  }
}

export interface Cropping2DArgs extends LayerArgs {
  /**
   * Rows and columns removed: one number for all sides, [rows, cols] symmetric, or [[top, bottom], [left,
   * right]]. Keras: `cropping` @default 0
   */
  cropping?: number | [number, number] | Margins;
  /** Where the channels are; only 'channels_last' is supported. Keras: `data_format` @default 'channels_last' */
  dataFormat?: DataFormat;
}

export class Cropping2D extends Layer {
  static override readonly optionKeys = optionKeys<Cropping2DArgs>()(...LAYER_KEYS, 'cropping', 'dataFormat');
  readonly className = 'Cropping2D';
  readonly cropping: Margins;

  static override readonly positional = ['cropping'];

  constructor(cropping: number | [number, number] | Margins, options?: Omit<Cropping2DArgs, 'cropping'>);
  constructor(args?: Cropping2DArgs);
  constructor(...given: unknown[]) {
    const args = layerArgs<Cropping2DArgs>(new.target, given) ?? {};
    super(args);
    this.cropping = margins(args.cropping, 0, 'cropping', `Cropping2D '${this.name}'`);
    channelsLast(args.dataFormat, `Cropping2D '${this.name}'`);
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const [n, h, w, c] = image(this, inputShape as Shape);
    const [[t, b], [l, r]] = this.cropping;
    const oh = grow(h, -(t + b));
    const ow = grow(w, -(l + r));
    if ((oh !== null && oh <= 0) || (ow !== null && ow <= 0)) {
      throw new ValueError(
        `${this.name} (Cropping2D): cropping ${JSON.stringify(this.cropping)} removes all of input ${formatShape(inputShape as Shape)}. help: crop less.`,
      );
    }
    return [n, oh, ow, c];
  }

  call(x: tfc.Tensor, ctx: CallContext): tfc.Tensor {
    void ctx;
    const [, oh, ow] = this.computeOutputShape(x.shape) as number[];
    return tfc.slice(x, [0, this.cropping[0][0], this.cropping[1][0], 0], [-1, oh, ow, -1]);
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), cropping: this.cropping };
  }
}

export interface UpSampling2DArgs extends LayerArgs {
  /** Upsampling factor for rows and columns: one number or [rows, cols]. Keras: `size` @default 2 */
  size?: number | [number, number];
  /** 'nearest' (repeat) or 'bilinear'. Keras: `interpolation` @default 'nearest' */
  interpolation?: 'nearest' | 'bilinear';
  /** Where the channels are; only 'channels_last' is supported. Keras: `data_format` @default 'channels_last' */
  dataFormat?: DataFormat;
}

/** Repeats rows and columns (nearest) or interpolates (bilinear) to grow an image by `size`. */
export class UpSampling2D extends Layer {
  static override readonly optionKeys = optionKeys<UpSampling2DArgs>()(...LAYER_KEYS, 'size', 'interpolation', 'dataFormat');
  readonly className = 'UpSampling2D';
  readonly size: number[];
  readonly interpolation: 'nearest' | 'bilinear';

  static override readonly positional = ['size'];

  constructor(size: number | [number, number], options?: Omit<UpSampling2DArgs, 'size'>);
  constructor(args?: UpSampling2DArgs);
  constructor(...given: unknown[]) {
    const args = layerArgs<UpSampling2DArgs>(new.target, given) ?? {};
    super(args);
    const owner = `UpSampling2D '${this.name}'`;
    this.size = intTuple(args.size, 2, 2, 'size', owner);
    this.interpolation = oneOf(args.interpolation, ['nearest', 'bilinear'] as const, 'nearest', 'interpolation', owner);
    channelsLast(args.dataFormat, owner);
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const [n, h, w, c] = image(this, inputShape as Shape);
    return [n, h === null ? null : h * this.size[0], w === null ? null : w * this.size[1], c];
  }

  call(x: tfc.Tensor, ctx: CallContext): tfc.Tensor {
    void ctx;
    const [, h, w] = x.shape;
    const [sh, sw] = this.size;
    if (this.interpolation === 'bilinear') return tfc.image.resizeBilinear(x as tfc.Tensor4D, [h * sh, w * sw], false, true); // half-pixel centers, as Keras 3
    // Nearest: each pixel repeated sh × sw times, by gathers (tfjs has no Tile gradient at rank 6).
    return repeatSpatial(x, this.size);
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), size: this.size, interpolation: this.interpolation };
  }
}
