import { LayerConfig } from '../../engine/layer';
import { checkOptions, optionKeys } from '../../engine/options';
import { layerArgs } from '../../engine/positional';
import { Weight } from '../../engine/weight';
import { positiveInt } from '../args';
import { BASE_CELL_KEYS } from './base_cell';
import { LSTMCell, LSTMCellArgs } from './lstm_cell';
import { flatRecurrentConfig, RNN, RNN_OPTION_KEYS, RNNArgs, RNNOptions, splitRecurrentArgs } from './rnn';

export interface LSTMArgs extends Omit<LSTMCellArgs, 'name' | 'trainable' | 'inputShape' | 'batchInputShape' | 'dtype' | 'activityRegularizer'>, RNNOptions {}

/**
 * Long short-term memory, as Keras's LSTM: gates i, f, c, o (kernel [in, 4u], recurrent kernel [u, 4u], bias [4u]),
 * recurrentActivation 'sigmoid', unitForgetBias; returnState gives [output, h, c].
 * Masked steps keep the states; the whole sequence runs as one op with a written-out backward.
 * On the 'native' backend, with activation 'tanh' and recurrentActivation 'sigmoid' (the defaults), the
 * loop over time and its backward run in C++ (native/cpu/rnn.cc); other activations and
 * recurrentDropout in training run the generic path (tfjs ops per step), on every backend.
 */
export class LSTM<S extends boolean = false> extends RNN<S> {
  static override readonly optionKeys: readonly string[] = optionKeys<LSTMArgs>()(...BASE_CELL_KEYS, 'recurrentActivation', 'unitForgetBias', 'implementation', ...RNN_OPTION_KEYS);
  override readonly className = 'LSTM';

  static override readonly positional = ['units'];

  constructor(units: number, options?: Omit<LSTMArgs, 'units'> & { returnState?: S });
  constructor(args: LSTMArgs & { returnState?: S });
  constructor(...given: unknown[]) {
    const args = layerArgs<LSTMArgs & { returnState?: S }>(new.target, given);
    checkOptions('LSTM', args, LSTM.optionKeys);
    positiveInt(args?.units, 'units', 'LSTM', 32);
    const { rnn, cell } = splitRecurrentArgs(args);
    super({ ...rnn, cell: new LSTMCell({ ...cell, name: 'lstm_cell' }) } as RNNArgs & { returnState?: S });
  }

  get units(): number {
    return (this.cell as LSTMCell).units;
  }
  get kernel(): Weight | null {
    return (this.cell as LSTMCell).kernel;
  }
  get recurrentKernel(): Weight | null {
    return (this.cell as LSTMCell).recurrentKernel;
  }
  get bias(): Weight | null {
    return (this.cell as LSTMCell).bias;
  }

  override getConfig(): LayerConfig {
    return flatRecurrentConfig(this, super.getConfig());
  }
}
