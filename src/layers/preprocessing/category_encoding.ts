import * as tfc from '@tensorflow/tfjs-core';
import { CallContext, Layer, LAYER_KEYS, LayerArgs, LayerConfig } from '../../engine/layer';
import { optionKeys } from '../../engine/options';
import { layerArgs } from '../../engine/positional';
import { Shape } from '../../engine/symbolic_tensor';
import { oneOf, positiveInt } from '../args';
import { encodedShape, encodeIds } from './encode';

export interface CategoryEncodingArgs extends LayerArgs {
  /** How many categories: ids are in [0, numTokens). Keras: `num_tokens` */
  numTokens: number;
  /**
   * 'multi_hot' (1 where an id occurs), 'one_hot' (one row per id) or 'count'. Keras: `output_mode`
   * @default 'multi_hot'
   */
  outputMode?: 'multi_hot' | 'one_hot' | 'count';
}

/** Integer categories to vectors: one-hot, multi-hot (which ids occur in a row) or counts, as Keras's CategoryEncoding. */
export class CategoryEncoding extends Layer {
  static override readonly optionKeys: readonly string[] = optionKeys<CategoryEncodingArgs>()(...LAYER_KEYS, 'numTokens', 'outputMode');
  readonly className = 'CategoryEncoding';
  readonly numTokens: number;
  readonly outputMode: 'multi_hot' | 'one_hot' | 'count';

  static override readonly positional = ['numTokens'];

  constructor(numTokens: number, options?: Omit<CategoryEncodingArgs, 'numTokens'>);
  constructor(args: CategoryEncodingArgs);
  constructor(...given: unknown[]) {
    const args = layerArgs<CategoryEncodingArgs>(new.target, given);
    super(args);
    const owner = `CategoryEncoding '${this.name}'`;
    this.numTokens = positiveInt(args?.numTokens, 'numTokens', owner, 10);
    this.outputMode = oneOf(args.outputMode, ['multi_hot', 'one_hot', 'count'] as const, 'multi_hot', 'outputMode', owner);
  }

  protected override get fixedAxes(): null {
    return null;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    return encodedShape(inputShape as Shape, this.outputMode, this.numTokens);
  }

  call(x: tfc.Tensor, ctx: CallContext): tfc.Tensor {
    void ctx;
    return encodeIds(x, this.outputMode, this.numTokens, `${this.name} (CategoryEncoding)`);
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), numTokens: this.numTokens, outputMode: this.outputMode };
  }
}
