#!/usr/bin/env node
/**
 * Builds keras-ts's native CPU addon, native/cpu/build/keras_cpu.node, from the C++ sources here
 * with the system's C++ compiler, Node's own headers (no download, unlike node-gyp) and oneDNN
 * (Debian/Ubuntu: `libdnnl-dev`). Plain JavaScript, so it runs at `npm install` without dev tools.
 *
 *   node native/cpu/build.js            build (npm run build:native); exit 1 saying what is missing
 *   node native/cpu/build.js --install  the same at install time: never fails the install, prints
 *                                       one line saying whether the native backend is available;
 *                                       where the prebuilt platform package (keras-ts-native-linux-x64,
 *                                       scripts/pack_native.js) is installed and loads, compiles nothing
 *
 * Environment: CXX (the compiler), DNNL_ROOT (a oneDNN install outside the system paths),
 * KERAS_NATIVE_MARCH (default: none, a portable binary for any x86-64, whose hot loops carry
 * AVX2 and AVX-512 copies picked at load time (ops.h's KN_HOT); `native` compiles for this CPU
 * only, as any other -march value does), KERAS_NATIVE_SKIP=1 (do not build at install),
 * KERAS_NATIVE_BUILD_DIR (another output folder), KERAS_NATIVE_NO_IMAGE=1 (leave the image decoders out).
 *
 * Image decoding (image_codec*.cc) links libjpeg (libjpeg-turbo), libpng and libdeflate where their
 * headers are found (Debian: libjpeg62-turbo-dev, libpng-dev, libdeflate-dev); without them the addon
 * is built all the same, its imageCodecs() lists fewer formats, and those files go through sharp
 * (without libdeflate, libpng decodes every PNG).
 *
 * On Linux the addon is linked with the rpath $ORIGIN (searched first, before the system's
 * folders): a oneDNN placed beside it wins, so scripts/pack_native.js ships this very build with
 * its libraries in the keras-ts-native-linux-x64 package; in native/cpu/build, with none beside
 * it, the system's oneDNN loads.
 *
 * The outcome is written to build/status.json, which setBackend('native') reads to say exactly
 * what is missing and how to fix it.
 */
'use strict';
const { spawn, spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const HERE = __dirname;
const BUILD = process.env.KERAS_NATIVE_BUILD_DIR ?? path.join(HERE, 'build');
const OUT = path.join(BUILD, 'keras_cpu.node');
const STATUS = path.join(BUILD, 'status.json');
const install = process.argv.includes('--install');
const INSTALL_HELP = 'apt-get install g++ libdnnl-dev (Debian/Ubuntu), then npx keras-ts build-native';

class Missing extends Error {
  constructor(message, help) {
    super(message);
    this.help = help;
  }
}

function writeStatus(status) {
  fs.mkdirSync(BUILD, { recursive: true });
  fs.writeFileSync(`${STATUS}.tmp`, JSON.stringify(status, null, 2));
  fs.renameSync(`${STATUS}.tmp`, STATUS);
}

function findCompiler() {
  const candidates = process.env.CXX ? [process.env.CXX] : ['c++', 'g++', 'clang++'];
  for (const cxx of candidates) {
    const r = spawnSync(cxx, ['--version'], { encoding: 'utf8' });
    if (r.status === 0) return cxx;
  }
  throw new Missing(`no C++ compiler found (tried ${candidates.join(', ')})`, INSTALL_HELP);
}

function findNodeHeaders() {
  const candidates = [
    process.env.NODE_INCLUDE,
    path.join(path.dirname(process.execPath), '..', 'include', 'node'),
    path.join(os.homedir(), '.cache', 'node-gyp', process.versions.node, 'include', 'node'),
  ].filter(Boolean);
  const found = candidates.find((dir) => fs.existsSync(path.join(dir, 'node_api.h')));
  if (!found) {
    throw new Missing(
      `Node's headers (node_api.h) were not found in ${candidates.join(', ')}`,
      "install Node with its headers (the official tarballs and Debian's nodejs have them), or set NODE_INCLUDE",
    );
  }
  return found;
}

function run(cmd, args) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', (e) => resolve({ code: 1, stderr: String(e) }));
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

/** The reason a compile or link failed, from the compiler's messages. */
function diagnose(stderr) {
  if (/dnnl\.hpp|dnnl\.h|oneapi\/dnnl/.test(stderr) && /No such file|not found/.test(stderr)) {
    return new Missing('oneDNN headers (dnnl.hpp) were not found', INSTALL_HELP);
  }
  if (/cannot find -ldnnl|library not found for -ldnnl/.test(stderr)) return new Missing('the oneDNN library (libdnnl.so) was not found', INSTALL_HELP);
  if (/omp\.h|-lgomp|-fopenmp/.test(stderr)) return new Missing('the compiler has no OpenMP support (omp.h)', 'install GCC (g++), whose OpenMP oneDNN uses');
  const first = stderr.split('\n').find((l) => /error/i.test(l)) ?? stderr.split('\n')[0];
  return new Missing(`the compiler failed: ${first.trim().slice(0, 300)}`, 'see the full output with `npm run build:native`');
}

/**
 * The CPU flags: portable by default (baseline x86-64; KN_HOT's clones dispatch at load time), or
 * KERAS_NATIVE_MARCH's (`native`: this machine's CPU, so the binary may die with SIGILL elsewhere).
 */
function marchFlags() {
  const march = process.env.KERAS_NATIVE_MARCH ?? '';
  if (march !== '') {
    if (!/^[A-Za-z0-9_.+-]+$/.test(march)) throw new Missing(`KERAS_NATIVE_MARCH is ${JSON.stringify(march)}, not a -march value`, 'set it to `native`, a CPU name such as `x86-64-v3`, or leave it unset for a portable build');
    return [`-march=${march}`, '-DKN_NO_DISPATCH'];
  }
  return process.arch === 'x64' ? ['-march=x86-64', '-mtune=generic'] : [];
}

/**
 * The image libraries found here, each probed by compiling and linking a one-line program:
 * { flags: ['-DKN_HAVE_JPEG', ...], libs: ['-ljpeg', ...] }.
 */
function imageLibraries(cxx) {
  const found = { flags: [], libs: [] };
  if (process.env.KERAS_NATIVE_NO_IMAGE === '1') return found;
  // Each program uses the calls image_codec*.cc needs (jpeg_skip_scanlines: libjpeg-turbo 1.5+;
  // png_longjmp: libpng 1.5+), so an older library is left out rather than failing the build.
  const probes = [
    ['KN_HAVE_JPEG', '-ljpeg', '#include <cstdio>\n#include <jpeglib.h>\nint main() { jpeg_decompress_struct c; jpeg_error_mgr e; c.err = jpeg_std_error(&e); jpeg_create_decompress(&c); ' +
      'jpeg_mem_src(&c, nullptr, 0); if (c.output_height) jpeg_skip_scanlines(&c, 1); jpeg_destroy_decompress(&c); return 0; }\n'],
    ['KN_HAVE_PNG', '-lpng', '#include <png.h>\n#if PNG_LIBPNG_VER < 10600\n#error libpng 1.6 or later\n#endif\n' +
      'int main() { png_structp p = png_create_read_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, nullptr); if (p == nullptr) png_longjmp(p, 1); png_set_expand_gray_1_2_4_to_8(p); return 0; }\n'],
    ['KN_HAVE_DEFLATE', '-ldeflate', '#include <libdeflate.h>\nint main() { libdeflate_decompressor* d = libdeflate_alloc_decompressor(); ' +
      'libdeflate_zlib_decompress(d, nullptr, 0, nullptr, 0, nullptr); libdeflate_free_decompressor(d); return static_cast<int>(libdeflate_crc32(0, nullptr, 0)); }\n'],
  ];
  const out = path.join(os.tmpdir(), `keras-ts-probe-${process.pid}`);
  for (const [define, lib, program] of probes) {
    const r = spawnSync(cxx, ['-x', 'c++', '-', '-o', out, lib], { input: program, encoding: 'utf8' });
    if (r.status === 0) found.flags.push(`-D${define}`), found.libs.push(lib);
  }
  fs.rmSync(out, { force: true });
  return found;
}

/** The build's settings: a change of any of them rebuilds, as a changed source does. */
function settingsOf(cxx, flags) {
  return JSON.stringify({ cxx, flags, dnnlRoot: process.env.DNNL_ROOT ?? '' });
}
const SETTINGS = path.join(BUILD, 'settings.json');

function upToDate(sources, settings) {
  if (!fs.existsSync(OUT)) return false;
  if (!fs.existsSync(SETTINGS) || fs.readFileSync(SETTINGS, 'utf8') !== settings) return false;
  const built = fs.statSync(OUT).mtimeMs;
  const inputs = [...sources, ...fs.readdirSync(HERE).filter((f) => f.endsWith('.h')).map((f) => path.join(HERE, f)),
    path.join(HERE, '..', 'common', 'op_table.h'), __filename];
  return inputs.every((f) => fs.statSync(f).mtimeMs <= built);
}

async function build() {
  if (process.platform === 'win32') throw new Missing('Windows is not supported by this build script', 'use WSL, or the wasm backend');
  const cxx = findCompiler();
  const nodeInclude = findNodeHeaders();
  const sources = fs.readdirSync(HERE).filter((f) => f.endsWith('.cc')).map((f) => path.join(HERE, f));
  const root = process.env.DNNL_ROOT;
  const image = imageLibraries(cxx);
  const flags = [
    ...image.flags,
    '-O3', '-std=c++17', '-fPIC', '-fvisibility=hidden', '-fopenmp', '-ffp-contract=off', '-fno-math-errno', '-Wall',
    ...marchFlags(),
    '-DNODE_GYP_MODULE_NAME=keras_cpu', `-I${nodeInclude}`, ...(root ? [`-I${path.join(root, 'include')}`] : []),
  ];
  const settings = settingsOf(cxx, flags);
  if (upToDate(sources, settings)) return { cxx, skipped: true };
  const objDir = path.join(BUILD, 'obj');
  fs.mkdirSync(objDir, { recursive: true });
  // Compile in parallel (one job per core), then link.
  const queue = [...sources];
  const failures = [];
  const worker = async () => {
    for (let src = queue.shift(); src !== undefined; src = queue.shift()) {
      const r = await run(cxx, [...flags, '-c', src, '-o', path.join(objDir, path.basename(src, '.cc') + '.o')]);
      if (r.code !== 0) failures.push(r.stderr);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(os.cpus().length, sources.length)) }, worker));
  if (failures.length > 0) {
    if (!install) process.stderr.write(failures[0]);
    throw diagnose(failures[0]);
  }
  const objects = sources.map((s) => path.join(objDir, path.basename(s, '.cc') + '.o'));
  // DT_RPATH (not RUNPATH): also searched for oneDNN's own dependencies (libgomp), and before
  // LD_LIBRARY_PATH, so a packaged addon loads the libraries it ships with.
  const rpaths = [...(process.platform === 'linux' ? ['$ORIGIN'] : []), ...(root ? [path.join(root, 'lib')] : [])];
  const libs = [...(root ? [`-L${path.join(root, 'lib')}`] : []), ...(rpaths.length > 0 ? [`-Wl,-rpath,${rpaths.join(':')}`] : []),
    ...(process.platform === 'linux' ? ['-Wl,--disable-new-dtags'] : [])];
  const darwin = process.platform === 'darwin' ? ['-undefined', 'dynamic_lookup'] : [];
  const tmp = path.join(BUILD, `keras_cpu.${process.pid}.tmp.node`); // .node, so require() loads it as an addon
  const link = await run(cxx, ['-shared', '-fopenmp', ...darwin, '-o', tmp, ...objects, ...libs, '-ldnnl', ...image.libs]);
  if (link.code !== 0) {
    if (!install) process.stderr.write(link.stderr);
    throw diagnose(link.stderr);
  }
  // Load it once in a child process: a missing shared library shows here, not at first use.
  const probe = spawnSync(process.execPath, ['-e', `console.log(JSON.stringify(require(${JSON.stringify(tmp)}).info()))`], { encoding: 'utf8' });
  if (probe.status !== 0) {
    fs.rmSync(tmp, { force: true });
    const line = (probe.stderr || '').split('\n').find((l) => /Error/.test(l)) ?? (probe.stderr || '').trim();
    throw new Missing(`the built addon does not load: ${line.trim().slice(0, 300)}`, INSTALL_HELP);
  }
  fs.renameSync(tmp, OUT);
  fs.writeFileSync(SETTINGS, settings);
  return { cxx, info: JSON.parse(probe.stdout) };
}

/**
 * At install: the prebuilt platform package, if npm installed it (keras-ts's optional dependency)
 * and it loads here: { ok: true, info } or { ok: false, reason }; null where it is not installed.
 */
function prebuilt() {
  const name = `keras-ts-native-${process.platform}-${process.arch}`;
  if (process.env.KERAS_NATIVE_PREBUILT === '0') return null;
  let dir;
  try {
    dir = path.dirname(require.resolve(`${name}/package.json`, { paths: [path.join(HERE, '..', '..')] }));
  } catch {
    return null;
  }
  const version = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).version;
  const own = JSON.parse(fs.readFileSync(path.join(HERE, '..', '..', 'package.json'), 'utf8')).version;
  if (version !== own) return { name, ok: false, reason: `it is version ${version}, keras-ts is ${own}` };
  const addon = path.join(dir, 'keras_cpu.node');
  const probe = spawnSync(process.execPath, ['-e', `console.log(JSON.stringify(require(${JSON.stringify(addon)}).info()))`], { encoding: 'utf8' });
  if (probe.status === 0) return { name, ok: true, info: JSON.parse(probe.stdout) };
  const line = (probe.stderr || '').split('\n').find((l) => /Error/.test(l)) ?? (probe.stderr || '').trim();
  return { name, ok: false, reason: line.trim().slice(0, 300) };
}

function main() {
  if (install && process.env.KERAS_NATIVE_SKIP === '1') {
    console.log('keras-ts: KERAS_NATIVE_SKIP=1, the native CPU backend is not built.');
    return;
  }
  if (install) {
    const p = prebuilt();
    if (p !== null && p.ok) {
      console.log(`keras-ts: the native CPU backend is the prebuilt ${p.name} (oneDNN ${p.info.onednn}, ${p.info.isa}); nothing to compile.`);
      return;
    }
    if (p !== null) console.log(`keras-ts: the prebuilt ${p.name} does not load here (${p.reason}); building the native CPU backend from source.`);
  }
  build().then(
    (r) => {
      const info = r.info ? ` (oneDNN ${r.info.onednn}, ${r.info.isa}, ${r.info.threads} threads)` : ' (up to date)';
      writeStatus({ ok: true, addon: OUT, ...(r.info ?? {}) });
      console.log(`keras-ts: the native CPU backend is built${info}: ${path.relative(process.cwd(), OUT) || OUT}`);
    },
    (e) => {
      const reason = e instanceof Missing ? e.message : String(e && e.stack ? e.stack : e);
      const help = e instanceof Missing ? e.help : 'report this error';
      writeStatus({ ok: false, reason, help });
      if (install) {
        console.log(`keras-ts: the native CPU backend was not built: ${reason}. keras-ts works without it (wasm is the default). To add it: ${help}.`);
      } else {
        console.error(`build:native: ${reason}. help: ${help}.`);
        process.exitCode = 1;
      }
    },
  );
}

main();
