import * as tfc from '@tensorflow/tfjs-core';
import { CallContext } from '../../engine/layer';
import { optionKeys } from '../../engine/options';
import { layerArgs } from '../../engine/positional';
import { Weight } from '../../engine/weight';
import type { StepKernel } from '../../ops/recurrent';
import { simpleRnnKernel } from '../../ops/recurrent_kernels';
import { BASE_CELL_KEYS, BaseCell, BaseCellArgs } from './base_cell';
import type { StepResult } from './cell';

export type SimpleRNNCellArgs = BaseCellArgs;

/** One step of a fully connected recurrent layer: h' = activation(x·W + h·U + b). */
export class SimpleRNNCell extends BaseCell {
  static override readonly optionKeys: readonly string[] = optionKeys<SimpleRNNCellArgs>()(...BASE_CELL_KEYS);
  readonly className = 'SimpleRNNCell';
  protected readonly gates = 1;

  static override readonly positional = ['units'];

  constructor(units: number, options?: Omit<SimpleRNNCellArgs, 'units'>);
  constructor(args: SimpleRNNCellArgs);
  constructor(...given: unknown[]) {
    const args = layerArgs<SimpleRNNCellArgs>(new.target, given);
    super(args);
  }

  get stateSize(): number[] {
    return [this.units];
  }

  step(x: tfc.Tensor, states: tfc.Tensor[], ctx: CallContext): StepResult {
    void ctx;
    let z = tfc.add(tfc.matMul(this.dropped(x), (this.kernel as Weight).value), tfc.matMul(this.recurrentDropped(states[0]), (this.recurrentKernel as Weight).value));
    if (this.bias) z = tfc.add(z, this.bias.value);
    const h = this.act(this.activation)(z);
    return { output: h, states: [h] };
  }

  protected stepKernel(): StepKernel | null {
    return this.fusable(this.activation) ? simpleRnnKernel(this.activation as string) : null;
  }

  protected biases(): { input?: tfc.Tensor } {
    return { input: this.bias?.value };
  }
}
