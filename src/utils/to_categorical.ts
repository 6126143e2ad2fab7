/**
 * Keras's `to_categorical`: integer class labels to one-hot rows, as a float32 Tensor2D
 * [n, numClasses] (Keras returns a 2-D array). The labels may be a number array, a typed array, a
 * 1-D tensor, or a [n, 1] column (array or tensor), which Keras squeezes. The caller owns the result.
 */
import * as tfc from '@tensorflow/tfjs-core';
import { ensureRegistered } from '../backend/backend';
import { ValueError } from '../engine/errors';

/** Class indices: one per sample, flat or as a [n, 1] column. */
export type CategoricalLabels = ArrayLike<number> | ArrayLike<ArrayLike<number>> | tfc.Tensor1D | tfc.Tensor2D;

/** One-hot rows for integer labels, as Keras's to_categorical: a float32 tensor [n, numClasses]. */
export function toCategorical(labels: CategoricalLabels, numClasses?: number): tfc.Tensor2D {
  const values = labelValues(labels);
  if (numClasses !== undefined && !(Number.isInteger(numClasses) && numClasses > 0)) {
    throw new ValueError(`toCategorical: numClasses must be a positive integer, got ${numClasses}. help: pass the number of classes, e.g. 10.`);
  }
  if (numClasses === undefined && values.length === 0) {
    throw new ValueError('toCategorical: no labels, and no numClasses to size the rows. help: pass labels, or numClasses for an empty [0, numClasses] result.');
  }
  let classes = numClasses ?? 0;
  if (numClasses === undefined) for (let i = 0; i < values.length; i++) classes = Math.max(classes, values[i] + 1);
  const out = new Float32Array(values.length * classes);
  for (let i = 0; i < values.length; i++) {
    const c = values[i];
    if (!Number.isInteger(c) || c < 0 || c >= classes) {
      throw new ValueError(`toCategorical: label ${c} at index ${i} is not an integer in [0, ${classes}). help: pass class indices, or a larger numClasses.`);
    }
    out[i * classes + c] = 1;
  }
  ensureRegistered(); // the first keras-ts call of a program may be this one: it makes a tensor
  return tfc.tensor2d(out, [values.length, classes], 'float32');
}

/** The labels as one flat list, after checking their shape is [n] or [n, 1]. */
function labelValues(labels: CategoricalLabels): ArrayLike<number> {
  if (labels instanceof tfc.Tensor) {
    const column = labels.rank === 2 && labels.shape[1] === 1;
    if (!(labels.rank === 1 || column) || !(labels.dtype === 'int32' || labels.dtype === 'float32')) {
      throw new ValueError(
        `toCategorical: labels must be a 1-D (or [n, 1]) int32 or float32 tensor of class indices, got ${labels.dtype} of shape [${labels.shape.join(', ')}]. ` +
          'help: pass one class index per sample, e.g. tf.tensor1d([2, 0, 1], "int32").',
      );
    }
    return labels.dataSync();
  }
  if (labels === null || typeof labels !== 'object' || typeof labels.length !== 'number') {
    throw new ValueError(`toCategorical: labels must be an array, typed array or tensor of class indices, got ${String(labels)}. help: e.g. toCategorical([2, 0, 1], 3).`);
  }
  if (labels instanceof BigInt64Array || labels instanceof BigUint64Array) {
    throw new ValueError('toCategorical: labels are a BigInt array, which holds no JavaScript numbers. help: convert them, e.g. Int32Array.from(labels, Number).');
  }
  if (ArrayBuffer.isView(labels)) return labels as ArrayLike<number>;
  const rows = labels as ArrayLike<number | ArrayLike<number>>;
  const out = new Array<number>(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    if (typeof row === 'number') out[i] = row;
    else if (row !== null && typeof row === 'object' && row.length === 1) out[i] = row[0];
    else {
      throw new ValueError(`toCategorical: label at index ${i} is ${JSON.stringify(row)}, not a class index or a one-element row. help: pass [2, 0, 1] or [[2], [0], [1]].`);
    }
  }
  return out;
}
