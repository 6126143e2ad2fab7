/**
 * Hashing, as Keras's: each value (a string, or an integer written in decimal as TensorFlow's
 * as_string does; floats are truncated to integers first) to a bin in [0, numBins): FarmHash
 * Fingerprint64 mod numBins, or SipHash-2-4 keyed by `salt` (Keras's strong hash). With a
 * maskValue, that value goes to bin 0 and the others to 1 + hash mod (numBins - 1). Bins equal
 * Keras's (hash/fingerprint.ts ports the exact hashes). Output ids (int32: tfjs has no int64)
 * or one-hot / multi-hot / count vectors. Runs on the host: tfjs has no string hashing kernels.
 */
import * as tfc from '@tensorflow/tfjs-core';
import { ValueError } from '../../engine/errors';
import { CallContext, Layer, LAYER_KEYS, LayerArgs, LayerConfig } from '../../engine/layer';
import { optionKeys } from '../../engine/options';
import { layerArgs } from '../../engine/positional';
import { Shape } from '../../engine/symbolic_tensor';
import { oneOf, positiveInt } from '../args';
import { encodedShape, encodeIds } from './encode';
import { fingerprint64, sipHash24 } from './hash/fingerprint';

type HashingMode = 'int' | 'one_hot' | 'multi_hot' | 'count';

export interface HashingArgs extends LayerArgs {
  /** How many bins, the mask's bin included. Keras: `num_bins` */
  numBins: number;
  /** The value that goes to bin 0 (others to 1 ... numBins - 1). Keras: `mask_value` @default null (none) */
  maskValue?: string | number | null;
  /**
   * Use the keyed SipHash-2-4 with this key (one integer k is [k, k]). Keras: `salt`
   * @default null (FarmHash Fingerprint64, unkeyed)
   */
  salt?: number | [number, number] | null;
  /** 'int' (bin ids), 'one_hot', 'multi_hot' or 'count'. Keras: `output_mode` @default 'int' */
  outputMode?: HashingMode;
  /** Only false: tfjs has no sparse tensors. Keras: `sparse` @default false */
  sparse?: boolean;
}

const utf8 = new TextEncoder();

/** The bytes TensorFlow hashes for a value: a string's UTF-8, a number's integer part in decimal. */
export function hashBytes(value: unknown): Uint8Array {
  if (value instanceof Uint8Array) return value;
  if (typeof value === 'string') return utf8.encode(value);
  return utf8.encode(String(Math.trunc(Number(value))));
}

export class Hashing extends Layer {
  static override readonly optionKeys: readonly string[] = optionKeys<HashingArgs>()(...LAYER_KEYS, 'numBins', 'maskValue', 'salt', 'outputMode', 'sparse');
  readonly className = 'Hashing';
  readonly numBins: number;
  readonly maskValue: string | number | null;
  readonly salt: [number, number] | null;
  readonly outputMode: HashingMode;

  static override readonly positional = ['numBins'];

  constructor(numBins: number, options?: Omit<HashingArgs, 'numBins'>);
  constructor(args: HashingArgs);
  constructor(...given: unknown[]) {
    const args = layerArgs<HashingArgs>(new.target, given);
    super({ ...args, dtype: (args?.outputMode ?? 'int') === 'int' ? 'int32' : args?.dtype }, args);
    const owner = `Hashing '${this.name}'`;
    this.numBins = positiveInt(args?.numBins, 'numBins', owner, 64);
    this.maskValue = args.maskValue ?? null;
    this.outputMode = oneOf(args.outputMode, ['int', 'one_hot', 'multi_hot', 'count'] as const, 'int', 'outputMode', owner);
    if (args.sparse) throw new ValueError(`${owner}: \`sparse: true\` is not supported: tfjs has no sparse tensors. help: leave sparse out (dense output).`);
    const salt = args.salt ?? null;
    const isKey = (k: unknown): boolean => Number.isSafeInteger(k) && (k as number) >= 0;
    if (salt !== null && !(isKey(salt) || (Array.isArray(salt) && salt.length === 2 && salt.every(isKey)))) {
      throw new ValueError(`${owner}: \`salt\` must be a non-negative integer or a pair of them, got ${JSON.stringify(salt)}. help: e.g. {salt: 133} or {salt: [133, 137]}.`);
    }
    this.salt = salt === null ? null : Array.isArray(salt) ? [salt[0], salt[1]] : [salt, salt];
  }

  protected override get fixedAxes(): null {
    return null;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = inputShape as Shape;
    if (this.outputMode === 'int') return shape;
    return this.outputMode === 'one_hot' ? encodedShape(shape, 'one_hot', this.numBins) : [...shape.slice(0, -1), this.numBins];
  }

  /** The bin of one value. */
  bin(value: string | number): number {
    const masked = this.maskValue !== null && this.numBins > 1;
    if (masked && value === this.maskValue) return 0;
    const bins = BigInt(masked ? this.numBins - 1 : this.numBins);
    const bytes = hashBytes(value);
    const hash = this.salt === null ? fingerprint64(bytes) : sipHash24(BigInt(this.salt[0]), BigInt(this.salt[1]), bytes);
    return Number(hash % bins) + (masked ? 1 : 0);
  }

  call(x: tfc.Tensor, ctx: CallContext): tfc.Tensor {
    void ctx;
    const values = x.dataSync() as unknown as ArrayLike<string | number>;
    const ids = tfc.tensor(Array.from(values, (v) => this.bin(typeof v === 'string' ? v : Number(v))), x.shape, 'int32');
    if (this.outputMode === 'int') return ids;
    return encodeIds(ids, this.outputMode, this.numBins, `${this.name} (Hashing)`);
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), numBins: this.numBins, salt: this.salt, maskValue: this.maskValue, outputMode: this.outputMode, sparse: false };
  }
}
