/**
 * Adaptive average and max pooling over 1, 2 or 3 spatial axes, channels last: the output has
 * `outputSize` along each spatial axis whatever the input's size. Output index i of an axis of
 * length L pools the window [floor(i·L/O), ceil((i+1)·L/O)), as Keras 3 and PyTorch do. Both
 * reductions are separable, so the layer pools one axis at a time.
 */
import * as tfc from '@tensorflow/tfjs-core';
import { poolAxis } from '../ops/adaptive_pool';
import { ValueError } from '../engine/errors';
import { Layer, LAYER_KEYS, LayerArgs, LayerConfig } from '../engine/layer';
import { optionKeys } from '../engine/options';
import { layerArgs } from '../engine/positional';
import { formatShape, Shape } from '../engine/symbolic_tensor';
import { channelsLast, DataFormat, intTuple } from './args';

export interface AdaptivePoolingArgs extends LayerArgs {
  /** The output's size: an integer or one per spatial axis. Keras: `output_size` */
  outputSize: number | number[];
  /** Where the channels are; only 'channels_last' is supported. Keras: `data_format` @default 'channels_last' */
  dataFormat?: DataFormat;
}

abstract class AdaptivePooling extends Layer {
  readonly outputSize: number[];

  constructor(
    private readonly rank: 1 | 2 | 3,
    private readonly kind: 'max' | 'avg',
    args: AdaptivePoolingArgs,
  ) {
    super(args);
    const owner = `${new.target.name} '${this.name}'`;
    if (args?.outputSize === undefined) {
      throw new ValueError(`${owner}: \`outputSize\` is required. help: pass e.g. {outputSize: ${rank === 1 ? 4 : `[${new Array(rank).fill(4).join(', ')}]`}}.`);
    }
    this.outputSize = intTuple(args.outputSize, rank, NaN, 'outputSize', owner);
    channelsLast(args.dataFormat, owner);
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = inputShape as Shape;
    if (shape.length !== this.rank + 2) {
      const example = ['(batch, steps, channels)', '(batch, height, width, channels)', '(batch, depth, height, width, channels)'][this.rank - 1];
      throw new ValueError(`${this.name} (${this.className}): expected input of rank ${this.rank + 2} ${example}, got ${formatShape(shape)}. help: reshape the input.`);
    }
    return [shape[0], ...this.outputSize, shape[shape.length - 1]];
  }

  call(x: tfc.Tensor): tfc.Tensor {
    this.computeOutputShape(x.shape);
    const reduce = this.kind === 'max' ? (t: tfc.Tensor, a: number) => tfc.max(t, a, true) : (t: tfc.Tensor, a: number) => tfc.mean(t, a, true);
    return this.outputSize.reduce((y, out, i) => poolAxis(y, i + 1, out, reduce), x);
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), outputSize: this.outputSize, dataFormat: 'channels_last' };
  }
}

/** An adaptive pooling layer's class: `new AdaptiveAveragePooling2D(outputSize, options?)`, as Keras, or the options form. */
export interface AdaptivePoolingClass extends Pick<typeof Layer, 'fromConfig' | 'optionKeys' | 'positional'> {
  new (outputSize: number | number[], options?: Omit<AdaptivePoolingArgs, 'outputSize'>): AdaptivePooling;
  new (args: AdaptivePoolingArgs): AdaptivePooling;
}

function defineAdaptivePooling(className: string, rank: 1 | 2 | 3, kind: 'max' | 'avg'): AdaptivePoolingClass {
  const cls = class extends AdaptivePooling {
    static override readonly optionKeys = optionKeys<AdaptivePoolingArgs>()(...LAYER_KEYS, 'outputSize', 'dataFormat');
    static override readonly positional = ['outputSize'];
    readonly className = className;
    constructor(...given: unknown[]) {
      super(rank, kind, layerArgs<AdaptivePoolingArgs>(new.target, given));
    }
  };
  Object.defineProperty(cls, 'name', { value: className });
  return cls;
}

export const AdaptiveAveragePooling1D = defineAdaptivePooling('AdaptiveAveragePooling1D', 1, 'avg');
export const AdaptiveAveragePooling2D = defineAdaptivePooling('AdaptiveAveragePooling2D', 2, 'avg');
export const AdaptiveAveragePooling3D = defineAdaptivePooling('AdaptiveAveragePooling3D', 3, 'avg');
export const AdaptiveMaxPooling1D = defineAdaptivePooling('AdaptiveMaxPooling1D', 1, 'max');
export const AdaptiveMaxPooling2D = defineAdaptivePooling('AdaptiveMaxPooling2D', 2, 'max');
export const AdaptiveMaxPooling3D = defineAdaptivePooling('AdaptiveMaxPooling3D', 3, 'max');
