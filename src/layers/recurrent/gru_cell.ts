import * as tfc from '@tensorflow/tfjs-core';
import { CallContext, LayerConfig } from '../../engine/layer';
import { optionKeys } from '../../engine/options';
import { layerArgs } from '../../engine/positional';
import { Weight } from '../../engine/weight';
import type { Initializer } from '../../initializers';
import type { StepKernel } from '../../ops/recurrent';
import { gruKernel } from '../../ops/recurrent_kernels';
import { activationConfig, BASE_CELL_KEYS, BaseCell, BaseCellArgs, CellActivation, resolveActivation } from './base_cell';
import type { StepResult } from './cell';

export interface GRUCellArgs extends BaseCellArgs {
  /** The gates' activation. Keras: `recurrent_activation` @default 'sigmoid' */
  recurrentActivation?: CellActivation;
  /**
   * Apply the reset gate after the recurrent matmul (Keras 2/3's default, cuDNN's form), with a
   * second bias row for h·U: bias [2, 3u]. false: before it, with bias [3u]. Keras: `reset_after` @default true
   */
  resetAfter?: boolean;
  /**
   * Keras's choice of kernel arrangement (1 or 2); both compute the same here. Keras: `implementation` (a
   * Keras 2 argument) @default 2
   */
  implementation?: number;
}

/**
 * One GRU step, as Keras: gates z, r, h (kernel [in, 3u], recurrent kernel [u, 3u]); with
 * resetAfter, hh = act(x·W_h + b_h + r (h·U_h + b'_h)); h' = z h + (1 - z) hh.
 */
export class GRUCell extends BaseCell {
  static override readonly optionKeys: readonly string[] = optionKeys<GRUCellArgs>()(...BASE_CELL_KEYS, 'recurrentActivation', 'resetAfter', 'implementation');
  readonly className = 'GRUCell';
  readonly recurrentActivation: string | ((x: tfc.Tensor) => tfc.Tensor);
  readonly resetAfter: boolean;
  readonly implementation: number;
  protected readonly gates = 3;

  static override readonly positional = ['units'];

  constructor(units: number, options?: Omit<GRUCellArgs, 'units'>);
  constructor(args: GRUCellArgs);
  constructor(...given: unknown[]) {
    const args = layerArgs<GRUCellArgs>(new.target, given);
    super(args);
    this.recurrentActivation = resolveActivation(args.recurrentActivation ?? 'sigmoid', `GRUCell '${this.name}'`);
    this.resetAfter = args.resetAfter ?? true;
    this.implementation = args.implementation ?? 2;
  }

  get stateSize(): number[] {
    return [this.units];
  }

  protected override biasSpec(): { shape: number[]; initializer: Initializer } {
    const g = 3 * this.units;
    return { shape: this.resetAfter ? [2, g] : [g], initializer: this.biasInitializer };
  }

  protected biases(): { input?: tfc.Tensor; recurrent?: tfc.Tensor1D } {
    if (!this.bias) return {};
    const b = this.bias.value;
    if (!this.resetAfter) return { input: b };
    // unstack, not slice + reshape: wasm's fused matmul reads a bias's rank from its buffer, which a reshape leaves at 2.
    const [input, recurrent] = tfc.unstack(b);
    return { input, recurrent: recurrent as tfc.Tensor1D };
  }

  step(x: tfc.Tensor, states: tfc.Tensor[], ctx: CallContext): StepResult {
    void ctx;
    const h = states[0];
    const u = this.units;
    const { input, recurrent } = this.biases();
    let mx = tfc.matMul(this.dropped(x), (this.kernel as Weight).value);
    if (input) mx = tfc.add(mx, input);
    const [xz, xr, xh] = tfc.split(mx, 3, 1);
    const hr = this.recurrentDropped(h);
    const kernel = (this.recurrentKernel as Weight).value;
    const gate = this.act(this.recurrentActivation);
    let z: tfc.Tensor;
    let hh: tfc.Tensor;
    if (this.resetAfter) {
      let inner = tfc.matMul(hr, kernel);
      if (recurrent) inner = tfc.add(inner, recurrent);
      const [rz, rr, rh] = tfc.split(inner, 3, 1);
      z = gate(tfc.add(xz, rz));
      const r = gate(tfc.add(xr, rr));
      hh = this.act(this.activation)(tfc.add(xh, tfc.mul(r, rh)));
    } else {
      const [uzr, uh] = tfc.split(kernel, [2 * u, u], 1);
      const [rz, rr] = tfc.split(tfc.matMul(hr, uzr), 2, 1);
      z = gate(tfc.add(xz, rz));
      const r = gate(tfc.add(xr, rr));
      hh = this.act(this.activation)(tfc.add(xh, tfc.matMul(tfc.mul(r, hr), uh)));
    }
    const h2 = tfc.add(hh, tfc.mul(z, tfc.sub(h, hh)));
    return { output: h2, states: [h2] };
  }

  protected stepKernel(): StepKernel | null {
    const ok = this.resetAfter && this.fusable(this.activation, this.recurrentActivation);
    return ok ? gruKernel(this.activation as string, this.recurrentActivation as string) : null;
  }

  override getConfig(): LayerConfig {
    return {
      ...super.getConfig(),
      recurrentActivation: activationConfig(this.recurrentActivation),
      resetAfter: this.resetAfter,
      implementation: this.implementation,
    };
  }
}
