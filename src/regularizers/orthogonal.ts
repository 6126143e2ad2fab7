/**
 * OrthogonalRegularizer, as Keras 3's: for a 2-D kernel, the rows (mode 'rows') or columns are
 * L2-normalized, and the penalty is factor · 0.5 · sum(|off-diagonal entries of their Gram
 * matrix|) / (n(n-1)/2), n the number of rows (columns): 0 when they are orthogonal.
 */
import * as tfc from '@tensorflow/tfjs-core';
import { ValueError } from '../engine/errors';
import { checkOptions } from '../engine/options';
import { Regularizer } from './regularizer';

export interface OrthogonalRegularizerArgs {
  /** The penalty's weight. Keras: `factor` @default 0.01 */
  factor?: number;
  /** Which vectors should be orthogonal: 'rows' or 'columns'. Keras: `mode` @default 'rows' */
  mode?: 'rows' | 'columns';
}

export class OrthogonalRegularizer extends Regularizer {
  readonly className = 'OrthogonalRegularizer';
  readonly factor: number;
  readonly mode: 'rows' | 'columns';

  constructor(args: OrthogonalRegularizerArgs = {}) {
    super();
    checkOptions('OrthogonalRegularizer', args, ['factor', 'mode']);
    this.factor = args.factor ?? 0.01;
    this.mode = args.mode ?? 'rows';
    if (typeof this.factor !== 'number' || !Number.isFinite(this.factor) || this.factor < 0) {
      throw new ValueError(`OrthogonalRegularizer: \`factor\` must be a non-negative number, got ${String(args.factor)}. help: e.g. {factor: 0.01}.`);
    }
    if (this.mode !== 'rows' && this.mode !== 'columns') {
      throw new ValueError(`OrthogonalRegularizer: \`mode\` must be 'rows' or 'columns', got ${JSON.stringify(args.mode)}. help: pass {mode: 'rows'} or {mode: 'columns'}.`);
    }
  }

  call(x: tfc.Tensor): tfc.Scalar {
    if (x.rank !== 2) {
      throw new ValueError(`OrthogonalRegularizer: the weight must have rank 2, got shape [${x.shape}]. help: use it on a Dense kernel (or flatten the kernel first).`);
    }
    return tfc.tidy(() => {
      const vectors = this.mode === 'rows' ? x : tfc.transpose(x);
      const n = vectors.shape[0];
      const norm = tfc.sqrt(tfc.maximum(tfc.sum(tfc.square(vectors), 1, true), 1e-12));
      const unit = tfc.div(vectors, norm);
      const gram = tfc.matMul(unit, unit, false, true);
      const offDiagonal = tfc.mul(gram, tfc.sub(1, tfc.eye(n)));
      const pairs = (n * (n - 1)) / 2;
      return tfc.mul(tfc.sum(tfc.abs(offDiagonal)), (this.factor * 0.5) / pairs) as tfc.Scalar;
    });
  }

  getConfig(): Record<string, number | string> {
    return { factor: this.factor, mode: this.mode };
  }
}

/** Keras's lowercase alias: `orthogonal_regularizer(factor, mode)`. */
export function orthogonalRegularizer(factor = 0.01, mode: 'rows' | 'columns' = 'rows'): OrthogonalRegularizer {
  return new OrthogonalRegularizer({ factor, mode });
}
