/**
 * Loads h5wasm (the HDF5 C library compiled to WebAssembly), the library behind every HDF5 file
 * keras-ts reads or writes.
 *
 * Why it is loaded this way: h5wasm is published as ES modules only, which neither Jest nor
 * ts-node (CommonJS) can import. Its package also ships one self-contained script
 * (dist/iife/h5wasm.js: the library with its WebAssembly embedded, no file or network access),
 * which is evaluated here with its own `console`, so the HDF5 library's diagnostics become part of
 * our error messages instead of going to stderr. Files are handed to it as bytes in its in-memory
 * file system: HDF5 never opens a path on disk, so it cannot read outside the folder it was given.
 */
import * as fs from 'fs';
import * as path from 'path';
import type * as H5 from 'h5wasm';
import { RuntimeError } from '../../engine/errors';

export type H5Module = typeof H5;

interface Loaded {
  lib: H5Module;
  /** Diagnostics the HDF5 library printed since the last `takeDiagnostics()`. */
  diagnostics: string[];
}

let loading: Promise<Loaded> | null = null;
let bundleSource: string | null = null;

function findBundle(): string {
  const rel = path.join('h5wasm', 'dist', 'iife', 'h5wasm.js');
  const dirs = require.resolve.paths('h5wasm') ?? [];
  for (const dir of dirs) {
    const file = path.join(dir, rel);
    if (fs.existsSync(file)) return file;
  }
  throw new RuntimeError(`h5wasm is not installed (looked for ${rel} in ${dirs.join(', ')}). help: run npm install.`);
}

async function instantiate(): Promise<Loaded> {
  bundleSource ??= fs.readFileSync(findBundle(), 'utf8');
  const diagnostics: string[] = [];
  const sink = (...args: unknown[]): void => {
    diagnostics.push(args.map(String).join(' '));
    if (diagnostics.length > 200) diagnostics.splice(0, diagnostics.length - 200);
  };
  const quietConsole = { log: sink, error: sink, warn: sink, info: sink, debug: sink };
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  const lib = new Function('console', `${bundleSource}\nreturn h5wasm;`)(quietConsole) as H5Module;
  await lib.ready;
  return { lib, diagnostics };
}

/** The h5wasm library, instantiated once per process (again after `discardH5wasm`). */
export async function h5wasm(): Promise<Loaded> {
  loading ??= instantiate();
  try {
    return await loading;
  } catch (e) {
    loading = null;
    throw e;
  }
}

/**
 * Drops the current instance, so the next call makes a fresh one. Called after the library failed
 * in an unexpected way (a WebAssembly trap), which may leave its state unusable.
 */
export function discardH5wasm(): void {
  loading = null;
}
