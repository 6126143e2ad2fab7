/**
 * keras-ts as users get it: `npm pack`, the tarball installed into a fresh project, and there the
 * seed MLP trained from a CommonJS script, an ES module, a TypeScript file compiled by tsc with
 * strict and skipLibCheck false (and run by ts-node), and from this Jest process. Each fits one epoch
 * on 300 digits on wasm, predicts, and must end with the loss lower and no tensor left behind.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const root = path.join(__dirname, '..', '..');
const tsc = require.resolve('typescript/bin/tsc');
const tsNode = require.resolve('ts-node/register');

interface PackResult {
  filename: string;
  size: number;
  unpackedSize: number;
  files: Array<{ path: string }>;
}

interface RunResult {
  how: string;
  backend: string;
  before: number;
  after: number;
  predShape: number[];
  chained: number[];
  reloadDiff?: number;
  eventFiles?: number;
  start: number;
  end: number;
}

let work = '';
let consumer = '';
let packed: PackResult;

function sh(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): string {
  try {
    return execFileSync(cmd, args, { cwd, encoding: 'utf8', env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 << 20 });
  } catch (e) {
    // The command's output in the message (a failing tsc says why), its status and streams kept.
    const { status, stdout, stderr } = e as { status?: number; stdout?: string; stderr?: string };
    throw Object.assign(new Error(`${(e as Error).message}\n${stdout ?? ''}\n${stderr ?? ''}`.slice(0, 8000)), { status, stdout, stderr });
  }
}

function result(out: string): RunResult {
  const line = out.split('\n').find((l) => l.startsWith('RESULT '));
  if (line === undefined) throw new Error(`no RESULT line in:\n${out}`);
  return JSON.parse(line.slice(7)) as RunResult;
}

function expectTrained(r: RunResult, how: string): void {
  expect(r.how).toBe(how);
  expect(r.backend).toBe('wasm');
  expect(r.after).toBeLessThan(r.before);
  expect(r.predShape).toEqual([300, 10]);
  expect(r.chained).toEqual([1, 3]);
  expect(r.end).toBe(r.start);
  if (how !== 'ts') {
    expect(r.reloadDiff).toBe(0); // saved to .keras, loaded, the same predictions
    expect(r.eventFiles).toBe(1); // TensorBoard's event file
  }
}

beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'keras-ts-package-'));
  const out = sh('npm', ['pack', '--json', '--pack-destination', work], root); // prepare (the build) prints first
  [packed] = JSON.parse(out.slice(out.search(/^\[/m))) as PackResult[];
  consumer = path.join(work, 'consumer');
  fs.mkdirSync(consumer);
  for (const f of fs.readdirSync(path.join(__dirname, 'consumer'))) fs.copyFileSync(path.join(__dirname, 'consumer', f), path.join(consumer, f));
  fs.writeFileSync(path.join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }));
  sh('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', path.join(work, packed.filename)], consumer);
}, 600000);

afterAll(() => {
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

test('the tarball holds the compiled package and its declarations, and no tests, benches, examples or CI', () => {
  const files = packed.files.map((f) => f.path);
  for (const needed of ['package.json', 'README.md', 'bin/keras-ts.js', 'dist/index.js', 'dist/index.mjs', 'dist/index.d.ts', 'dist/index.d.mts',
    'dist/index.d.ts.map', 'dist/models/model.js', 'dist/models/model.d.ts', 'native/cuda/addon.cu', 'native/cuda/build.sh',
    'dist/applications/imagenet_class_index.json', 'dist/browser/keras-ts.mjs']) {
    expect(files).toContain(needed);
  }
  expect(files.filter((f) => /^(test|bench|examples|\.ci|scripts)\//.test(f))).toEqual([]);
  expect(files.filter((f) => f.startsWith('dist/') && f.endsWith('.js')).length).toBeGreaterThan(50);
  const pkg = JSON.parse(fs.readFileSync(path.join(consumer, 'node_modules', 'keras-ts', 'package.json'), 'utf8'));
  expect(pkg.main).toBe('dist/index.js');
  expect(pkg.exports['.'].import.default).toBe('./dist/index.mjs');
  expect(pkg.exports['.'].browser.default).toBe('./dist/browser/keras-ts.mjs'); // bundlers and pages get the browser build
  expect(pkg.exports['.'].require.types).toBe('./dist/index.d.ts');
  console.log(`keras-ts tarball: ${files.length} files, ${(packed.size / 1024).toFixed(0)} kB packed, ${(packed.unpackedSize / 1024).toFixed(0)} kB unpacked`);
});

test('a CommonJS script: require("keras-ts")', () => {
  expectTrained(result(sh(process.execPath, ['cjs.js'], consumer)), 'cjs');
});

test('an ES module: import * as k from "keras-ts", and named imports', () => {
  expectTrained(result(sh(process.execPath, ['esm.mjs'], consumer)), 'esm');
});

test('TypeScript: tsc with strict and skipLibCheck false compiles against the declarations, and the output runs', () => {
  const config = { compilerOptions: { target: 'ES2020', module: 'node16', moduleResolution: 'node16', strict: true, skipLibCheck: false, outDir: 'out' }, files: ['consumer.ts'] };
  fs.writeFileSync(path.join(consumer, 'tsconfig.json'), JSON.stringify(config));
  sh(process.execPath, [tsc, '-p', 'tsconfig.json'], consumer);
  expectTrained(result(sh(process.execPath, ['out/consumer.js'], consumer)), 'ts');
});

test('TypeScript through ts-node', () => {
  const out = sh(process.execPath, ['-r', tsNode, 'consumer.ts'], consumer, { TS_NODE_PROJECT: path.join(consumer, 'tsconfig.json') });
  expectTrained(result(out), 'ts');
});

test('in this Jest process: the installed package trains with its gradients', async () => {
  const k = require(path.join(consumer, 'node_modules', 'keras-ts'));
  const run = require(path.join(consumer, 'run.cjs')) as (k: unknown, how: string) => Promise<RunResult>;
  const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
  try {
    expectTrained(await run(k, 'jest'), 'jest');
  } finally {
    log.mockRestore();
  }
});

test('the keras-ts command lists build-cuda; cuda without the addon says how to build it', async () => {
  let failed: { status: number; stderr: string } | null = null;
  try {
    sh(process.execPath, [path.join(consumer, 'node_modules', '.bin', 'keras-ts')], consumer);
  } catch (e) {
    failed = e as { status: number; stderr: string };
  }
  expect(failed?.status).toBe(2);
  expect(failed?.stderr).toMatch(/npx keras-ts build-cuda/);
  const k = require(path.join(consumer, 'node_modules', 'keras-ts'));
  await expect(k.setBackend('cuda')).rejects.toThrow(/the CUDA addon is not built .*help: on a machine with nvcc .*npx keras-ts build-cuda/);
});
