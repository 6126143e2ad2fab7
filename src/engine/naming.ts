/** Unique default names per prefix, as Keras gives them: dense, dense_1, dense_2, ... */
const counters = new Map<string, number>();

export function uniqueName(prefix: string): string {
  const n = counters.get(prefix) ?? 0;
  counters.set(prefix, n + 1);
  return n === 0 ? prefix : `${prefix}_${n}`;
}

/** 'BatchNormalization' -> 'batch_normalization' */
export function toSnakeCase(className: string): string {
  return className
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z])([A-Z][a-z])/g, '$1_$2')
    .toLowerCase();
}
