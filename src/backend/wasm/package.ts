/**
 * How the wasm profile gets tfjs-backend-wasm. In Node: require()d when the backend registers,
 * its .wasm binaries read from node_modules. The browser build swaps in package.browser.ts, which
 * fetches the package as a chunk when setBackend('wasm') is awaited and points it at the binaries
 * beside the bundle.
 */
import type * as tfjsWasm from '@tensorflow/tfjs-backend-wasm';

export type WasmPackage = typeof tfjsWasm;

/** Nothing to do before register() in Node: the package is require()d synchronously. */
export async function loadWasmPackage(): Promise<void> {}

/** The package, loaded (which registers tfjs's own 'wasm' backend, as for any user). */
export function wasmPackage(): WasmPackage {
  return require('@tensorflow/tfjs-backend-wasm') as WasmPackage;
}
