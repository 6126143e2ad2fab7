/**
 * NumPy's .npy and .npz files, as Keras's datasets store them. A .npy is a magic string, a header
 * (a Python dict literal: descr, fortran_order, shape) and the raw little-endian values; an object
 * array (IMDB's and Reuters's lists of word indices) is a pickle after the header, read by the
 * restricted pickle reader (pickle.ts), as Keras's npz_utils reads it. A .npz is a zip of .npy files.
 */
import * as fs from 'fs';
import { FileFormatError } from '../engine/errors';
import { ZipArchive } from '../saving/io/zip_archive';
import type { TypedArray } from '../data/typed_arrays';
import { typedArrayOf } from './ndarray';
import { PickledArray, PickleValue, readPickle } from './pickle';

/** One array of a .npy file: typed values, or (dtype object) the list of its objects. */
export interface NpyArray {
  descr: string;
  shape: number[];
  data: TypedArray | PickleValue[];
}

/** A zip entry cannot declare more (its size field has 32 bits). */
const MAX_MEMBER_BYTES = 2 ** 32;

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

export function parseNpy(bytes: Uint8Array, what: string): NpyArray {
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b)) throw new FileFormatError(`${what}: not a .npy array (no \\x93NUMPY magic). help: the file is corrupt; delete it so that it is downloaded again.`);
  const major = bytes[6];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLen = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const start = major === 1 ? 10 : 12;
  const header = Buffer.from(bytes.subarray(start, start + headerLen)).toString('latin1');
  const descr = /'descr':\s*'([^']+)'/.exec(header)?.[1];
  const fortran = /'fortran_order':\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape':\s*\(([^)]*)\)/.exec(header)?.[1];
  if (descr === undefined || fortran === undefined || shapeText === undefined) {
    throw new FileFormatError(`${what}: the .npy header ${JSON.stringify(header.trim())} lacks descr, fortran_order or shape. help: the file is corrupt.`);
  }
  const shape = shapeText.split(',').map((s) => s.trim()).filter((s) => s !== '').map(Number);
  if (fortran === 'True' && shape.length > 1) throw new FileFormatError(`${what}: a Fortran-order array, which Keras's dataset files never hold. help: the file is not a Keras dataset file.`);
  const body = bytes.subarray(start + headerLen);
  const count = shape.reduce((a, b) => a * b, 1);
  if (descr.endsWith('O')) return { descr, shape, data: objects(readPickle(body, what), count, what) };
  return { descr, shape, data: typedArrayOf(body, { descr, count }, what) };
}

/** The objects of a pickled object array (np.save pickles the whole array). */
function objects(v: PickleValue, count: number, what: string): PickleValue[] {
  if (!(v instanceof PickledArray) || !Array.isArray(v.data) || v.data.length !== count) {
    throw new FileFormatError(`${what}: the pickled object array does not hold ${count} objects. help: the file is corrupt.`);
  }
  return v.data;
}

/** The arrays of the .npz file at `file`, by name (without `.npy`). Only `names` are parsed when given. */
export function loadNpz(file: string, what: string, names?: string[]): Map<string, NpyArray> {
  const zip = ZipArchive.open(new Uint8Array(fs.readFileSync(file)), `${what} (${file})`);
  const out = new Map<string, NpyArray>();
  for (const member of zip.names()) {
    if (!member.endsWith('.npy')) continue;
    const name = member.slice(0, -4);
    if (names !== undefined && !names.includes(name)) continue;
    // each member is inflated only when parsed (its declared size checked, its CRC-32 too)
    out.set(name, parseNpy(zip.read(member, MAX_MEMBER_BYTES, 'the 4 GiB limit of an .npz member'), `${what} (${file}: ${member})`));
  }
  for (const name of names ?? []) {
    if (!out.has(name)) throw new FileFormatError(`${what}: ${file} has no array '${name}' (it has ${[...out.keys()].join(', ') || 'none'}). help: delete the file so that it is downloaded again.`);
  }
  return out;
}
