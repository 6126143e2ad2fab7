#!/usr/bin/env node
/**
 * `npm run build:browser`: the browser build of keras-ts, dist/browser/keras-ts.mjs (one ES module,
 * minified, with its source map), the same src/index.ts as the Node build. What a page cannot run
 * is swapped at bundle time:
 * - a module with a `<name>.browser.ts` beside it is replaced by that file (the browser's way to
 *   load h5wasm, inflate zip entries, start wasm);
 * - Node's built-in modules (fs, path, zlib, os, worker_threads, ...) and the Node-only packages
 *   (sharp, resvg, tfjs-node-gpu) become src/browser/node_only.ts's stand-in: importing works,
 *   calling any of their functions throws "Node-only: ... help: ...".
 * Packages a page loads only when it uses them (tfjs's wasm, WebGL and WebGPU backends, h5wasm,
 * Graphviz, Vega) are imported with `import()` in src/, so they land in chunks under
 * dist/browser/chunks/, fetched on first use, and stay out of keras-ts.mjs. tfjs-backend-wasm's
 * .wasm binaries are copied beside the bundle, where the wasm profile points tfjs (setWasmPaths).
 * Prints the sizes (minified and gzipped) of keras-ts.mjs and of every chunk. `--outdir <folder>`
 * writes elsewhere.
 */
'use strict';
const fs = require('fs');
const path = require('path');
const zlib = require('zlib');
const { builtinModules } = require('module');

const root = path.join(__dirname, '..');
const at = process.argv.indexOf('--outdir');
/** dist/browser, or `--outdir <folder>` (the page test builds its own copy, which `npm run build` cannot remove under it). */
const OUT = at > 0 ? path.resolve(process.argv[at + 1]) : path.join(root, 'dist', 'browser');
const NODE_ONLY_PACKAGES = ['sharp', '@resvg/resvg-js', '@tensorflow/tfjs-node-gpu', 'cli-progress', 'pngjs'];
const NODE_ONLY = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`), ...NODE_ONLY_PACKAGES]);
const STAND_IN = path.join(root, 'src', 'browser', 'node_only.ts');

/** Node's built-ins and the Node-only packages -> node_only.ts; `x.ts` -> `x.browser.ts` where it exists. */
const browserSwaps = {
  name: 'keras-ts-browser',
  setup(build) {
    build.onResolve({ filter: /.*/ }, (args) => {
      if (NODE_ONLY.has(args.path)) return { path: args.path, namespace: 'node-only' };
      if (!args.path.startsWith('.') || !args.resolveDir.startsWith(path.join(root, 'src'))) return undefined;
      const swapped = path.resolve(args.resolveDir, `${args.path}.browser.ts`);
      return fs.existsSync(swapped) && swapped !== args.importer ? { path: swapped } : undefined; // a swap may import its Node twin's types
    });
    build.onLoad({ filter: /.*/, namespace: 'node-only' }, (args) => ({
      contents: `module.exports = require(${JSON.stringify(STAND_IN)}).nodeOnly(${JSON.stringify(args.path.replace(/^node:/, ''))});`,
      resolveDir: root,
      loader: 'js',
    }));
  },
};

function copyWasmBinaries() {
  const dir = path.join(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist');
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.wasm'));
  for (const f of files) fs.copyFileSync(path.join(dir, f), path.join(OUT, f));
  return files;
}

/** The package (or src/) an input file belongs to. */
function owner(input) {
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input);
  return m ? m[1] : 'keras-ts src/';
}

/** Each output's size, minified and gzipped, and what it mostly holds. */
function report(metafile) {
  const kb = (n) => `${(n / 1024).toFixed(0)} KB`;
  const rows = Object.entries(metafile.outputs)
    .filter(([f]) => f.endsWith('.mjs'))
    .map(([f, out]) => {
      const bytes = fs.readFileSync(path.resolve(root, f));
      const by = new Map();
      for (const [input, { bytesInOutput }] of Object.entries(out.inputs)) by.set(owner(input), (by.get(owner(input)) ?? 0) + bytesInOutput);
      const main = [...by.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 're-exports';
      return { file: path.relative(OUT, path.resolve(root, f)), min: bytes.length, gz: zlib.gzipSync(bytes, { level: 9 }).length, main };
    })
    .sort((a, b) => b.min - a.min);
  for (const r of rows) console.log(`  ${r.file.padEnd(34)} ${kb(r.min).padStart(9)} minified ${kb(r.gz).padStart(8)} gzipped  (mostly ${r.main})`);
  // What a page fetches on import: keras-ts.mjs and the chunks it imports statically (shared code).
  const entry = Object.keys(metafile.outputs).find((f) => f.endsWith('keras-ts.mjs'));
  const initial = new Set();
  const visit = (f) => {
    if (initial.has(f)) return;
    initial.add(f);
    for (const i of metafile.outputs[f].imports) if (i.kind === 'import-statement') visit(i.path);
  };
  visit(entry);
  const sum = (key) => rows.filter((r) => initial.has(path.relative(root, path.resolve(OUT, r.file)))).reduce((n, r) => n + r[key], 0);
  console.log(`  on import, a page fetches keras-ts.mjs and ${initial.size - 1} shared chunks: ${kb(sum('min'))} minified, ${kb(sum('gz'))} gzipped; the rest on first use.`);
}

async function main() {
  const esbuild = require('esbuild');
  if (!fs.existsSync(path.join(root, 'src', 'backend', 'tfjs_gradients.generated.js'))) {
    require('child_process').execFileSync(process.execPath, [path.join(__dirname, 'bundle_tfjs_gradients.js')], { stdio: 'inherit' });
  }
  fs.rmSync(OUT, { recursive: true, force: true });
  const result = await esbuild.build({
    entryPoints: { 'keras-ts': path.join(root, 'src', 'index.ts') },
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: process.env.KERAS_BROWSER_MINIFY !== '0',
    keepNames: true, // class names are Keras's: layer names ('dense_1'), summaries and saved configs use them
    sourcemap: true,
    sourcesContent: false, // the maps point into src/ and node_modules/ (shipped beside dist/) instead of copying them: 41 MB -> a few
    outdir: OUT,
    outExtension: { '.js': '.mjs' },
    chunkNames: 'chunks/[name]-[hash]',
    plugins: [browserSwaps],
    metafile: true,
    legalComments: 'linked',
    logLevel: 'warning',
    absWorkingDir: root,
    define: { 'process.env': '{}' }, // what src/ reads from the environment is unset in a page
  });
  if (result.errors.length > 0) process.exit(1);
  const wasm = copyWasmBinaries();
  console.log(`build:browser: ${path.join(OUT, 'keras-ts.mjs')} written (+ ${wasm.length} .wasm binaries of tfjs-backend-wasm):`);
  report(result.metafile);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
