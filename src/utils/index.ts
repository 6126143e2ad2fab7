export { setRandomSeed } from './random';
export { toCategorical } from './to_categorical';
