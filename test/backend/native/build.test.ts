/**
 * native/cpu/build.js: the install never fails; without a compiler or oneDNN it says what is missing
 * and the command that adds the backend, and records it for setBackend('native').
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const script = path.join(__dirname, '..', '..', '..', 'native', 'cpu', 'build.js');

function build(env: Record<string, string>, install: boolean): { status: number | null; out: string; recorded: { ok: boolean; reason?: string; help?: string } } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keras-native-build-'));
  const r = spawnSync(process.execPath, [script, ...(install ? ['--install'] : [])], { encoding: 'utf8', env: { ...process.env, ...env, KERAS_NATIVE_BUILD_DIR: dir } });
  const recorded = JSON.parse(fs.readFileSync(path.join(dir, 'status.json'), 'utf8'));
  fs.rmSync(dir, { recursive: true, force: true });
  return { status: r.status, out: `${r.stdout}${r.stderr}`, recorded };
}

/** A stand-in compiler that answers --version and fails every compile as g++ does without oneDNN's headers. */
function compilerWithoutOneDnn(): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'keras-cxx-')), 'c++');
  fs.writeFileSync(file, '#!/bin/sh\nif [ "$1" = "--version" ]; then echo "c++ 12"; exit 0; fi\necho "dnnl_context.h:5:10: fatal error: dnnl.hpp: No such file or directory" >&2\nexit 1\n');
  fs.chmodSync(file, 0o755);
  return file;
}

test('without a C++ compiler the install succeeds and says how to get the backend', () => {
  const r = build({ CXX: '/nonexistent/c++' }, true);
  expect(r.status).toBe(0);
  expect(r.out).toMatch(/native CPU backend was not built: no C\+\+ compiler found \(tried \/nonexistent\/c\+\+\)\. keras-ts works without it .*apt-get install g\+\+ libdnnl-dev .*npx keras-ts build-native/);
  expect(r.recorded).toMatchObject({ ok: false, reason: expect.stringMatching(/no C\+\+ compiler/) });
});

test('without oneDNN the install succeeds; npm run build:native fails naming it', () => {
  const cxx = compilerWithoutOneDnn();
  const install = build({ CXX: cxx }, true);
  expect(install.status).toBe(0);
  expect(install.out).toMatch(/was not built: oneDNN headers \(dnnl\.hpp\) were not found.*apt-get install g\+\+ libdnnl-dev/);
  const explicit = build({ CXX: cxx }, false);
  expect(explicit.status).toBe(1);
  expect(explicit.out).toMatch(/build:native: oneDNN headers \(dnnl\.hpp\) were not found\. help: apt-get install g\+\+ libdnnl-dev/);
  fs.rmSync(path.dirname(cxx), { recursive: true, force: true });
});

test('KERAS_NATIVE_SKIP=1 skips the build at install', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keras-native-build-'));
  const r = spawnSync(process.execPath, [script, '--install'], { encoding: 'utf8', env: { ...process.env, KERAS_NATIVE_SKIP: '1', KERAS_NATIVE_BUILD_DIR: dir } });
  expect(r.status).toBe(0);
  expect(r.stdout).toMatch(/KERAS_NATIVE_SKIP=1/);
  expect(fs.existsSync(path.join(dir, 'keras_cpu.node'))).toBe(false);
  fs.rmSync(dir, { recursive: true, force: true });
});

/** A stand-in compiler that appends each command line to `log` and fails every compile. */
function recordingCompiler(log: string): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'keras-cxx-')), 'c++');
  fs.writeFileSync(file, `#!/bin/sh\nif [ "$1" = "--version" ]; then echo "c++ 12"; exit 0; fi\necho "$@" >> ${JSON.stringify(log)}\necho "x.cc:1:1: error: stop here" >&2\nexit 1\n`);
  fs.chmodSync(file, 0o755);
  return file;
}

function compileFlags(env: Record<string, string>): { flags: string; out: string } {
  const log = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'keras-cxx-log-')), 'log');
  const cxx = recordingCompiler(log);
  const r = build({ CXX: cxx, ...env }, false);
  // The first compile of a source file (build.js first probes for the image libraries with `-x c++ -` programs).
  const lines = fs.existsSync(log) ? fs.readFileSync(log, 'utf8').split('\n') : [];
  const flags = lines.find((l) => l !== '' && !l.includes('-x c++ -')) ?? '';
  fs.rmSync(path.dirname(cxx), { recursive: true, force: true });
  fs.rmSync(path.dirname(log), { recursive: true, force: true });
  return { flags, out: r.out };
}

test('the default build is portable: baseline x86-64, never -march=native; KERAS_NATIVE_MARCH=native opts in', () => {
  const portable = compileFlags({}).flags.split(' ');
  if (process.arch === 'x64') expect(portable).toEqual(expect.arrayContaining(['-march=x86-64', '-mtune=generic']));
  expect(portable.filter((f) => f.startsWith('-march=') && f !== '-march=x86-64')).toEqual([]);
  expect(portable).not.toContain('-DKN_NO_DISPATCH');
  const native = compileFlags({ KERAS_NATIVE_MARCH: 'native' }).flags.split(' ');
  expect(native).toEqual(expect.arrayContaining(['-march=native', '-DKN_NO_DISPATCH']));
  expect(native).not.toContain('-march=x86-64');
});

test('a KERAS_NATIVE_MARCH that is not a -march value is refused, naming it', () => {
  const r = compileFlags({ KERAS_NATIVE_MARCH: 'native -O0' });
  expect(r.flags).toBe(''); // nothing compiled
  expect(r.out).toMatch(/build:native: KERAS_NATIVE_MARCH is "native -O0", not a -march value\. help: set it to `native`/);
});

/** The addon's functions (by symbol), and those with AVX (ymm/zmm) instructions, from objdump; null without objdump. */
function disassembly(addon: string): { all: string[]; avx: string[] } | null {
  const r = spawnSync('objdump', ['-d', '--no-show-raw-insn', addon], { encoding: 'utf8', maxBuffer: 512 * 2 ** 20 });
  if (r.status !== 0) return null;
  const all: string[] = [];
  const avx = new Set<string>();
  let fn = '';
  for (const line of r.stdout.split('\n')) {
    const head = /^[0-9a-f]+ <(.+)>:$/.exec(line);
    if (head) all.push((fn = head[1]));
    else if (/%[yz]mm/.test(line)) avx.add(fn);
  }
  return { all, avx: [...avx] };
}

const addon = path.join(__dirname, '..', '..', '..', 'native', 'cpu', 'build', 'keras_cpu.node');
const settings = path.join(path.dirname(addon), 'settings.json');
const portableBuild = process.arch === 'x64' && fs.existsSync(addon) && fs.existsSync(settings) && fs.readFileSync(settings, 'utf8').includes('"-march=x86-64"');

(portableBuild ? test : test.skip)('the portable addon has AVX2 and AVX-512 copies of its hot loops, and AVX nowhere else (no SIGILL on older CPUs)', () => {
  const code = disassembly(addon);
  if (code === null) return; // no objdump here
  expect(code.avx.filter((f) => !/\.arch_x86_64_v[34]/.test(f))).toEqual([]);
  expect(code.avx.length).toBeGreaterThan(10); // the clones do use AVX
  for (const hot of ['adam_loop', 'column_sums', 'js_sgd', 'js_softmax', 'broadcast']) {
    for (const isa of ['arch_x86_64_v3', 'arch_x86_64_v4', 'default']) expect(code.all.some((f) => f.includes(hot) && f.includes(`.${isa}`))).toBe(true);
  }
});
