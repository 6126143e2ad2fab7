import { LayerConfig } from '../../engine/layer';
import { checkOptions, optionKeys } from '../../engine/options';
import { layerArgs } from '../../engine/positional';
import { Weight } from '../../engine/weight';
import { positiveInt } from '../args';
import { BASE_CELL_KEYS } from './base_cell';
import { SimpleRNNCell, SimpleRNNCellArgs } from './simple_rnn_cell';
import { flatRecurrentConfig, RNN, RNN_OPTION_KEYS, RNNArgs, RNNOptions, splitRecurrentArgs } from './rnn';

export interface SimpleRNNArgs extends Omit<SimpleRNNCellArgs, 'name' | 'trainable' | 'inputShape' | 'batchInputShape' | 'dtype' | 'activityRegularizer'>, RNNOptions {}

/**
 * A fully connected recurrent layer: h_t = activation(x_t·W + h_{t-1}·U + b), as Keras's SimpleRNN.
 * Masked steps keep the states; the whole sequence runs as one op with a written-out backward.
 */
export class SimpleRNN<S extends boolean = false> extends RNN<S> {
  static override readonly optionKeys: readonly string[] = optionKeys<SimpleRNNArgs>()(...BASE_CELL_KEYS, ...RNN_OPTION_KEYS);
  override readonly className = 'SimpleRNN';

  static override readonly positional = ['units'];

  constructor(units: number, options?: Omit<SimpleRNNArgs, 'units'> & { returnState?: S });
  constructor(args: SimpleRNNArgs & { returnState?: S });
  constructor(...given: unknown[]) {
    const args = layerArgs<SimpleRNNArgs & { returnState?: S }>(new.target, given);
    checkOptions('SimpleRNN', args, SimpleRNN.optionKeys);
    positiveInt(args?.units, 'units', 'SimpleRNN', 32);
    const { rnn, cell } = splitRecurrentArgs(args);
    super({ ...rnn, cell: new SimpleRNNCell({ ...cell, name: 'simple_rnn_cell' }) } as RNNArgs & { returnState?: S });
  }

  get units(): number {
    return (this.cell as SimpleRNNCell).units;
  }
  get kernel(): Weight | null {
    return (this.cell as SimpleRNNCell).kernel;
  }
  get recurrentKernel(): Weight | null {
    return (this.cell as SimpleRNNCell).recurrentKernel;
  }
  get bias(): Weight | null {
    return (this.cell as SimpleRNNCell).bias;
  }

  override getConfig(): LayerConfig {
    return flatRecurrentConfig(this, super.getConfig());
  }
}
