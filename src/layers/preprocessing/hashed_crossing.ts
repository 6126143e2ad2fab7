/**
 * HashedCrossing, as Keras's: crosses two or more categorical features (integers or strings of
 * shape [], [batch] or [batch, 1]) into one bin in [0, numBins), as tf.sparse.cross_hashed:
 * starting from the key 0xDECAFCAFFE, each feature's hash (a string's FarmHash Fingerprint64, an
 * integer's own 64 bits) is chained with FingerprintCat64; the result mod numBins. Bins equal
 * Keras's. Output ids (int32) or one-hot vectors. Runs on the host.
 */
import * as tfc from '@tensorflow/tfjs-core';
import { ValueError } from '../../engine/errors';
import { CallContext, LAYER_KEYS, LayerArgs, LayerConfig } from '../../engine/layer';
import { MultiInputLayer } from '../../engine/multi_input_layer';
import { optionKeys } from '../../engine/options';
import { layerArgs } from '../../engine/positional';
import { formatShape, Shape } from '../../engine/symbolic_tensor';
import { oneOf, positiveInt } from '../args';
import { encodeIds } from './encode';
import { fingerprint64, fingerprintCat64 } from './hash/fingerprint';
import { hashBytes } from './hashing';

export interface HashedCrossingArgs extends LayerArgs {
  /** How many bins. Keras: `num_bins` */
  numBins: number;
  /** 'int' (bin ids) or 'one_hot'. Keras: `output_mode` @default 'int' */
  outputMode?: 'int' | 'one_hot';
  /** Only false: tfjs has no sparse tensors. Keras: `sparse` @default false */
  sparse?: boolean;
}

/** tf.sparse.cross_hashed's default hash key. */
const CROSS_KEY = 0xdecafcaffen;

export class HashedCrossing extends MultiInputLayer {
  static override readonly optionKeys: readonly string[] = optionKeys<HashedCrossingArgs>()(...LAYER_KEYS, 'numBins', 'outputMode', 'sparse');
  readonly className = 'HashedCrossing';
  readonly numBins: number;
  readonly outputMode: 'int' | 'one_hot';

  static override readonly positional = ['numBins'];

  constructor(numBins: number, options?: Omit<HashedCrossingArgs, 'numBins'>);
  constructor(args: HashedCrossingArgs);
  constructor(...given: unknown[]) {
    const args = layerArgs<HashedCrossingArgs>(new.target, given);
    super({ ...args, dtype: (args?.outputMode ?? 'int') === 'int' ? 'int32' : args?.dtype }, args);
    const owner = `HashedCrossing '${this.name}'`;
    this.numBins = positiveInt(args?.numBins, 'numBins', owner, 64);
    this.outputMode = oneOf(args.outputMode, ['int', 'one_hot'] as const, 'int', 'outputMode', owner);
    if (args.sparse) throw new ValueError(`${owner}: \`sparse: true\` is not supported: tfjs has no sparse tensors. help: leave sparse out (dense output).`);
  }

  protected override get fixedAxes(): null {
    return null;
  }

  private checkShapes(shapes: Shape[]): Shape {
    const first = shapes[0];
    const ok = shapes.length >= 2 && first.length <= 2 && (first.length < 2 || first[1] === 1) && shapes.every((s) => formatShape(s) === formatShape(first));
    if (!ok) {
      throw new ValueError(
        `${this.name} (HashedCrossing): expected two or more features of one shape, each (), (batch) or (batch, 1), got ${shapes.map(formatShape).join(', ')}. ` +
          'help: apply it to a list of features, e.g. crossing.apply([a, b]) with a and b of shape [batch].',
      );
    }
    return first;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const first = this.checkShapes((Array.isArray(inputShape[0]) ? inputShape : [inputShape]) as Shape[]);
    if (this.outputMode === 'int') return first;
    return first.length === 2 ? [first[0], this.numBins] : [...first, this.numBins];
  }

  /** The feature's 64-bit hash as cross_hashed takes it: a string's fingerprint, an integer's two's-complement bits. */
  private featureHash(value: string | number): bigint {
    return typeof value === 'string' ? fingerprint64(hashBytes(value)) : BigInt.asUintN(64, BigInt(Math.trunc(value)));
  }

  call(inputs: tfc.Tensor[], ctx: CallContext): tfc.Tensor {
    void ctx;
    const shape = this.checkShapes(inputs.map((t) => t.shape));
    // a float32 feature of whole numbers is an integer feature that a data pipeline converted (tfjs models feed float32)
    const columns = inputs.map((t) => {
      const values = t.dataSync() as unknown as ArrayLike<string | number>;
      if (t.dtype === 'float32' && !Array.from(values as ArrayLike<number>).every(Number.isInteger)) {
        throw new ValueError(`${this.name} (HashedCrossing): features must be integers or strings, got float32 values with fractions. help: cast the feature to int32, or pass strings.`);
      }
      return values;
    });
    const rows = columns[0].length;
    const bins = BigInt(this.numBins);
    const ids = Array.from({ length: rows }, (_, r) => Number(columns.reduce((h, col) => fingerprintCat64(h, this.featureHash(col[r])), CROSS_KEY) % bins));
    const out = tfc.tensor(ids, shape as number[], 'int32');
    return this.outputMode === 'int' ? out : encodeIds(out, 'one_hot', this.numBins, `${this.name} (HashedCrossing)`);
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), numBins: this.numBins, outputMode: this.outputMode, sparse: false };
  }
}
