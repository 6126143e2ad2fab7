/**
 * Keras's activation layers with parameters: LeakyReLU, ReLU, ELU and Softmax (the parameter-free
 * activations are the Activation layer).
 */
import * as tfc from '@tensorflow/tfjs-core';
import { ValueError } from '../engine/errors';
import { CallContext, LAYER_KEYS, LayerArgs, LayerConfig } from '../engine/layer';
import { optionKeys } from '../engine/options';
import { layerArgs } from '../engine/positional';
import { ShapePreservingLayer } from '../engine/shape_preserving_layer';

function finite(value: number | undefined, fallback: number, field: string, owner: string, min = -Infinity): number {
  const v = value ?? fallback;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min) {
    throw new ValueError(`${owner}: \`${field}\` must be a finite number${min > -Infinity ? ` >= ${min}` : ''}, got ${String(value)}. help: e.g. {${field}: ${fallback}}.`);
  }
  return v;
}

export interface LeakyReLUArgs extends LayerArgs {
  /** The slope for negative inputs. Keras: `negative_slope` (Keras 2 called it `alpha`) @default 0.3 */
  negativeSlope?: number;
}

/** max(x, negativeSlope · x). */
export class LeakyReLU extends ShapePreservingLayer {
  static override readonly optionKeys = optionKeys<LeakyReLUArgs>()(...LAYER_KEYS, 'negativeSlope');
  readonly className = 'LeakyReLU';
  readonly negativeSlope: number;

  static override readonly positional = ['negativeSlope'];

  constructor(negativeSlope: number, options?: Omit<LeakyReLUArgs, 'negativeSlope'>);
  constructor(args?: LeakyReLUArgs);
  constructor(...given: unknown[]) {
    const args = layerArgs<LeakyReLUArgs>(new.target, given) ?? {};
    super(args);
    this.negativeSlope = finite(args.negativeSlope, 0.3, 'negativeSlope', `LeakyReLU '${this.name}'`, 0);
  }

  call(x: tfc.Tensor, ctx: CallContext): tfc.Tensor {
    void ctx;
    return tfc.leakyRelu(x, this.negativeSlope);
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), negativeSlope: this.negativeSlope };
  }
}

export interface ReLUArgs extends LayerArgs {
  /** Upper bound of the output. Keras: `max_value` @default undefined (unbounded) */
  maxValue?: number;
  /** Slope below the threshold. Keras: `negative_slope` @default 0 */
  negativeSlope?: number;
  /** Inputs below this are damped (times negativeSlope). Keras: `threshold` @default 0 */
  threshold?: number;
}

/** x above `threshold` (capped at maxValue), negativeSlope · (x - threshold) below, as Keras's ReLU layer. */
export class ReLU extends ShapePreservingLayer {
  static override readonly optionKeys = optionKeys<ReLUArgs>()(...LAYER_KEYS, 'maxValue', 'negativeSlope', 'threshold');
  readonly className = 'ReLU';
  readonly maxValue: number | undefined;
  readonly negativeSlope: number;
  readonly threshold: number;

  static override readonly positional = ['maxValue'];

  constructor(maxValue: number, options?: Omit<ReLUArgs, 'maxValue'>);
  constructor(args?: ReLUArgs);
  constructor(...given: unknown[]) {
    const args = layerArgs<ReLUArgs>(new.target, given) ?? {};
    super(args);
    const owner = `ReLU '${this.name}'`;
    this.maxValue = args.maxValue === undefined || args.maxValue === null ? undefined : finite(args.maxValue, 6, 'maxValue', owner, 0);
    this.negativeSlope = finite(args.negativeSlope, 0, 'negativeSlope', owner, 0);
    this.threshold = finite(args.threshold, 0, 'threshold', owner);
  }

  call(x: tfc.Tensor, ctx: CallContext): tfc.Tensor {
    void ctx;
    const t = this.threshold;
    if (t === 0 && this.negativeSlope === 0 && this.maxValue === 6) return tfc.relu6(x); // one kernel (MobileNet's ReLU(6.0))
    let y = t === 0 && this.negativeSlope === 0 ? tfc.relu(x) : tfc.where(tfc.greaterEqual(x, t), x, tfc.mul(tfc.sub(x, t), this.negativeSlope));
    if (this.maxValue !== undefined) y = tfc.minimum(y, this.maxValue);
    return y;
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), maxValue: this.maxValue ?? null, negativeSlope: this.negativeSlope, threshold: this.threshold };
  }
}

export interface ELUArgs extends LayerArgs {
  /** Scale of the negative part: alpha · (exp(x) - 1). Keras: `alpha` @default 1 */
  alpha?: number;
}

/** x for x > 0, alpha · (exp(x) - 1) otherwise. */
export class ELU extends ShapePreservingLayer {
  static override readonly optionKeys = optionKeys<ELUArgs>()(...LAYER_KEYS, 'alpha');
  readonly className = 'ELU';
  readonly alpha: number;

  static override readonly positional = ['alpha'];

  constructor(alpha: number, options?: Omit<ELUArgs, 'alpha'>);
  constructor(args?: ELUArgs);
  constructor(...given: unknown[]) {
    const args = layerArgs<ELUArgs>(new.target, given) ?? {};
    super(args);
    this.alpha = finite(args.alpha, 1, 'alpha', `ELU '${this.name}'`);
  }

  call(x: tfc.Tensor, ctx: CallContext): tfc.Tensor {
    void ctx;
    return this.alpha === 1 ? tfc.elu(x) : tfc.where(tfc.greater(x, 0), x, tfc.mul(tfc.sub(tfc.exp(x), 1), this.alpha));
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), alpha: this.alpha };
  }
}

export interface SoftmaxArgs extends LayerArgs {
  /** The axis normalized over. Keras: `axis` @default -1 */
  axis?: number;
}

/** Softmax along `axis`. */
export class Softmax extends ShapePreservingLayer {
  static override readonly optionKeys = optionKeys<SoftmaxArgs>()(...LAYER_KEYS, 'axis');
  readonly className = 'Softmax';
  readonly axis: number;

  static override readonly positional = ['axis'];

  constructor(axis: number, options?: Omit<SoftmaxArgs, 'axis'>);
  constructor(args?: SoftmaxArgs);
  constructor(...given: unknown[]) {
    const args = layerArgs<SoftmaxArgs>(new.target, given) ?? {};
    super(args);
    this.axis = args.axis ?? -1;
    if (!Number.isInteger(this.axis)) throw new ValueError(`Softmax '${this.name}': \`axis\` must be an integer, got ${String(args.axis)}. help: e.g. {axis: -1}.`);
  }

  call(x: tfc.Tensor, ctx: CallContext): tfc.Tensor {
    void ctx;
    const axis = this.axis < 0 ? x.rank + this.axis : this.axis;
    if (axis === x.rank - 1) return tfc.softmax(x);
    const perm = x.shape.map((_, i) => i);
    [perm[axis], perm[x.rank - 1]] = [perm[x.rank - 1], perm[axis]];
    return tfc.transpose(tfc.softmax(tfc.transpose(x, perm)), perm);
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), axis: this.axis };
  }
}
