/**
 * Keras's `pack_x_y_sample_weight` / `unpack_x_y_sample_weight`: the tuple a data element is, as a
 * JavaScript array ([x], [x, y] or [x, y, sampleWeight], the form fit reads from datasets). A lone x
 * that is not an array is returned as itself; an array x alone is wrapped as [x] so it stays one input.
 */
import { ValueError } from '../engine/errors';

/** x, y and sampleWeight as one data element, as Keras's pack_x_y_sample_weight. */
export function packXYSampleWeight<X, Y = never, W = never>(x: X, y?: Y, sampleWeight?: W): X | [X] | [X, Y] | [X, Y, W] {
  if (y === undefined) return Array.isArray(x) ? [x] : x;
  if (sampleWeight === undefined) return [x, y];
  return [x, y, sampleWeight];
}

/** A data element's [x, y, sampleWeight], undefined where absent, as Keras's unpack_x_y_sample_weight. */
export function unpackXYSampleWeight(data: unknown): [unknown, unknown, unknown] {
  if (!Array.isArray(data)) return [data, undefined, undefined];
  if (data.length >= 1 && data.length <= 3) return [data[0], data[1], data[2]];
  throw new ValueError(
    `unpackXYSampleWeight: data is an array of ${data.length} items; it must be [x], [x, y] or [x, y, sampleWeight]. ` +
      'help: pack several inputs as one array inside the tuple, e.g. [[x1, x2], y].',
  );
}
