import { ValueError } from '../../engine/errors';
import { LAYER_KEYS } from '../../engine/layer';
import { optionKeys } from '../../engine/options';
import { layerArgs } from '../../engine/positional';
import { IndexLookup, IndexLookupArgs } from './index_lookup';

export type StringLookupArgs = IndexLookupArgs<string>;

export const LOOKUP_KEYS = [
  ...LAYER_KEYS, 'maxTokens', 'numOovIndices', 'maskToken', 'oovToken', 'vocabulary', 'idfWeights', 'invert', 'outputMode', 'padToMaxTokens',
] as const;

/**
 * Strings to indices in a vocabulary (or, with invert, back), as Keras's StringLookup: unknown
 * strings get the OOV index 1... after the mask index, learned with adapt(data) or given.
 */
export class StringLookup extends IndexLookup<string> {
  static override readonly optionKeys: readonly string[] = optionKeys<StringLookupArgs>()(...LOOKUP_KEYS);
  readonly className = 'StringLookup';
  protected readonly tokenType = 'string';

  static override readonly positional = ['maxTokens'];

  constructor(maxTokens: number | null, options?: Omit<StringLookupArgs, 'maxTokens'>);
  constructor(args?: StringLookupArgs);
  constructor(...given: unknown[]) {
    const args = layerArgs<StringLookupArgs>(new.target, given) ?? {};
    if ((args.numOovIndices ?? 1) > 1) {
      throw new ValueError(
        `StringLookup: numOovIndices ${args.numOovIndices} is not supported (Keras spreads unknown strings over several indices with FarmHash, which keras-ts lacks). help: use numOovIndices: 1.`,
      );
    }
    super(args, '[UNK]');
  }
}
