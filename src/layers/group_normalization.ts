/**
 * GroupNormalization: splits the channels (`axis`) into `groups` groups and normalizes each
 * sample's group over its channels and spatial positions, then applies a per-channel gamma and
 * beta. groups = channels is instance normalization (Keras's `groups: -1`), groups = 1 is layer
 * normalization over everything but the batch. Keras 3's defaults: groups 32, epsilon 1e-3.
 */
import * as tfc from '@tensorflow/tfjs-core';
import { ValueError } from '../engine/errors';
import { LayerConfig } from '../engine/layer';
import { optionKeys } from '../engine/options';
import { layerArgs } from '../engine/positional';
import { formatShape, Shape } from '../engine/symbolic_tensor';
import { NORMALIZATION_KEYS, NormalizationArgs, ScaleOffsetNormalization } from './normalization';

export interface GroupNormalizationArgs extends NormalizationArgs {
  /** Number of channel groups; -1 makes one group per channel (instance normalization). Keras: `groups` @default 32 */
  groups?: number;
}

export class GroupNormalization extends ScaleOffsetNormalization {
  static override readonly optionKeys = optionKeys<GroupNormalizationArgs>()(...NORMALIZATION_KEYS, 'groups');
  readonly className = 'GroupNormalization';
  readonly groups: number;

  static override readonly positional = ['groups'];

  constructor(groups: number, options?: Omit<GroupNormalizationArgs, 'groups'>);
  constructor(args?: GroupNormalizationArgs);
  constructor(...given: unknown[]) {
    const args = layerArgs<GroupNormalizationArgs>(new.target, given) ?? {};
    super(args);
    this.groups = args.groups ?? 32;
    if (!Number.isInteger(this.groups) || (this.groups <= 0 && this.groups !== -1)) {
      throw new ValueError(`GroupNormalization '${this.name}': \`groups\` must be a positive integer or -1, got ${String(args.groups)}. help: e.g. {groups: 8}.`);
    }
  }

  /** The number of groups for `channels` channels, checked. */
  private groupCount(channels: number, shape: Shape): number {
    const g = this.groups === -1 ? channels : this.groups;
    if (channels % g !== 0) {
      throw new ValueError(
        `${this.name} (GroupNormalization): ${channels} channels (axis ${this.axis} of ${formatShape(shape)}) cannot be split into ${g} groups. ` +
          'help: choose groups dividing the channel count.',
      );
    }
    return g;
  }

  override build(inputShape: Shape | Shape[]): void {
    const { size } = this.featureAxis(inputShape as Shape);
    this.groupCount(size, inputShape as Shape);
    this.addScaleAndOffset(size);
  }

  call(x: tfc.Tensor): tfc.Tensor {
    const { axis, size } = this.featureAxis(x.shape);
    const g = this.groupCount(size, x.shape);
    const grouped = tfc.reshape(x, [...x.shape.slice(0, axis), g, size / g, ...x.shape.slice(axis + 1)]);
    const reduce = grouped.shape.map((_, i) => i).filter((i) => i !== 0 && i !== axis);
    const { mean, variance } = tfc.moments(grouped, reduce, true);
    const normalized = tfc.reshape(tfc.mul(tfc.sub(grouped, mean), tfc.rsqrt(tfc.add(variance, this.epsilon))), x.shape);
    const broadcast = x.shape.map((d, i) => (i === axis ? d : 1));
    let y = normalized;
    if (this.gamma) y = tfc.mul(y, tfc.reshape(this.gamma.value, broadcast));
    if (this.beta) y = tfc.add(y, tfc.reshape(this.beta.value, broadcast));
    return y;
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), groups: this.groups };
  }
}
