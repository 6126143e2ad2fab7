/**
 * ConvLSTMCell, as Keras's: an LSTM step whose input and recurrent transforms are convolutions.
 * Kernel [...kernelSize, channels, 4 filters], recurrent kernel [...kernelSize, filters, 4 filters],
 * bias [4 filters] (gates i, f, c, o, in that order; the forget block starts at 1 with
 * unitForgetBias). The input convolution uses the cell's strides, padding and dilation; the
 * recurrent one stride 1 and 'same'. States h and c are [batch, ...outputSpatial, filters];
 * the spatial input dimensions must be known when the cell is built (as Keras). Channels last.
 */
import * as tfc from '@tensorflow/tfjs-core';
import { ValueError } from '../../engine/errors';
import { CallContext, LayerConfig } from '../../engine/layer';
import { optionKeys } from '../../engine/options';
import { layerArgs } from '../../engine/positional';
import { formatShape, Shape } from '../../engine/symbolic_tensor';
import { Weight } from '../../engine/weight';
import { Initializer } from '../../initializers';
import { convNd } from '../../ops/conv_nd';
import type { StepKernel } from '../../ops/recurrent';
import { nextSeed } from '../../utils/random';
import { channelsLast, convOutputLength, DataFormat, intTuple, oneOf, positiveInt } from '../args';
import { activationConfig, BASE_CELL_KEYS, BaseCell, BaseCellArgs, CellActivation, resolveActivation } from './base_cell';
import type { StepResult } from './cell';
import { UnitForgetBias } from './lstm_cell';

export interface ConvLSTMCellArgs extends Omit<BaseCellArgs, 'units'> {
  /** Number of spatial axes of the convolutions: 1, 2 or 3. Keras: `rank` */
  rank: number;
  /** Number of output channels (the states' channels). Keras: `filters` */
  filters: number;
  /** Window size: an integer or one per spatial axis. Keras: `kernel_size` */
  kernelSize: number | number[];
  /** Step of the input convolution's window. Keras: `strides` @default 1 */
  strides?: number | number[];
  /** The input convolution's padding, 'valid' or 'same' (the recurrent one is always 'same'). Keras: `padding` @default 'valid' */
  padding?: 'valid' | 'same';
  /** Where the channels are; only 'channels_last' is supported. Keras: `data_format` @default 'channels_last' */
  dataFormat?: DataFormat;
  /** Spacing between the input window's taps; not with strides > 1. Keras: `dilation_rate` @default 1 */
  dilationRate?: number | number[];
  /** The gates' activation. Keras: `recurrent_activation` @default 'sigmoid' */
  recurrentActivation?: CellActivation;
  /** Start the forget gate's bias at 1 (the rest from biasInitializer). Keras: `unit_forget_bias` @default true */
  unitForgetBias?: boolean;
}

export const CONV_LSTM_CELL_KEYS = [
  ...BASE_CELL_KEYS.filter((k) => k !== 'units'), 'filters', 'kernelSize', 'strides', 'padding', 'dataFormat', 'dilationRate', 'recurrentActivation', 'unitForgetBias',
] as const;

export class ConvLSTMCell extends BaseCell {
  static override readonly optionKeys: readonly string[] = optionKeys<ConvLSTMCellArgs>()(...CONV_LSTM_CELL_KEYS, 'rank');
  readonly className: string = 'ConvLSTMCell';
  readonly rank: number;
  readonly filters: number;
  readonly kernelSize: number[];
  readonly strides: number[];
  readonly padding: 'valid' | 'same';
  readonly dilationRate: number[];
  readonly recurrentActivation: string | ((x: tfc.Tensor) => tfc.Tensor);
  readonly unitForgetBias: boolean;
  protected readonly gates = 4;
  /** The step input's spatial dimensions and channels, known from build. */
  private inputDims: number[] | null = null;

  static override readonly positional = ['rank', 'filters', 'kernelSize'];

  constructor(rank: number, filters: number, kernelSize: number | number[], options?: Omit<ConvLSTMCellArgs, 'rank' | 'filters' | 'kernelSize'>);
  constructor(args: ConvLSTMCellArgs);
  constructor(...given: unknown[]) {
    const args = layerArgs<ConvLSTMCellArgs>(new.target, given);
    const where = `${new.target.name}`;
    if (args === undefined || args === null) throw new ValueError(`${where}: give {rank, filters, kernelSize}. help: e.g. {rank: 2, filters: 8, kernelSize: 3}.`);
    super({ ...args, units: positiveInt(args.filters, 'filters', where, 8) } as BaseCellArgs, args);
    const owner = `${new.target.name} '${this.name}'`;
    if (![1, 2, 3].includes(args.rank)) throw new ValueError(`${owner}: \`rank\` must be 1, 2 or 3, got ${String(args.rank)}. help: use ConvLSTM1D, ConvLSTM2D or ConvLSTM3D.`);
    this.rank = args.rank;
    this.filters = this.units;
    this.kernelSize = intTuple(args.kernelSize, this.rank, NaN, 'kernelSize', owner);
    this.strides = intTuple(args.strides, this.rank, 1, 'strides', owner);
    this.dilationRate = intTuple(args.dilationRate, this.rank, 1, 'dilationRate', owner);
    this.padding = oneOf(args.padding, ['valid', 'same'], 'valid', 'padding', owner);
    channelsLast(args.dataFormat, owner);
    if (Math.max(...this.strides) > 1 && Math.max(...this.dilationRate) > 1) {
      throw new ValueError(
        `${owner}: strides > 1 cannot go with dilationRate > 1, got strides ${JSON.stringify(this.strides)} and dilationRate ${JSON.stringify(this.dilationRate)}. help: set one of them to 1.`,
      );
    }
    this.recurrentActivation = resolveActivation(args.recurrentActivation ?? 'sigmoid', owner);
    this.unitForgetBias = args.unitForgetBias ?? true;
  }

  get stateSize(): number[] {
    return [this.filters, this.filters];
  }

  override get stepRank(): number {
    return this.rank + 2;
  }

  override stepOutputShape(stepShape: Shape): Shape {
    const spatial = stepShape.slice(1, -1).map((n, i) => convOutputLength(n, this.kernelSize[i], this.padding, this.strides[i], this.dilationRate[i]));
    return [stepShape[0], ...spatial, this.filters];
  }

  override stateShapes(stepShape: Shape): Shape[] {
    return [this.stepOutputShape(stepShape), this.stepOutputShape(stepShape)];
  }

  override initialStates(batch: number): tfc.Tensor[] {
    const shape = this.stepOutputShape([batch, ...(this.inputDims as number[])]) as number[];
    return [tfc.zeros(shape), tfc.zeros(shape)];
  }

  protected override biasSpec(): { shape: number[]; initializer: Initializer } {
    const initializer = this.unitForgetBias ? new UnitForgetBias(this.biasInitializer, this.filters) : this.biasInitializer;
    return { shape: [4 * this.filters], initializer };
  }

  override build(inputShape: Shape | Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
    const dims = shape.slice(1);
    if (shape.length !== this.rank + 2 || dims.some((d) => d === null)) {
      throw new ValueError(
        `${this.name} (${this.className}): each step must be (batch, ${this.rank} spatial axes, channels) with every dimension but the batch known, got ${formatShape(shape)}. ` +
          'help: give the Input its full shape, e.g. Input({shape: [steps, 16, 16, 3]}).',
      );
    }
    this.inputDims = dims as number[];
    this.stepOutputShape(shape).slice(1).forEach((n) => {
      if (n !== null && n < 1) {
        throw new ValueError(`${this.name} (${this.className}): the kernel ${JSON.stringify(this.kernelSize)} is larger than the input ${formatShape(shape)}. help: use a smaller kernelSize, or padding: 'same'.`);
      }
    });
    const channels = dims[dims.length - 1] as number;
    const g = 4 * this.filters;
    this.kernel = this.addWeight({ name: 'kernel', shape: [...this.kernelSize, channels, g], initializer: this.kernelInitializer, regularizer: this.kernelRegularizer, constraint: this.kernelConstraint });
    this.recurrentKernel = this.addWeight({
      name: 'recurrent_kernel', shape: [...this.kernelSize, this.filters, g], initializer: this.recurrentInitializer, regularizer: this.recurrentRegularizer, constraint: this.recurrentConstraint,
    });
    if (this.useBias) {
      const { shape: biasShape, initializer } = this.biasSpec();
      this.bias = this.addWeight({ name: 'bias', shape: biasShape, initializer, regularizer: this.biasRegularizer, constraint: this.biasConstraint });
    }
  }

  /** The dropout masks cover a whole step input / state (one per sequence, shared by the four gates). */
  override beginSequence(batch: number, features: number, ctx: CallContext): void {
    void features;
    if (!ctx.training || this.inputDims === null) return;
    const draw = (shape: number[], rate: number): tfc.Tensor => tfc.dropout(tfc.ones(shape), rate, undefined, this.seed === undefined || this.seed === null ? nextSeed() : this.seed + 7919 * this.draws++);
    if (this.dropout > 0) this.dropoutMask = draw([batch, ...this.inputDims], this.dropout);
    if (this.recurrentDropout > 0) this.recurrentDropoutMask = draw(this.stepOutputShape([batch, ...this.inputDims]) as number[], this.recurrentDropout);
  }

  step(x: tfc.Tensor, states: tfc.Tensor[], ctx: CallContext): StepResult {
    void ctx;
    const [h, c] = states;
    const input = convNd(this.dropped(x), (this.kernel as Weight).value, { strides: this.strides, padding: this.padding, dilationRate: this.dilationRate });
    const ones = this.kernelSize.map(() => 1);
    const recurrent = convNd(this.recurrentDropped(h), (this.recurrentKernel as Weight).value, { strides: ones, padding: 'same', dilationRate: ones });
    let z = tfc.add(input, recurrent);
    if (this.bias) z = tfc.add(z, this.bias.value);
    const [zi, zf, zg, zo] = tfc.split(z, 4, -1);
    const gate = this.act(this.recurrentActivation);
    const act = this.act(this.activation);
    const c2 = tfc.add(tfc.mul(gate(zf), c), tfc.mul(gate(zi), act(zg)));
    const h2 = tfc.mul(gate(zo), act(c2));
    return { output: h2, states: [h2, c2] };
  }

  /** Steps run one by one under autograd (no written-out sequence kernel for convolutions). */
  protected stepKernel(): StepKernel | null {
    return null;
  }

  protected biases(): { input?: tfc.Tensor } {
    return {};
  }

  override getConfig(): LayerConfig {
    const { units, ...base } = super.getConfig();
    void units;
    return {
      ...base,
      rank: this.rank,
      filters: this.filters,
      kernelSize: this.kernelSize,
      strides: this.strides,
      padding: this.padding,
      dataFormat: 'channels_last',
      dilationRate: this.dilationRate,
      recurrentActivation: activationConfig(this.recurrentActivation),
      unitForgetBias: this.unitForgetBias,
    };
  }
}
