#!/usr/bin/env node
/**
 * Writes src/backend/tfjs_gradients.generated.js: tfjs-core's gradient registrations
 * (dist/register_all_gradients.js) and chained tensor methods (dist/public/chained_ops/), as one
 * CommonJS file that registers them into the tfjs-core already loaded. tfjs-core's CommonJS entry
 * registers neither, and those files are extensionless ES modules that Node cannot load.
 *
 * How: esbuild bundles the gradient and chained-op files from tfjs-core's ES build, and every
 * module they import is replaced by a few lines that take the same names from the CommonJS package
 * (`require('@tensorflow/tfjs-core')`, its namespaces such as backend_util, `tfc.engine()` for
 * ENGINE), so the bundle shares the one engine, kernel and gradient registry and Tensor class.
 * Only modules exporting a name the CommonJS package lacks (internal ops such as maxPoolGrad) are
 * bundled from the ES build, their own imports replaced by the same rule. Imports are read from the
 * ES files' import lines (tsc's output, one import per line); a name found nowhere, or found with
 * two different values, fails the build here rather than a gradient at run time.
 *
 * Run by scripts/build.js (so by `npm install`, through `prepare`); `node scripts/bundle_tfjs_gradients.js`
 * alone rewrites the file.
 */
'use strict';
const fs = require('fs');
const path = require('path');

const root = path.join(__dirname, '..');
const OUT = path.join(root, 'src', 'backend', 'tfjs_gradients.generated.js');
const core = path.join(path.dirname(require.resolve('@tensorflow/tfjs-core/package.json')), 'dist');
const ENTRIES = ['register_all_gradients.js', 'public/chained_ops/register_all_chained_ops.js'].map((f) => path.join(core, f));
/** Files always taken from the ES build: the registrations themselves. */
const OWN = [path.join(core, 'gradients') + path.sep, path.join(core, 'public', 'chained_ops') + path.sep, ...ENTRIES];

const tfc = require('@tensorflow/tfjs-core');
/** Names the CommonJS package has only as an expression. */
const SPECIAL = { ENGINE: 'tfc.engine()', getGlobalTensorClass: '() => tfc.Tensor' };
const NAMESPACES = ['util', 'backend_util', 'broadcast_util', 'slice_util', 'tensor_util', 'image', 'linalg', 'losses', 'spectral', 'signal', 'sparse', 'string', 'fused', 'math', 'kernel_impls', 'io', 'serialization', 'browser'];

const IMPORT = /^import\s+(?:(\*\s+as\s+\w+|\{[^}]*\})\s+from\s+)?'([^']+)';\s*$/gm;

function isOwn(file) {
  return OWN.some((o) => (o.endsWith(path.sep) ? file.startsWith(o) : file === o));
}

/** [target file, names imported (a namespace import: the names used on it)] for each import of `file`. */
function importsOf(file) {
  const src = fs.readFileSync(file, 'utf8');
  const out = [];
  for (const [, clause, spec] of src.matchAll(IMPORT)) {
    if (!spec.startsWith('.')) continue; // a package (long, seedrandom): bundled as it is
    const target = `${path.resolve(path.dirname(file), spec)}.js`;
    let names = [];
    const star = clause && /^\*\s+as\s+(\w+)$/.exec(clause.trim());
    if (star) names = [...src.matchAll(new RegExp(`\\b${star[1]}\\.(\\w+)`, 'g'))].map((m) => m[1]);
    else if (clause) names = clause.replace(/[{}]/g, '').split(',').map((s) => s.trim().split(/\s+as\s+/)[0]).filter(Boolean);
    out.push([target, names]);
  }
  return out;
}

/**
 * The CommonJS expression for `name` as module `target` exports it, or undefined where the package
 * lacks it: from the namespace named as the module (util, broadcast_util), else the top level
 * (ops), else the one namespace that has it (backend_util for conv_util's names).
 */
function expressionFor(name, target) {
  if (SPECIAL[name]) return SPECIAL[name];
  const own = path.basename(target, '.js');
  if (NAMESPACES.includes(own) && tfc[own] && name in tfc[own]) return `tfc.${own}.${name}`;
  if (name in tfc) return `tfc.${name}`;
  const found = NAMESPACES.filter((ns) => tfc[ns] && name in tfc[ns]);
  if (new Set(found.map((ns) => tfc[ns][name])).size > 1) {
    throw new Error(`bundle_tfjs_gradients: '${name}' (imported from ${path.relative(core, target)}) differs in ${found.map((ns) => `tfc.${ns}`).join(', ')}.`);
  }
  return found.length > 0 ? `tfc.${found[0]}.${name}` : undefined;
}

/** Which imported modules are bundled from the ES build and which are replaced, with the names each must give. */
function plan() {
  const bundled = new Set();
  const needed = new Map(); // replaced module -> names
  const queue = [...ENTRIES];
  while (queue.length > 0) {
    const file = queue.pop();
    if (bundled.has(file)) continue;
    bundled.add(file);
    for (const [target, names] of importsOf(file)) {
      if (isOwn(target)) queue.push(target);
      else {
        if (!needed.has(target)) needed.set(target, new Set());
        names.forEach((n) => needed.get(target).add(n));
      }
    }
    // A replaced module that must give a name the CommonJS package lacks is bundled instead.
    for (const [target, names] of needed) {
      if (!bundled.has(target) && [...names].some((n) => expressionFor(n, target) === undefined)) queue.push(target);
    }
  }
  for (const file of bundled) needed.delete(file);
  return { bundled, needed };
}

async function main() {
  const esbuild = require('esbuild');
  const { bundled, needed } = plan();
  const replacement = (file) =>
    `const tfc = require('@tensorflow/tfjs-core');\n` +
    [...needed.get(file)].map((n) => `export const ${n} = ${expressionFor(n, file)};`).join('\n');
  const plugin = {
    name: 'tfjs-core-commonjs',
    setup(build) {
      build.onResolve({ filter: /^\./ }, (args) => {
        const file = `${path.resolve(args.resolveDir, args.path)}.js`;
        if (!file.startsWith(core)) return undefined;
        return bundled.has(file) ? { path: file } : { path: path.relative(core, file), namespace: 'tfjs-core-cjs' };
      });
      build.onLoad({ filter: /.*/, namespace: 'tfjs-core-cjs' }, (args) => ({
        contents: replacement(path.join(core, args.path)), // a side-effect-only import gets an empty module: the package ran it
        resolveDir: core,
        loader: 'js',
      }));
    },
  };
  const result = await esbuild.build({
    stdin: { contents: ENTRIES.map((e) => `import ${JSON.stringify(e)};`).join('\n'), resolveDir: core, loader: 'js' },
    bundle: true,
    format: 'cjs',
    platform: 'neutral',
    mainFields: ['main'],
    external: ['@tensorflow/tfjs-core'],
    plugins: [plugin],
    legalComments: 'none',
    banner: { js: `// Generated by scripts/bundle_tfjs_gradients.js from @tensorflow/tfjs-core ${tfc.version_core}: do not edit.\n'use strict';` },
    absWorkingDir: core, // the bundle's comments name files relative to tfjs-core's dist/
    outfile: OUT,
    logLevel: 'warning',
  });
  if (result.errors.length > 0) process.exit(1);
  const fromEs = [...bundled].filter((f) => !isOwn(f)).map((f) => path.relative(core, f));
  const kb = (fs.statSync(OUT).size / 1024).toFixed(0);
  console.log(`bundle_tfjs_gradients: ${path.relative(root, OUT)} written (${kb} KB; ${needed.size} modules taken from the CommonJS package, ${fromEs.length} from the ES build: ${fromEs.join(', ')}).`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
