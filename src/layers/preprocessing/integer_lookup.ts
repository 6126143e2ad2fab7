import { optionKeys } from '../../engine/options';
import { layerArgs } from '../../engine/positional';
import { IndexLookup, IndexLookupArgs } from './index_lookup';
import { LOOKUP_KEYS } from './string_lookup';

export type IntegerLookupArgs = IndexLookupArgs<number>;

/**
 * Integers to indices in a vocabulary (or back), as Keras's IntegerLookup: e.g. sparse ids such
 * as [12, 7049, 12] to [1, 2, 1]. Unknown integers take an OOV index (the integer modulo numOovIndices).
 */
export class IntegerLookup extends IndexLookup<number> {
  static override readonly optionKeys: readonly string[] = optionKeys<IntegerLookupArgs>()(...LOOKUP_KEYS);
  readonly className = 'IntegerLookup';
  protected readonly tokenType = 'int32';

  static override readonly positional = ['maxTokens'];

  constructor(maxTokens: number | null, options?: Omit<IntegerLookupArgs, 'maxTokens'>);
  constructor(args?: IntegerLookupArgs);
  constructor(...given: unknown[]) {
    const args = layerArgs<IntegerLookupArgs>(new.target, given) ?? {};
    super(args, -1);
  }

  protected override oovIndex(token: number): number {
    const n = this.numOovIndices;
    return ((token % n) + n) % n;
  }
}
