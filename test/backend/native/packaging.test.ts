/**
 * The prebuilt platform package, end to end: scripts/pack_native.js packs keras-ts-native-linux-x64;
 * npm installs the tarball into a fresh project with --offline; keras-ts there (linked in) loads the
 * package's addon, which maps the oneDNN and libgomp shipped beside it (not the system's), and trains
 * on 'native' with no compiler on PATH. A package of another release is passed over with one line,
 * for the source build. Linux x64 only, where the native addon builds (about a minute: it packs).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { nativeBuilt } from '../../helpers';

const root = path.join(__dirname, '..', '..', '..');
const PKG = 'keras-ts-native-linux-x64';
const onLinuxNative = process.platform === 'linux' && process.arch === 'x64' && nativeBuilt() ? test : test.skip;

/** The source build is reused for packing when it is portable (no KERAS_NATIVE_MARCH); else a build of its own. */
function buildDir(tmp: string): string {
  const settings = path.join(root, 'native', 'cpu', 'build', 'settings.json');
  const portable = fs.existsSync(settings) && !/-march=(?!x86-64")/.test(fs.readFileSync(settings, 'utf8'));
  return portable && process.env.KERAS_NATIVE_ADDON === undefined ? path.join(root, 'native', 'cpu', 'build') : path.join(tmp, 'build');
}

onLinuxNative('the platform package installs offline, loads its bundled oneDNN and trains without a compiler', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'keras-packaging-'));
  try {
    const packed = spawnSync(process.execPath, [path.join(root, 'scripts', 'pack_native.js'), '--out', tmp, '--build-dir', buildDir(tmp)], { encoding: 'utf8' });
    const result = (packed.stdout ?? '').split('\n').find((l) => l.startsWith('RESULT '));
    if (packed.status !== 0 || result === undefined) throw new Error(`pack_native.js failed: ${packed.stderr}`);
    const { tarball, size } = JSON.parse(result.slice(7)) as { tarball: string; size: number };
    const main = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string; optionalDependencies?: Record<string, string> };
    // Not yet in optionalDependencies: neither name is published on npm, and listing an unpublished name would let
    // whoever registers it first run code in every `npm install` (docs/backends.md).
    expect(main.optionalDependencies?.[PKG]).toBeUndefined();
    expect(path.basename(tarball)).toBe(`${PKG}-${main.version}.tgz`);
    expect(size).toBeGreaterThan(1e6); // the addon and oneDNN
    expect(size).toBeLessThan(64 * 2 ** 20);

    // A fresh project; npm installs the tarball with no network.
    const project = path.join(tmp, 'app');
    fs.mkdirSync(project);
    fs.writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'app', version: '1.0.0', private: true }));
    const npm = spawnSync('npm', ['install', tarball, '--offline', '--no-audit', '--no-fund', '--cache', path.join(tmp, 'npm-cache')], { cwd: project, encoding: 'utf8' });
    expect(`${npm.status} ${npm.stderr}`).toMatch(/^0 /);
    const installed = path.join(project, 'node_modules', PKG);
    expect(fs.readdirSync(installed).sort()).toEqual(expect.arrayContaining(['keras_cpu.node', 'libdnnl.so.2', 'libgomp.so.1', 'package.json']));
    // keras-ts beside it, as npm lays out a dependency and its optional dependency.
    fs.symlinkSync(root, path.join(project, 'node_modules', 'keras-ts'));

    // PATH holds node alone: no compiler, no npm.
    const bin = path.join(tmp, 'bin');
    fs.mkdirSync(bin);
    fs.symlinkSync(process.execPath, path.join(bin, 'node'));
    const run = (): { status: number | null; stderr: string; result: Record<string, unknown> } => {
      const env: Record<string, string> = { PATH: bin, HOME: tmp, TS_NODE_TRANSPILE_ONLY: 'true', TS_NODE_SKIP_IGNORE: 'true', TS_NODE_PROJECT: path.join(root, 'tsconfig.json') };
      const child = spawnSync(process.execPath, ['--preserve-symlinks', '--preserve-symlinks-main', '-r', path.join(root, 'node_modules', 'ts-node', 'register', 'transpile-only'),
        path.join(project, 'node_modules', 'keras-ts', 'test', 'backend', 'native', 'packaging_child.ts')], { cwd: project, encoding: 'utf8', env, timeout: 60000 });
      const line = (child.stdout ?? '').split('\n').find((l) => l.startsWith('RESULT '));
      if (line === undefined) throw new Error(`the child gave no result (status ${child.status}): ${child.stderr}`);
      return { status: child.status, stderr: child.stderr, result: JSON.parse(line.slice(7)) as Record<string, unknown> };
    };

    const prebuilt = run();
    expect(prebuilt.result.compilers).toEqual([]);
    expect(prebuilt.result.source).toEqual({ kind: 'package', path: path.join(installed, 'keras_cpu.node') });
    expect(prebuilt.result.addon).toEqual([path.join(installed, 'keras_cpu.node')]);
    expect(prebuilt.result.dnnl).toEqual([path.join(installed, 'libdnnl.so.2')]); // not /usr/lib's
    expect(prebuilt.result.gomp).toEqual([path.join(installed, 'libgomp.so.1')]);
    expect(prebuilt.result.backend).toBe('native');
    expect(prebuilt.result.device).toMatch(/prebuilt keras-ts-native-linux-x64/);
    const losses = prebuilt.result.losses as number[];
    expect(losses).toHaveLength(5);
    expect(losses[4]).toBeLessThan(losses[0]);
    expect(prebuilt.stderr).not.toMatch(/keras-ts:/);

    // At install (npm runs build.js --install), a platform package that loads means nothing to compile.
    const installScript = (): string => {
      const r = spawnSync(process.execPath, ['--preserve-symlinks', '--preserve-symlinks-main', path.join(project, 'node_modules', 'keras-ts', 'native', 'cpu', 'build.js'), '--install'],
        { cwd: project, encoding: 'utf8', env: { PATH: bin, HOME: tmp, KERAS_NATIVE_BUILD_DIR: path.join(tmp, 'install-build') } });
      expect(r.status).toBe(0);
      return r.stdout.trim();
    };
    expect(installScript()).toMatch(/^keras-ts: the native CPU backend is the prebuilt keras-ts-native-linux-x64 \(oneDNN \d+\.\d+\.\d+, .*\); nothing to compile\.$/);
    expect(fs.existsSync(path.join(tmp, 'install-build', 'keras_cpu.node'))).toBe(false);

    // A platform package of another release is passed over, with one line, for the source build.
    const manifest = path.join(installed, 'package.json');
    fs.writeFileSync(manifest, fs.readFileSync(manifest, 'utf8').replace('"version": "0.1.0"', '"version": "0.0.9"'));
    const other = run();
    expect(other.stderr).toMatch(/keras-ts: the prebuilt keras-ts-native-linux-x64 was not used: it is version 0\.0\.9, keras-ts is 0\.1\.0; using the source build .*native\/cpu\/build\/keras_cpu\.node\./);
    expect((other.result.source as { kind: string }).kind).toBe('source');
    expect(other.result.dnnl).not.toContain(path.join(installed, 'libdnnl.so.2'));
    // ... and at install it is built from source instead (here: no compiler on PATH, so wasm stays), one line each.
    expect(installScript().split('\n')).toEqual([
      expect.stringMatching(/^keras-ts: the prebuilt keras-ts-native-linux-x64 does not load here \(it is version 0\.0\.9, keras-ts is 0\.1\.0\); building the native CPU backend from source\.$/),
      expect.stringMatching(/^keras-ts: the native CPU backend was not built: no C\+\+ compiler found .*wasm is the default/),
    ]);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}, 120000);
