/**
 * A restricted reader of Python pickles, for exactly what Keras's dataset files hold (CIFAR's
 * batches: a dict of bytes keys, lists of ints and bytes, and a NumPy uint8 array; IMDB's and
 * Reuters's object arrays of lists of ints). A pickle is a program for a small stack machine; this
 * reader runs only the opcodes that build plain values (protocols 0-4: ints, floats, strings, bytes,
 * None, bools, tuples, lists, dicts, the memo) and knows exactly three callables, as Keras's own
 * RestrictedUnpickler allows them: `numpy.core.multiarray._reconstruct` (or `numpy._core...`),
 * `numpy.ndarray` and `numpy.dtype`, which it does not call but interprets as building an array.
 * Any other global, opcode, or use of them is refused: no code from a file ever runs.
 */
import { FileFormatError } from '../engine/errors';

/** A NumPy array rebuilt from a pickle: raw little-endian bytes, or the objects of an object array. */
export class PickledArray {
  shape: number[] = [];
  descr = '';
  fortran = false;
  data: Uint8Array | PickleValue[] = new Uint8Array(0);
}

/** A NumPy dtype rebuilt from a pickle. */
export class PickledDtype {
  constructor(public descr: string) {}
}

class Global {
  constructor(readonly name: string) {}
}

export type PickleValue = null | boolean | number | bigint | string | Uint8Array | PickleValue[] | PickleTuple | Map<PickleKey, PickleValue> | PickledArray | PickledDtype;
export type PickleKey = string | number;
/** A tuple (frozen array). */
export type PickleTuple = { readonly tuple: readonly unknown[] };

type Item = PickleValue | Global | typeof MARK;
const MARK = Symbol('mark');

const RECONSTRUCT = new Set(['numpy.core.multiarray._reconstruct', 'numpy._core.multiarray._reconstruct']);
const ALLOWED = new Set([...RECONSTRUCT, 'numpy.ndarray', 'numpy.dtype']);

/** The value the pickle in `bytes` builds (see the module header). */
export function readPickle(bytes: Uint8Array, what: string): PickleValue {
  return new Machine(bytes, what).run();
}

class Machine {
  private pos = 0;
  private stack: Item[] = [];
  private readonly memo = new Map<number, Item>();
  private readonly view: DataView;

  constructor(
    private readonly bytes: Uint8Array,
    private readonly what: string,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  run(): PickleValue {
    for (;;) {
      if (this.pos >= this.bytes.length) throw this.bad('the pickle ends without its STOP opcode');
      const op = this.bytes[this.pos++];
      if (op === 0x2e) return this.value(this.pop()); // STOP '.'
      this.step(op);
    }
  }

  /** One opcode: a dispatch table, one line per opcode. */
  private step(op: number): void {
    const c = String.fromCharCode(op);
    switch (c) {
      case '\x80': this.pos += 1; return; // PROTO
      case '\x95': this.pos += 8; return; // FRAME
      case '(': this.stack.push(MARK); return;
      case 'N': this.stack.push(null); return;
      case '\x88': this.stack.push(true); return;
      case '\x89': this.stack.push(false); return;
      case 'K': this.stack.push(this.u8()); return; // BININT1
      case 'M': this.stack.push(this.u16()); return; // BININT2
      case 'J': this.stack.push(this.i32()); return; // BININT
      case 'I': this.stack.push(intLine(this.line())); return; // INT (I00/I01 are False/True)
      case 'L': this.stack.push(Number(this.line().replace(/L$/, ''))); return; // LONG (text)
      case '\x8a': this.stack.push(this.long1()); return; // LONG1
      case 'G': this.stack.push(this.f64()); return; // BINFLOAT
      case 'U': this.stack.push(this.take(this.u8())); return; // SHORT_BINSTRING: bytes, as Keras reads with encoding='bytes'
      case 'T': this.stack.push(this.take(this.u32())); return; // BINSTRING
      case 'C': this.stack.push(this.take(this.u8())); return; // SHORT_BINBYTES
      case 'B': this.stack.push(this.take(this.u32())); return; // BINBYTES
      case '\x8e': this.stack.push(this.take(this.u64())); return; // BINBYTES8
      case '\x8c': this.stack.push(utf8(this.take(this.u8()))); return; // SHORT_BINUNICODE
      case 'X': this.stack.push(utf8(this.take(this.u32()))); return; // BINUNICODE
      case '\x8d': this.stack.push(utf8(this.take(this.u64()))); return; // BINUNICODE8
      case ')': this.stack.push({ tuple: [] }); return;
      case '\x85': this.stack.push({ tuple: this.popN(1) }); return;
      case '\x86': this.stack.push({ tuple: this.popN(2) }); return;
      case '\x87': this.stack.push({ tuple: this.popN(3) }); return;
      case 't': this.stack.push({ tuple: this.popMark(true) }); return;
      case ']': this.stack.push([]); return;
      case 'l': this.stack.push(this.popMark()); return;
      case '}': this.stack.push(new Map()); return;
      case 'd': this.stack.push(toDict(this.popMark(), this)); return;
      case 'a': { const v = this.value(this.pop()); this.list().push(v); return; } // APPEND
      case 'e': { const vs = this.popMark(); this.list().push(...vs); return; } // APPENDS
      case 's': { const v = this.value(this.pop()); const key = this.value(this.pop()); this.setItems([key, v]); return; }
      case 'u': this.setItems(this.popMark()); return; // SETITEMS
      case 'q': this.memo.set(this.u8(), this.top()); return; // BINPUT
      case 'r': this.memo.set(this.u32(), this.top()); return; // LONG_BINPUT
      case 'p': this.memo.set(Number(this.line()), this.top()); return; // PUT
      case '\x94': this.memo.set(this.memo.size, this.top()); return; // MEMOIZE
      case 'h': this.stack.push(this.get(this.u8())); return; // BINGET
      case 'j': this.stack.push(this.get(this.u32())); return; // LONG_BINGET
      case 'g': this.stack.push(this.get(Number(this.line()))); return; // GET
      case 'c': this.stack.push(this.global(`${this.line()}.${this.line()}`)); return; // GLOBAL
      case '\x93': { const name = this.value(this.pop()); const mod = this.value(this.pop()); this.stack.push(this.global(`${String(mod)}.${String(name)}`)); return; }
      case 'R': this.reduce(); return;
      case 'b': this.build(); return;
      default:
        throw this.bad(`opcode 0x${op.toString(16).padStart(2, '0')} at byte ${this.pos - 1} is not one a Keras dataset file uses`);
    }
  }

  private global(name: string): Global {
    if (!ALLOWED.has(name)) throw this.bad(`refusing to load the Python global '${name}' (only NumPy arrays are rebuilt; the file may be corrupted or malicious)`);
    return new Global(name);
  }

  /** callable(*args): only _reconstruct(ndarray, ...) and dtype(descr, ...). */
  private reduce(): void {
    const args = this.pop();
    const fn = this.pop();
    const tuple = isTuple(args) ? args.tuple : null;
    if (fn instanceof Global && tuple !== null && RECONSTRUCT.has(fn.name) && tuple[0] instanceof Global && tuple[0].name === 'numpy.ndarray') {
      this.stack.push(new PickledArray());
    } else if (fn instanceof Global && tuple !== null && fn.name === 'numpy.dtype' && (typeof tuple[0] === 'string' || tuple[0] instanceof Uint8Array)) {
      const descr = tuple[0];
      this.stack.push(new PickledDtype(typeof descr === 'string' ? descr : latin1(descr)));
    } else {
      throw this.bad(`refusing a call of ${fn instanceof Global ? fn.name : 'a non-callable'} with these arguments`);
    }
  }

  /** obj.__setstate__(state) for the two NumPy objects. */
  private build(): void {
    const state = this.value(this.pop());
    const obj = this.top();
    const s = isTuple(state) ? state.tuple : null;
    const order = s !== null && s.length >= 2 ? (s[1] instanceof Uint8Array ? latin1(s[1]) : s[1]) : null; // bytes in Python 2's pickles
    if (obj instanceof PickledDtype && typeof order === 'string') {
      if (order === '>' && !/^[|]?[ub]1$/.test(obj.descr)) throw this.bad(`a big-endian dtype ('${obj.descr}')`);
      return;
    }
    if (obj instanceof PickledArray && s !== null && s.length === 5 && isTuple(s[1]) && s[2] instanceof PickledDtype) {
      const data = s[4];
      if (!(data instanceof Uint8Array || Array.isArray(data))) throw this.bad('an array whose data is neither bytes nor a list');
      obj.shape = s[1].tuple.map((d) => Number(d));
      obj.descr = s[2].descr;
      obj.fortran = s[3] === true || s[3] === 1;
      obj.data = data as Uint8Array | PickleValue[];
      return;
    }
    throw this.bad('refusing to set the state of an object that is not a NumPy array or dtype');
  }

  private setItems(items: PickleValue[]): void {
    const dict = this.top();
    if (!(dict instanceof Map)) throw this.bad('SETITEMS on something that is not a dict');
    for (let i = 0; i + 1 < items.length; i += 2) dict.set(key(items[i], this), items[i + 1]);
  }

  private list(): PickleValue[] {
    const l = this.top();
    if (!Array.isArray(l)) throw this.bad('APPEND on something that is not a list');
    return l;
  }

  private top(): Item {
    if (this.stack.length === 0) throw this.bad('the stack is empty');
    return this.stack[this.stack.length - 1];
  }

  private pop(): Item {
    const v = this.top();
    this.stack.pop();
    return v;
  }

  /** The top `n` items, for a tuple (which may hold a global: _reconstruct's first argument). */
  private popN(n: number): unknown[] {
    if (this.stack.length < n) throw this.bad('the stack is too short');
    const items = this.stack.splice(this.stack.length - n, n);
    if (items.includes(MARK)) throw this.bad('a MARK inside a tuple');
    return items;
  }

  /** The items above the last MARK: values, or for a tuple (`globals`) values and globals. */
  private popMark(globals: true): unknown[];
  private popMark(): PickleValue[];
  private popMark(globals = false): unknown[] {
    const at = this.stack.lastIndexOf(MARK);
    if (at < 0) throw this.bad('no MARK on the stack');
    const items = this.stack.splice(at).slice(1);
    return globals ? items.map((v) => (v instanceof Global ? v : this.value(v))) : items.map((v) => this.value(v));
  }

  private get(i: number): Item {
    if (!this.memo.has(i)) throw this.bad(`memo entry ${i} is used before it is set`);
    return this.memo.get(i) as Item;
  }

  /** An item as a value: marks and bare globals are not values. */
  value(v: Item): PickleValue {
    if (v === MARK || v instanceof Global) throw this.bad('a MARK or a global where a value belongs');
    return v;
  }

  private take(n: number): Uint8Array {
    if (this.pos + n > this.bytes.length) throw this.bad(`a string of ${n} bytes runs past the end`);
    const out = this.bytes.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  private line(): string {
    const end = this.bytes.indexOf(0x0a, this.pos);
    if (end < 0) throw this.bad('a text argument without its newline');
    const text = latin1(this.bytes.subarray(this.pos, end));
    this.pos = end + 1;
    return text;
  }

  private u8(): number {
    return this.take(1)[0];
  }

  private u16(): number {
    const v = this.view.getUint16(this.pos, true);
    this.pos += 2;
    return v;
  }

  private i32(): number {
    this.need(4);
    const v = this.view.getInt32(this.pos, true);
    this.pos += 4;
    return v;
  }

  private u32(): number {
    this.need(4);
    const v = this.view.getUint32(this.pos, true);
    this.pos += 4;
    return v;
  }

  private u64(): number {
    this.need(8);
    const v = this.view.getBigUint64(this.pos, true);
    this.pos += 8;
    if (v > BigInt(this.bytes.length)) throw this.bad(`a length of ${v} bytes runs past the end`);
    return Number(v);
  }

  private f64(): number {
    this.need(8);
    const v = this.view.getFloat64(this.pos, false);
    this.pos += 8;
    return v;
  }

  /** LONG1: a little-endian two's-complement integer of n bytes. */
  private long1(): number | bigint {
    const b = this.take(this.u8());
    let v = 0n;
    for (let i = b.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[i]);
    if (b.length > 0 && (b[b.length - 1] & 0x80) !== 0) v -= 1n << BigInt(8 * b.length);
    return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
  }

  private need(n: number): void {
    if (this.pos + n > this.bytes.length) throw this.bad('the pickle is truncated');
  }

  bad(why: string): FileFormatError {
    return new FileFormatError(`${this.what}: ${why}. help: the file is corrupt or not a Keras dataset file; delete it so that it is downloaded again.`);
  }
}

function isTuple(v: unknown): v is PickleTuple {
  return typeof v === 'object' && v !== null && 'tuple' in v;
}

function key(v: PickleValue, m: Machine): PickleKey {
  if (typeof v === 'string' || typeof v === 'number') return v;
  if (v instanceof Uint8Array) return latin1(v); // Keras decodes CIFAR's bytes keys
  throw m.bad('a dict key that is not a string or a number');
}

function toDict(items: PickleValue[], m: Machine): Map<PickleKey, PickleValue> {
  const out = new Map<PickleKey, PickleValue>();
  for (let i = 0; i + 1 < items.length; i += 2) out.set(key(items[i], m), items[i + 1]);
  return out;
}

function intLine(text: string): number | boolean {
  if (text === '00') return false;
  if (text === '01') return true;
  return Number(text);
}

function latin1(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('latin1');
}

function utf8(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('utf8');
}
