/**
 * The browser's side of package.ts (scripts/build_browser.js swaps it in): tfjs-backend-wasm is
 * an `import()`, so it stays out of keras-ts.mjs and is fetched on the first `await
 * setBackend('wasm')` (or ready()); its .wasm binaries are fetched from beside the bundle, where
 * `npm run build:browser` copies them.
 */
import { BackendError } from '../../engine/errors';
import type { WasmPackage } from './package';

export type { WasmPackage } from './package';

let loaded: WasmPackage | undefined;

/** Fetches the package and tells it where its binaries are (the bundle's own folder). */
export async function loadWasmPackage(): Promise<void> {
  if (loaded !== undefined) return;
  const pkg = await import('@tensorflow/tfjs-backend-wasm');
  // @ts-ignore: import.meta is ES-module syntax, which tsc's CommonJS check refuses; only esbuild's ES-module build reads this file.
  const here = import.meta.url as string;
  pkg.setWasmPaths(new URL('./', here).href);
  loaded = pkg;
}

/** The package, once loadWasmPackage() has fetched it. */
export function wasmPackage(): WasmPackage {
  if (loaded === undefined) {
    throw new BackendError("wasm: tfjs-backend-wasm is fetched when the backend is first chosen, and it has not been yet. help: `await k.setBackend('wasm')` (or `await k.ready()`) first.");
  }
  return loaded;
}
