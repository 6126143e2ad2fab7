/** The format versions keras-ts writes, and its own. */
export const KERAS_VERSION = '3.6.0';
export const KERAS2_VERSION = '2.15.0';
export const KERAS_TS_VERSION = '0.1.0';
