export { loadMnist, IMAGE_SIZE } from './mnist';
export type { MnistData, MnistSplit, LoadMnistOptions } from './mnist';
export { parseIdx, readIdx } from './idx';
export type { IdxArray } from './idx';
