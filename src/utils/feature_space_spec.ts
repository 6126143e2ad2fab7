/**
 * FeatureSpace's feature and cross descriptions (Keras's `Feature` and `Cross`), as plain data:
 * what kind a column is, its options, and how its output is encoded. The static factories on
 * FeatureSpace (`floatDiscretized`, `stringHashed`, `cross`, ...) make these; preset names
 * ('string_hashed', ...) resolve here with FeatureSpace's defaults (hashingDim,
 * numDiscretizationBins). No tensors, no layers.
 */
import { ValueError } from '../engine/errors';

export type FeatureKind =
  | 'float' | 'float_rescaled' | 'float_normalized' | 'float_discretized'
  | 'integer_categorical' | 'string_categorical' | 'integer_hashed' | 'string_hashed';

/** One feature's kind and options, as FeatureSpace.float() and friends make it. */
export interface FeatureSpec {
  kind: FeatureKind;
  /** 'one_hot' or 'int' for categorical, hashed and discretized features; 'float' for the others. */
  outputMode: 'one_hot' | 'int' | 'float';
  scale?: number;
  offset?: number;
  maxTokens?: number | null;
  numOovIndices?: number;
  /** Hashed: the hash bins; discretized: the bins adapt learns. */
  numBins?: number;
  /** Discretized: fixed bin edges (then nothing to adapt). */
  binBoundaries?: number[] | null;
}

/** A crossed feature (Keras's `Cross`): the named features' preprocessed values hashed together. */
export interface CrossSpec {
  featureNames: string[];
  crossingDim: number;
  outputMode: 'one_hot' | 'int';
}

export type FeaturePreset = FeatureKind;

/** The defaults a preset name takes from FeatureSpace's own options. */
export interface PresetDefaults {
  hashingDim: number;
  numDiscretizationBins: number;
}

export function presetFeature(kind: FeatureKind, d: PresetDefaults): FeatureSpec {
  switch (kind) {
    case 'float': case 'float_normalized': return { kind, outputMode: 'float' };
    case 'float_rescaled': return { kind, outputMode: 'float', scale: 1, offset: 0 };
    case 'float_discretized': return { kind, outputMode: 'one_hot', numBins: d.numDiscretizationBins, binBoundaries: null };
    case 'integer_categorical': case 'string_categorical': return { kind, outputMode: 'one_hot', maxTokens: null, numOovIndices: 1 };
    case 'integer_hashed': case 'string_hashed': return { kind, outputMode: 'one_hot', numBins: d.hashingDim };
  }
}

const KINDS: readonly FeatureKind[] = ['float', 'float_rescaled', 'float_normalized', 'float_discretized', 'integer_categorical', 'string_categorical', 'integer_hashed', 'string_hashed'];

export function resolveFeature(name: string, f: FeatureSpec | FeaturePreset, d: PresetDefaults): FeatureSpec {
  if (typeof f === 'string') {
    if (!KINDS.includes(f)) throw new ValueError(`FeatureSpace: feature '${name}' has unknown kind '${f}'. help: use one of ${KINDS.join(', ')}.`);
    return presetFeature(f, d);
  }
  if (typeof f !== 'object' || f === null || !KINDS.includes(f.kind)) {
    throw new ValueError(`FeatureSpace: feature '${name}' is not a feature spec, got ${JSON.stringify(f)}. help: use FeatureSpace.floatNormalized(), FeatureSpace.stringHashed(16), ... or a preset name.`);
  }
  return f;
}

/** Checks an encoded kind's outputMode ('one_hot' or 'int'). */
export function encodedMode(mode: unknown, owner: string): 'one_hot' | 'int' {
  const m = mode ?? 'one_hot';
  if (m !== 'one_hot' && m !== 'int') throw new ValueError(`${owner}: \`outputMode\` must be 'one_hot' or 'int', got ${JSON.stringify(mode)}. help: leave it out for 'one_hot'.`);
  return m;
}

export function positiveBins(n: unknown, what: string, owner: string): number {
  if (!(typeof n === 'number' && Number.isInteger(n) && n > 0)) throw new ValueError(`${owner}: \`${what}\` must be a positive integer, got ${JSON.stringify(n)}. help: e.g. ${what} 32.`);
  return n;
}

/** Crosses as given (CrossSpecs or lists of names, the latter with FeatureSpace's crossingDim), checked against the features. */
export function resolveCrosses(crosses: Array<CrossSpec | string[]>, crossingDim: number, features: Record<string, FeatureSpec>): CrossSpec[] {
  return crosses.map((c) => {
    const cross: CrossSpec = Array.isArray(c) ? { featureNames: [...c], crossingDim, outputMode: 'one_hot' } : c;
    const label = `FeatureSpace: the cross ${JSON.stringify(cross.featureNames)}`;
    if (!Array.isArray(cross.featureNames) || cross.featureNames.length < 2) {
      throw new ValueError(`${label} must name two or more features. help: crosses: [['city', 'code']] or FeatureSpace.cross(['city', 'code'], 32).`);
    }
    const unknown = cross.featureNames.filter((n) => !(n in features));
    if (unknown.length > 0) throw new ValueError(`${label} names features not in \`features\`: ${unknown.join(', ')}. help: cross only features listed in \`features\` (${Object.keys(features).join(', ')}).`);
    const floats = cross.featureNames.filter((n) => features[n].outputMode === 'float');
    if (floats.length > 0) throw new ValueError(`${label} includes float features (${floats.join(', ')}), which have no categories to cross. help: cross categorical, hashed or discretized features.`);
    positiveBins(cross.crossingDim, 'crossingDim', label);
    return cross;
  });
}

/** Keras's cross name: the feature names joined by '_X_'. */
export function crossName(c: CrossSpec): string {
  return c.featureNames.join('_X_');
}
