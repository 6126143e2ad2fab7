export { loadMnist, IMAGE_SIZE } from './mnist';
export type { MnistData, MnistSplit, LoadMnistOptions } from './mnist';
export { parseIdx, readIdx } from './idx';
export type { IdxArray } from './idx';
export { Dataset, INFINITE_CARDINALITY, UNKNOWN_CARDINALITY } from './dataset';
export type { Batched, BatchOptions, MapOptions, ShuffleOptions, Element, Slices, Sliced, NestedValues, GeneratorFn, MapFn, Predicate } from './dataset';
