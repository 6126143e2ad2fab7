/** Max and average pooling over 1, 2 or 3 spatial axes, and their global forms. Channels last. */
import * as tfc from '@tensorflow/tfjs-core';
import { ValueError } from '../engine/errors';
import { CallContext, Layer, LAYER_KEYS, LayerArgs, LayerConfig } from '../engine/layer';
import { optionKeys } from '../engine/options';
import { layerArgs } from '../engine/positional';
import { checkMaskShape, firstMask, maskAsFloat, MaskArg } from '../engine/masking';
import { formatShape, Shape } from '../engine/symbolic_tensor';
import { channelsLast, convOutputLength, DataFormat, intTuple, oneOf } from './args';

export interface PoolingArgs extends LayerArgs {
  /** Window size: an integer or one per spatial axis. Keras: `pool_size` @default 2 */
  poolSize?: number | number[];
  /** Step of the window: an integer or one per spatial axis. Keras: `strides` @default poolSize (as Keras's None) */
  strides?: number | number[];
  /** 'valid' (no padding) or 'same' (output size = ceil(input / stride)). Keras: `padding` @default 'valid' */
  padding?: 'valid' | 'same';
  /** Where the channels are; only 'channels_last' is supported. Keras: `data_format` @default 'channels_last' */
  dataFormat?: DataFormat;
}

function expectRank(layer: Layer, shape: Shape, rank: number): void {
  if (shape.length !== rank) {
    throw new ValueError(
      `${layer.name} (${layer.className}): expected input of rank ${rank} (batch, ${['steps', 'height, width', 'depth, height, width'][rank - 3]}, channels), got ${formatShape(shape)}. ` +
        'help: reshape the input, e.g. with Reshape.',
    );
  }
}

abstract class Pooling extends Layer {
  readonly poolSize: number[];
  readonly strides: number[];
  readonly padding: 'valid' | 'same';

  constructor(
    private readonly rank: 1 | 2 | 3,
    private readonly kind: 'max' | 'avg',
    args: PoolingArgs = {},
  ) {
    super(args);
    const owner = `${new.target.name} '${this.name}'`;
    this.poolSize = intTuple(args.poolSize, rank, 2, 'poolSize', owner);
    this.strides = intTuple(args.strides, rank, this.poolSize, 'strides', owner);
    this.padding = oneOf(args.padding, ['valid', 'same'] as const, 'valid', 'padding', owner);
    channelsLast(args.dataFormat, owner);
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = inputShape as Shape;
    expectRank(this, shape, this.rank + 2);
    const spatial = shape.slice(1, -1).map((len, i) => convOutputLength(len, this.poolSize[i], this.padding, this.strides[i]));
    if (spatial.some((d) => d !== null && d <= 0)) {
      throw new ValueError(
        `${this.name} (${this.className}): the pool window ${this.poolSize.join('×')} is larger than the input ${formatShape(shape)}. ` +
          "help: use a smaller poolSize, or padding: 'same'.",
      );
    }
    return [shape[0], ...spatial, shape[shape.length - 1]];
  }

  override build(inputShape: Shape | Shape[]): void {
    this.computeOutputShape(inputShape); // validates
  }

  call(x: tfc.Tensor, ctx: CallContext): tfc.Tensor {
    void ctx;
    if (this.rank === 3) {
      const [size, strides] = [this.poolSize, this.strides] as Array<[number, number, number]>;
      return this.kind === 'max' ? tfc.maxPool3d(x as tfc.Tensor5D, size, strides, this.padding) : tfc.avgPool3d(x as tfc.Tensor5D, size, strides, this.padding);
    }
    const x4 = (this.rank === 1 ? tfc.expandDims(x, 1) : x) as tfc.Tensor4D;
    const size: [number, number] = this.rank === 1 ? [1, this.poolSize[0]] : [this.poolSize[0], this.poolSize[1]];
    const strides: [number, number] = this.rank === 1 ? [1, this.strides[0]] : [this.strides[0], this.strides[1]];
    const y = this.kind === 'max' ? tfc.maxPool(x4, size, strides, this.padding) : tfc.avgPool(x4, size, strides, this.padding);
    return this.rank === 1 ? tfc.squeeze(y, [1]) : y;
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), poolSize: this.poolSize, strides: this.strides, padding: this.padding, dataFormat: 'channels_last' };
  }
}

/** A pooling layer's class: `new MaxPooling2D(poolSize?, options?)`, as Keras, or `new MaxPooling2D(options?)`. */
export interface PoolingClass extends Pick<typeof Layer, 'fromConfig' | 'optionKeys' | 'positional'> {
  new (poolSize: number | number[], options?: Omit<PoolingArgs, 'poolSize'>): Pooling;
  new (args?: PoolingArgs): Pooling;
}

/** A pooling layer class with Keras's name (the default layer name follows it: max_pooling2d, ...). */
function definePooling(className: string, rank: 1 | 2 | 3, kind: 'max' | 'avg'): PoolingClass {
  const cls = class extends Pooling {
    static override readonly optionKeys = optionKeys<PoolingArgs>()(...LAYER_KEYS, 'poolSize', 'strides', 'padding', 'dataFormat');
    static override readonly positional = ['poolSize'];
    readonly className = className;
    constructor(...given: unknown[]) {
      super(rank, kind, layerArgs<PoolingArgs>(new.target, given) ?? {});
    }
  };
  Object.defineProperty(cls, 'name', { value: className });
  return cls;
}

export const MaxPooling1D = definePooling('MaxPooling1D', 1, 'max');
export const MaxPooling2D = definePooling('MaxPooling2D', 2, 'max');
export const AveragePooling1D = definePooling('AveragePooling1D', 1, 'avg');
export const AveragePooling2D = definePooling('AveragePooling2D', 2, 'avg');
export const MaxPooling3D = definePooling('MaxPooling3D', 3, 'max');
export const AveragePooling3D = definePooling('AveragePooling3D', 3, 'avg');

export interface GlobalPoolingArgs extends LayerArgs {
  /** Keep the pooled axes with size 1. Keras: `keepdims` @default false */
  keepdims?: boolean;
  /** Where the channels are; only 'channels_last' is supported. Keras: `data_format` @default 'channels_last' */
  dataFormat?: DataFormat;
}

abstract class GlobalPooling extends Layer {
  readonly keepdims: boolean;

  constructor(
    private readonly rank: 1 | 2 | 3,
    private readonly kind: 'max' | 'avg',
    args: GlobalPoolingArgs = {},
  ) {
    super(args);
    this.keepdims = args.keepdims ?? false;
    channelsLast(args.dataFormat, `${new.target.name} '${this.name}'`);
    // As Keras: the average over steps honours a mask (the mean of the kept steps) and ends it.
    this.supportsMasking = rank === 1 && kind === 'avg';
  }

  override computeMask(): MaskArg {
    return null;
  }

  private get axes(): number[] {
    return [1, 2, 3].slice(0, this.rank);
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = inputShape as Shape;
    expectRank(this, shape, this.rank + 2);
    const c = shape[shape.length - 1];
    return this.keepdims ? [shape[0], ...this.axes.map(() => 1), c] : [shape[0], c];
  }

  call(x: tfc.Tensor, ctx: CallContext): tfc.Tensor {
    const mask = this.supportsMasking ? firstMask(ctx.mask) : null;
    if (mask) {
      checkMaskShape(`${this.name} (${this.className})`, x, mask);
      const m = tfc.expandDims(maskAsFloat(mask), 2);
      return tfc.div(tfc.sum(tfc.mul(x, m), 1, this.keepdims), tfc.sum(m, 1, this.keepdims));
    }
    return this.kind === 'max' ? tfc.max(x, this.axes, this.keepdims) : tfc.mean(x, this.axes, this.keepdims);
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), keepdims: this.keepdims, dataFormat: 'channels_last' };
  }
}

function defineGlobalPooling(className: string, rank: 1 | 2 | 3, kind: 'max' | 'avg'): new (args?: GlobalPoolingArgs) => GlobalPooling {
  const cls = class extends GlobalPooling {
    static override readonly optionKeys = optionKeys<GlobalPoolingArgs>()(...LAYER_KEYS, 'keepdims', 'dataFormat');
    readonly className = className;
    constructor(args: GlobalPoolingArgs = {}) {
      super(rank, kind, args);
    }
  };
  Object.defineProperty(cls, 'name', { value: className });
  return cls;
}

export const GlobalMaxPooling1D = defineGlobalPooling('GlobalMaxPooling1D', 1, 'max');
export const GlobalMaxPooling2D = defineGlobalPooling('GlobalMaxPooling2D', 2, 'max');
export const GlobalAveragePooling1D = defineGlobalPooling('GlobalAveragePooling1D', 1, 'avg');
export const GlobalAveragePooling2D = defineGlobalPooling('GlobalAveragePooling2D', 2, 'avg');
export const GlobalMaxPooling3D = defineGlobalPooling('GlobalMaxPooling3D', 3, 'max');
export const GlobalAveragePooling3D = defineGlobalPooling('GlobalAveragePooling3D', 3, 'avg');
