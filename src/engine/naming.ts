/** Unique default names per prefix, as Keras gives them: dense, dense_1, dense_2, ... */
const counters = new Map<string, number>();

export function uniqueName(prefix: string): string {
  const n = counters.get(prefix) ?? 0;
  counters.set(prefix, n + 1);
  return n === 0 ? prefix : `${prefix}_${n}`;
}

/** As Keras: 'BatchNormalization' -> 'batch_normalization', 'Conv2D' -> 'conv2d', 'MaxPooling2D' -> 'max_pooling2d'. */
export function toSnakeCase(className: string): string {
  return className
    .replace(/(.)([A-Z][a-z]+)/g, '$1_$2')
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .toLowerCase();
}
