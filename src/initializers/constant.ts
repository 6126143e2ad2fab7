import * as tfc from '@tensorflow/tfjs-core';
import { Initializer, Shape } from './initializer';

export class Zeros extends Initializer {
  static override readonly optionKeys: readonly string[] = [];
  readonly className = 'Zeros';
  call(shape: Shape, dtype: tfc.DataType): tfc.Tensor {
    return tfc.zeros(shape, dtype);
  }
}

export class Ones extends Initializer {
  static override readonly optionKeys: readonly string[] = [];
  readonly className = 'Ones';
  call(shape: Shape, dtype: tfc.DataType): tfc.Tensor {
    return tfc.ones(shape, dtype);
  }
}

export class Constant extends Initializer {
  static override readonly optionKeys: readonly string[] = ['value'];
  readonly className = 'Constant';
  constructor(readonly args: { value?: number } = {}) {
    super(args);
  }
  call(shape: Shape, dtype: tfc.DataType): tfc.Tensor {
    return tfc.fill(shape, this.args.value ?? 0, dtype);
  }
  override getConfig(): Record<string, unknown> {
    return { value: this.args.value ?? 0 };
  }
}
