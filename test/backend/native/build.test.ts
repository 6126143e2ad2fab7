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
