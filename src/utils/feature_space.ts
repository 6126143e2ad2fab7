/**
 * Keras's `keras.utils.FeatureSpace`: structured data (a record of columns) to one model input.
 * Each feature is preprocessed by its kind, crosses hash preprocessed features together, then the
 * features (sorted by name) and the crosses (sorted by name, after them) are concatenated
 * (outputMode 'concat') or returned by name ('dict'):
 *   float: as float32;  floatRescaled: x·scale + offset;  floatNormalized: (x - mean)/std from adapt;
 *   floatDiscretized: a Discretization (numBins learned by adapt, or fixed binBoundaries);
 *   integerCategorical / stringCategorical: an IntegerLookup / StringLookup learned by adapt;
 *   integerHashed / stringHashed: a Hashing layer (numBins);  cross(names, crossingDim): a
 *   HashedCrossing over the named features' indices, named 'a_X_b'.
 * Index outputs are one-hot (multi-hot over the feature's cardinality) or kept as indices ('int').
 * Columns are [batch] or [batch, 1]. `adapt(data)` learns every feature that needs it, from a
 * record of whole columns or an iterable of record batches.
 */
import * as tfc from '@tensorflow/tfjs-core';
import { ValueError } from '../engine/errors';
import type { Layer } from '../engine/layer';
import { CategoryEncoding } from '../layers/preprocessing/category_encoding';
import { Discretization } from '../layers/preprocessing/discretization';
import { HashedCrossing } from '../layers/preprocessing/hashed_crossing';
import { Hashing } from '../layers/preprocessing/hashing';
import { IntegerLookup } from '../layers/preprocessing/integer_lookup';
import { Normalization } from '../layers/preprocessing/normalization';
import { StringLookup } from '../layers/preprocessing/string_lookup';
import { CrossSpec, crossName, encodedMode, FeaturePreset, FeatureSpec, positiveBins, resolveCrosses, resolveFeature } from './feature_space_spec';

export type { CrossSpec, FeaturePreset, FeatureSpec } from './feature_space_spec';
type Column = tfc.Tensor | number[] | string[] | number[][] | string[][];
type Lookup = IntegerLookup | StringLookup;

export interface FeatureSpaceArgs {
  /** Each feature by name: a FeatureSpec (FeatureSpace.floatNormalized(), ...) or a preset name. Keras: `features` */
  features: Record<string, FeatureSpec | FeaturePreset>;
  /** 'concat' (one float32 [batch, n] tensor) or 'dict' (each feature by name). Keras: `output_mode` @default 'concat' */
  outputMode?: 'concat' | 'dict';
  /** Crossed features: FeatureSpace.cross(...) or lists of feature names (hashed into crossingDim bins). Keras: `crosses` @default [] */
  crosses?: Array<CrossSpec | string[]>;
  /** The bins of crosses given as lists of names. Keras: `crossing_dim` @default 32 */
  crossingDim?: number;
  /** The bins of the 'integer_hashed' and 'string_hashed' presets. Keras: `hashing_dim` @default 32 */
  hashingDim?: number;
  /** The bins of the 'float_discretized' preset. Keras: `num_discretization_bins` @default 32 */
  numDiscretizationBins?: number;
}

type Encoded = { outputMode?: 'one_hot' | 'int' };

export class FeatureSpace {
  readonly features: Record<string, FeatureSpec>;
  readonly crosses: CrossSpec[];
  readonly outputMode: 'concat' | 'dict';
  private readonly names: string[];
  private readonly crossNames: string[];
  private readonly layers = new Map<string, Layer>();
  private readonly adaptable = new Set<string>();
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
  /** numBins bins learned by adapt from quantiles, or fixed `binBoundaries` (numBins must then be their count + 1). Keras: `float_discretized` */
  static floatDiscretized(numBins: number, args: { binBoundaries?: number[] | null } & Encoded = {}): FeatureSpec {
    const owner = 'FeatureSpace.floatDiscretized';
    positiveBins(numBins, 'numBins', owner);
    const edges = args.binBoundaries ?? null;
    if (edges !== null && edges.length + 1 !== numBins) {
      throw new ValueError(`${owner}: ${edges.length} binBoundaries make ${edges.length + 1} bins, but numBins is ${numBins}. help: pass numBins ${edges.length + 1}, or leave binBoundaries out and adapt.`);
    }
    return { kind: 'float_discretized', outputMode: encodedMode(args.outputMode, owner), numBins, binBoundaries: edges };
  }
  static integerCategorical(args: { maxTokens?: number | null; numOovIndices?: number } & Encoded = {}): FeatureSpec {
    return { kind: 'integer_categorical', outputMode: encodedMode(args.outputMode, 'FeatureSpace.integerCategorical'), maxTokens: args.maxTokens ?? null, numOovIndices: args.numOovIndices ?? 1 };
  }
  static stringCategorical(args: { maxTokens?: number | null; numOovIndices?: number } & Encoded = {}): FeatureSpec {
    return { kind: 'string_categorical', outputMode: encodedMode(args.outputMode, 'FeatureSpace.stringCategorical'), maxTokens: args.maxTokens ?? null, numOovIndices: args.numOovIndices ?? 1 };
  }
  /** Integers hashed (as their decimal text, Keras's Hashing) into numBins bins. Keras: `integer_hashed` */
  static integerHashed(numBins: number, args: Encoded = {}): FeatureSpec {
    return { kind: 'integer_hashed', outputMode: encodedMode(args.outputMode, 'FeatureSpace.integerHashed'), numBins: positiveBins(numBins, 'numBins', 'FeatureSpace.integerHashed') };
  }
  /** Strings hashed (FarmHash Fingerprint64, Keras's Hashing) into numBins bins. Keras: `string_hashed` */
  static stringHashed(numBins: number, args: Encoded = {}): FeatureSpec {
    return { kind: 'string_hashed', outputMode: encodedMode(args.outputMode, 'FeatureSpace.stringHashed'), numBins: positiveBins(numBins, 'numBins', 'FeatureSpace.stringHashed') };
  }
  /** The named features' preprocessed values crossed (HashedCrossing) into crossingDim bins. Keras: `cross` */
  static cross(featureNames: string[], crossingDim: number, args: Encoded = {}): CrossSpec {
    return { featureNames: [...featureNames], crossingDim: positiveBins(crossingDim, 'crossingDim', 'FeatureSpace.cross'), outputMode: encodedMode(args.outputMode, 'FeatureSpace.cross') };
  }

  constructor(args: FeatureSpaceArgs) {
    if (typeof args?.features !== 'object' || args.features === null || Object.keys(args.features).length === 0) {
      throw new ValueError("FeatureSpace: give the features by name. help: new k.utils.FeatureSpace({features: {age: 'float_normalized', city: 'string_categorical'}}).");
    }
    this.outputMode = args.outputMode ?? 'concat';
    if (this.outputMode !== 'concat' && this.outputMode !== 'dict') throw new ValueError(`FeatureSpace: \`outputMode\` must be 'concat' or 'dict', got ${JSON.stringify(args.outputMode)}. help: keep the default 'concat'.`);
    const defaults = {
      hashingDim: positiveBins(args.hashingDim ?? 32, 'hashingDim', 'FeatureSpace'),
      numDiscretizationBins: positiveBins(args.numDiscretizationBins ?? 32, 'numDiscretizationBins', 'FeatureSpace'),
    };
    this.features = Object.fromEntries(Object.entries(args.features).map(([name, f]) => [name, resolveFeature(name, f, defaults)]));
    this.crosses = resolveCrosses(args.crosses ?? [], positiveBins(args.crossingDim ?? 32, 'crossingDim', 'FeatureSpace'), this.features);
    this.names = Object.keys(this.features).sort();
    this.crossNames = this.crosses.map(crossName).sort();
    for (const name of this.names) this.addPreprocessor(name, this.features[name]);
    for (const c of this.crosses) this.layers.set(crossName(c), new HashedCrossing(c.crossingDim));
    for (const [name, f] of [...Object.entries(this.features), ...this.crosses.map((c) => [crossName(c), c] as const)]) {
      if (this.outputMode === 'concat' && f.outputMode === 'int') {
        throw new ValueError(`FeatureSpace: feature '${name}' has outputMode 'int', which cannot be concatenated with floats. help: use outputMode 'one_hot', or FeatureSpace's outputMode 'dict'.`);
      }
    }
  }

  private addPreprocessor(name: string, f: FeatureSpec): void {
    const set = (layer: Layer, adapts: boolean): void => {
      this.layers.set(name, layer);
      if (adapts) this.adaptable.add(name);
    };
    if (f.kind === 'float_normalized') set(new Normalization({ axis: -1 }), true);
    if (f.kind === 'integer_categorical') set(new IntegerLookup({ maxTokens: f.maxTokens, numOovIndices: f.numOovIndices }), true);
    if (f.kind === 'string_categorical') set(new StringLookup({ maxTokens: f.maxTokens, numOovIndices: f.numOovIndices }), true);
    if (f.kind === 'integer_hashed' || f.kind === 'string_hashed') set(new Hashing(f.numBins as number), false);
    if (f.kind === 'float_discretized') {
      const fixed = f.binBoundaries !== null && f.binBoundaries !== undefined;
      set(fixed ? new Discretization({ binBoundaries: f.binBoundaries }) : new Discretization({ numBins: f.numBins }), !fixed);
    }
  }

  /** Learns the normalizations, vocabularies and bins: from a record of whole columns, or batches (records) one by one. Keras: `adapt` */
  adapt(data: Record<string, Column> | Iterable<Record<string, Column>>): void {
    const batches = isRecord(data) ? [data] : [...(data as Iterable<Record<string, Column>>)];
    for (const name of this.adaptable) {
      const columns = batches.map((b, i) => {
        if (!(name in b)) throw new ValueError(`FeatureSpace.adapt: batch ${i} has no feature '${name}' (it has ${Object.keys(b).join(', ')}). help: give every feature's column.`);
        return b[name];
      });
      const layer = this.layers.get(name) as unknown as { adapt(d: tfc.Tensor[]): void };
      tfc.tidy(() => layer.adapt(columns.map((c) => asColumn(c, this.features[name], name))));
    }
    for (const encoder of this.encoders.values()) encoder.dispose();
    this.encoders.clear();
    this.adapted = true;
  }

  /** The encoded features of `data` (a record of columns, one row per sample); the tensors are the caller's. Keras: `__call__` */
  call(data: Record<string, Column>): tfc.Tensor | Record<string, tfc.Tensor> {
    if (!this.adapted && this.adaptable.size > 0) {
      throw new ValueError(`FeatureSpace: features ${[...this.adaptable].join(', ')} must be adapted first. help: featureSpace.adapt(trainingColumns) before calling it.`);
    }
    if (!isRecord(data)) throw new ValueError('FeatureSpace.call: expected a record of columns by feature name. help: featureSpace.call({age: [31, 45], city: ["Oslo", "Lima"]}).');
    if (this.encoders.size === 0) this.makeEncoders();
    return tfc.tidy(() => {
      const pre = new Map(this.names.map((name) => {
        if (!(name in data)) throw new ValueError(`FeatureSpace.call: no column '${name}' (got ${Object.keys(data).join(', ')}). help: give every feature's column.`);
        return [name, this.preprocess(name, asColumn(data[name], this.features[name], name))];
      }));
      for (const c of this.crosses) pre.set(crossName(c), this.layers.get(crossName(c))?.apply(c.featureNames.map((n) => pre.get(n) as tfc.Tensor)) as tfc.Tensor);
      const all = [...this.names, ...this.crossNames];
      const encoded = all.map((name) => {
        const encoder = this.encoders.get(name);
        return encoder === undefined ? (pre.get(name) as tfc.Tensor) : (encoder.apply(pre.get(name) as tfc.Tensor) as tfc.Tensor);
      });
      if (this.outputMode === 'dict') return Object.fromEntries(all.map((name, i) => [name, encoded[i]]));
      return tfc.concat(encoded.map((t) => tfc.cast(t, 'float32')), -1);
    });
  }

  /** The feature's preprocessed values: floats, or int32 indices for the encoded kinds. */
  private preprocess(name: string, x: tfc.Tensor): tfc.Tensor {
    const f = this.features[name];
    if (f.kind === 'float') return x;
    if (f.kind === 'float_rescaled') return tfc.add(tfc.mul(x, f.scale as number), f.offset as number);
    const out = this.layers.get(name)?.apply(x) as tfc.Tensor;
    return out.dtype === 'float32' || out.dtype === 'int32' ? out : tfc.cast(out, 'int32');
  }

  /** One multi-hot CategoryEncoding per 'one_hot' output, sized by its preprocessor's cardinality (Keras's rule). */
  private makeEncoders(): void {
    const cardinality = (name: string): number => {
      const layer = this.layers.get(name);
      if (layer instanceof IntegerLookup || layer instanceof StringLookup) return (layer as Lookup).vocabularySize();
      if (layer instanceof Discretization) return this.features[name].numBins as number; // Keras's num_bins
      return (layer as Hashing | HashedCrossing).numBins;
    };
    const specs: Array<[string, { outputMode: string }]> = [...this.names.map((n) => [n, this.features[n]] as [string, FeatureSpec]), ...this.crosses.map((c) => [crossName(c), c] as [string, CrossSpec])];
    for (const [name, spec] of specs) {
      if (spec.outputMode === 'one_hot') this.encoders.set(name, new CategoryEncoding({ numTokens: cardinality(name), outputMode: 'multi_hot' }));
    }
  }

  /** Frees the preprocessing layers' weights. */
  dispose(): void {
    for (const layer of [...this.layers.values(), ...this.encoders.values()]) layer.dispose();
  }
}

/** A column as a [batch, 1] tensor of the feature's dtype (made inside the caller's tidy). */
function asColumn(c: Column, f: FeatureSpec, name: string): tfc.Tensor {
  const dtype = f.kind.startsWith('string') ? 'string' : f.kind.startsWith('integer') ? 'int32' : 'float32';
  const t = c instanceof tfc.Tensor ? (c.dtype === dtype ? c : tfc.cast(c, dtype)) : tfc.tensor(c as number[], undefined, dtype);
  if (t.rank === 1) return tfc.expandDims(t, -1);
  if (t.rank === 2 && t.shape[1] === 1) return t;
  throw new ValueError(`FeatureSpace: the column '${name}' has shape [${t.shape}]; a feature is one value per sample. help: pass [batch] or [batch, 1] columns.`);
}

function isRecord(x: unknown): x is Record<string, Column> {
  return typeof x === 'object' && x !== null && !Array.isArray(x) && !(Symbol.iterator in x);
}
