/**
 * k.utils.getFile against an http server on 127.0.0.1 (nothing leaves the machine; the cache is a
 * temporary folder, never the real ~/.keras): download, cache hit with the server gone, hashes
 * (sha256 and md5 from sha256sum/md5sum), a wrong hash leaving no file, Keras's file and folder
 * names, tar.gz and zip extraction, hostile archives refused by entry, 404, redirects, offline
 * errors naming the path to place the file at, KERAS_HOME.
 */
import * as fs from 'fs';
import * as http from 'http';
import type { AddressInfo } from 'net';
import * as os from 'os';
import * as path from 'path';
import * as zlib from 'zlib';
import { zipSync } from 'fflate';
import * as k from '../../src';
import { expectNoLeak, testBackend } from '../helpers';
import { FileServer, makeTar } from './file_server';

const BODY = 'keras-ts getFile test body\n';
const SHA256 = '03619d40daa20e1990c452494e4d981361b3c0893998457bacdee65773367e91'; // printf ... | sha256sum
const MD5 = 'c2db55293e0896aa8e373d37d9fbe1a6'; // printf ... | md5sum

const server = new FileServer();
let tmp: string;
let cacheDir: string;
const written: string[] = [];

beforeAll(async () => {
  await server.start();
  k.utils.setLogger({ write: (t) => void written.push(t), warn: (t) => void written.push(t) });
  server.routes.set('/data.txt', { body: BODY });
  server.routes.set('/moved', { redirect: '/data.txt' });
  server.routes.set('/files/archive.tar.gz', { body: zlib.gzipSync(makeTar([{ name: 'top/', type: '5' }, { name: 'top/a.txt', data: 'A' }, { name: 'top/sub/b.txt', data: 'BB' }])) });
  server.routes.set('/files/plain.tar', { body: makeTar([{ name: 'one.txt', data: '1' }]) });
  server.routes.set('/files/archive.zip', { body: zipSync({ 'z/a.txt': new Uint8Array(Buffer.from('ZA')), 'z/deep/b.txt': new Uint8Array(Buffer.from('ZB')) }) });
  const longName = `${'d'.repeat(60)}/${'f'.repeat(80)}.txt`; // past ustar's 100-byte name: a GNU 'L' entry first
  server.routes.set('/files/features.tar', {
    body: makeTar([
      { name: '././@LongLink', type: 'L', data: `${longName}\0` },
      { name: longName.slice(0, 99), data: 'long' },
      { name: 'data/', type: '5' },
      { name: 'data/real.txt', data: 'real' },
      { name: 'data/alias.txt', type: '2', linkname: 'real.txt' },
      { name: 'copy.txt', type: '1', linkname: 'data/real.txt' },
    ]),
  });
  server.routes.set('/evil/fifo.tar', { body: makeTar([{ name: 'pipe', type: '6' }]) });
  server.routes.set('/evil/dotdot.tar.gz', { body: zlib.gzipSync(makeTar([{ name: 'ok.txt', data: 'ok' }, { name: '../escaped.txt', data: 'x' }])) });
  server.routes.set('/evil/absolute.tar', { body: makeTar([{ name: '/tmp/keras-ts-absolute.txt', data: 'x' }]) });
  server.routes.set('/evil/link.tar', { body: makeTar([{ name: 'out', type: '2', linkname: '../../..' }]) });
  server.routes.set('/evil/through_link.tar', { body: makeTar([{ name: 'd', type: '2', linkname: '.' }, { name: 'up', type: '2', linkname: 'd/..' }, { name: 'up/x.txt', data: 'x' }]) });
  server.routes.set('/evil/dotdot.zip', { body: zipSync({ '../escaped.txt': new Uint8Array([1]) }) });
});

beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'getfile-'));
  cacheDir = path.join(tmp, 'cache');
  written.length = 0;
  server.requests.length = 0;
});

afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

afterAll(async () => {
  k.utils.setLogger(null);
  await server.stop();
});

/** A port on 127.0.0.1 that nothing listens on (one just closed). */
async function closedPort(): Promise<number> {
  const closed = http.createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const port = (closed.address() as AddressInfo).port;
  await new Promise((resolve) => closed.close(resolve));
  return port;
}

/** The files under `dir`, relative, sorted. */
function tree(dir: string): string[] {
  return (fs.readdirSync(dir, { recursive: true }) as string[]).map((p) => p.split(path.sep).join('/')).sort();
}

describe('download and cache', () => {
  test('downloads to cacheDir/datasets/fname, with Keras message and final progress line', async () => {
    const p = await k.utils.getFile('data.txt', { origin: `${server.base}/data.txt`, cacheDir });
    expect(p).toBe(path.join(cacheDir, 'datasets', 'data.txt'));
    expect(fs.readFileSync(p, 'utf8')).toBe(BODY);
    expect(written.join('')).toContain(`Downloading data from ${server.base}/data.txt\n`);
    expect(written.join('')).toMatch(/ 27\/27 \[=+\] - \d+s \d+(us|ms|s)\/step\n/);
    expect(tree(path.join(cacheDir, 'datasets'))).toEqual(['data.txt']); // no temporary file left
  });

  test('on a terminal the bar is redrawn in place and ends with the full line', async () => {
    const lines: string[] = [];
    k.utils.setLogger({ write: (t) => void lines.push(t), warn: (t) => void lines.push(t), isTTY: true });
    try {
      server.routes.set('/big.bin', { body: new Uint8Array(3 * 2 ** 20) });
      await k.utils.getFile('big.bin', { origin: `${server.base}/big.bin`, cacheDir });
    } finally {
      k.utils.setLogger({ write: (t) => void written.push(t), warn: (t) => void written.push(t) });
      server.routes.delete('/big.bin');
    }
    lines.filter((l) => l.includes('ETA')).forEach((l) => expect(l).toMatch(/^\r +\d+\/3145728 \[[=>.]{30}\] - ETA: \d+s$/));
    const last = lines[lines.length - 1];
    expect(last).toMatch(/^\r 3145728\/3145728 \[={30}\] - \d+s \d+(us|ms|s)\/step\n$/);
  });

  test('a cache hit does not download: it works with the server gone, and the hash is checked', async () => {
    await k.utils.getFile('data.txt', { origin: `${server.base}/data.txt`, cacheDir, fileHash: SHA256 });
    const gone = `http://127.0.0.1:${await closedPort()}/data.txt`;
    const p = await k.utils.getFile('data.txt', { origin: gone, cacheDir, fileHash: SHA256 });
    expect(fs.readFileSync(p, 'utf8')).toBe(BODY);
    expect(server.requests).toEqual(['/data.txt']);
    await k.utils.getFile('data.txt', { origin: `${server.base}/data.txt`, cacheDir, forceDownload: true });
    expect(server.requests).toEqual(['/data.txt', '/data.txt']);
  });

  test('md5 (md5Hash, or a 32-character fileHash with auto) and sha256 are accepted', async () => {
    await expect(k.utils.getFile('a.txt', { origin: `${server.base}/data.txt`, cacheDir, md5Hash: MD5 })).resolves.toContain('a.txt');
    await expect(k.utils.getFile('b.txt', { origin: `${server.base}/data.txt`, cacheDir, fileHash: MD5 })).resolves.toContain('b.txt');
    await expect(k.utils.getFile('c.txt', { origin: `${server.base}/data.txt`, cacheDir, fileHash: SHA256, hashAlgorithm: 'sha256' })).resolves.toContain('c.txt');
  });

  test('a wrong hash is refused and leaves no file', async () => {
    const wrong = '0'.repeat(64);
    await expect(k.utils.getFile('data.txt', { origin: `${server.base}/data.txt`, cacheDir, fileHash: wrong })).rejects.toThrow(
      `its sha256 hash is ${SHA256}, not ${wrong}`,
    );
    expect(tree(path.join(cacheDir, 'datasets'))).toEqual([]);
  });

  test('a cached file with a wrong hash is downloaded again', async () => {
    fs.mkdirSync(path.join(cacheDir, 'datasets'), { recursive: true });
    fs.writeFileSync(path.join(cacheDir, 'datasets', 'data.txt'), 'truncat');
    const p = await k.utils.getFile('data.txt', { origin: `${server.base}/data.txt`, cacheDir, fileHash: SHA256 });
    expect(fs.readFileSync(p, 'utf8')).toBe(BODY);
    expect(written.join('')).toContain('does not match the original value');
  });

  test('redirects are followed; the name is taken from the origin when fname is null', async () => {
    const p = await k.utils.getFile('moved.txt', { origin: `${server.base}/moved`, cacheDir });
    expect(fs.readFileSync(p, 'utf8')).toBe(BODY);
    expect(server.requests).toEqual(['/moved', '/data.txt']);
    expect(await k.utils.getFile(null, { origin: `${server.base}/data.txt`, cacheDir, cacheSubdir: 'models' })).toBe(path.join(cacheDir, 'models', 'data.txt'));
    const absolute = path.join(tmp, 'elsewhere');
    expect(await k.utils.getFile('data.txt', { origin: `${server.base}/data.txt`, cacheDir, cacheSubdir: absolute })).toBe(path.join(absolute, 'data.txt'));
  });

  test('KERAS_HOME is the default cache folder', async () => {
    const saved = process.env.KERAS_HOME;
    process.env.KERAS_HOME = path.join(tmp, 'home');
    try {
      expect(k.utils.kerasHome()).toBe(path.join(tmp, 'home'));
      expect(await k.utils.getFile('data.txt', { origin: `${server.base}/data.txt` })).toBe(path.join(tmp, 'home', 'datasets', 'data.txt'));
    } finally {
      if (saved === undefined) delete process.env.KERAS_HOME;
      else process.env.KERAS_HOME = saved;
    }
  });
});

test('getFile makes no tensors', async () => {
  await k.setBackend(testBackend());
  await expectNoLeak(() => k.utils.getFile('data.txt', { origin: `${server.base}/data.txt`, cacheDir }));
});

describe('errors', () => {
  test('404 is named with the URL and leaves no file', async () => {
    await expect(k.utils.getFile('nope.txt', { origin: `${server.base}/nope.txt`, cacheDir })).rejects.toThrow(
      `URL fetch failure on ${server.base}/nope.txt: the server answered 404 Not Found. help: check the origin URL; or download the file by other means and place it at ${path.join(cacheDir, 'datasets', 'nope.txt')}`,
    );
    expect(tree(path.join(cacheDir, 'datasets'))).toEqual([]);
  });

  test('offline (connection refused) fails fast, naming the URL and the exact path to place the file at', async () => {
    const port = await closedPort();
    const start = Date.now();
    const target = path.join(cacheDir, 'datasets', 'mnist.npz');
    await expect(k.utils.getFile('mnist.npz', { origin: `http://127.0.0.1:${port}/mnist.npz`, cacheDir })).rejects.toThrow(
      `could not download http://127.0.0.1:${port}/mnist.npz (ECONNREFUSED). help: check the network (a proxy, a firewall, no connection); or download the file by other means and place it at ${target}, where it is used without a download.`,
    );
    expect(Date.now() - start).toBeLessThan(5000);
  });

  test('a DNS failure is named too', async () => {
    const saved = process.env.KERAS_TS_OFFLINE; // test/offline_env.js turns downloads off; a .invalid name never leaves the resolver
    delete process.env.KERAS_TS_OFFLINE;
    try {
      await expect(k.utils.getFile('x.npz', { origin: 'http://keras-ts-no-such-host.invalid/x.npz', cacheDir })).rejects.toThrow(
        /could not download http:\/\/keras-ts-no-such-host.invalid\/x.npz \((ENOTFOUND|EAI_AGAIN)\)\. help: .*place it at .*x\.npz/,
      );
    } finally {
      process.env.KERAS_TS_OFFLINE = saved;
    }
  }, 30000);

  test('KERAS_TS_OFFLINE=1 refuses other machines at once, naming the URL and the path; 127.0.0.1 still serves', async () => {
    expect(process.env.KERAS_TS_OFFLINE).toBe('1');
    const start = Date.now();
    await expect(k.utils.getFile('y.npz', { origin: 'https://example.com/y.npz', cacheDir })).rejects.toThrow(
      /could not download https:\/\/example\.com\/y\.npz \(downloads are turned off by KERAS_TS_OFFLINE\)\. help: .*place it at .*y\.npz/,
    );
    expect(Date.now() - start).toBeLessThan(1000);
    expect(fs.existsSync(path.join(cacheDir, 'datasets', 'y.npz'))).toBe(false);
  }); // a resolver with no server may take a while to give up

  test('bad arguments are refused with help', async () => {
    await expect(k.utils.getFile('a/b.txt', { origin: `${server.base}/data.txt`, cacheDir })).rejects.toThrow('a file name, not a path, is expected');
    await expect(k.utils.getFile('x', { origin: 'ftp://host/x', cacheDir })).rejects.toThrow('`origin` must be an http(s) URL');
    await expect(k.utils.getFile('x', { origin: `${server.base}/x`, cacheDir, file_hash: 'x' } as never)).rejects.toThrow(/file_hash/);
    await expect(k.utils.getFile(null, { origin: `${server.base}/`, cacheDir })).rejects.toThrow("can't take a file name from the origin");
    await expect(k.utils.getFile('x', { origin: `${server.base}/x`, cacheDir, hashAlgorithm: 'sha1' as never })).rejects.toThrow("`hashAlgorithm` must be 'auto', 'sha256' or 'md5', got \"sha1\"");
  });
});

describe('extract', () => {
  test('tar.gz with fname "archive.tar.gz": archive kept under its name, folder archive_extracted (Keras names)', async () => {
    const p = await k.utils.getFile('archive.tar.gz', { origin: `${server.base}/files/archive.tar.gz`, cacheDir, extract: true });
    expect(p).toBe(path.join(cacheDir, 'datasets', 'archive_extracted'));
    expect(tree(p)).toEqual(['top', 'top/a.txt', 'top/sub', 'top/sub/b.txt']);
    expect(fs.readFileSync(path.join(p, 'top', 'sub', 'b.txt'), 'utf8')).toBe('BB');
    expect(tree(path.join(cacheDir, 'datasets'))).toEqual(expect.arrayContaining(['archive.tar.gz', 'archive_extracted']));
  });

  test('fname without a dot: archive fname_archive, folder fname; untar; a plain tar', async () => {
    const p = await k.utils.getFile('cifar-like', { origin: `${server.base}/files/archive.tar.gz`, cacheDir, untar: true });
    expect(p).toBe(path.join(cacheDir, 'datasets', 'cifar-like'));
    expect(fs.existsSync(path.join(cacheDir, 'datasets', 'cifar-like_archive'))).toBe(true);
    expect(tree(p)).toContain('top/a.txt');
    const plain = await k.utils.getFile('plain', { origin: `${server.base}/files/plain.tar`, cacheDir, extract: true });
    expect(fs.readFileSync(path.join(plain, 'one.txt'), 'utf8')).toBe('1');
  });

  test('GNU long names, symbolic links inside the folder, hard links (copied)', async () => {
    const p = await k.utils.getFile('features.tar', { origin: `${server.base}/files/features.tar`, cacheDir, extract: true });
    expect(fs.readFileSync(path.join(p, 'd'.repeat(60), `${'f'.repeat(80)}.txt`), 'utf8')).toBe('long');
    expect(fs.readlinkSync(path.join(p, 'data', 'alias.txt'))).toBe('real.txt');
    expect(fs.readFileSync(path.join(p, 'data', 'alias.txt'), 'utf8')).toBe('real');
    expect(fs.lstatSync(path.join(p, 'copy.txt')).isFile()).toBe(true);
    expect(fs.readFileSync(path.join(p, 'copy.txt'), 'utf8')).toBe('real');
  });

  test('zip', async () => {
    const p = await k.utils.getFile('archive.zip', { origin: `${server.base}/files/archive.zip`, cacheDir, extract: true });
    expect(tree(p)).toEqual(['z', 'z/a.txt', 'z/deep', 'z/deep/b.txt']);
    expect(fs.readFileSync(path.join(p, 'z', 'deep', 'b.txt'), 'utf8')).toBe('ZB');
  });

  test.each([
    ['dotdot.tar.gz', "refusing the archive entry '../escaped.txt': a path with '..'"],
    ['absolute.tar', "refusing the archive entry '/tmp/keras-ts-absolute.txt': an absolute path"],
    ['link.tar', "refusing the archive entry 'out': a symbolic link to '../../..', outside the extraction folder"],
    ['through_link.tar', "refusing the archive entry 'up/x.txt': a path through 'up', which leads outside the extraction folder"],
    ['dotdot.zip', "refusing the zip entry '../escaped.txt'"],
    ['fifo.tar', "refusing the archive entry 'pipe', a device or FIFO"],
  ])('a hostile archive (%s) is refused naming the entry, and nothing is left extracted', async (file, message) => {
    await expect(k.utils.getFile(file, { origin: `${server.base}/evil/${file}`, cacheDir, extract: true })).rejects.toThrow(message);
    const datadir = path.join(cacheDir, 'datasets');
    expect(tree(datadir)).toEqual([file]); // the archive only: no folder, no temporary folder
    expect(fs.existsSync(path.join(cacheDir, 'escaped.txt'))).toBe(false);
    expect(fs.existsSync('/tmp/keras-ts-absolute.txt')).toBe(false);
  });
});
