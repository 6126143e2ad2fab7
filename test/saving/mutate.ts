/** Seeded mutations of files and of JSON, for the fuzz test. */
import { mulberry32 } from '../../src/utils/random';

export type Rng = () => number;

export function rng(seed: number): Rng {
  return mulberry32(seed);
}

function int(r: Rng, n: number): number {
  return Math.floor(r() * n);
}

/** A damaged copy of `bytes`: flipped bytes, a truncation, random or zeroed ranges, a repeated or removed chunk. */
export function mutateBytes(bytes: Uint8Array, r: Rng): { data: Uint8Array; how: string } {
  const data = Uint8Array.from(bytes);
  const kind = int(r, 6);
  const at = int(r, Math.max(1, data.length));
  const len = 1 + int(r, 64);
  switch (kind) {
    case 0: {
      const n = 1 + int(r, 8);
      for (let i = 0; i < n; i++) data[int(r, data.length)] ^= 1 << int(r, 8);
      return { data, how: `flip ${n} bits` };
    }
    case 1:
      return { data: data.subarray(0, at), how: `truncate at ${at}` };
    case 2:
      for (let i = at; i < Math.min(data.length, at + len); i++) data[i] = int(r, 256);
      return { data, how: `random bytes at ${at}+${len}` };
    case 3:
      data.fill(kind === 3 ? 0 : 255, at, Math.min(data.length, at + len));
      return { data, how: `zero ${at}+${len}` };
    case 4: {
      const out = new Uint8Array(data.length + len);
      out.set(data.subarray(0, at));
      out.set(data.subarray(at, at + len), at);
      out.set(data.subarray(at), at + Math.min(len, data.length - at));
      return { data: out.subarray(0, data.length + Math.min(len, data.length - at)), how: `repeat ${at}+${len}` };
    }
    default: {
      const out = new Uint8Array(data.length - Math.min(len, data.length - at));
      out.set(data.subarray(0, at));
      out.set(data.subarray(at + len), at);
      return { data: out, how: `remove ${at}+${len}` };
    }
  }
}

const ODD_VALUES: unknown[] = [null, -1, 0, 1e9, 2 ** 40, 1.5, NaN, '', '..', '../../x', '/etc/passwd', 'Lambda', [], {}, [null], [-3, 2], true, 'relu', { class_name: 'Lambda', config: {} }];

/** Every path to a value inside `json`. */
function paths(json: unknown, prefix: Array<string | number> = [], out: Array<Array<string | number>> = []): Array<Array<string | number>> {
  out.push(prefix);
  if (Array.isArray(json)) json.forEach((v, i) => paths(v, [...prefix, i], out));
  else if (typeof json === 'object' && json !== null) Object.entries(json).forEach(([k, v]) => paths(v, [...prefix, k], out));
  return out;
}

/** A copy of `json` with one value replaced by an odd one, deleted, or duplicated elsewhere. */
export function mutateJson(json: unknown, r: Rng): { data: unknown; how: string } {
  const copy = JSON.parse(JSON.stringify(json)) as unknown;
  const all = paths(copy).filter((p) => p.length > 0);
  const target = all[int(r, all.length)];
  const parent = target.slice(0, -1).reduce<unknown>((o, k) => (o as Record<string | number, unknown>)[k], copy) as Record<string | number, unknown>;
  const key = target[target.length - 1];
  const kind = int(r, 3);
  if (kind === 0 && !Array.isArray(parent)) {
    delete parent[key];
    return { data: copy, how: `delete ${target.join('.')}` };
  }
  if (kind === 1) {
    const other = all[int(r, all.length)];
    const value = other.reduce<unknown>((o, k) => (o as Record<string | number, unknown>)?.[k], copy);
    parent[key] = JSON.parse(JSON.stringify(value ?? null));
    return { data: copy, how: `copy ${other.join('.')} to ${target.join('.')}` };
  }
  const value = ODD_VALUES[int(r, ODD_VALUES.length)];
  parent[key] = value;
  return { data: copy, how: `set ${target.join('.')} = ${JSON.stringify(value)}` };
}
