export { setRandomSeed } from './random';
export { toCategorical } from './to_categorical';
export { plotModel, modelToDot } from './plot_model';
export type { PlotModelArgs } from './plot_model';
export { plotHistory, historySpec } from './plot_history';
export type { PlotHistoryArgs, HistoryLike } from './plot_history';
export { registerKerasSerializable } from '../saving/registry';
export type { RegisterOptions } from '../saving/registry';
