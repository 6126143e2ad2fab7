/** keras-ts's version (Keras's `keras.version()`); the same number as package.json's and the `generated_by` of saved files. */
import { KERAS_TS_VERSION } from './saving/formats/versions';

export function version(): string {
  return KERAS_TS_VERSION;
}
