/** Unique default names per prefix, as Keras gives them: dense, dense_1, dense_2, ... */
const counters = new Map<string, number>();
/** Names given explicitly (a layer loaded from a file keeps its name): default names skip them. */
const taken = new Set<string>();

export function uniqueName(prefix: string): string {
  for (;;) {
    const n = counters.get(prefix) ?? 0;
    counters.set(prefix, n + 1);
    const name = n === 0 ? prefix : `${prefix}_${n}`;
    if (!taken.has(name)) return name;
  }
}

/** Records a name given explicitly, so no later default name repeats it. */
export function takeName(name: string): void {
  taken.add(name);
}

/** Forgets every default and explicit name (clearSession): default names start again at 'dense'. */
export function resetNames(): void {
  counters.clear();
  taken.clear();
}

/** As Keras: 'BatchNormalization' -> 'batch_normalization', 'Conv2D' -> 'conv2d', 'MaxPooling2D' -> 'max_pooling2d'. */
export function toSnakeCase(className: string): string {
  return className
    .replace(/(.)([A-Z][a-z]+)/g, '$1_$2')
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .toLowerCase();
}
