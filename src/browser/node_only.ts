/**
 * The browser build's stand-in for Node's built-in modules (fs, path, zlib, os, worker_threads,
 * ...) and the Node-only packages (sharp, resvg, tfjs-node-gpu): scripts/build_browser.js makes
 * each of them `nodeOnly(name)`. Importing one works, so a page loads keras-ts whole; calling any
 * of its functions throws a RuntimeError that names the module and function and says what a page
 * uses instead. Node never loads this file.
 */
import { RuntimeError } from '../engine/errors';

/** What a page uses instead of each Node-only module. */
const INSTEAD: Record<string, string> = {
  fs: "in a page, save with model.save('indexeddb://name' | 'localstorage://name' | 'downloads://model.keras') and load from a URL, 'indexeddb://name', a File, a Blob or the bytes",
  'fs/promises': 'in a page, read files the user picks (an <input type=file>) as a File or Blob',
  path: 'in a page, name models by URL or by an indexeddb:// or localstorage:// key',
  worker_threads: 'the image workers are Node-only; decode images in the page (createImageBitmap) and pass tensors',
  os: 'the browser does not expose the machine: pass the value (e.g. threads) yourself',
  sharp: 'decode images in the page (createImageBitmap, a canvas) and pass tensors or typed arrays',
  '@resvg/resvg-js': 'in a page, use the SVG itself (an <img> or the DOM renders it)',
  '@tensorflow/tfjs-node-gpu': "in a page, choose setBackend('webgl'), 'webgpu' or 'wasm'",
  pngjs: 'decode and encode PNG in the page (createImageBitmap, canvas.toBlob)',
  'cli-progress': 'the live terminal bar is Node-only; in a page fit writes its lines through the logger (k.utils.setLogger)',
};

function refusal(moduleName: string, member: string): RuntimeError {
  const help = INSTEAD[moduleName] ?? 'run this part of keras-ts in Node';
  return new RuntimeError(`Node-only: ${moduleName}.${member} is not available in the browser build of keras-ts. help: ${help}.`);
}

/**
 * A module object whose every function throws the refusal when called. Reading a member gives a
 * function (so code that only keeps a reference at import time loads); esbuild's ES-module
 * interop copies a module's own keys and keeps its prototype, so the members live on the prototype.
 */
export function nodeOnly(moduleName: string): object {
  const members = new Proxy(
    {},
    {
      get: (_target, member) => {
        if (typeof member !== 'string' || member === 'then' || member === '__esModule') return undefined;
        return (..._args: unknown[]): never => {
          throw refusal(moduleName, member);
        };
      },
    },
  );
  return Object.create(members) as object;
}
