/**
 * ConvLSTM1D, ConvLSTM2D, ConvLSTM3D, as Keras's: an RNN of a ConvLSTMCell of rank 1, 2 or 3 over
 * sequences (batch, steps, ...spatial, channels). The options are the cell's (filters, kernelSize,
 * strides, padding, dilationRate, activations, initializers, ...) and the RNN's (returnSequences,
 * returnState, goBackwards, stateful); the config is flat, as Keras's. returnState gives [output, h, c].
 */
import { LayerConfig } from '../../engine/layer';
import { checkOptions, optionKeys } from '../../engine/options';
import { layerArgs } from '../../engine/positional';
import { Weight } from '../../engine/weight';
import { ConvLSTMCell, ConvLSTMCellArgs, CONV_LSTM_CELL_KEYS } from './conv_lstm_cell';
import { flatRecurrentConfig, RNN, RNN_OPTION_KEYS, RNNArgs, RNNOptions, splitRecurrentArgs } from './rnn';

export interface ConvLSTMArgs extends Omit<ConvLSTMCellArgs, 'rank' | 'name' | 'trainable' | 'inputShape' | 'batchInputShape' | 'dtype' | 'activityRegularizer'>, RNNOptions {}

const CONV_LSTM_KEYS = optionKeys<ConvLSTMArgs>()(...CONV_LSTM_CELL_KEYS, ...RNN_OPTION_KEYS);

/** What the three share: the cell of rank `rank` and the flat config. */
abstract class ConvLSTM<S extends boolean = false> extends RNN<S> {
  static override readonly optionKeys: readonly string[] = CONV_LSTM_KEYS;
  static override readonly positional = ['filters', 'kernelSize'];

  constructor(rank: number, args: ConvLSTMArgs & { returnState?: S }) {
    checkOptions(new.target.name, args, CONV_LSTM_KEYS);
    const { rnn, cell } = splitRecurrentArgs(args ?? ({} as ConvLSTMArgs));
    super({ ...rnn, cell: new ConvLSTMCell({ ...(cell as ConvLSTMArgs), rank, name: 'conv_lstm_cell' }) } as RNNArgs & { returnState?: S });
  }

  get filters(): number {
    return (this.cell as ConvLSTMCell).filters;
  }
  get kernel(): Weight | null {
    return (this.cell as ConvLSTMCell).kernel;
  }
  get recurrentKernel(): Weight | null {
    return (this.cell as ConvLSTMCell).recurrentKernel;
  }
  get bias(): Weight | null {
    return (this.cell as ConvLSTMCell).bias;
  }

  override getConfig(): LayerConfig {
    const { rank, ...config } = flatRecurrentConfig(this, super.getConfig());
    void rank;
    return config;
  }
}

/** A convolutional LSTM over sequences of 1-D signals (batch, steps, length, channels). */
export class ConvLSTM1D<S extends boolean = false> extends ConvLSTM<S> {
  static override readonly optionKeys: readonly string[] = CONV_LSTM_KEYS;
  override readonly className = 'ConvLSTM1D';
  constructor(filters: number, kernelSize: number | number[], options?: Omit<ConvLSTMArgs, 'filters' | 'kernelSize'> & { returnState?: S });
  constructor(args: ConvLSTMArgs & { returnState?: S });
  constructor(...given: unknown[]) {
    super(1, layerArgs<ConvLSTMArgs & { returnState?: S }>(new.target, given));
  }
}

/** A convolutional LSTM over sequences of images (batch, steps, height, width, channels). */
export class ConvLSTM2D<S extends boolean = false> extends ConvLSTM<S> {
  static override readonly optionKeys: readonly string[] = CONV_LSTM_KEYS;
  override readonly className = 'ConvLSTM2D';
  constructor(filters: number, kernelSize: number | number[], options?: Omit<ConvLSTMArgs, 'filters' | 'kernelSize'> & { returnState?: S });
  constructor(args: ConvLSTMArgs & { returnState?: S });
  constructor(...given: unknown[]) {
    super(2, layerArgs<ConvLSTMArgs & { returnState?: S }>(new.target, given));
  }
}

/** A convolutional LSTM over sequences of volumes (batch, steps, depth, height, width, channels). */
export class ConvLSTM3D<S extends boolean = false> extends ConvLSTM<S> {
  static override readonly optionKeys: readonly string[] = CONV_LSTM_KEYS;
  override readonly className = 'ConvLSTM3D';
  constructor(filters: number, kernelSize: number | number[], options?: Omit<ConvLSTMArgs, 'filters' | 'kernelSize'> & { returnState?: S });
  constructor(args: ConvLSTMArgs & { returnState?: S });
  constructor(...given: unknown[]) {
    super(3, layerArgs<ConvLSTMArgs & { returnState?: S }>(new.target, given));
  }
}
