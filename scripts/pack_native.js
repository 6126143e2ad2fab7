#!/usr/bin/env node
/**
 * `npm run pack:native`: the prebuilt native CPU backend as an npm platform package,
 * keras-ts-native-<platform>-<arch> (keras-ts-native-linux-x64 here), the way onnxruntime-node and
 * sharp ship theirs: keras-ts lists it in optionalDependencies, npm installs it only where its
 * os/cpu/libc fields match, and the loader (src/backend/native/addon.ts) takes its addon before a
 * source build, so `npm install keras-ts` needs no compiler and no apt.
 *
 * The package holds keras_cpu.node, built portable (baseline x86-64, its hot loops with AVX2 and
 * AVX-512 copies; native/cpu/build.js) and linked with the rpath $ORIGIN, and beside it the shared
 * libraries it links that a bare system may lack: oneDNN (libdnnl.so.N) and GCC's OpenMP runtime
 * (libgomp.so.1), with their licenses. glibc and libstdc++ (which Node itself needs) come from the
 * system. Before packing, the addon is loaded from the package folder in a child process, which
 * checks in /proc/self/maps that the oneDNN it mapped is the bundled one.
 *
 *   node scripts/pack_native.js [--out DIR] [--build-dir DIR]
 *     --out        where the tarball goes (default out/native)
 *     --build-dir  the portable build to package (default out/native/build; built or brought up to
 *                  date here by native/cpu/build.js, which keeps it while the sources do not change)
 * Prints the tarball's path and its packed and unpacked sizes; exit 1 saying what failed.
 */
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const root = path.join(__dirname, '..');
const main = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const NAME = `keras-ts-native-${process.platform}-${process.arch}`;
/** The libraries to ship beside the addon, by soname prefix (the rest come with any Node). */
const BUNDLED = ['libdnnl.so', 'libgomp.so'];
/** Shipped too where the addon links them: the image decoders' libjpeg-turbo, libpng and libdeflate (native/cpu/image_codec*.cc). */
const BUNDLED_IF_LINKED = ['libjpeg.so', 'libpng16.so', 'libdeflate.so'];

function option(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? path.resolve(process.argv[i + 1]) : fallback;
}

function fail(message, help) {
  console.error(`pack:native: ${message}. help: ${help}.`);
  process.exit(1);
}

/** The addon's shared libraries that we bundle, as { soname: resolved path }, from ldd. */
function bundledLibraries(addon) {
  const r = spawnSync('ldd', [addon], { encoding: 'utf8' });
  if (r.status !== 0) fail(`ldd ${addon} failed: ${(r.stderr || '').trim()}`, 'pack:native runs on Linux with glibc (ldd)');
  const libs = {};
  for (const line of r.stdout.split('\n')) {
    const m = /^\s*(\S+) => (\S+) \(/.exec(line);
    if (m && [...BUNDLED, ...BUNDLED_IF_LINKED].some((prefix) => m[1].startsWith(prefix))) libs[m[1]] = m[2];
  }
  for (const prefix of BUNDLED) {
    if (!Object.keys(libs).some((s) => s.startsWith(prefix))) fail(`the addon does not link ${prefix}* (ldd: ${r.stdout.trim()})`, 'rebuild it with native/cpu/build.js');
  }
  return libs;
}

/** The Debian copyright file of the package that owns `file`, if dpkg knows it. */
function licenseOf(file) {
  const owner = spawnSync('dpkg', ['-S', fs.realpathSync(file)], { encoding: 'utf8' });
  const pkg = owner.status === 0 ? owner.stdout.split(':')[0].trim() : '';
  const copyright = pkg ? path.join('/usr/share/doc', pkg, 'copyright') : '';
  return copyright && fs.existsSync(copyright) ? copyright : null;
}

/** Loads the addon from `dir` in a child process; returns its info and the libdnnl paths it mapped. */
function probe(dir) {
  const script = `const a = require(${JSON.stringify(path.join(dir, 'keras_cpu.node'))});
const maps = require('fs').readFileSync('/proc/self/maps', 'utf8').split('\\n').map((l) => l.split(/\\s+/).slice(5).join(' '));
console.log(JSON.stringify({ info: a.info(), dnnl: [...new Set(maps.filter((p) => /libdnnl\\.so/.test(p)))] }));`;
  const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', env: { ...process.env, LD_LIBRARY_PATH: '' } });
  if (r.status !== 0) fail(`the packaged addon does not load: ${(r.stderr || '').trim().split('\n')[0]}`, 'see the error above');
  return JSON.parse(r.stdout);
}

function main_() {
  if (process.platform !== 'linux') fail(`platform packages are made on Linux only, not ${process.platform}`, 'run it on Linux (glibc)');
  const outDir = option('out', path.join(root, 'out', 'native'));
  const buildDir = option('build-dir', path.join(outDir, 'build'));
  fs.mkdirSync(outDir, { recursive: true });

  // 1. The portable build (KERAS_NATIVE_MARCH would make one for this CPU only: not shippable).
  const env = { ...process.env, KERAS_NATIVE_BUILD_DIR: buildDir };
  delete env.KERAS_NATIVE_MARCH;
  const built = spawnSync(process.execPath, [path.join(root, 'native', 'cpu', 'build.js')], { encoding: 'utf8', env, stdio: ['ignore', 'pipe', 'inherit'] });
  if (built.status !== 0) fail('native/cpu/build.js failed', 'see its message above');
  const addon = path.join(buildDir, 'keras_cpu.node');

  // 2. The package folder: the addon, its libraries by soname, their licenses, package.json.
  const stage = fs.mkdtempSync(path.join(os.tmpdir(), 'keras-pack-native-'));
  const pkgDir = path.join(stage, NAME);
  fs.mkdirSync(pkgDir);
  fs.copyFileSync(addon, path.join(pkgDir, 'keras_cpu.node'));
  const libs = bundledLibraries(addon);
  const licenses = [];
  for (const [soname, file] of Object.entries(libs)) {
    fs.copyFileSync(file, path.join(pkgDir, soname)); // follows the symlink: the library itself
    const license = licenseOf(file);
    if (license) {
      const name = `LICENSE.${soname.split('.so')[0]}`;
      fs.copyFileSync(license, path.join(pkgDir, name));
      licenses.push(name);
    }
  }
  const found = probe(pkgDir);
  const expected = path.join(pkgDir, Object.keys(libs).find((s) => s.startsWith('libdnnl')));
  if (found.dnnl.length !== 1 || found.dnnl[0] !== expected) {
    fail(`the packaged addon mapped oneDNN from ${found.dnnl.join(', ') || 'nowhere'}, not ${expected}`, 'the addon must be linked with the rpath $ORIGIN (native/cpu/build.js does so on Linux)');
  }
  const files = ['keras_cpu.node', ...Object.keys(libs), ...licenses, 'README.md'];
  const pkg = {
    name: NAME,
    version: main.version,
    description: `keras-ts's native CPU backend, prebuilt for ${process.platform} ${process.arch} (glibc): the N-API addon with oneDNN ${found.info.onednn} and OpenMP beside it.`,
    license: main.license,
    os: [process.platform],
    cpu: [process.arch],
    libc: ['glibc'],
    files,
    kerasTs: { onednn: found.info.onednn, libraries: Object.keys(libs), build: 'portable x86-64 (AVX2 and AVX-512 clones of the hot loops)' },
  };
  fs.writeFileSync(path.join(pkgDir, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
  fs.writeFileSync(
    path.join(pkgDir, 'README.md'),
    `# ${NAME}\n\nThe prebuilt native CPU backend of keras-ts ${main.version} for ${process.platform} ${process.arch} with glibc. ` +
      `Installed by npm as an optional dependency of keras-ts; not for direct use. Made by keras-ts's scripts/pack_native.js.\n\n` +
      `Holds keras_cpu.node (Apache-2.0) and, loaded from beside it through its $ORIGIN rpath, ${Object.keys(libs).join(' and ')} ` +
      `(oneDNN: Apache-2.0; libgomp: GPL-3.0 with the GCC Runtime Library Exception; libjpeg-turbo: IJG and BSD-style; libpng: the libpng license; libdeflate: MIT), ` +
      'whose license files are included.\n',
  );

  // 3. The tarball.
  const packed = spawnSync('npm', ['pack', '--json', '--pack-destination', outDir], { cwd: pkgDir, encoding: 'utf8' });
  if (packed.status !== 0) fail(`npm pack failed: ${(packed.stderr || '').trim().split('\n').slice(-1)[0]}`, 'see npm pack\'s output');
  const info = JSON.parse(packed.stdout)[0];
  const tarball = path.join(outDir, info.filename);
  fs.rmSync(stage, { recursive: true, force: true });
  const mb = (n) => `${(n / 2 ** 20).toFixed(1)} MiB`;
  console.log(`pack:native: ${tarball}: ${mb(info.size)} packed, ${mb(info.unpackedSize)} unpacked (${info.entryCount} files: ${files.join(', ')}; oneDNN ${found.info.onednn})`);
  console.log(`RESULT ${JSON.stringify({ tarball, size: info.size, unpackedSize: info.unpackedSize, files, onednn: found.info.onednn })}`);
}

main_();
