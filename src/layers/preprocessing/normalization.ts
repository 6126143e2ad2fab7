import * as tfc from '@tensorflow/tfjs-core';
import { ValueError } from '../../engine/errors';
import { CallContext, Layer, LAYER_KEYS, LayerArgs, LayerConfig } from '../../engine/layer';
import { optionKeys } from '../../engine/options';
import { layerArgs } from '../../engine/positional';
import { formatShape, Shape } from '../../engine/symbolic_tensor';
import { Weight } from '../../engine/weight';
import { Zeros } from '../../initializers';
import { AdaptData, adaptBatches } from './adapt_data';

export interface NormalizationArgs extends LayerArgs {
  /**
   * The axis (or axes) with a mean and variance each; the others are averaged over. null: one for all. Keras: `axis`
   * @default -1
   */
  axis?: number | number[] | null;
  /**
   * The mean, instead of adapt (a number, or one per feature). Keras: `mean` @default undefined (learned by adapt)
   */
  mean?: number | number[];
  /** The variance, given with mean. Keras: `variance` @default undefined (learned by adapt) */
  variance?: number | number[];
  /** Undo the normalization instead: mean + x · std. Keras: `invert` @default false */
  invert?: boolean;
}

const EPSILON = 1e-7; // Keras's backend.epsilon()

/**
 * Shifts and scales each feature to mean 0 and variance 1: (x - mean) / max(sqrt(variance), 1e-7),
 * with the mean and variance given or learned from data with adapt(data), as Keras's Normalization.
 * Adapted statistics are non-trainable weights (mean, variance, count), so they are saved; a mean
 * and variance given as options are constants of the config and make no weights (as Keras 3's).
 */
export class Normalization extends Layer {
  static override readonly optionKeys: readonly string[] = optionKeys<NormalizationArgs>()(...LAYER_KEYS, 'axis', 'mean', 'variance', 'invert');
  readonly className = 'Normalization';
  readonly axis: number[];
  readonly invert: boolean;
  private readonly givenMean: number | number[] | undefined;
  private readonly givenVariance: number | number[] | undefined;
  mean: Weight | null = null;
  variance: Weight | null = null;
  count: Weight | null = null;
  private keep: number[] = [];
  private statsShapeBuilt: number[] = [];

  static override readonly positional = ['axis'];

  constructor(axis: number | number[] | null, options?: Omit<NormalizationArgs, 'axis'>);
  constructor(args?: NormalizationArgs);
  constructor(...given: unknown[]) {
    const args = layerArgs<NormalizationArgs>(new.target, given) ?? {};
    super(args);
    const owner = `Normalization '${this.name}'`;
    const axis = args.axis === undefined ? [-1] : args.axis === null ? [] : Array.isArray(args.axis) ? args.axis : [args.axis];
    if (!axis.every(Number.isInteger)) throw new ValueError(`${owner}: \`axis\` must be integers, got ${JSON.stringify(args.axis)}. help: e.g. {axis: -1}.`);
    this.axis = axis;
    this.invert = args.invert ?? false;
    if ((args.mean === undefined) !== (args.variance === undefined)) {
      throw new ValueError(`${owner}: give both \`mean\` and \`variance\`, or neither (then call adapt). Got mean ${JSON.stringify(args.mean)}, variance ${JSON.stringify(args.variance)}.`);
    }
    this.givenMean = args.mean;
    this.givenVariance = args.variance;
  }

  protected override get fixedAxes(): number[] {
    return this.axis.length > 0 ? this.axis : [];
  }

  private statsShape(shape: Shape): number[] {
    const rank = shape.length;
    this.keep = this.axis.map((a) => (a < 0 ? a + rank : a)).sort((a, b) => a - b);
    if (this.keep.some((a) => a <= 0 || a >= rank || shape[a] === null)) {
      throw new ValueError(
        `${this.name} (Normalization): axis ${JSON.stringify(this.axis)} must name known, non-batch axes of the input ${formatShape(shape)}. help: e.g. {axis: -1} for features last.`,
      );
    }
    return this.keep.map((a) => shape[a] as number);
  }

  override build(inputShape: Shape | Shape[]): void {
    const shape = this.statsShape(inputShape as Shape);
    this.statsShapeBuilt = shape;
    if (this.givenMean !== undefined) return; // Keras 3: given statistics are constants, not weights
    const add = (name: string, s: number[], init: number | number[] | undefined): Weight => {
      const w = this.addWeight({ name, shape: s, initializer: new Zeros(), trainable: false });
      if (init !== undefined) {
        const t = tfc.tidy(() => tfc.mul(tfc.ones(s), tfc.tensor(init)));
        w.assign(t);
        t.dispose();
      }
      return w;
    };
    this.mean = add('mean', shape, undefined);
    this.variance = add('variance', shape, 1);
    this.count = add('count', [], 0);
  }

  /** The output has the input's shape (declared, so no shape inference runs the layer on zeros). */
  override computeOutputShape(inputShape: Shape | Shape[]): Shape | Shape[] {
    return inputShape;
  }

  /** Learns the mean and variance of each feature from data (a tensor, nested arrays, or a list of batches). */
  adapt(data: AdaptData): void {
    tfc.tidy(() => {
      const batches = adaptBatches(data, `${this.name} (Normalization).adapt`, 'float32');
      this.ensureBuilt([null, ...batches[0].shape.slice(1)]);
      if (this.mean === null) {
        throw new ValueError(`${this.name} (Normalization): adapt() learns the mean and variance, but they were given as options. help: drop \`mean\` and \`variance\` to adapt.`);
      }
      const reduce = batches[0].shape.map((_, i) => i).filter((i) => !this.keep.includes(i));
      // Merged over batches with Chan's parallel formula: count, mean, and sum of squared deviations.
      let n = 0;
      let mean: tfc.Tensor = tfc.zeros((this.mean as Weight).shape);
      let m2: tfc.Tensor = tfc.zeros((this.mean as Weight).shape);
      for (const batch of batches) {
        const b = tfc.cast(batch, 'float32');
        const nb = reduce.reduce((p, a) => p * b.shape[a], 1);
        const { mean: mb, variance: vb } = tfc.moments(b, reduce);
        const delta = tfc.sub(mb, mean);
        const total = n + nb;
        mean = tfc.add(mean, tfc.mul(delta, nb / total));
        m2 = tfc.add(tfc.add(m2, tfc.mul(vb, nb)), tfc.mul(tfc.square(delta), (n * nb) / total));
        n = total;
      }
      (this.mean as Weight).assign(mean);
      (this.variance as Weight).assign(tfc.div(m2, Math.max(n, 1)));
      (this.count as Weight).assign(tfc.scalar(n));
    });
  }

  call(inputs: tfc.Tensor, ctx: CallContext): tfc.Tensor {
    void ctx;
    const x = tfc.cast(inputs, 'float32');
    const shape = x.shape.map((d, i) => (this.keep.includes(i) ? d : 1));
    const stat = (w: Weight | null, given: number | number[] | undefined) =>
      tfc.reshape(w !== null ? w.value : tfc.mul(tfc.ones(this.statsShapeBuilt), tfc.tensor(given as number | number[])), shape);
    const mean = stat(this.mean, this.givenMean);
    const std = tfc.maximum(tfc.sqrt(stat(this.variance, this.givenVariance)), EPSILON);
    return this.invert ? tfc.add(mean, tfc.mul(x, std)) : tfc.div(tfc.sub(x, mean), std);
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), axis: this.axis, mean: this.givenMean ?? null, variance: this.givenVariance ?? null, invert: this.invert };
  }
}
