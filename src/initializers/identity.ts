import * as tfc from '@tensorflow/tfjs-core';
import { ValueError } from '../engine/errors';
import { Initializer, Shape } from './initializer';

/** Keras's Identity initializer: gain · the identity matrix (2-D shapes only; a non-square one gets ones on its main diagonal). */
export class Identity extends Initializer {
  static override readonly optionKeys: readonly string[] = ['gain'];
  readonly className = 'Identity';
  readonly gain: number;

  constructor(args: { gain?: number } = {}) {
    super(args);
    this.gain = args.gain ?? 1;
    if (typeof this.gain !== 'number' || !Number.isFinite(this.gain)) throw new ValueError(`Identity: \`gain\` must be a number, got ${String(args.gain)}. help: e.g. {gain: 1}.`);
  }

  call(shape: Shape, dtype: tfc.DataType): tfc.Tensor {
    if (shape.length !== 2) {
      throw new ValueError(`Identity: the identity initializer makes 2-D matrices only, got shape [${shape}] of rank ${shape.length}. help: use it for a Dense kernel, or pick another initializer.`);
    }
    return tfc.tidy(() => tfc.cast(tfc.mul(tfc.eye(shape[0], shape[1]), this.gain), dtype));
  }

  override getConfig(): Record<string, unknown> {
    return { gain: this.gain };
  }
}
