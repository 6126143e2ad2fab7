/**
 * ZeroPadding3D, Cropping3D and UpSampling3D: layers that resize a volume (batch, depth, height,
 * width, channels), as Keras 3. Channels last only.
 */
import * as tfc from '@tensorflow/tfjs-core';
import { ValueError } from '../engine/errors';
import { Layer, LAYER_KEYS, LayerArgs, LayerConfig } from '../engine/layer';
import { optionKeys } from '../engine/options';
import { layerArgs } from '../engine/positional';
import { formatShape, Shape } from '../engine/symbolic_tensor';
import { channelsLast, DataFormat, intTuple } from './args';
import { cropSpatial, marginsN, padSpatial, Pair, repeatSpatial, resized, spatialShape } from './spatial_nd';

export interface ZeroPadding3DArgs extends LayerArgs {
  /** Zeros added: one number for every side, [depth, height, width] symmetric, or three [before, after] pairs. Keras: `padding` @default [[1, 1], [1, 1], [1, 1]] */
  padding?: number | [number, number, number] | [Pair, Pair, Pair];
  /** Where the channels are; only 'channels_last' is supported. Keras: `data_format` @default 'channels_last' */
  dataFormat?: DataFormat;
}

/** Adds zeros at the two ends of each spatial axis of the volume (batch, depth, height, width, channels). */
export class ZeroPadding3D extends Layer {
  static override readonly optionKeys = optionKeys<ZeroPadding3DArgs>()(...LAYER_KEYS, 'padding', 'dataFormat');
  readonly className = 'ZeroPadding3D';
  readonly padding: Pair[];
  static override readonly positional = ['padding'];

  constructor(padding: number | [number, number, number] | [Pair, Pair, Pair], options?: Omit<ZeroPadding3DArgs, 'padding'>);
  constructor(args?: ZeroPadding3DArgs);
  constructor(...given: unknown[]) {
    const args = layerArgs<ZeroPadding3DArgs>(new.target, given) ?? {};
    super(args);
    const owner = `ZeroPadding3D '${this.name}'`;
    this.padding = marginsN(args.padding ?? 1, 3, 'padding', owner);
    channelsLast(args.dataFormat, owner);
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    return resized(spatialShape(this, inputShape as Shape, 3), (i, d) => d + this.padding[i][0] + this.padding[i][1]);
  }

  call(x: tfc.Tensor): tfc.Tensor {
    return padSpatial(x, this.padding);
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), padding: this.padding, dataFormat: 'channels_last' };
  }
}

export interface Cropping3DArgs extends LayerArgs {
  /** Removed: one number for every side, [depth, height, width] symmetric, or three [before, after] pairs. Keras: `cropping` @default [[1, 1], [1, 1], [1, 1]] */
  cropping?: number | [number, number, number] | [Pair, Pair, Pair];
  /** Where the channels are; only 'channels_last' is supported. Keras: `data_format` @default 'channels_last' */
  dataFormat?: DataFormat;
}

/** Removes entries at the two ends of each spatial axis of the volume (batch, depth, height, width, channels). */
export class Cropping3D extends Layer {
  static override readonly optionKeys = optionKeys<Cropping3DArgs>()(...LAYER_KEYS, 'cropping', 'dataFormat');
  readonly className = 'Cropping3D';
  readonly cropping: Pair[];
  static override readonly positional = ['cropping'];

  constructor(cropping: number | [number, number, number] | [Pair, Pair, Pair], options?: Omit<Cropping3DArgs, 'cropping'>);
  constructor(args?: Cropping3DArgs);
  constructor(...given: unknown[]) {
    const args = layerArgs<Cropping3DArgs>(new.target, given) ?? {};
    super(args);
    const owner = `Cropping3D '${this.name}'`;
    this.cropping = marginsN(args.cropping ?? 1, 3, 'cropping', owner);
    channelsLast(args.dataFormat, owner);
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const out = resized(spatialShape(this, inputShape as Shape, 3), (i, d) => d - this.cropping[i][0] - this.cropping[i][1]);
    if (out.some((d) => d !== null && d <= 0)) {
      throw new ValueError(
        `${this.name} (Cropping3D): cropping ${JSON.stringify(this.cropping)} removes all of input ${formatShape(inputShape as Shape)}. help: crop less.`,
      );
    }
    return out;
  }

  call(x: tfc.Tensor): tfc.Tensor {
    this.computeOutputShape(x.shape);
    return cropSpatial(x, this.cropping);
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), cropping: this.cropping, dataFormat: 'channels_last' };
  }
}

export interface UpSampling3DArgs extends LayerArgs {
  /** Upsampling factor: one number, or [depth, height, width]. Keras: `size` @default 2 */
  size?: number | [number, number, number];
  /** Where the channels are; only 'channels_last' is supported. Keras: `data_format` @default 'channels_last' */
  dataFormat?: DataFormat;
}

/** Repeats each voxel along each axis `size` times (nearest-neighbour upsampling). */
export class UpSampling3D extends Layer {
  static override readonly optionKeys = optionKeys<UpSampling3DArgs>()(...LAYER_KEYS, 'size', 'dataFormat');
  readonly className = 'UpSampling3D';
  readonly size: number[];
  static override readonly positional = ['size'];

  constructor(size: number | [number, number, number], options?: Omit<UpSampling3DArgs, 'size'>);
  constructor(args?: UpSampling3DArgs);
  constructor(...given: unknown[]) {
    const args = layerArgs<UpSampling3DArgs>(new.target, given) ?? {};
    super(args);
    const owner = `UpSampling3D '${this.name}'`;
    this.size = intTuple(args.size, 3, 2, 'size', owner);
    channelsLast(args.dataFormat, owner);
  }

  private get sizes(): number[] {
    return this.size;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    return resized(spatialShape(this, inputShape as Shape, 3), (i, d) => d * this.sizes[i]);
  }

  call(x: tfc.Tensor): tfc.Tensor {
    return repeatSpatial(x, this.sizes);
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), size: this.size, dataFormat: 'channels_last' };
  }
}
