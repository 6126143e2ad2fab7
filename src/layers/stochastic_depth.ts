/**
 * StochasticDepth (ConvNeXt's, Keras's `keras.applications.convnext.StochasticDepth`): in training,
 * drops a residual branch for whole samples with probability `dropPathRate` and scales the kept
 * ones by 1 / (1 - dropPathRate); at inference it passes its input through.
 */
import * as tfc from '@tensorflow/tfjs-core';
import { ValueError } from '../engine/errors';
import { CallContext, LAYER_KEYS, LayerArgs, LayerConfig } from '../engine/layer';
import { optionKeys } from '../engine/options';
import { layerArgs } from '../engine/positional';
import { ShapePreservingLayer } from '../engine/shape_preserving_layer';
import { SeedGenerator } from '../utils/random';

export interface StochasticDepthArgs extends LayerArgs {
  /** The probability of dropping a sample's branch, in [0, 1). Keras: `drop_path_rate` */
  dropPathRate: number;
}

/** x / keep · floor(keep + u), u ~ U[0, 1) drawn once per sample, in training; x otherwise. */
export class StochasticDepth extends ShapePreservingLayer {
  static override readonly optionKeys = optionKeys<StochasticDepthArgs>()(...LAYER_KEYS, 'dropPathRate');
  readonly className = 'StochasticDepth';
  static override readonly positional = ['dropPathRate'];
  readonly dropPathRate: number;
  private readonly seeds = new SeedGenerator();

  constructor(dropPathRate: number, options?: Omit<StochasticDepthArgs, 'dropPathRate'>);
  constructor(args: StochasticDepthArgs);
  constructor(...given: unknown[]) {
    const args = layerArgs<StochasticDepthArgs>(new.target, given);
    super(args);
    if (args === undefined || typeof args.dropPathRate !== 'number' || !(args.dropPathRate >= 0 && args.dropPathRate < 1)) {
      throw new ValueError(`StochasticDepth: \`dropPathRate\` must be a number in [0, 1), got ${String(args?.dropPathRate)}. help: e.g. {dropPathRate: 0.1}.`);
    }
    this.dropPathRate = args.dropPathRate;
  }

  call(x: tfc.Tensor, ctx: CallContext): tfc.Tensor {
    if (!ctx.training || this.dropPathRate === 0) return tfc.clone(x);
    const keep = 1 - this.dropPathRate;
    const shape = [x.shape[0], ...x.shape.slice(1).map(() => 1)];
    const mask = tfc.floor(tfc.add(tfc.randomUniform(shape, 0, 1, 'float32', this.seeds.next()), keep));
    return tfc.mul(tfc.div(x, keep), mask);
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), dropPathRate: this.dropPathRate };
  }
}
