/** Reading the arrays of Keras's own .h5 fixtures in tests, with keras-ts's HDF5 reader (h5wasm). */
import * as fs from 'fs';
import * as tfc from '@tensorflow/tfjs-core';
import { H5Reader } from '../src/saving/io/h5_file';

export async function openH5(file: string): Promise<H5Reader> {
  return H5Reader.open(new Uint8Array(fs.readFileSync(file)), file);
}

/** The dataset at `name` as a float32 tensor of its shape. */
export function tensorOf(f: H5Reader, name: string): tfc.Tensor {
  const a = f.readArray(name);
  return tfc.tensor(Array.from(a.data), a.shape, 'float32');
}
