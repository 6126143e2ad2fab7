// One thread of tfjs-backend-wasm's threaded build under Node's worker_threads (see threads.ts).
// Emscripten's pthread worker code supports Node, but tfjs hands it its scripts as Blob URLs,
// which Node's Worker and the worker's importScripts cannot load: this file is the worker's
// script, and in it the main script's Blob URL resolves to the same script's file.
'use strict';
const script = require.resolve('@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.js');
URL.createObjectURL = () => script;
URL.revokeObjectURL = () => undefined;
// Emscripten's worker code, run in this module's scope (it uses require and __filename). Its
// string literals hold raw newlines, which tfjs escapes the same way before making its Blob.
const { wasmWorkerContents } = require('@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.worker.js');
eval(wasmWorkerContents.replace(/\n/g, '\\n'));
