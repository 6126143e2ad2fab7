/** Data-parallel training over processes (MPI), as Keras's keras.distribution. */
export { DataParallel } from './data_parallel';
export type { DataParallelArgs, DataParallelStats } from './data_parallel';
export { setDistribution, distribution } from './distribution';
