/**
 * What SimpleRNNCell, LSTMCell and GRUCell share: units, activations, the kernel / recurrent
 * kernel / bias with their initializers, regularizers and constraints (Keras's layouts), dropout
 * masks drawn once per sequence (the same for every step, as Keras), and the fast path: the input
 * projection of all steps in one matmul, then ops/recurrent.ts's loop with its written-out backward.
 */
import * as tfc from '@tensorflow/tfjs-core';
import { ActivationFn, ActivationName, canonicalActivation, getActivation } from '../../activations/activations';
import { Constraint, ConstraintIdentifier, getConstraint, serializeConstraint } from '../../constraints';
import { ValueError } from '../../engine/errors';
import { CallContext, LAYER_KEYS, LayerArgs, LayerConfig } from '../../engine/layer';
import { Shape } from '../../engine/symbolic_tensor';
import { Weight } from '../../engine/weight';
import { getInitializer, Initializer, InitializerIdentifier, serializeInitializer } from '../../initializers';
import { dense } from '../../ops/dense';
import { recurrentSequence, StepKernel } from '../../ops/recurrent';
import { hasFusedActivation } from '../../ops/recurrent_kernels';
import { getRegularizer, Regularizer, RegularizerIdentifier, serializeRegularizer } from '../../regularizers';
import { nextSeed } from '../../utils/random';
import { positiveInt } from '../args';
import { RNNCell, SequenceRun } from './cell';

/** An activation by name, or a function of a tensor (not restorable from a config). */
export type CellActivation = ActivationName | ActivationFn;

export interface BaseCellArgs extends LayerArgs {
  /** Size of the output and of each state. Keras: `units` */
  units: number;
  /** The activation of the candidate state and output. Keras: `activation` @default 'tanh' */
  activation?: CellActivation;
  /** Whether the cell adds biases. Keras: `use_bias` @default true */
  useBias?: boolean;
  /** Initializer of the input kernel. Keras: `kernel_initializer` @default 'glorot_uniform' */
  kernelInitializer?: InitializerIdentifier;
  /** Initializer of the recurrent kernel. Keras: `recurrent_initializer` @default 'orthogonal' */
  recurrentInitializer?: InitializerIdentifier;
  /** Initializer of the bias. Keras: `bias_initializer` @default 'zeros' */
  biasInitializer?: InitializerIdentifier;
  /**
   * A penalty on the input kernel, added to the loss in fit. Keras: `kernel_regularizer` @default undefined (none)
   */
  kernelRegularizer?: RegularizerIdentifier;
  /**
   * A penalty on the recurrent kernel, added to the loss in fit. Keras: `recurrent_regularizer`
   * @default undefined (none)
   */
  recurrentRegularizer?: RegularizerIdentifier;
  /** A penalty on the bias, added to the loss in fit. Keras: `bias_regularizer` @default undefined (none) */
  biasRegularizer?: RegularizerIdentifier;
  /** A projection of the input kernel after each update. Keras: `kernel_constraint` @default undefined (none) */
  kernelConstraint?: ConstraintIdentifier;
  /**
   * A projection of the recurrent kernel after each update. Keras: `recurrent_constraint`
   * @default undefined (none)
   */
  recurrentConstraint?: ConstraintIdentifier;
  /** A projection of the bias after each update. Keras: `bias_constraint` @default undefined (none) */
  biasConstraint?: ConstraintIdentifier;
  /** Fraction of the input features dropped in training (one mask per sequence). Keras: `dropout` @default 0 */
  dropout?: number;
  /**
   * Fraction of the recurrent state dropped before the recurrent matmul in training. Keras:
   * `recurrent_dropout` @default 0
   */
  recurrentDropout?: number;
  /**
   * Seed of the dropout masks, for reproducible runs. Keras: `seed` @default undefined (drawn from
   * k.utils.setRandomSeed's generator)
   */
  seed?: number;
}

export const BASE_CELL_KEYS = [
  ...LAYER_KEYS, 'units', 'activation', 'useBias', 'kernelInitializer', 'recurrentInitializer', 'biasInitializer',
  'kernelRegularizer', 'recurrentRegularizer', 'biasRegularizer', 'kernelConstraint', 'recurrentConstraint', 'biasConstraint',
  'dropout', 'recurrentDropout', 'seed',
] as const;

function fraction(value: number | undefined, field: string, owner: string): number {
  const v = value ?? 0;
  if (typeof v !== 'number' || !(v >= 0 && v < 1)) {
    throw new ValueError(`${owner}: \`${field}\` must be a number in [0, 1), got ${String(value)}. help: e.g. {${field}: 0.2}.`);
  }
  return v;
}

/** The name of an activation option (a function's own name, for functions). */
export function activationConfig(a: string | ActivationFn): string {
  return typeof a === 'string' ? a : a.name || 'custom_function';
}

export abstract class BaseCell extends RNNCell {
  readonly units: number;
  readonly activation: string | ActivationFn;
  readonly useBias: boolean;
  readonly dropout: number;
  readonly recurrentDropout: number;
  readonly seed: number | undefined;
  protected readonly kernelInitializer: Initializer;
  protected readonly recurrentInitializer: Initializer;
  protected readonly biasInitializer: Initializer;
  protected readonly kernelRegularizer: Regularizer | undefined;
  protected readonly recurrentRegularizer: Regularizer | undefined;
  protected readonly biasRegularizer: Regularizer | undefined;
  protected readonly kernelConstraint: Constraint | undefined;
  protected readonly recurrentConstraint: Constraint | undefined;
  protected readonly biasConstraint: Constraint | undefined;
  kernel: Weight | null = null;
  recurrentKernel: Weight | null = null;
  bias: Weight | null = null;
  /** The masks of the sequence being run (training with dropout only). */
  protected dropoutMask: tfc.Tensor | null = null;
  protected recurrentDropoutMask: tfc.Tensor | null = null;
  /** Masks drawn so far: a fixed seed still gives each sequence its own masks, reproducibly. */
  protected draws = 0;
  /** How many blocks of `units` columns the kernels have (LSTM 4, GRU 3, SimpleRNN 1). */
  protected abstract readonly gates: number;

  /** `given` is what the user passed, checked against the class's optionKeys (a subclass may pass `units` from an option of its own). */
  constructor(args: BaseCellArgs, given: unknown = args) {
    super(args, given);
    const owner = `${new.target.name} '${this.name}'`;
    this.units = positiveInt(args?.units, 'units', owner, 32);
    this.activation = resolveActivation(args.activation ?? 'tanh', owner);
    this.useBias = args.useBias ?? true;
    this.kernelInitializer = getInitializer(args.kernelInitializer ?? 'glorot_uniform', owner);
    this.recurrentInitializer = getInitializer(args.recurrentInitializer ?? 'orthogonal', owner);
    this.biasInitializer = getInitializer(args.biasInitializer ?? 'zeros', owner);
    this.kernelRegularizer = getRegularizer(args.kernelRegularizer, owner);
    this.recurrentRegularizer = getRegularizer(args.recurrentRegularizer, owner);
    this.biasRegularizer = getRegularizer(args.biasRegularizer, owner);
    this.kernelConstraint = getConstraint(args.kernelConstraint, owner);
    this.recurrentConstraint = getConstraint(args.recurrentConstraint, owner);
    this.biasConstraint = getConstraint(args.biasConstraint, owner);
    this.dropout = fraction(args.dropout, 'dropout', owner);
    this.recurrentDropout = fraction(args.recurrentDropout, 'recurrentDropout', owner);
    this.seed = args.seed;
  }

  get outputSize(): number {
    return this.units;
  }

  /** The bias's shape and initializer (GRU has two rows; LSTM starts its forget gate at 1). */
  protected biasSpec(): { shape: number[]; initializer: Initializer } {
    return { shape: [this.gates * this.units], initializer: this.biasInitializer };
  }

  override build(inputShape: Shape | Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
    const features = shape[shape.length - 1];
    if (features === null) {
      throw new ValueError(`${this.name} (${this.className}): the feature dimension must be known, got ${JSON.stringify(shape)}. help: give the Input its full shape.`);
    }
    const g = this.gates * this.units;
    this.kernel = this.addWeight({ name: 'kernel', shape: [features, g], initializer: this.kernelInitializer, regularizer: this.kernelRegularizer, constraint: this.kernelConstraint });
    this.recurrentKernel = this.addWeight({
      name: 'recurrent_kernel', shape: [this.units, g], initializer: this.recurrentInitializer, regularizer: this.recurrentRegularizer, constraint: this.recurrentConstraint,
    });
    if (this.useBias) {
      const { shape: biasShape, initializer } = this.biasSpec();
      this.bias = this.addWeight({ name: 'bias', shape: biasShape, initializer, regularizer: this.biasRegularizer, constraint: this.biasConstraint });
    }
  }

  override beginSequence(batch: number, features: number, ctx: CallContext): void {
    if (!ctx.training) return;
    const seed = (): number => (this.seed === undefined || this.seed === null ? nextSeed() : this.seed + 7919 * this.draws++);
    const draw = (shape: number[], rate: number): tfc.Tensor => tfc.dropout(tfc.ones(shape), rate, undefined, seed());
    if (this.dropout > 0) this.dropoutMask = draw([batch, features], this.dropout);
    if (this.recurrentDropout > 0) this.recurrentDropoutMask = draw([batch, this.units], this.recurrentDropout);
  }

  override endSequence(): void {
    this.dropoutMask = null;
    this.recurrentDropoutMask = null;
  }

  /** The step's input with the sequence's dropout mask applied (in training). */
  protected dropped(x: tfc.Tensor): tfc.Tensor {
    return this.dropoutMask ? tfc.mul(x, this.dropoutMask) : x;
  }

  /** The previous h with the recurrent dropout mask applied (in training). */
  protected recurrentDropped(h: tfc.Tensor): tfc.Tensor {
    return this.recurrentDropoutMask ? tfc.mul(h, this.recurrentDropoutMask) : h;
  }

  protected act(a: string | ActivationFn): ActivationFn {
    return typeof a === 'string' ? getActivation(a, this.name) : a;
  }

  /** The written-out kernel for this cell's configuration, or null when it needs the step path. */
  protected abstract stepKernel(): StepKernel | null;
  /** The bias added to the input projection, and the one added to h·U (GRU's second row). */
  protected abstract biases(): { input?: tfc.Tensor; recurrent?: tfc.Tensor1D };

  override runSequence(x: tfc.Tensor3D, states: tfc.Tensor[], mask: tfc.Tensor | null, ctx: CallContext): SequenceRun | null {
    const kernel = this.stepKernel();
    if (kernel === null) return null;
    const [T, B, F] = x.shape;
    const g = this.gates * this.units;
    const flat = tfc.reshape(this.dropoutMask ? tfc.mul(x, this.dropoutMask) : x, [T * B, F]) as tfc.Tensor2D;
    const w = (this.kernel as Weight).value as tfc.Tensor2D;
    const { input, recurrent } = this.biases();
    // One matmul for the input projection of every step; in training with a written-out backward.
    const projected = ctx.training ? dense(flat, w, input, 'linear', !ctx.dataInputs?.has(x)) : tfc.fused.matMul({ a: flat, b: w, bias: input });
    const packed = recurrentSequence({
      kernel,
      xw: tfc.reshape(projected, [T, B, g]) as tfc.Tensor3D,
      recurrentKernel: (this.recurrentKernel as Weight).value as tfc.Tensor2D,
      recurrentBias: recurrent,
      initialStates: states,
      mask: mask ?? undefined,
      recurrentMultiplier: this.recurrentDropoutMask ?? undefined,
    });
    const u = this.units;
    const hs = tfc.slice(packed, [0, 0, 0], [T, B, u]);
    const extra = states.slice(1).map((_, i) => tfc.reshape(tfc.slice(packed, [T + i, 0, 0], [1, B, u]), [B, u]));
    return { hs, finalStates: [tfc.reshape(tfc.slice(packed, [T - 1, 0, 0], [1, B, u]), [B, u]), ...extra] };
  }

  /** Whether the activations have written-out derivatives (names, not functions). */
  protected fusable(...activations: Array<string | ActivationFn>): boolean {
    return activations.every((a) => typeof a === 'string' && hasFusedActivation(a));
  }

  override getConfig(): LayerConfig {
    return {
      ...super.getConfig(),
      units: this.units,
      activation: activationConfig(this.activation),
      useBias: this.useBias,
      kernelInitializer: serializeInitializer(this.kernelInitializer),
      recurrentInitializer: serializeInitializer(this.recurrentInitializer),
      biasInitializer: serializeInitializer(this.biasInitializer),
      kernelRegularizer: serializeRegularizer(this.kernelRegularizer),
      recurrentRegularizer: serializeRegularizer(this.recurrentRegularizer),
      biasRegularizer: serializeRegularizer(this.biasRegularizer),
      kernelConstraint: serializeConstraint(this.kernelConstraint),
      recurrentConstraint: serializeConstraint(this.recurrentConstraint),
      biasConstraint: serializeConstraint(this.biasConstraint),
      dropout: this.dropout,
      recurrentDropout: this.recurrentDropout,
      seed: this.seed ?? null,
    };
  }
}

export function resolveActivation(a: CellActivation, owner: string): string | ActivationFn {
  return typeof a === 'function' ? a : canonicalActivation(a, owner);
}
