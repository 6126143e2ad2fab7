/** Turning integer ids into one-hot, multi-hot, count or TF-IDF vectors, as Keras's encode_categorical_inputs. */
import * as tfc from '@tensorflow/tfjs-core';
import { ValueError } from '../../engine/errors';
import { Shape } from '../../engine/symbolic_tensor';

export type EncodeMode = 'one_hot' | 'multi_hot' | 'count' | 'tf_idf';

/**
 * ids [..., N] -> [..., depth]: multi_hot marks the ids present in each row, count counts them,
 * tf_idf weighs the counts by `idf`; one_hot encodes each id ([..., 1] or [...] -> [..., depth]).
 * A 1-D input is one sample. Ids outside [0, depth) are refused.
 */
export function encodeIds(ids: tfc.Tensor, mode: EncodeMode, depth: number, owner: string, idf?: tfc.Tensor): tfc.Tensor {
  const values = ids.dataSync();
  for (let i = 0; i < values.length; i++) {
    if (!(values[i] >= 0 && values[i] < depth)) {
      throw new ValueError(`${owner}: the input holds the value ${values[i]}, outside [0, ${depth}). help: every id must be below numTokens (${depth}); raise it, or map the ids first.`);
    }
  }
  return tfc.tidy(() => {
    let x = tfc.cast(ids, 'int32');
    if (mode === 'one_hot') {
      if (x.rank > 1 && x.shape[x.rank - 1] === 1) x = tfc.squeeze(x, [-1]);
      return oneHot(x, depth);
    }
    if (x.rank > 2) throw new ValueError(`${owner}: inputs of rank ${x.rank} are not supported for '${mode}' output (at most 2: (batch, tokens)). help: reshape the ids.`);
    const hot = oneHot(x, depth);
    const axis = x.rank - 1;
    if (mode === 'multi_hot') return tfc.max(hot, axis);
    const counts = tfc.sum(hot, axis);
    return mode === 'tf_idf' && idf ? tfc.mul(counts, idf) : counts;
  });
}

/** The shape encodeIds gives for input `shape`. */
export function encodedShape(shape: Shape, mode: EncodeMode | 'int', depth: number): Shape {
  if (mode === 'int') return shape;
  if (mode === 'one_hot') return shape.length > 1 && shape[shape.length - 1] === 1 ? [...shape.slice(0, -1), depth] : [...shape, depth];
  return [...shape.slice(0, -1), depth];
}

/** One-hot as float32 (wasm's OneHot writes int32 whatever dtype is asked, so ask for int32 and cast). */
function oneHot(x: tfc.Tensor, depth: number): tfc.Tensor {
  return tfc.cast(tfc.oneHot(x, depth, 1, 0, 'int32'), 'float32');
}
