/**
 * Keras's `keras.utils.FeatureSpace`: structured data (a record of columns) to one model input.
 * Each feature is preprocessed by its kind, then the features are concatenated in sorted name
 * order (outputMode 'concat') or returned by name ('dict'):
 *   float: as float32;  floatRescaled: x·scale + offset;  floatNormalized: (x - mean)/std from adapt;
 *   integerCategorical / stringCategorical: an IntegerLookup / StringLookup learned by adapt, then
 *   one-hot (multi-hot over the vocabulary, OOV index 0 included) or the index ('int').
 * Columns are [batch] or [batch, 1]. `adapt(data)` learns every feature that needs it, from a
 * record of whole columns or an iterable of record batches. Keras's hashed, discretized and crossed
 * features need the Hashing, Discretization and HashedCrossing layers and are refused here with
 * that reason (see the issue 24 report).
 */
import * as tfc from '@tensorflow/tfjs-core';
import { ValueError } from '../engine/errors';
import type { Layer } from '../engine/layer';
import { CategoryEncoding } from '../layers/preprocessing/category_encoding';
import { IntegerLookup } from '../layers/preprocessing/integer_lookup';
import { Normalization } from '../layers/preprocessing/normalization';
import { StringLookup } from '../layers/preprocessing/string_lookup';

type Kind = 'float' | 'float_rescaled' | 'float_normalized' | 'integer_categorical' | 'string_categorical';

/** One feature's kind and options, as FeatureSpace.float() and friends make it. */
export interface FeatureSpec {
  kind: Kind;
  /** 'one_hot' or 'int' for categorical features; 'float' for the others. */
  outputMode: 'one_hot' | 'int' | 'float';
  scale?: number;
  offset?: number;
  maxTokens?: number | null;
  numOovIndices?: number;
}

export type FeaturePreset = Kind;
type Column = tfc.Tensor | number[] | string[] | number[][] | string[][];

export interface FeatureSpaceArgs {
  /** Each feature by name: a FeatureSpec (FeatureSpace.floatNormalized(), ...) or a preset name. Keras: `features` */
  features: Record<string, FeatureSpec | FeaturePreset>;
  /** 'concat' (one float32 [batch, n] tensor) or 'dict' (each feature by name). Keras: `output_mode` @default 'concat' */
  outputMode?: 'concat' | 'dict';
}

const PRESETS: Record<Kind, () => FeatureSpec> = {
  float: () => FeatureSpace.float(),
  float_rescaled: () => FeatureSpace.floatRescaled(),
  float_normalized: () => FeatureSpace.floatNormalized(),
  integer_categorical: () => FeatureSpace.integerCategorical(),
  string_categorical: () => FeatureSpace.stringCategorical(),
};

const MISSING: Record<string, string> = {
  float_discretized: 'Discretization', integer_hashed: 'Hashing', string_hashed: 'Hashing',
};

export class FeatureSpace {
  readonly features: Record<string, FeatureSpec>;
  readonly outputMode: 'concat' | 'dict';
  private readonly names: string[];
  private readonly layers = new Map<string, Layer>();
  private readonly encoders = new Map<string, CategoryEncoding>();
  private adapted = false;

  static float(): FeatureSpec {
    return { kind: 'float', outputMode: 'float' };
  }
  static floatRescaled(args: { scale?: number; offset?: number } = {}): FeatureSpec {
    return { kind: 'float_rescaled', outputMode: 'float', scale: args.scale ?? 1, offset: args.offset ?? 0 };
  }
  static floatNormalized(): FeatureSpec {
    return { kind: 'float_normalized', outputMode: 'float' };
  }
  static integerCategorical(args: { maxTokens?: number | null; numOovIndices?: number; outputMode?: 'one_hot' | 'int' } = {}): FeatureSpec {
    return { kind: 'integer_categorical', outputMode: args.outputMode ?? 'one_hot', maxTokens: args.maxTokens ?? null, numOovIndices: args.numOovIndices ?? 1 };
  }
  static stringCategorical(args: { maxTokens?: number | null; numOovIndices?: number; outputMode?: 'one_hot' | 'int' } = {}): FeatureSpec {
    return { kind: 'string_categorical', outputMode: args.outputMode ?? 'one_hot', maxTokens: args.maxTokens ?? null, numOovIndices: args.numOovIndices ?? 1 };
  }

  constructor(args: FeatureSpaceArgs) {
    if (typeof args?.features !== 'object' || args.features === null || Object.keys(args.features).length === 0) {
      throw new ValueError("FeatureSpace: give the features by name. help: new k.utils.FeatureSpace({features: {age: 'float_normalized', city: 'string_categorical'}}).");
    }
    this.outputMode = args.outputMode ?? 'concat';
    if (this.outputMode !== 'concat' && this.outputMode !== 'dict') throw new ValueError(`FeatureSpace: \`outputMode\` must be 'concat' or 'dict', got ${JSON.stringify(args.outputMode)}. help: keep the default 'concat'.`);
    this.features = Object.fromEntries(Object.entries(args.features).map(([name, f]) => [name, resolveFeature(name, f)]));
    this.names = Object.keys(this.features).sort();
    for (const name of this.names) {
      const f = this.features[name];
      if (f.kind === 'float_normalized') this.layers.set(name, new Normalization({ axis: -1 }));
      if (f.kind === 'integer_categorical') this.layers.set(name, new IntegerLookup({ maxTokens: f.maxTokens, numOovIndices: f.numOovIndices }));
      if (f.kind === 'string_categorical') this.layers.set(name, new StringLookup({ maxTokens: f.maxTokens, numOovIndices: f.numOovIndices }));
      if (this.outputMode === 'concat' && f.outputMode === 'int') {
        throw new ValueError(`FeatureSpace: feature '${name}' has outputMode 'int', which cannot be concatenated with floats. help: use outputMode 'one_hot', or FeatureSpace's outputMode 'dict'.`);
      }
    }
  }

  /** Learns the normalizations and vocabularies: from a record of whole columns, or batches (records) one by one. Keras: `adapt` */
  adapt(data: Record<string, Column> | Iterable<Record<string, Column>>): void {
    const batches = isRecord(data) ? [data] : [...(data as Iterable<Record<string, Column>>)];
    for (const [name, layer] of this.layers) {
      const columns = batches.map((b, i) => {
        if (!(name in b)) throw new ValueError(`FeatureSpace.adapt: batch ${i} has no feature '${name}' (it has ${Object.keys(b).join(', ')}). help: give every feature's column.`);
        return b[name];
      });
      tfc.tidy(() => (layer as unknown as { adapt(d: tfc.Tensor[]): void }).adapt(columns.map((c) => asColumn(c, this.features[name], name))));
    }
    this.encoders.clear();
    for (const name of this.names) {
      const layer = this.layers.get(name);
      if (this.features[name].outputMode === 'one_hot' && layer !== undefined) {
        this.encoders.set(name, new CategoryEncoding({ numTokens: (layer as IntegerLookup | StringLookup).vocabularySize(), outputMode: 'multi_hot' }));
      }
    }
    this.adapted = true;
  }

  /** The encoded features of `data` (a record of columns, one row per sample); the tensors are the caller's. Keras: `__call__` */
  call(data: Record<string, Column>): tfc.Tensor | Record<string, tfc.Tensor> {
    if (!this.adapted && this.layers.size > 0) {
      throw new ValueError(`FeatureSpace: features ${[...this.layers.keys()].join(', ')} must be adapted first. help: featureSpace.adapt(trainingColumns) before calling it.`);
    }
    if (!isRecord(data)) throw new ValueError('FeatureSpace.call: expected a record of columns by feature name. help: featureSpace.call({age: [31, 45], city: ["Oslo", "Lima"]}).');
    return tfc.tidy(() => {
      const encoded = this.names.map((name) => {
        if (!(name in data)) throw new ValueError(`FeatureSpace.call: no column '${name}' (got ${Object.keys(data).join(', ')}). help: give every feature's column.`);
        return this.encode(name, asColumn(data[name], this.features[name], name));
      });
      if (this.outputMode === 'dict') return Object.fromEntries(this.names.map((name, i) => [name, encoded[i]]));
      return tfc.concat(encoded.map((t) => tfc.cast(t, 'float32')), -1);
    });
  }

  private encode(name: string, x: tfc.Tensor): tfc.Tensor {
    const f = this.features[name];
    if (f.kind === 'float') return x;
    if (f.kind === 'float_rescaled') return tfc.add(tfc.mul(x, f.scale as number), f.offset as number);
    const out = this.layers.get(name)?.apply(x) as tfc.Tensor;
    const encoder = this.encoders.get(name);
    return encoder === undefined ? out : (encoder.apply(out) as tfc.Tensor);
  }

  /** Frees the preprocessing layers' weights. */
  dispose(): void {
    for (const layer of [...this.layers.values(), ...this.encoders.values()]) layer.dispose();
  }
}

function resolveFeature(name: string, f: FeatureSpec | FeaturePreset): FeatureSpec {
  if (typeof f === 'string') {
    if (f in MISSING) {
      throw new ValueError(`FeatureSpace: feature '${name}' is '${f}', which needs Keras's ${MISSING[f]} layer, not in this FeatureSpace yet. help: use 'float_normalized', 'integer_categorical' or 'string_categorical', or preprocess the column yourself.`);
    }
    const make = PRESETS[f as Kind];
    if (make === undefined) throw new ValueError(`FeatureSpace: feature '${name}' has unknown kind '${f}'. help: use one of ${Object.keys(PRESETS).join(', ')}.`);
    return make();
  }
  if (typeof f !== 'object' || f === null || !(f.kind in PRESETS)) {
    throw new ValueError(`FeatureSpace: feature '${name}' is not a feature spec. help: use FeatureSpace.floatNormalized(), FeatureSpace.stringCategorical(), ... or a preset name.`);
  }
  return f;
}

/** A column as a [batch, 1] tensor of the feature's dtype (made inside the caller's tidy). */
function asColumn(c: Column, f: FeatureSpec, name: string): tfc.Tensor {
  const dtype = f.kind === 'string_categorical' ? 'string' : f.kind === 'integer_categorical' ? 'int32' : 'float32';
  const t = c instanceof tfc.Tensor ? (c.dtype === dtype ? c : tfc.cast(c, dtype)) : tfc.tensor(c as number[], undefined, dtype);
  if (t.rank === 1) return tfc.expandDims(t, -1);
  if (t.rank === 2 && t.shape[1] === 1) return t;
  throw new ValueError(`FeatureSpace: the column '${name}' has shape [${t.shape}]; a feature is one value per sample. help: pass [batch] or [batch, 1] columns.`);
}

function isRecord(x: unknown): x is Record<string, Column> {
  return typeof x === 'object' && x !== null && !Array.isArray(x) && !(Symbol.iterator in x);
}
