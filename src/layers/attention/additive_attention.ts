import * as tfc from '@tensorflow/tfjs-core';
import { LAYER_KEYS, LayerConfig } from '../../engine/layer';
import { optionKeys } from '../../engine/options';
import { Shape } from '../../engine/symbolic_tensor';
import { getInitializer } from '../../initializers';
import { Attention, AttentionArgs } from './attention';

export type AdditiveAttentionArgs = Omit<AttentionArgs, 'scoreMode'>;

/** Keras's AdditiveAttention (Bahdanau): scores = sum(scale · tanh(query + key)) over the features. */
export class AdditiveAttention extends Attention {
  static override readonly optionKeys: readonly string[] = optionKeys<AdditiveAttentionArgs>()(...LAYER_KEYS, 'useScale', 'dropout', 'seed');
  override readonly className = 'AdditiveAttention';

  constructor(args: AdditiveAttentionArgs = {}) {
    super(args);
  }

  protected override defaultUseScale(): boolean {
    return true;
  }

  override build(inputShape: Shape | Shape[]): void {
    const [q] = this.shapes(inputShape);
    if (this.useScale) this.scale = this.addWeight({ name: 'scale', shape: [q[2] as number], initializer: getInitializer('glorot_uniform', this.name) });
  }

  protected override scores(query: tfc.Tensor, key: tfc.Tensor): tfc.Tensor {
    const t = tfc.tanh(tfc.add(tfc.expandDims(query, 2), tfc.expandDims(key, 1)));
    return tfc.sum(this.scale ? tfc.mul(t, this.scale.value) : t, -1);
  }

  override getConfig(): LayerConfig {
    const { scoreMode, ...rest } = super.getConfig();
    void scoreMode;
    return rest as LayerConfig;
  }
}
