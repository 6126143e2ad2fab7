/**
 * A dataset's number of elements, as tf.data counts it: a count when known, INFINITE_CARDINALITY
 * for an endless dataset (repeat()), UNKNOWN_CARDINALITY when it depends on the data (a generator,
 * filter, unbatch). Each operator's rule is tf.data's.
 */

/** tf.data.INFINITE_CARDINALITY: the dataset never ends. */
export const INFINITE_CARDINALITY = -1;
/** tf.data.UNKNOWN_CARDINALITY: the count is known only by iterating. */
export const UNKNOWN_CARDINALITY = -2;

const known = (n: number): boolean => n >= 0;

/** batch(size): ceil, or floor when the remainder is dropped. */
export function batchCardinality(n: number, size: number, dropRemainder: boolean): number {
  if (!known(n)) return n;
  return dropRemainder ? Math.floor(n / size) : Math.ceil(n / size);
}

/** take(count): a negative count takes everything. */
export function takeCardinality(n: number, count: number): number {
  if (count < 0) return n;
  if (n === UNKNOWN_CARDINALITY) return UNKNOWN_CARDINALITY;
  if (n === INFINITE_CARDINALITY) return count;
  return Math.min(n, count);
}

/** skip(count): a negative count skips everything. */
export function skipCardinality(n: number, count: number): number {
  if (!known(n)) return n;
  return count < 0 ? 0 : Math.max(0, n - count);
}

/** repeat(count): endless when count is undefined (or negative), unless the dataset is empty. */
export function repeatCardinality(n: number, count: number | undefined): number {
  if (count === undefined || count < 0) return n === 0 ? 0 : INFINITE_CARDINALITY;
  if (count === 0) return 0;
  return known(n) ? n * count : n;
}
