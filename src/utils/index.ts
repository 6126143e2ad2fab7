export { setRandomSeed } from './random';
export { toCategorical } from './to_categorical';
export { registerKerasSerializable } from '../saving/registry';
export type { RegisterOptions } from '../saving/registry';
