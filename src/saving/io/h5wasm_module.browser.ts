/**
 * The browser's side of h5wasm_module.ts (scripts/build_browser.js swaps it in): h5wasm's ES
 * module (the HDF5 library with its WebAssembly embedded, 4 MB) is an `import()`, so it is a chunk
 * fetched the first time a page reads or writes an HDF5 file (.keras, .h5), not part of
 * keras-ts.mjs. Its diagnostics go to the page's console (the ES module takes no console of ours),
 * so the list here stays empty and errors carry the library's exception text only.
 */
import type { H5Module } from './h5wasm_module';

export type { H5Module } from './h5wasm_module';

interface Loaded {
  lib: H5Module;
  diagnostics: string[];
}

let loading: Promise<Loaded> | null = null;

async function instantiate(): Promise<Loaded> {
  const lib = (await import('h5wasm')) as unknown as H5Module;
  await lib.ready;
  return { lib, diagnostics: [] };
}

/** The h5wasm library, instantiated once per page (again after `discardH5wasm`). */
export async function h5wasm(): Promise<Loaded> {
  loading ??= instantiate();
  try {
    return await loading;
  } catch (e) {
    loading = null;
    throw e;
  }
}

/** Forgets the instance after an unexpected failure (the ES module itself stays loaded: one per page). */
export function discardH5wasm(): void {
  loading = null;
}
