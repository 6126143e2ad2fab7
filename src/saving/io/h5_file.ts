/**
 * HDF5 files as keras-ts uses them, on h5wasm: a reader that checks what it reads (groups exist,
 * datasets have the shape and type asked for, strings are strings) and a writer of groups,
 * string attributes and float datasets. Both work on bytes in memory; any failure of the HDF5
 * library becomes a FileFormatError that names the file and the object.
 */
import { FileFormatError, KerasError } from '../../engine/errors';
import type { LoadBudget } from '../load_budget';
import { discardH5wasm, h5wasm, H5Module } from './h5wasm_module';

/** The eight bytes every HDF5 file starts with (at offset 0, 512, 1024, ...). */
const SIGNATURE = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];

export function isHdf5(bytes: Uint8Array): boolean {
  for (let offset = 0; offset + 8 <= bytes.length && offset <= 1 << 20; offset = offset === 0 ? 512 : offset * 2) {
    if (SIGNATURE.every((b, i) => bytes[offset + i] === b)) return true;
  }
  return false;
}

/** A dense array read from a file: row-major values and their shape. */
export interface NamedArray {
  name: string;
  shape: number[];
  /** float32 for weights; int32/float64 for counters. */
  data: Float32Array | Int32Array | Float64Array;
}

let fileCounter = 0;
/** Names in-memory files per process (a page has no process: 0). */
const PROCESS_TAG = typeof process === 'undefined' ? 0 : process.pid;

type H5Group = InstanceType<H5Module['Group']>;
type H5Dataset = InstanceType<H5Module['Dataset']>;
type H5File = InstanceType<H5Module['File']>;

/** Runs an h5wasm call; failures become FileFormatError (a WebAssembly trap also resets the library). */
function guarded<T>(what: string, diagnostics: string[], fn: () => T): T {
  const before = diagnostics.length;
  try {
    return fn();
  } catch (e) {
    if (e instanceof KerasError) throw e;
    if ((e as Error)?.name === 'RuntimeError') discardH5wasm(); // a WebAssembly trap
    const detail = diagnostics.slice(before).find((l) => /major|minor|error/i.test(l))?.trim();
    throw new FileFormatError(`${what}: the HDF5 library could not read it (${(e as Error).message}${detail ? `; ${detail}` : ''}). help: the file is corrupt or not a Keras HDF5 file.`);
  }
}

export class H5Reader {
  private constructor(
    private readonly lib: H5Module,
    private readonly file: H5File,
    private readonly memPath: string,
    /** The file's name, for messages. */
    readonly what: string,
    private readonly diagnostics: string[],
    /** The file's size in bytes (what its datasets can hold at most). */
    private readonly fileBytes?: number,
  ) {}

  /** Opens HDF5 bytes (refused with a clear error unless they are an HDF5 file). */
  static async open(bytes: Uint8Array, what: string): Promise<H5Reader> {
    if (!isHdf5(bytes)) {
      throw new FileFormatError(`${what}: not an HDF5 file (no HDF5 signature in its ${bytes.length} bytes). help: pass a Keras .h5 / .weights.h5 file.`);
    }
    const { lib, diagnostics } = await h5wasm();
    const memPath = `/read-${PROCESS_TAG}-${fileCounter++}.h5`;
    const fsys = lib.FS as unknown as { writeFile(p: string, d: Uint8Array): void; unlink(p: string): void };
    fsys.writeFile(memPath, bytes);
    try {
      const file = guarded(what, diagnostics, () => new lib.File(memPath, 'r'));
      if (!(file.file_id >= 0n)) throw new FileFormatError(`${what}: the HDF5 library could not open it. help: the file is corrupt or truncated.`);
      return new H5Reader(lib, file, memPath, what, diagnostics, bytes.length);
    } catch (e) {
      fsys.unlink(memPath);
      throw e;
    }
  }

  close(): void {
    guarded(this.what, this.diagnostics, () => this.file.close());
    (this.lib.FS as unknown as { unlink(p: string): void }).unlink(this.memPath);
  }

  private entity(path: string): unknown {
    if (path === '' || path === '/') return this.file;
    return guarded(`${this.what} (${path})`, this.diagnostics, () => this.file.get(path));
  }

  private group(path: string): H5Group | null {
    const e = this.entity(path);
    return e instanceof this.lib.Group ? (e as H5Group) : null;
  }

  isGroup(path: string): boolean {
    return this.group(path) !== null;
  }

  isDataset(path: string): boolean {
    return this.entity(path) instanceof this.lib.Dataset;
  }

  /** The names inside a group ([] when it is not one). */
  keys(path: string): string[] {
    const g = this.group(path);
    return g === null ? [] : guarded(`${this.what} (${path})`, this.diagnostics, () => g.keys());
  }

  /** The attributes of a group or dataset (read once: h5wasm lists every name on each access). */
  private attrsOf(path: string): Record<string, { json_value: unknown }> | undefined {
    const g = this.entity(path) as H5Group | H5Dataset | null;
    if (g === null || g === undefined || !(g instanceof this.lib.Group || g instanceof this.lib.Dataset)) return undefined;
    return guarded(`${this.what} (${path} attributes)`, this.diagnostics, () => g.attrs as unknown as Record<string, { json_value: unknown }>);
  }

  private attrValue(path: string, name: string, attrs = this.attrsOf(path)): unknown {
    if (attrs === undefined || !Object.prototype.hasOwnProperty.call(attrs, name)) return undefined;
    return guarded(`${this.what} (${path} attribute ${name})`, this.diagnostics, () => attrs[name].json_value);
  }

  hasAttr(path: string, name: string): boolean {
    return this.attrValue(path, name) !== undefined;
  }

  /** A scalar string attribute, or undefined when absent. */
  stringAttr(path: string, name: string): string | undefined {
    const v = this.attrValue(path, name);
    if (v === undefined) return undefined;
    const s = Array.isArray(v) && v.length === 1 ? v[0] : v;
    if (typeof s !== 'string') throw new FileFormatError(`${this.what}: attribute '${name}' of '${path || '/'}' should be a string, got ${describe(v)}.`);
    return s;
  }

  /**
   * A list-of-strings attribute (fixed-length or variable-length), also when Keras split it into
   * `name0`, `name1`, ... because it was too large for one attribute. Undefined when absent.
   */
  stringListAttr(path: string, name: string): string[] | undefined {
    const attrs = this.attrsOf(path);
    let v = this.attrValue(path, name, attrs);
    if (v === undefined) {
      const parts: unknown[] = [];
      for (let i = 0; ; i++) {
        const part = this.attrValue(path, `${name}${i}`, attrs);
        if (part === undefined) break;
        if (Array.isArray(part)) for (const x of part) parts.push(x);
        else parts.push(part);
      }
      if (parts.length === 0) return undefined;
      v = parts;
    }
    const list = Array.isArray(v) ? v : [v];
    if (!list.every((s) => typeof s === 'string')) {
      throw new FileFormatError(`${this.what}: attribute '${name}' of '${path || '/'}' should be a list of strings, got ${describe(v)}.`);
    }
    return list as string[];
  }

  /**
   * A dataset's values. With `expectedShape`, the dataset must have exactly that shape (checked
   * before anything is read); its type must be a float (16, 32 or 64 bits) or integer type. Integers
   * are read exactly: a value that float32 cannot hold exactly (beyond 2^24) is refused, except in
   * a scalar (a step counter), which is read as float64 up to 2^53.
   */
  readArray(path: string, expectedShape?: number[]): NamedArray {
    const ds = this.entity(path);
    if (!(ds instanceof this.lib.Dataset)) throw new FileFormatError(`${this.what}: no dataset '${path}'. help: the file does not hold the weights this model needs.`);
    const where = `${this.what} (${path})`;
    const { shape, meta } = guarded(where, this.diagnostics, () => ({ shape: (ds as H5Dataset).shape ?? [], meta: (ds as H5Dataset).metadata }));
    if (expectedShape !== undefined && (shape.length !== expectedShape.length || shape.some((d, i) => d !== expectedShape[i]))) {
      throw new FileFormatError(`${this.what}: dataset '${path}' has shape [${shape}], expected [${expectedShape}]. help: the file was saved from a different model.`);
    }
    const isFloat = meta.type === 1 && [2, 4, 8].includes(meta.size);
    const isInt = meta.type === 0 && [1, 2, 4, 8].includes(meta.size);
    if (!isFloat && !isInt) throw new FileFormatError(`${this.what}: dataset '${path}' is not numeric (HDF5 type class ${meta.type}, size ${meta.size}). help: only float and integer arrays are weights.`);
    const count = shape.reduce((a, b) => a * b, 1);
    if (this.fileBytes !== undefined && count * meta.size > this.fileBytes * MAX_FILTER_RATIO) {
      throw new FileFormatError(`${this.what}: dataset '${path}' declares ${count * meta.size} bytes in a file of ${this.fileBytes}. help: the file is corrupt or hostile.`);
    }
    if (isFloat && meta.size === 2) return { name: path, shape, data: this.readFloat16(ds as H5Dataset, path, count, meta.littleEndian !== false) };
    const raw = guarded(where, this.diagnostics, () => (ds as H5Dataset).value);
    const values = ArrayBuffer.isView(raw) ? (raw as unknown as ArrayLike<number | bigint>) : typeof raw === 'number' || typeof raw === 'bigint' ? [raw] : null;
    if (values === null || values.length !== count) {
      throw new FileFormatError(`${this.what}: dataset '${path}' holds ${values?.length ?? 'no'} values for shape [${shape}]. help: the file is corrupt.`);
    }
    if (isFloat) return { name: path, shape, data: Float32Array.from(values as ArrayLike<number>) };
    const limit = shape.length === 0 ? Number.MAX_SAFE_INTEGER : 2 ** 24;
    const data = shape.length === 0 ? new Float64Array(count) : new Int32Array(count);
    for (let i = 0; i < count; i++) {
      const v = values[i];
      const n = Number(v);
      if (!(n >= -limit && n <= limit)) {
        throw new FileFormatError(
          `${this.what}: dataset '${path}' holds the integer ${String(v)} at index ${i}, which ${shape.length === 0 ? 'a float64 counter' : 'float32 weights'} cannot hold exactly (limit ${limit}). help: the file is corrupt, or store the weights as floats.`,
        );
      }
      data[i] = n;
    }
    return { name: path, shape, data };
  }

  /** A float16 dataset (h5wasm has no float16 view): its raw bytes read from the library, then widened. */
  private readFloat16(ds: H5Dataset, path: string, count: number, littleEndian: boolean): Float32Array {
    const mod = (this.lib as unknown as { Module: H5Raw }).Module;
    const ptr = mod._malloc(Math.max(2 * count, 1));
    if (!ptr) throw new FileFormatError(`${this.what}: no memory for dataset '${path}' (${2 * count} bytes). help: the file is too large to read here.`);
    try {
      guarded(`${this.what} (${path})`, this.diagnostics, () => mod.get_dataset_data(ds.file_id, path, null, null, null, BigInt(ptr)));
      const view = new DataView(mod.HEAPU8.buffer, ptr, 2 * count);
      const out = new Float32Array(count);
      for (let i = 0; i < count; i++) out[i] = float16ToNumber(view.getUint16(2 * i, littleEndian));
      return out;
    } finally {
      mod._free(ptr);
    }
  }

  /**
   * Refuses a file whose datasets declare more bytes than the file can hold: unfiltered data must lie
   * in the file (sparse or never-written chunks read as fill values and cost memory the file does not
   * pay for); compressed data may not exceed deflate's ratio. Walks every object (bounded) before a
   * model is built from the file; returns the bytes the datasets take once read.
   */
  checkDeclaredSizes(budget?: LoadBudget): number {
    const fileBytes = this.fileBytes ?? Infinity;
    let plain = 0;
    let filtered = 0;
    let largest = { path: '', bytes: 0 };
    let visited = 0;
    const stack: Array<[string, number]> = [['', 0]];
    while (stack.length > 0) {
      const [path, depth] = stack.pop() as [string, number];
      for (const key of this.keys(path)) {
        const child = path === '' ? key : `${path}/${key}`;
        if (++visited > MAX_OBJECTS || depth > MAX_DEPTH) {
          throw new FileFormatError(`${this.what}: more than ${MAX_OBJECTS} objects or ${MAX_DEPTH} levels of groups (links that loop?). help: the file is corrupt or hostile.`);
        }
        const e = this.entity(child);
        if (e instanceof this.lib.Group) stack.push([child, depth + 1]);
        else if (e instanceof this.lib.Dataset) {
          const { meta, filters } = guarded(`${this.what} (${child})`, this.diagnostics, () => ({ meta: (e as H5Dataset).metadata, filters: (e as H5Dataset).filters }));
          const bytes = (meta.total_size ?? 0) * meta.size;
          if (Array.isArray(filters) && filters.length > 0) filtered += bytes;
          else plain += bytes;
          if (bytes > largest.bytes) largest = { path: child, bytes };
        }
      }
      budget?.checkTime(this.what);
    }
    if (plain > fileBytes || filtered > fileBytes * MAX_FILTER_RATIO) {
      throw new FileFormatError(
        `${this.what}: its datasets declare ${plain + filtered} bytes (the largest, '${largest.path}', ${largest.bytes}) in a file of ${fileBytes} bytes: ` +
          'their data was never written (sparse chunks). help: the file is corrupt or hostile; save the model again.',
      );
    }
    budget?.spend(plain + filtered, `${this.what}: its datasets`);
    return plain + filtered;
  }
}

/** Deflate's largest expansion, about 1032:1 (HDF5's gzip filter); beyond it a dataset's size is a lie. */
const MAX_FILTER_RATIO = 1100;
const MAX_OBJECTS = 1_000_000;
const MAX_DEPTH = 64;

interface H5Raw {
  _malloc(n: number): number;
  _free(p: number): void;
  HEAPU8: Uint8Array;
  get_dataset_data(fileId: bigint, path: string, count: null, offset: null, strides: null, ptr: bigint): number;
}

/** An IEEE 754 half-precision value from its 16 bits. */
export function float16ToNumber(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exp = (bits >> 10) & 0x1f;
  const frac = bits & 0x3ff;
  if (exp === 0) return sign * 2 ** -14 * (frac / 1024);
  if (exp === 31) return frac ? NaN : sign * Infinity;
  return sign * 2 ** (exp - 15) * (1 + frac / 1024);
}

export class H5Writer {
  private constructor(
    private readonly lib: H5Module,
    private readonly file: H5File,
    private readonly memPath: string,
    private readonly what: string,
    private readonly diagnostics: string[],
  ) {}

  static async create(what: string): Promise<H5Writer> {
    const { lib, diagnostics } = await h5wasm();
    const memPath = `/write-${PROCESS_TAG}-${fileCounter++}.h5`;
    const file = guarded(what, diagnostics, () => new lib.File(memPath, 'w'));
    return new H5Writer(lib, file, memPath, what, diagnostics);
  }

  private node(path: string): H5Group {
    if (path === '' || path === '/') return this.file;
    return this.file.get(path) as H5Group;
  }

  /** Creates a group and any missing parents ('a/b/c'). */
  group(path: string): void {
    guarded(this.what, this.diagnostics, () => {
      let current = '';
      for (const part of path.split('/').filter((p) => p !== '')) {
        const next = current === '' ? part : `${current}/${part}`;
        if (this.file.get(next) === null) this.node(current).create_group(part);
        current = next;
      }
    });
  }

  /** A scalar string attribute (variable-length UTF-8, as h5py writes a Python str). */
  stringAttr(path: string, name: string, value: string): void {
    guarded(this.what, this.diagnostics, () => this.node(path).create_attribute(name, value));
  }

  /**
   * A list of strings as fixed-length byte strings (numpy's `S` type), as Keras writes
   * `layer_names` and `weight_names`; an empty list is written as an empty float array, as h5py does.
   */
  stringListAttr(path: string, name: string, values: string[], opts: { variableLength?: boolean } = {}): void {
    guarded(this.what, this.diagnostics, () => {
      if (values.length === 0) {
        this.node(path).create_attribute(name, new Float64Array(0), [0], '<d');
        return;
      }
      const width = Math.max(1, ...values.map((v) => new TextEncoder().encode(v).length));
      this.node(path).create_attribute(name, values, [values.length], opts.variableLength ? 'S' : `S${width}`);
    });
  }

  /** A float32 dataset (or int64 with `int64`), creating parent groups; shape [] is a scalar. */
  dataset(path: string, shape: number[], data: Float32Array | number[], opts: { int64?: boolean } = {}): void {
    const parent = path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '';
    if (parent !== '') this.group(parent);
    const name = path.slice(path.lastIndexOf('/') + 1);
    guarded(this.what, this.diagnostics, () => {
      const values = opts.int64 ? BigInt64Array.from(Array.from(data, (v) => BigInt(Math.round(v)))) : Float32Array.from(data);
      this.node(parent).create_dataset({ name, data: values, shape, dtype: opts.int64 ? '<q' : '<f' });
    });
  }

  /** Runs `fill` on a new writer and returns the file's bytes; on failure the in-memory file is dropped. */
  static async bytes(what: string, fill: (file: H5Writer) => void): Promise<Uint8Array> {
    const file = await H5Writer.create(what);
    try {
      fill(file);
    } catch (e) {
      file.discard();
      throw e;
    }
    return file.finish();
  }

  private discard(): void {
    try {
      this.file.close();
    } catch {
      // the file may be unusable; it is dropped below either way
    }
    (this.lib.FS as unknown as { unlink(p: string): void }).unlink(this.memPath);
  }

  /** Closes the file and returns its bytes. */
  finish(): Uint8Array {
    const fsys = this.lib.FS as unknown as { readFile(p: string): Uint8Array; unlink(p: string): void };
    try {
      guarded(this.what, this.diagnostics, () => this.file.close());
      return fsys.readFile(this.memPath);
    } finally {
      fsys.unlink(this.memPath);
    }
  }
}

function describe(v: unknown): string {
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 80 ? `${s.slice(0, 80)}...` : s;
}
