/**
 * Typed errors. Every message names the object, the bad value and the fix (after "help:").
 */
export class KerasError extends Error {
  override name = 'KerasError';
}

/** A value of the right type but the wrong content (a negative size, an unknown name, a bad shape). */
export class ValueError extends KerasError {
  override name = 'ValueError';
}

/** A call made in the wrong state, e.g. fit before compile, or fit while fit is running. */
export class RuntimeError extends KerasError {
  override name = 'RuntimeError';
}

/** The backend could not be chosen or loaded. */
export class BackendError extends KerasError {
  override name = 'BackendError';
}

/** Training produced a NaN or infinite loss. */
export class NaNLossError extends KerasError {
  override name = 'NaNLossError';
}

/** A file is not what its format says: corrupt, truncated, or holding values that do not fit. */
export class FileFormatError extends KerasError {
  override name = 'FileFormatError';
}
