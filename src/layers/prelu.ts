/**
 * PReLU: a leaky ReLU whose negative slope `alpha` is learned, one per input entry (batch aside),
 * or shared along `sharedAxes` (e.g. [1, 2] for one slope per channel of an image):
 * y = max(x, 0) - alpha · max(-x, 0), as Keras 3. alpha starts at zeros (a plain ReLU).
 */
import * as tfc from '@tensorflow/tfjs-core';
import { Constraint, ConstraintIdentifier, getConstraint, serializeConstraint } from '../constraints';
import { ValueError } from '../engine/errors';
import { LAYER_KEYS, LayerArgs, LayerConfig } from '../engine/layer';
import { optionKeys } from '../engine/options';
import { layerArgs } from '../engine/positional';
import { ShapePreservingLayer } from '../engine/shape_preserving_layer';
import { formatShape, Shape } from '../engine/symbolic_tensor';
import { Weight } from '../engine/weight';
import { getInitializer, Initializer, InitializerIdentifier, serializeInitializer } from '../initializers';
import { getRegularizer, Regularizer, RegularizerIdentifier, serializeRegularizer } from '../regularizers';

export interface PReLUArgs extends LayerArgs {
  /** Initializer of the slopes. Keras: `alpha_initializer` @default 'zeros' */
  alphaInitializer?: InitializerIdentifier;
  /** A penalty on the slopes, added to the loss in fit. Keras: `alpha_regularizer` @default undefined (none) */
  alphaRegularizer?: RegularizerIdentifier;
  /** A projection of the slopes after each update. Keras: `alpha_constraint` @default undefined (none) */
  alphaConstraint?: ConstraintIdentifier;
  /** Axes (1 = the first after the batch) along which one slope is shared. Keras: `shared_axes` @default undefined (none) */
  sharedAxes?: number | number[] | null;
}

export class PReLU extends ShapePreservingLayer {
  static override readonly optionKeys = optionKeys<PReLUArgs>()(...LAYER_KEYS, 'alphaInitializer', 'alphaRegularizer', 'alphaConstraint', 'sharedAxes');
  readonly className = 'PReLU';
  override supportsMasking = true;
  readonly alphaInitializer: Initializer;
  readonly alphaRegularizer: Regularizer | undefined;
  readonly alphaConstraint: Constraint | undefined;
  readonly sharedAxes: number[] | null;
  alpha: Weight | null = null;

  static override readonly positional = ['alphaInitializer'];

  constructor(alphaInitializer: InitializerIdentifier, options?: Omit<PReLUArgs, 'alphaInitializer'>);
  constructor(args?: PReLUArgs);
  constructor(...given: unknown[]) {
    const args = layerArgs<PReLUArgs>(new.target, given) ?? {};
    super(args);
    const owner = `PReLU '${this.name}'`;
    this.alphaInitializer = getInitializer(args.alphaInitializer ?? 'zeros', owner);
    this.alphaRegularizer = getRegularizer(args.alphaRegularizer, owner);
    this.alphaConstraint = getConstraint(args.alphaConstraint, owner);
    const shared = args.sharedAxes ?? null;
    this.sharedAxes = shared === null ? null : Array.isArray(shared) ? [...shared] : [shared];
    if (this.sharedAxes && !this.sharedAxes.every((a) => Number.isInteger(a) && a >= 1)) {
      throw new ValueError(`${owner}: \`sharedAxes\` must be axes >= 1 (the batch axis is 0), got ${JSON.stringify(shared)}. help: e.g. {sharedAxes: [1, 2]}.`);
    }
  }

  override build(inputShape: Shape | Shape[]): void {
    const shape = inputShape as Shape;
    const alphaShape = shape.slice(1).map((d, i) => (this.sharedAxes?.includes(i + 1) ? 1 : d));
    if (alphaShape.some((d) => d === null) || (this.sharedAxes ?? []).some((a) => a >= shape.length)) {
      throw new ValueError(
        `${this.name} (PReLU): every axis without a shared slope must have a known size, and sharedAxes must exist, got input ${formatShape(shape)} ` +
          `and sharedAxes ${JSON.stringify(this.sharedAxes)}. help: share the unknown axes, e.g. {sharedAxes: [1]}.`,
      );
    }
    this.alpha = this.addWeight({
      name: 'alpha', shape: alphaShape as number[], initializer: this.alphaInitializer, regularizer: this.alphaRegularizer, constraint: this.alphaConstraint,
    });
  }

  call(x: tfc.Tensor): tfc.Tensor {
    return tfc.sub(tfc.relu(x), tfc.mul((this.alpha as Weight).value, tfc.relu(tfc.neg(x))));
  }

  override getConfig(): LayerConfig {
    return {
      ...super.getConfig(),
      alphaInitializer: serializeInitializer(this.alphaInitializer),
      alphaRegularizer: serializeRegularizer(this.alphaRegularizer),
      alphaConstraint: serializeConstraint(this.alphaConstraint),
      sharedAxes: this.sharedAxes,
    };
  }
}
