import * as tfc from '@tensorflow/tfjs-core';
import { ValueError } from '../engine/errors';
import { CallContext, Layer, LAYER_KEYS, LayerArgs, LayerConfig, optionsOf } from '../engine/layer';
import type { MaskArg } from '../engine/masking';
import { optionKeys } from '../engine/options';
import { layerArgs } from '../engine/positional';
import { Shape } from '../engine/symbolic_tensor';

/** What a Lambda computes: from its input (or inputs) and its `arguments`, a tensor. */
export type LambdaFunction = (inputs: tfc.Tensor | tfc.Tensor[], args: Record<string, unknown>) => tfc.Tensor;

const registry = new Map<string, LambdaFunction>();

/**
 * Registers a function under a name, so a Lambda of it can be saved and rebuilt from its config
 * (as Keras's register_keras_serializable): the config stores the name, never code.
 */
export function registerLambdaFunction(name: string, fn: LambdaFunction): void {
  if (typeof name !== 'string' || name.length === 0 || typeof fn !== 'function') {
    throw new ValueError(`registerLambdaFunction: give a non-empty name and a function, got ${JSON.stringify(name)} and ${typeof fn}. help: registerLambdaFunction('double', (x) => tf.mul(x, 2)).`);
  }
  registry.set(name, fn);
}

export interface LambdaArgs extends LayerArgs {
  /** The function, or the name it was registered under (registerLambdaFunction). Keras: `function` */
  function: LambdaFunction | string;
  /**
   * The output shape without the batch axis, or a function of the input shape. Keras: `output_shape`
   * @default undefined (found by running the function on zeros)
   */
  outputShape?: Shape | ((inputShape: Shape | Shape[]) => Shape);
  /** The output mask from the inputs and their mask. Keras: `mask` @default undefined (no mask) */
  mask?: (inputs: tfc.Tensor | tfc.Tensor[], mask: MaskArg | undefined) => MaskArg;
  /** Extra values passed to the function as its second argument. Keras: `arguments` @default {} */
  arguments?: Record<string, unknown>;
}

/** Wraps a function of tensors as a layer (no weights). Saved by the function's registered name. */
export class Lambda extends Layer {
  static override readonly optionKeys: readonly string[] = optionKeys<LambdaArgs>()(...LAYER_KEYS, 'function', 'outputShape', 'mask', 'arguments');
  readonly className = 'Lambda';
  readonly fn: LambdaFunction;
  /** The registered name of the function, or null for an unregistered one. */
  readonly functionName: string | null;
  private readonly outputShapeArg: LambdaArgs['outputShape'];
  private readonly maskFn: LambdaArgs['mask'];
  readonly arguments: Record<string, unknown>;

  static override readonly positional = ['function'];

  constructor(fn: LambdaFunction | string, options?: Omit<LambdaArgs, 'function'>);
  constructor(args: LambdaArgs);
  constructor(...values: unknown[]) {
    const args = layerArgs<LambdaArgs>(new.target, values);
    super(args);
    const given = args?.function;
    if (typeof given === 'string') {
      const fn = registry.get(given);
      if (fn === undefined) {
        throw new ValueError(
          `Lambda '${this.name}': no function registered as '${given}'. help: call registerLambdaFunction('${given}', fn) before building the layer` +
            (registry.size > 0 ? ` (registered: ${[...registry.keys()].join(', ')}).` : '.'),
        );
      }
      this.fn = fn;
      this.functionName = given;
    } else if (typeof given === 'function') {
      this.fn = given;
      this.functionName = [...registry.entries()].find(([, f]) => f === given)?.[0] ?? null;
    } else {
      throw new ValueError(`Lambda '${this.name}': \`function\` must be a function or a registered name, got ${String(given)}. help: new Lambda({function: (x) => tf.mul(x, 2)}).`);
    }
    this.outputShapeArg = args.outputShape;
    this.maskFn = args.mask;
    this.supportsMasking = args.mask !== undefined;
    this.arguments = args.arguments ?? {};
  }

  /** Any input shape. */
  protected override get fixedAxes(): null {
    return null;
  }

  /** The function gets what the layer was applied to: one tensor, or the list. */
  protected override callInputs(inputs: tfc.Tensor[]): tfc.Tensor | tfc.Tensor[] {
    return inputs.length === 1 ? inputs[0] : inputs;
  }

  call(inputs: tfc.Tensor | tfc.Tensor[], ctx: CallContext): tfc.Tensor {
    void ctx;
    return this.fn(inputs, this.arguments);
  }

  override computeMask(inputs: tfc.Tensor | tfc.Tensor[], mask: MaskArg | undefined): MaskArg {
    return this.maskFn ? this.maskFn(inputs, mask) : null;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const given = this.outputShapeArg;
    const batch = (Array.isArray(inputShape[0]) ? (inputShape[0] as Shape)[0] : inputShape[0]) as number | null;
    if (typeof given === 'function') return given(inputShape);
    if (Array.isArray(given)) return [batch, ...given];
    // Run the function on zeros (unknown dimensions as 1) and read the shape.
    const shapes = (Array.isArray(inputShape[0]) ? inputShape : [inputShape]) as Shape[];
    const out = tfc.tidy(() => {
      const xs = shapes.map((s) => tfc.zeros(s.map((d) => d ?? 1)));
      return this.fn(xs.length === 1 && !Array.isArray(inputShape[0]) ? xs[0] : xs, this.arguments).shape;
    });
    return [batch, ...out.slice(1).map((d, i) => (shapes[0][i + 1] === null && d === 1 ? null : d))];
  }

  override getConfig(): LayerConfig {
    const shape = this.outputShapeArg;
    return { ...super.getConfig(), function: this.functionName, outputShape: Array.isArray(shape) ? shape : null, arguments: this.arguments };
  }

  /** Rebuilds a Lambda whose function was registered; an unregistered one cannot be (no code is ever read from a config). */
  static override fromConfig<T extends Layer>(this: new (options: never) => T, config: LayerConfig): T {
    if (typeof config.function !== 'string') {
      throw new ValueError(
        `Lambda.fromConfig: layer '${config.name}' wraps an unregistered function, which a config cannot hold. ` +
          'help: register it with registerLambdaFunction(name, fn) before creating the Lambda, then save again.',
      );
    }
    return new this(optionsOf(config) as never);
  }
}
