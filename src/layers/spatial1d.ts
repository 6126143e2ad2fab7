/**
 * ZeroPadding1D, Cropping1D and UpSampling1D: layers that resize the steps axis of a sequence
 * (batch, steps, channels), as Keras 3 (Cropping1D and UpSampling1D take no dataFormat there).
 */
import * as tfc from '@tensorflow/tfjs-core';
import { ValueError } from '../engine/errors';
import { Layer, LAYER_KEYS, LayerArgs, LayerConfig } from '../engine/layer';
import { optionKeys } from '../engine/options';
import { layerArgs } from '../engine/positional';
import { formatShape, Shape } from '../engine/symbolic_tensor';
import { channelsLast, DataFormat, positiveInt } from './args';
import { cropSpatial, marginsN, padSpatial, Pair, repeatSpatial, resized, spatialShape } from './spatial_nd';

export interface ZeroPadding1DArgs extends LayerArgs {
  /** Zeros added: one number for both ends, or [before, after]. Keras: `padding` @default 1 */
  padding?: number | [number, number];
  /** Where the channels are; only 'channels_last' is supported. Keras: `data_format` @default 'channels_last' */
  dataFormat?: DataFormat;
}

/** Adds zeros at the start and end of the steps axis (batch, steps, channels). */
export class ZeroPadding1D extends Layer {
  static override readonly optionKeys = optionKeys<ZeroPadding1DArgs>()(...LAYER_KEYS, 'padding', 'dataFormat');
  readonly className = 'ZeroPadding1D';
  readonly padding: Pair[];
  static override readonly positional = ['padding'];

  constructor(padding: number | [number, number], options?: Omit<ZeroPadding1DArgs, 'padding'>);
  constructor(args?: ZeroPadding1DArgs);
  constructor(...given: unknown[]) {
    const args = layerArgs<ZeroPadding1DArgs>(new.target, given) ?? {};
    super(args);
    const owner = `ZeroPadding1D '${this.name}'`;
    this.padding = marginsN(args.padding ?? 1, 1, 'padding', owner);
    channelsLast(args.dataFormat, owner);
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    return resized(spatialShape(this, inputShape as Shape, 1), (i, d) => d + this.padding[i][0] + this.padding[i][1]);
  }

  call(x: tfc.Tensor): tfc.Tensor {
    return padSpatial(x, this.padding);
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), padding: this.padding[0], dataFormat: 'channels_last' };
  }
}

export interface Cropping1DArgs extends LayerArgs {
  /** Removed: one number for both ends, or [before, after] steps. Keras: `cropping` @default [1, 1] */
  cropping?: number | [number, number];
}

/** Removes entries at the start and end of the steps axis (batch, steps, channels). */
export class Cropping1D extends Layer {
  static override readonly optionKeys = optionKeys<Cropping1DArgs>()(...LAYER_KEYS, 'cropping');
  readonly className = 'Cropping1D';
  readonly cropping: Pair[];
  static override readonly positional = ['cropping'];

  constructor(cropping: number | [number, number], options?: Omit<Cropping1DArgs, 'cropping'>);
  constructor(args?: Cropping1DArgs);
  constructor(...given: unknown[]) {
    const args = layerArgs<Cropping1DArgs>(new.target, given) ?? {};
    super(args);
    const owner = `Cropping1D '${this.name}'`;
    this.cropping = marginsN(args.cropping ?? 1, 1, 'cropping', owner);
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const out = resized(spatialShape(this, inputShape as Shape, 1), (i, d) => d - this.cropping[i][0] - this.cropping[i][1]);
    if (out.some((d) => d !== null && d <= 0)) {
      throw new ValueError(
        `${this.name} (Cropping1D): cropping ${JSON.stringify(this.cropping)} removes all of input ${formatShape(inputShape as Shape)}. help: crop less.`,
      );
    }
    return out;
  }

  call(x: tfc.Tensor): tfc.Tensor {
    this.computeOutputShape(x.shape);
    return cropSpatial(x, this.cropping);
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), cropping: this.cropping[0] };
  }
}

export interface UpSampling1DArgs extends LayerArgs {
  /** Upsampling factor: how many times each step is repeated. Keras: `size` @default 2 */
  size?: number;
}

/** Repeats each step `size` times (nearest-neighbour upsampling). */
export class UpSampling1D extends Layer {
  static override readonly optionKeys = optionKeys<UpSampling1DArgs>()(...LAYER_KEYS, 'size');
  readonly className = 'UpSampling1D';
  readonly size: number;
  static override readonly positional = ['size'];

  constructor(size: number, options?: Omit<UpSampling1DArgs, 'size'>);
  constructor(args?: UpSampling1DArgs);
  constructor(...given: unknown[]) {
    const args = layerArgs<UpSampling1DArgs>(new.target, given) ?? {};
    super(args);
    const owner = `UpSampling1D '${this.name}'`;
    this.size = positiveInt(args.size ?? 2, 'size', owner, 2);
  }

  private get sizes(): number[] {
    return [this.size];
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    return resized(spatialShape(this, inputShape as Shape, 1), (i, d) => d * this.sizes[i]);
  }

  call(x: tfc.Tensor): tfc.Tensor {
    return repeatSpatial(x, this.sizes);
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), size: this.size };
  }
}
