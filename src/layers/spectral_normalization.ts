/**
 * SpectralNormalization (Miyato et al., 2018): wraps a layer with a `kernel` (Dense, the
 * convolutions, EinsumDense) or `embeddings` (Embedding) and, in each training call, divides that
 * weight by its largest singular value σ, estimated by `powerIterations` steps of power iteration
 * from the kept vector `vector_u` (non-trainable, [1, lastDim], truncated normal with stddev 0.02).
 * As Keras 3 the normalized kernel is assigned to the wrapped layer's weight before it runs (the
 * gradient flows to the normalized kernel, not through σ), an all-zero kernel is left as it is,
 * and inference uses the kernel as it stands.
 */
import * as tfc from '@tensorflow/tfjs-core';
import { ValueError } from '../engine/errors';
import { CallContext, Layer, LAYER_KEYS, LayerArgs, LayerConfig } from '../engine/layer';
import { optionKeys } from '../engine/options';
import { layerArgs } from '../engine/positional';
import { rebuildLayer } from '../engine/rebuild';
import { Shape } from '../engine/symbolic_tensor';
import type { Weight } from '../engine/weight';
import { TruncatedNormal } from '../initializers';

export interface SpectralNormalizationArgs extends LayerArgs {
  /** The layer whose kernel (or embeddings) is normalized. Keras: `layer` */
  layer: Layer;
  /** Power-iteration steps per training call. Keras: `power_iterations` @default 1 */
  powerIterations?: number;
}

/** x / ||x|| over all entries, the squared norm clamped at 1e-14 as Keras's normalize (epsilon 1e-7). */
const unit = (x: tfc.Tensor): tfc.Tensor => tfc.mul(x, tfc.rsqrt(tfc.maximum(tfc.sum(tfc.square(x)), 1e-14)));

export class SpectralNormalization extends Layer {
  static override readonly optionKeys: readonly string[] = optionKeys<SpectralNormalizationArgs>()('layer', 'powerIterations', ...LAYER_KEYS);
  readonly className = 'SpectralNormalization';
  readonly layer: Layer;
  readonly powerIterations: number;
  vectorU: Weight | null = null;

  static override readonly positional = ['layer'];

  constructor(layer: Layer, options?: Omit<SpectralNormalizationArgs, 'layer'>);
  constructor(args: SpectralNormalizationArgs);
  constructor(...given: unknown[]) {
    const args = layerArgs<SpectralNormalizationArgs>(new.target, given);
    super(args);
    const owner = `SpectralNormalization '${this.name}'`;
    if (!(args?.layer instanceof Layer)) {
      throw new ValueError(`${owner}: \`layer\` must be a Layer, got ${String(args?.layer)}. help: e.g. new SpectralNormalization(new Dense(10)).`);
    }
    this.layer = args.layer;
    this.powerIterations = args.powerIterations ?? 1;
    if (!Number.isInteger(this.powerIterations) || this.powerIterations <= 0) {
      throw new ValueError(`${owner}: \`powerIterations\` must be a positive integer, got ${String(args.powerIterations)}. help: e.g. {powerIterations: 1}.`);
    }
  }

  /** The wrapped layer's kernel (or embeddings) weight. */
  private get kernel(): Weight {
    const inner = this.layer as unknown as { kernel?: Weight | null; embeddings?: Weight | null };
    const w = inner.kernel ?? inner.embeddings;
    if (!w) {
      throw new ValueError(
        `${this.name} (SpectralNormalization): ${this.layer.className} '${this.layer.name}' has no \`kernel\` nor \`embeddings\`. help: wrap a Dense, convolution, EinsumDense or Embedding layer.`,
      );
    }
    return w;
  }

  override build(inputShape: Shape | Shape[]): void {
    this.layer.ensureBuilt(inputShape);
    const shape = this.kernel.value.shape;
    this.vectorU = this.addWeight({ name: 'vector_u', shape: [1, shape[shape.length - 1]], initializer: new TruncatedNormal({ stddev: 0.02 }), trainable: false });
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape | Shape[] {
    return this.layer.computeOutputShape(inputShape);
  }

  /** The power iteration: the new u, and the kernel divided by its estimated largest singular value. */
  private normalized(kernel: tfc.Tensor, u0: tfc.Tensor): { u: tfc.Tensor; kernel: tfc.Tensor } {
    const w = tfc.reshape(kernel, [-1, kernel.shape[kernel.rank - 1]]) as tfc.Tensor2D;
    let u = u0 as tfc.Tensor2D;
    let v = u;
    for (let i = 0; i < this.powerIterations; i++) {
      v = unit(tfc.matMul(u, w, false, true)) as tfc.Tensor2D;
      u = unit(tfc.matMul(v, w)) as tfc.Tensor2D;
    }
    const sigma = tfc.matMul(tfc.matMul(v, w), u, false, true);
    return { u, kernel: tfc.div(kernel, tfc.reshape(sigma, [])) };
  }

  call(x: tfc.Tensor, ctx: CallContext): tfc.Tensor {
    if (ctx.training) {
      const kernel = this.kernel.value;
      const vectorU = (this.vectorU as Weight).value;
      const next = tfc.tidy(() => {
        const allZero = tfc.all(tfc.equal(kernel, 0));
        const { u, kernel: scaled } = this.normalized(kernel, vectorU);
        return [tfc.where(allZero, vectorU, u), tfc.where(allZero, kernel, scaled)];
      });
      vectorU.assign(next[0]);
      kernel.assign(next[1]);
      tfc.dispose(next);
    }
    const [y] = this.layer.callOnTensors(x, { ...ctx, args: {} });
    return y;
  }

  override get trainableWeights(): Weight[] {
    return this.trainable ? this.layer.trainableWeights : [];
  }

  override get nonTrainableWeights(): Weight[] {
    const own = this.vectorU ? [this.vectorU] : [];
    return this.trainable ? [...own, ...this.layer.nonTrainableWeights] : [...own, ...this.layer.weights];
  }

  override dispose(): void {
    super.dispose();
    this.layer.dispose();
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), layer: { className: this.layer.className, config: this.layer.getConfig() }, powerIterations: this.powerIterations };
  }

  /** The inner layer comes as a config, rebuilt through the registry. */
  static override fromConfig<T extends Layer>(this: new (options: never) => T, config: LayerConfig): T {
    return new this({ ...config, layer: rebuildLayer(config.layer, 'SpectralNormalization.fromConfig') } as never);
  }
}
