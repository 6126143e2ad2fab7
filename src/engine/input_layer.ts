import type * as tfc from '@tensorflow/tfjs-core';
import { ValueError } from './errors';
import { checkOptions, optionKeys } from './options';
import { CallContext, Layer, LayerConfig } from './layer';
import { Node } from './node';
import { layerArgs } from './positional';
import { Shape, SymbolicTensor } from './symbolic_tensor';

export interface InputArgs {
  /**
   * Shape of one sample, without the batch dimension, e.g. [784] or [28, 28, 1]; null for a free dimension.
   * Keras: `shape`
   */
  shape?: Shape;
  /** Fixes the batch size. Keras: `batch_size` @default undefined (any batch size) */
  batchSize?: number;
  /** Shape including the batch dimension, as an alternative to shape. Keras: `batch_shape` */
  batchShape?: Shape;
  /** The input layer's name. Keras: `name` @default 'input_layer', 'input_layer_1', ... */
  name?: string;
  /** The dtype of the data fed to this input. Keras: `dtype` @default 'float32' */
  dtype?: tfc.DataType;
}

/** The entry point of a functional model: holds no weights, produces the model's input tensor. */
export class InputLayer extends Layer {
  static override readonly optionKeys = optionKeys<InputArgs>()('shape', 'batchSize', 'batchShape', 'name', 'dtype');
  readonly className = 'InputLayer';

  static override readonly positional = ['shape'];

  constructor(shape: Shape, options?: Omit<InputArgs, 'shape'>);
  constructor(args: InputArgs);
  constructor(...given: unknown[]) {
    const args = layerArgs<InputArgs>(new.target, given);
    checkOptions('Input', args, InputLayer.optionKeys);
    const batchShape = resolveBatchShape(args);
    super({ name: args.name, dtype: args.dtype ?? 'float32', batchInputShape: batchShape }, args); // data's dtype, not the global policy (as Keras)
    const node = new Node(this, []);
    node.outputs = [new SymbolicTensor(batchShape, this.dtype, node, 0, this.name)];
    this.inboundNodes.push(node);
    this.built = true;
  }

  call(x: tfc.Tensor, ctx: CallContext): tfc.Tensor {
    void ctx;
    return x;
  }

  override getConfig(): LayerConfig {
    const { batchInputShape, ...rest } = super.getConfig();
    return { ...rest, batchShape: batchInputShape };
  }

  /** Keras 2 wrote the shape as batchInputShape, Keras 3 as batchShape. */
  static override fromConfig<T extends Layer>(this: new (options: never) => T, config: LayerConfig): T {
    const { batchShape, batchInputShape, name, dtype } = config as Record<string, unknown>;
    return new this({ batchShape: (batchShape ?? batchInputShape) as Shape, name: name as string, dtype: dtype as tfc.DataType } as never);
  }
}

function resolveBatchShape(args: InputArgs): Shape {
  if (args === undefined || (args.shape === undefined && args.batchShape === undefined)) {
    throw new ValueError('Input: give `shape` (one sample, e.g. {shape: [784]}) or `batchShape`.');
  }
  if (args.shape !== undefined && args.batchShape !== undefined) {
    throw new ValueError('Input: give `shape` or `batchShape`, not both. help: drop batchShape and pass batchSize if needed.');
  }
  const shape = args.batchShape ?? [args.batchSize ?? null, ...(args.shape as Shape)];
  const bad = !Array.isArray(shape) || shape.some((d) => d !== null && !(Number.isInteger(d) && d > 0));
  if (bad) {
    throw new ValueError(
      `Input: the shape must be positive integers (or null), got ${JSON.stringify(args.shape ?? args.batchShape)}. help: e.g. {shape: [784]}.`,
    );
  }
  return shape;
}

/** A symbolic input for a functional model: `const inputs = Input({shape: [784]})`, or `Input([784])` as Keras. */
export function Input(shape: Shape, options?: Omit<InputArgs, 'shape'>): SymbolicTensor;
export function Input(args: InputArgs): SymbolicTensor;
export function Input(...given: unknown[]): SymbolicTensor {
  return new InputLayer(layerArgs<InputArgs>({ name: 'Input', positional: InputLayer.positional }, given)).output;
}
