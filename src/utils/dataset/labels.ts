/**
 * The labels of the folder loaders (imageDatasetFromDirectory, textDatasetFromDirectory), as Keras's
 * dataset_utils: the checks of `labels` / `labelMode` / `classNames` before the folder is indexed,
 * the checks of the labels found after, and the label tensor of a batch (labels_to_dataset):
 * 'int' int32 [n], 'categorical' float32 one-hot [n, classes], 'binary' float32 [n, 1]; unbatched,
 * the same without the first axis.
 */
import * as tfc from '@tensorflow/tfjs-core';
import { ValueError } from '../../engine/errors';
import type { IndexedFiles, IndexKind } from './index_directory';

export type LabelMode = 'int' | 'categorical' | 'binary';

/** What the label checks read: the options as given (labels already null when labelMode is null). */
export interface LabelArgs {
  labels: 'inferred' | null | number[];
  classNames: string[] | null;
  labelMode: LabelMode | null | undefined;
}

/** Keras's checks of `labels`, `classNames` and `labelMode`; the label mode resolved: null when there are no labels. */
export function checkLabelArgs(args: LabelArgs, kind: Pick<IndexKind, 'where' | 'noun'>): LabelMode | null {
  const { labels, classNames } = args;
  const { where, noun } = kind;
  if (labels !== 'inferred' && labels !== null) {
    if (!Array.isArray(labels) || !labels.every((v) => Number.isInteger(v) && v >= 0)) {
      throw new ValueError(`${where}: labels must be 'inferred', null or an array of integer labels (one per ${noun} file), got ${JSON.stringify(labels)}. help: pass labels: 'inferred' to take the classes from the subfolders.`);
    }
    if (classNames !== null) throw new ValueError(`${where}: classNames can only be given with labels: 'inferred' (with a labels list, the classes are its sorted values). help: leave classNames out.`);
  }
  if (labels === null && classNames !== null) throw new ValueError(`${where}: classNames cannot be given with labels: null (no labels). help: leave classNames out, or use labels: 'inferred'.`);
  const labelMode = args.labelMode === undefined ? 'int' : args.labelMode;
  if (labelMode !== null && !['int', 'categorical', 'binary'].includes(labelMode)) {
    throw new ValueError(`${where}: labelMode must be 'int', 'categorical', 'binary' or null, got ${JSON.stringify(labelMode)}. help: e.g. {labelMode: 'categorical'}.`);
  }
  return labels === null ? null : labelMode;
}

/** The labels found, checked against the label mode: 'binary' needs two classes, 'categorical' labels below the class count. */
export function checkFoundLabels(files: IndexedFiles, labelMode: LabelMode | null, where: string): void {
  if (labelMode === 'binary' && files.classNames!.length !== 2) {
    throw new ValueError(`${where}: labelMode 'binary' needs exactly 2 classes, got ${files.classNames!.length}: ${JSON.stringify(files.classNames)}. help: use labelMode 'int' or 'categorical' for more classes.`);
  }
  const numClasses = files.classNames?.length ?? 0;
  const outside = labelMode === 'categorical' ? files.labels!.find((v) => v >= numClasses) : undefined;
  if (outside !== undefined) {
    // tf.one_hot would give a row of zeros for it, silently.
    throw new ValueError(`${where}: labelMode 'categorical' needs labels 0..${numClasses - 1} (the ${numClasses} distinct labels given), got ${outside}. help: number the classes 0, 1, 2, ... in the labels list.`);
  }
}

/** The labels of a batch (or of one element): int32 [n], one-hot float32 [n, classes], or float32 [n, 1] for binary. */
export function labelTensor(values: number[], batched: boolean, mode: LabelMode, numClasses: number): tfc.Tensor {
  const n = values.length;
  if (mode === 'int') return batched ? tfc.tensor1d(values, 'int32') : tfc.scalar(values[0], 'int32');
  if (mode === 'binary') return tfc.tensor(values, batched ? [n, 1] : [1], 'float32');
  const hot = new Float32Array(n * numClasses);
  values.forEach((v, j) => (hot[j * numClasses + v] = 1));
  return tfc.tensor(hot, batched ? [n, numClasses] : [numClasses], 'float32');
}
