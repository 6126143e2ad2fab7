import { LayerConfig } from '../../engine/layer';
import { checkOptions, optionKeys } from '../../engine/options';
import { layerArgs } from '../../engine/positional';
import { Weight } from '../../engine/weight';
import { positiveInt } from '../args';
import { BASE_CELL_KEYS } from './base_cell';
import { GRUCell, GRUCellArgs } from './gru_cell';
import { flatRecurrentConfig, RNN, RNN_OPTION_KEYS, RNNArgs, RNNOptions, splitRecurrentArgs } from './rnn';

export interface GRUArgs extends Omit<GRUCellArgs, 'name' | 'trainable' | 'inputShape' | 'batchInputShape' | 'dtype' | 'activityRegularizer'>, RNNOptions {}

/**
 * Gated recurrent unit, as Keras's GRU: gates z, r, h; resetAfter (the default) with bias [2, 3u] (input row, recurrent row).
 * Masked steps keep the states; the whole sequence runs as one op with a written-out backward.
 * On the 'native' backend, with activation 'tanh', recurrentActivation 'sigmoid' and resetAfter, the
 * loop over time and its backward run in C++ (native/cpu/rnn.cc); other activations, resetAfter false
 * and recurrentDropout in training run the generic path (tfjs ops per step), on every backend.
 */
export class GRU<S extends boolean = false> extends RNN<S> {
  static override readonly optionKeys: readonly string[] = optionKeys<GRUArgs>()(...BASE_CELL_KEYS, 'recurrentActivation', 'resetAfter', 'implementation', ...RNN_OPTION_KEYS);
  override readonly className = 'GRU';

  static override readonly positional = ['units'];

  constructor(units: number, options?: Omit<GRUArgs, 'units'> & { returnState?: S });
  constructor(args: GRUArgs & { returnState?: S });
  constructor(...given: unknown[]) {
    const args = layerArgs<GRUArgs & { returnState?: S }>(new.target, given);
    checkOptions('GRU', args, GRU.optionKeys);
    positiveInt(args?.units, 'units', 'GRU', 32);
    const { rnn, cell } = splitRecurrentArgs(args);
    super({ ...rnn, cell: new GRUCell({ ...cell, name: 'gru_cell' }) } as RNNArgs & { returnState?: S });
  }

  get units(): number {
    return (this.cell as GRUCell).units;
  }
  get kernel(): Weight | null {
    return (this.cell as GRUCell).kernel;
  }
  get recurrentKernel(): Weight | null {
    return (this.cell as GRUCell).recurrentKernel;
  }
  get bias(): Weight | null {
    return (this.cell as GRUCell).bias;
  }

  override getConfig(): LayerConfig {
    return flatRecurrentConfig(this, super.getConfig());
  }
}
