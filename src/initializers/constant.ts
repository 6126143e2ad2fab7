import * as tfc from '@tensorflow/tfjs-core';
import { Initializer, Shape } from './initializer';

export class Zeros extends Initializer {
  readonly className = 'Zeros';
  call(shape: Shape, dtype: tfc.DataType): tfc.Tensor {
    return tfc.zeros(shape, dtype);
  }
}

export class Ones extends Initializer {
  readonly className = 'Ones';
  call(shape: Shape, dtype: tfc.DataType): tfc.Tensor {
    return tfc.ones(shape, dtype);
  }
}

export class Constant extends Initializer {
  readonly className = 'Constant';
  constructor(readonly args: { value?: number } = {}) {
    super();
  }
  call(shape: Shape, dtype: tfc.DataType): tfc.Tensor {
    return tfc.fill(shape, this.args.value ?? 0, dtype);
  }
  override getConfig(): Record<string, unknown> {
    return { value: this.args.value ?? 0 };
  }
}
