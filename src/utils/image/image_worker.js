/**
 * The entry of one image worker (./image_workers starts them): plain JavaScript, so the same file runs
 * from src/ (ts-node, Jest) and from dist/ (scripts/build.js copies it next to the compiled modules).
 * It loads ./load_bilinear (no tfjs-core) and runs loadBilinearBatch for each job (a list of files)
 * posted to it, writing the images' float32 pixels straight into the batch's SharedArrayBuffer: in
 * one call of the native addon where it loads (read, decode, resize on this thread), else through
 * sharp, several jobs in flight at once (sharp decodes on libuv's pool while this thread resizes
 * another image). Each job is answered once with its id, and the error's name and message when one
 * of its files failed (a ValueError naming the file).
 */
'use strict';
const fs = require('fs');
const path = require('path');
const { parentPort } = require('worker_threads');

// From dist/ the compiled module sits next to this file; from src/ only the TypeScript does: compile it on load as ts-node does.
if (!fs.existsSync(path.join(__dirname, 'load_bilinear.js')) && require.extensions['.ts'] === undefined) {
  require('ts-node').register({ transpileOnly: true, projectSearchDir: __dirname });
}
const { loadBilinearBatch } = require('./load_bilinear');

// What the decoder learns of the files this worker sees (./decode's DecodeHint): a speed hint, never a change of pixels.
const hint = { smallPng: false };

parentPort.on('message', (job) => {
  const out = new Float32Array(job.buffer);
  loadBilinearBatch(job.files, { ...job.spec, hint }, job.where, out, job.offsets).then(
    () => parentPort.postMessage({ id: job.id }),
    (e) => parentPort.postMessage({ id: job.id, error: { name: e && e.name, message: e && e.message ? e.message : String(e) } }),
  );
});
