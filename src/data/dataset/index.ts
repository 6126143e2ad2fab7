export { Dataset } from './dataset';
export type { Batched, BatchOptions, MapOptions, ShuffleOptions } from './dataset';
export { INFINITE_CARDINALITY, UNKNOWN_CARDINALITY } from './cardinality';
export type { Element } from './structure';
export type { Slices, Sliced, NestedValues, GeneratorFn } from './from';
export type { MapFn, Predicate } from './transforms';
