import * as tfc from '@tensorflow/tfjs-core';
import { ValueError } from '../../engine/errors';
import { CallContext, LayerConfig } from '../../engine/layer';
import { optionKeys } from '../../engine/options';
import { layerArgs } from '../../engine/positional';
import { Weight } from '../../engine/weight';
import { Initializer } from '../../initializers';
import type { StepKernel } from '../../ops/recurrent';
import { lstmKernel } from '../../ops/recurrent_kernels';
import { activationConfig, BASE_CELL_KEYS, BaseCell, BaseCellArgs, CellActivation, resolveActivation } from './base_cell';
import type { StepResult } from './cell';

export interface LSTMCellArgs extends BaseCellArgs {
  /** The gates' activation. Keras: `recurrent_activation` @default 'sigmoid' */
  recurrentActivation?: CellActivation;
  /** Start the forget gate's bias at 1 (the rest from biasInitializer). Keras: `unit_forget_bias` @default true */
  unitForgetBias?: boolean;
  /**
   * Keras's choice of kernel arrangement (1 or 2); both compute the same here. Keras: `implementation` (a
   * Keras 2 argument) @default 2
   */
  implementation?: number;
}

/** The bias initializer with the forget gate's block set to ones (LSTMCell, ConvLSTMCell). */
export class UnitForgetBias extends Initializer {
  readonly className = 'UnitForgetBias';
  constructor(
    private readonly inner: Initializer,
    private readonly units: number,
  ) {
    super();
  }
  call(shape: number[], dtype: tfc.DataType): tfc.Tensor {
    void shape;
    const u = this.units;
    return tfc.tidy(() => tfc.concat([this.inner.call([u], dtype), tfc.ones([u], dtype), this.inner.call([2 * u], dtype)]));
  }
}

/**
 * One LSTM step, as Keras: z = x·W + h·U + b split into the gates i, f, c, o (kernel [in, 4u],
 * recurrent kernel [u, 4u], bias [4u], in that order); c' = f c + i act(z_c); h' = o act(c').
 */
export class LSTMCell extends BaseCell {
  static override readonly optionKeys: readonly string[] = optionKeys<LSTMCellArgs>()(...BASE_CELL_KEYS, 'recurrentActivation', 'unitForgetBias', 'implementation');
  readonly className = 'LSTMCell';
  readonly recurrentActivation: string | ((x: tfc.Tensor) => tfc.Tensor);
  readonly unitForgetBias: boolean;
  readonly implementation: number;
  protected readonly gates = 4;

  static override readonly positional = ['units'];

  constructor(units: number, options?: Omit<LSTMCellArgs, 'units'>);
  constructor(args: LSTMCellArgs);
  constructor(...given: unknown[]) {
    const args = layerArgs<LSTMCellArgs>(new.target, given);
    super(args);
    this.recurrentActivation = resolveActivation(args.recurrentActivation ?? 'sigmoid', `LSTMCell '${this.name}'`);
    this.unitForgetBias = args.unitForgetBias ?? true;
    this.implementation = args.implementation ?? 2;
    if (![0, 1, 2].includes(this.implementation)) {
      throw new ValueError(`LSTMCell '${this.name}': \`implementation\` must be 1 or 2, got ${String(args.implementation)}. help: leave it out.`);
    }
  }

  get stateSize(): number[] {
    return [this.units, this.units];
  }

  protected override biasSpec(): { shape: number[]; initializer: Initializer } {
    const initializer = this.unitForgetBias ? new UnitForgetBias(this.biasInitializer, this.units) : this.biasInitializer;
    return { shape: [4 * this.units], initializer };
  }

  step(x: tfc.Tensor, states: tfc.Tensor[], ctx: CallContext): StepResult {
    void ctx;
    const [h, c] = states;
    let z = tfc.add(tfc.matMul(this.dropped(x), (this.kernel as Weight).value), tfc.matMul(this.recurrentDropped(h), (this.recurrentKernel as Weight).value));
    if (this.bias) z = tfc.add(z, this.bias.value);
    const [zi, zf, zg, zo] = tfc.split(z, 4, 1);
    const gate = this.act(this.recurrentActivation);
    const act = this.act(this.activation);
    const c2 = tfc.add(tfc.mul(gate(zf), c), tfc.mul(gate(zi), act(zg)));
    const h2 = tfc.mul(gate(zo), act(c2));
    return { output: h2, states: [h2, c2] };
  }

  protected stepKernel(): StepKernel | null {
    return this.fusable(this.activation, this.recurrentActivation) ? lstmKernel(this.activation as string, this.recurrentActivation as string) : null;
  }

  protected biases(): { input?: tfc.Tensor } {
    return { input: this.bias?.value };
  }

  override getConfig(): LayerConfig {
    return {
      ...super.getConfig(),
      recurrentActivation: activationConfig(this.recurrentActivation),
      unitForgetBias: this.unitForgetBias,
      implementation: this.implementation,
    };
  }
}
