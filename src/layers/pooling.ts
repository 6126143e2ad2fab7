/** Max and average pooling over 1 or 2 spatial axes, and their global forms. Channels last. */
import * as tfc from '@tensorflow/tfjs-core';
import { ValueError } from '../engine/errors';
import { CallContext, Layer, LayerArgs, LayerConfig } from '../engine/layer';
import { formatShape, Shape } from '../engine/symbolic_tensor';
import { channelsLast, convOutputLength, DataFormat, intTuple, oneOf } from './args';

export interface PoolingArgs extends LayerArgs {
  /** Window size. @default 2 */
  poolSize?: number | number[];
  /** @default poolSize */
  strides?: number | number[];
  /** @default 'valid' */
  padding?: 'valid' | 'same';
  /** @default 'channels_last' (the only one supported) */
  dataFormat?: DataFormat;
}

function expectRank(layer: Layer, shape: Shape, rank: number): void {
  if (shape.length !== rank) {
    throw new ValueError(
      `${layer.name} (${layer.className}): expected input of rank ${rank} (batch, ${rank === 3 ? 'steps' : 'height, width'}, channels), got ${formatShape(shape)}. ` +
        'help: reshape the input, e.g. with Reshape.',
    );
  }
}

abstract class Pooling extends Layer {
  readonly poolSize: number[];
  readonly strides: number[];
  readonly padding: 'valid' | 'same';

  constructor(
    private readonly rank: 1 | 2,
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

  call(inputs: tfc.Tensor | tfc.Tensor[], ctx: CallContext): tfc.Tensor {
    void ctx;
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
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

export class MaxPooling1D extends Pooling {
  readonly className = 'MaxPooling1D';
  constructor(args: PoolingArgs = {}) {
    super(1, 'max', args);
  }
  static fromConfig(c: LayerConfig): MaxPooling1D {
    return new MaxPooling1D(c as PoolingArgs);
  }
}

export class MaxPooling2D extends Pooling {
  readonly className = 'MaxPooling2D';
  constructor(args: PoolingArgs = {}) {
    super(2, 'max', args);
  }
  static fromConfig(c: LayerConfig): MaxPooling2D {
    return new MaxPooling2D(c as PoolingArgs);
  }
}

export class AveragePooling1D extends Pooling {
  readonly className = 'AveragePooling1D';
  constructor(args: PoolingArgs = {}) {
    super(1, 'avg', args);
  }
  static fromConfig(c: LayerConfig): AveragePooling1D {
    return new AveragePooling1D(c as PoolingArgs);
  }
}

export class AveragePooling2D extends Pooling {
  readonly className = 'AveragePooling2D';
  constructor(args: PoolingArgs = {}) {
    super(2, 'avg', args);
  }
  static fromConfig(c: LayerConfig): AveragePooling2D {
    return new AveragePooling2D(c as PoolingArgs);
  }
}

export interface GlobalPoolingArgs extends LayerArgs {
  /** Keep the pooled axes with size 1. @default false */
  keepdims?: boolean;
  dataFormat?: DataFormat;
}

abstract class GlobalPooling extends Layer {
  readonly keepdims: boolean;

  constructor(
    private readonly rank: 1 | 2,
    private readonly kind: 'max' | 'avg',
    args: GlobalPoolingArgs = {},
  ) {
    super(args);
    this.keepdims = args.keepdims ?? false;
    channelsLast(args.dataFormat, `${new.target.name} '${this.name}'`);
  }

  private get axes(): number[] {
    return this.rank === 1 ? [1] : [1, 2];
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = inputShape as Shape;
    expectRank(this, shape, this.rank + 2);
    const c = shape[shape.length - 1];
    return this.keepdims ? [shape[0], ...this.axes.map(() => 1), c] : [shape[0], c];
  }

  call(inputs: tfc.Tensor | tfc.Tensor[], ctx: CallContext): tfc.Tensor {
    void ctx;
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    return this.kind === 'max' ? tfc.max(x, this.axes, this.keepdims) : tfc.mean(x, this.axes, this.keepdims);
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), keepdims: this.keepdims, dataFormat: 'channels_last' };
  }
}

export class GlobalMaxPooling1D extends GlobalPooling {
  readonly className = 'GlobalMaxPooling1D';
  constructor(args: GlobalPoolingArgs = {}) {
    super(1, 'max', args);
  }
  static fromConfig(c: LayerConfig): GlobalMaxPooling1D {
    return new GlobalMaxPooling1D(c as GlobalPoolingArgs);
  }
}

export class GlobalMaxPooling2D extends GlobalPooling {
  readonly className = 'GlobalMaxPooling2D';
  constructor(args: GlobalPoolingArgs = {}) {
    super(2, 'max', args);
  }
  static fromConfig(c: LayerConfig): GlobalMaxPooling2D {
    return new GlobalMaxPooling2D(c as GlobalPoolingArgs);
  }
}

export class GlobalAveragePooling1D extends GlobalPooling {
  readonly className = 'GlobalAveragePooling1D';
  constructor(args: GlobalPoolingArgs = {}) {
    super(1, 'avg', args);
  }
  static fromConfig(c: LayerConfig): GlobalAveragePooling1D {
    return new GlobalAveragePooling1D(c as GlobalPoolingArgs);
  }
}

export class GlobalAveragePooling2D extends GlobalPooling {
  readonly className = 'GlobalAveragePooling2D';
  constructor(args: GlobalPoolingArgs = {}) {
    super(2, 'avg', args);
  }
  static fromConfig(c: LayerConfig): GlobalAveragePooling2D {
    return new GlobalAveragePooling2D(c as GlobalPoolingArgs);
  }
}
