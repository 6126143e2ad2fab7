/**
 * The IDX file format of MNIST (http-free: files the user already has): a magic number giving the
 * element type and the number of dimensions, the dimensions as big-endian int32, then the data.
 * Gzipped files (.gz) are recognized by their first bytes and inflated.
 */
import * as fs from 'fs';
import * as zlib from 'zlib';
import { ValueError } from '../engine/errors';

export interface IdxArray {
  shape: number[];
  data: Uint8Array;
}

const UBYTE = 0x08;

export function parseIdx(bytes: Uint8Array, source = 'IDX data'): IdxArray {
  const buf = bytes[0] === 0x1f && bytes[1] === 0x8b ? new Uint8Array(zlib.gunzipSync(bytes)) : bytes;
  if (buf.length < 4 || buf[0] !== 0 || buf[1] !== 0) {
    throw new ValueError(`${source}: not an IDX file (bad magic number). help: pass MNIST files such as train-images-idx3-ubyte(.gz).`);
  }
  if (buf[2] !== UBYTE) {
    throw new ValueError(`${source}: element type 0x${buf[2].toString(16)} is not supported; MNIST uses unsigned bytes (0x08).`);
  }
  const ndims = buf[3];
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const shape: number[] = [];
  for (let i = 0; i < ndims; i++) shape.push(view.getUint32(4 + 4 * i, false));
  const offset = 4 + 4 * ndims;
  const size = shape.reduce((a, b) => a * b, 1);
  if (buf.length - offset !== size) {
    throw new ValueError(`${source}: header says ${size} values of shape [${shape}] but the file holds ${buf.length - offset}. help: the file may be truncated.`);
  }
  return { shape, data: buf.subarray(offset) };
}

export function readIdx(file: string): IdxArray {
  return parseIdx(new Uint8Array(fs.readFileSync(file)), file);
}
