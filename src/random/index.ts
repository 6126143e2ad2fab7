/** `k.random`: Keras 3's `keras.random`, camelCased (see random_ops.ts). */
export { normal, uniform, truncatedNormal, categorical, randint, shuffle, dropout, gamma, beta, binomial } from './random_ops';
export type { RandomSeed, RandomOptions, NormalOptions, UniformOptions, SeedOptions, IntOptions, ShuffleOptions, DropoutOptions } from './random_ops';
export { SeedGenerator } from '../utils/random';
