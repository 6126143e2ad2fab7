/** What the preprocessing layers' adapt() reads: a tensor, nested arrays, or an iterable of batches. */
import * as tfc from '@tensorflow/tfjs-core';
import { ValueError } from '../../engine/errors';

/** A tensor, nested arrays, a list of tensors (batches), or any iterable of batches (a generator). */
export type AdaptData = tfc.Tensor | tfc.TensorLike | Iterable<tfc.Tensor | tfc.TensorLike>;

function isBatchList(data: AdaptData): data is Iterable<tfc.Tensor | tfc.TensorLike> {
  if (Array.isArray(data)) return data.length > 0 && data.every((b) => b instanceof tfc.Tensor);
  if (data instanceof tfc.Tensor || ArrayBuffer.isView(data)) return false;
  return typeof (data as Iterable<unknown>)?.[Symbol.iterator] === 'function' && typeof data !== 'string';
}

/** The data as batches (one batch when it is a single tensor or array); tensors made here are disposed by the caller's tidy. */
export function adaptBatches(data: AdaptData, where: string, dtype?: tfc.DataType): tfc.Tensor[] {
  if (data === undefined || data === null) throw new ValueError(`${where}: adapt needs data. help: pass a tensor, an array, or a list of batches.`);
  const list = isBatchList(data) ? [...data] : [data];
  return list.map((b) => (b instanceof tfc.Tensor ? b : tfc.tensor(b as tfc.TensorLike, undefined, dtype)));
}
