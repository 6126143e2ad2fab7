/**
 * ActivityRegularization: passes its input through and adds l1·sum(|x|) + l2·sum(x²) of it to the
 * loss in fit (the base layer's activity regularizer, an L1L2 built from `l1` and `l2`), as Keras 3.
 */
import * as tfc from '@tensorflow/tfjs-core';
import { ValueError } from '../engine/errors';
import { LAYER_KEYS, LayerArgs, LayerConfig } from '../engine/layer';
import { optionKeys } from '../engine/options';
import { layerArgs } from '../engine/positional';
import { ShapePreservingLayer } from '../engine/shape_preserving_layer';
import { L1L2 } from '../regularizers';

export interface ActivityRegularizationArgs extends Omit<LayerArgs, 'activityRegularizer'> {
  /** Weight of the L1 penalty on the output. Keras: `l1` @default 0 */
  l1?: number;
  /** Weight of the L2 penalty on the output. Keras: `l2` @default 0 */
  l2?: number;
}

function factor(value: number | undefined, field: string): number {
  const v = value ?? 0;
  if (typeof v !== 'number' || !(v >= 0)) {
    throw new ValueError(`ActivityRegularization: \`${field}\` must be a non-negative number, got ${String(value)}. help: e.g. {${field}: 0.01}.`);
  }
  return v;
}

export class ActivityRegularization extends ShapePreservingLayer {
  static override readonly optionKeys = optionKeys<ActivityRegularizationArgs>()(...LAYER_KEYS.filter((key) => key !== 'activityRegularizer'), 'l1', 'l2');
  readonly className = 'ActivityRegularization';
  override supportsMasking = true;
  readonly l1: number;
  readonly l2: number;

  static override readonly positional = ['l1'];

  constructor(l1: number, options?: Omit<ActivityRegularizationArgs, 'l1'>);
  constructor(args?: ActivityRegularizationArgs);
  constructor(...given: unknown[]) {
    const args = layerArgs<ActivityRegularizationArgs>(new.target, given) ?? {};
    const l1 = factor(args.l1, 'l1');
    const l2 = factor(args.l2, 'l2');
    super({ ...args, activityRegularizer: new L1L2({ l1, l2 }) } as LayerArgs, args);
    this.l1 = l1;
    this.l2 = l2;
  }

  call(x: tfc.Tensor): tfc.Tensor {
    return tfc.clone(x);
  }

  override getConfig(): LayerConfig {
    const { activityRegularizer, ...rest } = super.getConfig();
    void activityRegularizer;
    return { ...rest, l1: this.l1, l2: this.l2 };
  }
}
