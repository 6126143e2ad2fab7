/**
 * `k.datasets.fashionMnist.loadData()`, Keras's fashion_mnist.load_data: Zalando's 70,000 28x28
 * images of 10 kinds of clothing, from Keras's four gzipped IDX files (cached under
 * `datasets/fashion-mnist`), as `[[xTrain, yTrain], [xTest, yTest]]` of uint8, [n, 28, 28] and [n].
 */
import * as fs from 'fs';
import * as zlib from 'zlib';
import { checkOptions } from '../engine/options';
import { FileFormatError } from '../engine/errors';
import { LoadDataResult, ShapedArray, shaped } from './ndarray';
import { datasetFile, DatasetSourceOptions, KERAS_DATASETS, SOURCE_KEYS } from './source';

export type FashionMnistLoadOptions = DatasetSourceOptions;

const FILES = ['train-labels-idx1-ubyte.gz', 'train-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz', 't10k-images-idx3-ubyte.gz'];

export async function loadData(opts: FashionMnistLoadOptions = {}): Promise<LoadDataResult<ShapedArray<Uint8Array>, ShapedArray<Uint8Array>>> {
  checkOptions('fashionMnist.loadData', opts, SOURCE_KEYS);
  const paths: string[] = [];
  for (const fname of FILES) paths.push(await datasetFile({ fname, origin: KERAS_DATASETS + fname, cacheSubdir: 'datasets/fashion-mnist' }, opts));
  const yTrain = payload(paths[0], 8);
  const xTrain = payload(paths[1], 16);
  const yTest = payload(paths[2], 8);
  const xTest = payload(paths[3], 16);
  return [
    [images(xTrain, yTrain.length, paths[1]), shaped(yTrain, [yTrain.length])],
    [images(xTest, yTest.length, paths[3]), shaped(yTest, [yTest.length])],
  ];
}

/** The bytes of a gzipped IDX file after its header, as Keras reads them (np.frombuffer(..., offset)). */
function payload(file: string, offset: number): Uint8Array {
  return new Uint8Array(zlib.gunzipSync(fs.readFileSync(file))).subarray(offset);
}

function images(bytes: Uint8Array, n: number, file: string): ShapedArray<Uint8Array> {
  if (bytes.length !== n * 784) throw new FileFormatError(`fashionMnist.loadData: ${file} holds ${bytes.length} pixels, not ${n} images of 28x28. help: delete the file so that it is downloaded again.`);
  return shaped(bytes, [n, 28, 28]);
}
