import { ValueError } from '../engine/errors';
import { NameTable } from '../utils/names';
import { Constant, Ones, Zeros } from './constant';
import { Initializer } from './initializer';
import { Orthogonal } from './orthogonal';
import { Identity } from './identity';
import { STFT } from './stft';
import {
  GlorotNormal, GlorotUniform, HeNormal, HeUniform, LecunNormal, LecunUniform, RandomNormal,
  RandomUniform, TruncatedNormal, VarianceScaling,
} from './random';

export { Initializer } from './initializer';
export * from './constant';
export * from './random';
export { Orthogonal } from './orthogonal';
export type { OrthogonalArgs } from './orthogonal';
export { Identity } from './identity';
export { STFT } from './stft';
export type { STFTArgs, StftWindow } from './stft';

/** Keras snake_case names; camelCase and class names are accepted too. */
export type InitializerName =
  | 'glorot_uniform' | 'glorot_normal' | 'he_normal' | 'he_uniform' | 'lecun_normal' | 'lecun_uniform'
  | 'truncated_normal' | 'random_normal' | 'random_uniform' | 'zeros' | 'ones' | 'orthogonal' | 'identity' | 'stft'
  | 'glorotUniform' | 'glorotNormal' | 'heNormal' | 'heUniform' | 'truncatedNormal' | 'randomNormal' | 'randomUniform';

export type InitializerIdentifier = InitializerName | Initializer;

const TABLE = new NameTable<(config?: Record<string, unknown>) => Initializer>(
  'initializer',
  {
    glorot_uniform: (c) => new GlorotUniform(c),
    glorot_normal: (c) => new GlorotNormal(c),
    he_normal: (c) => new HeNormal(c),
    he_uniform: (c) => new HeUniform(c),
    lecun_normal: (c) => new LecunNormal(c),
    lecun_uniform: (c) => new LecunUniform(c),
    truncated_normal: (c) => new TruncatedNormal(c),
    random_normal: (c) => new RandomNormal(c),
    random_uniform: (c) => new RandomUniform(c),
    variance_scaling: (c) => new VarianceScaling(c),
    zeros: () => new Zeros(),
    ones: () => new Ones(),
    constant: (c) => new Constant(c),
    orthogonal: (c) => new Orthogonal(c),
    identity: (c) => new Identity(c),
    stft: (c) => new STFT(c),
  },
  { zero: 'zeros', one: 'ones', normal: 'random_normal', uniform: 'random_uniform', stft_initializer: 'stft' },
);

export function initializerNames(): string[] {
  return TABLE.names();
}

type Spec = { className: string; config: Record<string, unknown> };

/** An Initializer from a name, an instance, or its serialized form { className, config }. */
export function getInitializer(id: InitializerIdentifier | Spec | string, context: string): Initializer {
  if (id instanceof Initializer) return id;
  if (typeof id === 'object' && id !== null) return initializerFromConfig(id);
  return TABLE.get(id, context)();
}

/** Rebuilds an initializer from its serialized form { className, config }. */
export function initializerFromConfig(spec: { className: string; config: Record<string, unknown> }): Initializer {
  const config = Object.fromEntries(Object.entries(spec.config).filter(([, v]) => v !== null));
  const make = TABLE.get(spec.className, 'initializerFromConfig');
  const made = make(config);
  // null means "not set" (the default) except for the keys a class declares nullable (STFT's window and scaling)
  const nullable = (made.constructor as { nullableKeys?: readonly string[] }).nullableKeys ?? [];
  const nulls = nullable.filter((key) => spec.config[key] === null);
  return nulls.length === 0 ? made : make({ ...config, ...Object.fromEntries(nulls.map((key) => [key, null])) });
}

export function serializeInitializer(init: Initializer): { className: string; config: Record<string, unknown> } {
  return { className: init.className, config: init.getConfig() };
}

/**
 * An initializer from its serialized form: keras-ts's {className, config} or Keras 3's
 * {class_name, config} with snake_case keys. Keras: `deserialize`
 */
export function deserializeInitializer(config: { className?: string; class_name?: string; config?: Record<string, unknown> }): Initializer {
  const className = config?.className ?? config?.class_name;
  if (typeof className !== 'string') {
    throw new ValueError(`deserializeInitializer: expected {className, config} or Keras's {class_name, config}, got ${JSON.stringify(config)?.slice(0, 80)}. help: pass what serializeInitializer returned.`);
  }
  const values = Object.fromEntries(Object.entries(config.config ?? {}).map(([key, v]) => [key.replace(/_+([a-z0-9])/g, (_m, c: string) => c.toUpperCase()), v]));
  return initializerFromConfig({ className, config: values });
}
