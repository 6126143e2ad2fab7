/**
 * The variable store on HDF5, as Keras 3's H5IOStore: the variables of the object at `path` are the
 * datasets `path/vars/0`, `path/vars/1`, ... (used by .keras archives and .weights.h5 files).
 */
import { FileFormatError } from '../../engine/errors';
import type { H5Reader, H5Writer, NamedArray } from '../io/h5_file';
import type { VariableReader, VariableWriter } from '../keras_state';

export class H5StoreWriter implements VariableWriter {
  constructor(private readonly file: H5Writer) {}

  put(path: string, arrays: NamedArray[]): void {
    if (arrays.length === 0) return;
    this.file.group(`${path}/vars`);
    arrays.forEach((a, i) => this.file.dataset(`${path}/vars/${i}`, a.shape, a.data instanceof Float32Array ? a.data : Array.from(a.data), { int64: a.data instanceof Int32Array }));
  }
}

export class H5StoreReader implements VariableReader {
  constructor(private readonly file: H5Reader) {}

  private names(path: string): string[] {
    const group = `${path}/vars`;
    if (!this.file.isGroup(group)) return [];
    const keys = this.file.keys(group);
    const numbered = keys.filter((k) => /^\d+$/.test(k)).sort((a, b) => Number(a) - Number(b));
    if (numbered.length !== keys.length || numbered.some((k, i) => Number(k) !== i)) {
      throw new FileFormatError(`${this.file.what}: '${group}' should hold datasets 0..n-1, holds ${keys.slice(0, 10).join(', ')}. help: the file is corrupt.`);
    }
    return numbered.map((k) => `${group}/${k}`);
  }

  count(path: string): number {
    return this.names(path).length;
  }

  get(path: string, shapes: number[][]): NamedArray[] {
    const names = this.names(path);
    if (names.length !== shapes.length) {
      throw new FileFormatError(`${this.file.what}: '${path}' holds ${names.length} variables, expected ${shapes.length}. help: the file was saved from a different model.`);
    }
    return names.map((n, i) => this.file.readArray(n, shapes[i]));
  }
}
