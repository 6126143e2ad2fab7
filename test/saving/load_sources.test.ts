/**
 * loadModel from every source a user has (issue 19 item 5): the bytes of a .keras and an .h5 file,
 * http URLs served on 127.0.0.1 by this test (a tfjs folder, a .keras file), and tfjs's in-memory
 * ModelArtifacts built from a saved folder's model.json and shard. Each loaded model predicts what
 * the saved one predicts (bit for bit: float32 weights round-trip exactly); refused inputs name
 * what is wrong, fetch nothing they should not, and leave no tensor behind.
 */
import * as fs from 'fs';
import * as http from 'http';
import type { AddressInfo } from 'net';
import * as os from 'os';
import * as path from 'path';
import { pathToFileURL } from 'url';
import * as tfc from '@tensorflow/tfjs-core';
import * as k from '../../src';
import { fetchBytes } from '../../src/saving/io/http';
import { expectNoLeak } from '../helpers';

let tmp: string;
let original: k.Model;
let x: tfc.Tensor;
let expected: number[];
let server: http.Server;
let base: string;
const requests: string[] = [];

/** Serves `tmp` read-only, plus a response that claims 2 GiB and a login page. */
function serve(req: http.IncomingMessage, res: http.ServerResponse): void {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  requests.push(url.pathname);
  if (url.pathname === '/huge.keras') {
    res.writeHead(200, { 'Content-Length': String(2 ** 31) });
    res.write(Buffer.alloc(64)); // and never ends: the client must refuse by the header
    return;
  }
  if (url.pathname === '/cut.keras') {
    res.writeHead(200, { 'Content-Length': '1000' });
    res.write(Buffer.alloc(10));
    setTimeout(() => res.destroy(), 20); // the connection drops mid-body
    return;
  }
  if (url.pathname === '/chunked') {
    res.writeHead(200); // no Content-Length: only counting can bound it
    for (let i = 0; i < 4; i++) res.write(Buffer.alloc(100));
    res.end();
    return;
  }
  if (url.pathname === '/moved') {
    res.writeHead(302, { Location: '/model.keras' });
    res.end();
    return;
  }
  if (url.pathname === '/login') {
    res.writeHead(200, { 'Content-Type': 'text/html' });
    res.end('<!DOCTYPE html><html><body>Sign in</body></html>');
    return;
  }
  const file = path.join(tmp, decodeURIComponent(url.pathname));
  if (!file.startsWith(tmp + path.sep) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) {
    res.writeHead(404, ''); // no reason phrase (as over HTTP/2): the message takes the standard one
    res.end();
    return;
  }
  res.writeHead(200);
  res.end(fs.readFileSync(file));
}

function predict(model: k.Model): number[] {
  const y = model.predict(x) as tfc.Tensor;
  const values = Array.from(y.dataSync());
  y.dispose();
  return values;
}

/** Loads `source`, checks its predictions equal the saved model's and that it is compiled, and disposes it; no tensor may remain. */
async function expectSameModel(source: Parameters<typeof k.models.loadModel>[0]): Promise<void> {
  await expectNoLeak(async () => {
    const model = await k.models.loadModel(source);
    expect(predict(model)).toEqual(expected);
    expect(model.compileArgs).not.toBeNull();
    model.dispose();
  });
}

/** A copy of the tfjs folder's model.json with its shard paths replaced, written to tmp/<name>/model.json. */
function modelJsonWithPaths(name: string, paths: string[]): void {
  const json = JSON.parse(fs.readFileSync(path.join(tmp, 'tfjs', 'model.json'), 'utf8'));
  json.weightsManifest[0].paths = paths;
  fs.mkdirSync(path.join(tmp, name), { recursive: true });
  fs.writeFileSync(path.join(tmp, name, 'model.json'), JSON.stringify(json));
  fs.copyFileSync(path.join(tmp, 'tfjs', 'group1-shard1of1.bin'), path.join(tmp, name, 'group1-shard1of1.bin'));
}

/** tfjs ModelArtifacts read by hand from the saved folder, as tf.io.fromMemory takes them. */
function artifactsFromFolder(): { modelTopology: object; weightSpecs: tfc.io.WeightsManifestEntry[]; weightData: ArrayBuffer } {
  const json = JSON.parse(fs.readFileSync(path.join(tmp, 'tfjs', 'model.json'), 'utf8'));
  const group = json.weightsManifest[0] as { paths: string[]; weights: tfc.io.WeightsManifestEntry[] };
  expect(group.paths).toEqual(['group1-shard1of1.bin']);
  const bin = fs.readFileSync(path.join(tmp, 'tfjs', group.paths[0]));
  return { modelTopology: json.modelTopology, weightSpecs: group.weights, weightData: bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength) };
}

beforeAll(async () => {
  await k.setBackend('cpu');
  tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'keras-ts-sources-')));
  original = new k.Sequential([
    new k.layers.Dense({ units: 4, activation: 'relu', inputShape: [3], name: 'hidden' }),
    new k.layers.Dense({ units: 2, name: 'out' }),
  ]);
  original.compile({ optimizer: 'adam', loss: 'mse' });
  x = tfc.tensor2d([[0.5, -1, 2], [1, 0.25, -0.75]]);
  const y = tfc.tensor2d([[1, 0], [0, 1]]);
  await original.fit(x, y, { epochs: 2, batchSize: 2, verbose: 0 });
  y.dispose();
  expected = predict(original);
  await original.save(path.join(tmp, 'model.keras'));
  await original.save(path.join(tmp, 'model.h5'));
  await original.save(path.join(tmp, 'tfjs/'));
  fs.writeFileSync(path.join(tmp, 'secret.bin'), fs.readFileSync(path.join(tmp, 'tfjs', 'group1-shard1of1.bin')));
  server = http.createServer(serve);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  original.dispose();
  x.dispose();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('from bytes', () => {
  test.each([
    ['a .keras file as a Node Buffer', () => fs.readFileSync(path.join(tmp, 'model.keras'))],
    ['a .keras file as a Uint8Array', () => new Uint8Array(fs.readFileSync(path.join(tmp, 'model.keras')))],
    ['an .h5 file as a Uint8Array', () => new Uint8Array(fs.readFileSync(path.join(tmp, 'model.h5')))],
    ['an .h5 file as an ArrayBuffer', () => new Uint8Array(fs.readFileSync(path.join(tmp, 'model.h5'))).buffer],
  ])('%s predicts what the saved model predicts', async (_, bytes) => {
    await expectSameModel(bytes());
  });

  test('bytes of no model are refused, naming their size; a truncated .keras is a KerasError', async () => {
    await expectNoLeak(async () => {
      await expect(k.models.loadModel(new Uint8Array([1, 2, 3, 4]))).rejects.toThrow(/loadModel\(<4 bytes>\): the bytes are neither a .keras archive \(zip\) nor an HDF5 file. help:/);
      const keras = fs.readFileSync(path.join(tmp, 'model.keras'));
      await expect(k.models.loadModel(keras.subarray(0, keras.length >> 1))).rejects.toThrow(k.KerasError);
    });
  });

  test('anything else is refused with the accepted kinds', async () => {
    await expect(k.models.loadModel(new Float32Array(4) as unknown as Uint8Array)).rejects.toThrow(/cannot load a model from Float32Array. help: pass a file path or http\(s\) URL, the bytes/);
    await expect(k.models.loadModel(42 as unknown as string)).rejects.toThrow(/cannot load a model from number/);
    await expect(k.models.loadModel('')).rejects.toThrow(/give a file path or a URL/);
  });
});

describe('from a URL', () => {
  test('a tfjs model.json and its shard, and a .keras file, predict what the saved model predicts', async () => {
    await expectSameModel(`${base}/tfjs/model.json`);
    expect(requests.slice(-2)).toEqual(['/tfjs/model.json', '/tfjs/group1-shard1of1.bin']);
    await expectSameModel(`${base}/model.keras`);
    await expectSameModel(`${base}/model.h5`);
  });

  test('a redirect is followed; a file:// URL reads the file', async () => {
    await expectSameModel(`${base}/moved`);
    expect(requests.slice(-2)).toEqual(['/moved', '/model.keras']);
    await expectSameModel(pathToFileURL(path.join(tmp, 'model.keras')).href);
  });

  test('a 404 names the URL and the status', async () => {
    await expect(k.models.loadModel(`${base}/nothere/model.json`)).rejects.toThrow(`${base}/nothere/model.json answered 404 Not Found. help:`);
    modelJsonWithPaths('noshard', ['missing.bin']);
    await expect(k.models.loadModel(`${base}/noshard/model.json`)).rejects.toThrow(`${base}/noshard/missing.bin answered 404 Not Found`);
  });

  test.each([
    ['../secret.bin', /refusing the shard path '..\/secret.bin', which leaves the model's folder. help: weight files must be served beside model.json/],
    ['%2e%2e/secret.bin', /refusing the shard path '%2e%2e\/secret.bin', which leaves the model's folder/],
    ['/secret.bin', /refusing the shard path '\/secret.bin', which leads outside the model's folder \(to \/secret.bin\)/],
    ['http://localhost:1/secret.bin', /refusing the shard path 'http:\/\/localhost:1\/secret.bin', which leads to another origin \(http:\/\/localhost:1\)/],
    ['//evil.example/secret.bin', /which leads to another origin \(http:\/\/evil.example\)/],
  ])('a shard path %s escaping the folder is refused before anything is fetched', async (shard, message) => {
    modelJsonWithPaths('evil', [shard]);
    const before = requests.length;
    await expectNoLeak(() => expect(k.models.loadModel(`${base}/evil/model.json`)).rejects.toThrow(message));
    expect(requests.slice(before)).toEqual(['/evil/model.json']);
  });

  test('an absolute shard URL on the same origin, inside the folder, is allowed', async () => {
    modelJsonWithPaths('absolute', [`${base}/absolute/group1-shard1of1.bin`]);
    await expectSameModel(`${base}/absolute/model.json`);
  });

  test('a page that is no model, a response over the limit and an unreachable server are refused with what to do', async () => {
    await expect(k.models.loadModel(`${base}/login`)).rejects.toThrow(/served neither a .keras archive \(zip\), an HDF5 file, nor a tfjs model.json \(it begins '<!DOCTYPE html>/);
    await expect(k.models.loadModel(`${base}/huge.keras`)).rejects.toThrow(
      `${base}/huge.keras is larger (2147483648 bytes) than loadModel downloads (${k.models.MAX_DOWNLOAD_BYTES} bytes for a whole model). help: download it yourself`,
    );
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    await expect(k.models.loadModel(`http://127.0.0.1:${port}/model.keras`)).rejects.toThrow(
      new RegExp(`could not fetch http://127.0.0.1:${port}/model.keras \\(ECONNREFUSED\\). help: check the URL, that the server is up and reachable`),
    );
    await expect(k.models.loadModel(`${base}/cut.keras`)).rejects.toThrow(new RegExp(`could not fetch ${base}/cut.keras \\(.+\\). help: check the URL`));
  });

  test('a body without Content-Length is counted against the budget as it arrives', async () => {
    const url = new URL(`${base}/chunked`);
    await expect(fetchBytes(url, { left: 399 }, 'test')).rejects.toThrow(`test: ${url.href} is larger (over 399 bytes) than loadModel downloads`);
    const budget = { left: 400 };
    expect((await fetchBytes(url, budget, 'test')).length).toBe(400);
    expect(budget.left).toBe(0);
  });

  test('a URL with credentials is refused without showing them; a malformed URL is named', async () => {
    const secret = `http://user:hunter2@127.0.0.1:${new URL(base).port}/model.keras`;
    const refused = k.models.loadModel(secret);
    await expect(refused).rejects.toThrow(`loadModel('${base}/model.keras'): ${base}/model.keras carries a user name or password, which fetch does not send. help:`);
    await expect(k.models.loadModel(secret)).rejects.not.toThrow(/hunter2/);
    await expect(k.models.loadModel('http://')).rejects.toThrow(/'http:\/\/' is not a valid URL. help:/);
  });
});

describe('from tfjs ModelArtifacts', () => {
  test('artifacts read from a saved folder (one ArrayBuffer, or a list of them) predict what the saved model predicts, compiled from its training config', async () => {
    const artifacts = artifactsFromFolder();
    await expectSameModel(artifacts);
    const cut = 20;
    await expectSameModel({ ...artifacts, weightData: [artifacts.weightData.slice(0, cut), artifacts.weightData.slice(cut)] });
  });

  test("tfjs's own io.fromMemory handler gives artifacts loadModel reads", async () => {
    const artifacts: tfc.io.ModelArtifacts = await (tfc.io.fromMemory(artifactsFromFolder()).load as () => Promise<tfc.io.ModelArtifacts>)();
    await expectSameModel(artifacts);
  });

  test('bad artifacts are refused with the same checks as a folder, leaving no tensor', async () => {
    const artifacts = artifactsFromFolder();
    const where = 'loadModel(<tfjs ModelArtifacts>)';
    await expectNoLeak(async () => {
      const pooled = Buffer.concat([Buffer.alloc(8), Buffer.from(artifacts.weightData)]);
      // 26 float32 weights (3x4 + 4 + 4x2 + 2) take 104 bytes; a small Buffer's .buffer is Node's whole shared pool
      expect(pooled.buffer.byteLength).toBeGreaterThan(112);
      await expect(k.models.loadModel({ ...artifacts, weightData: pooled.buffer })).rejects.toThrow(
        new RegExp(`weightSpecs need 104 bytes by their shapes and dtypes, but weightData holds ${pooled.buffer.byteLength}\\..*buf\\.buffer\\.slice`),
      );
      await expect(k.models.loadModel({ ...artifacts, weightData: artifacts.weightData.slice(4) })).rejects.toThrow(/need 104 bytes .* holds 100\./);
      const renamed = artifacts.weightSpecs.map((s, i) => (i === 0 ? { ...s, name: 'other/kernel' } : s));
      await expect(k.models.loadModel({ ...artifacts, weightSpecs: renamed })).rejects.toThrow(`${where}: the file has no values for weights 'hidden/kernel'`);
      const complex = artifacts.weightSpecs.map((s, i) => (i === 0 ? { ...s, dtype: 'complex64' as const } : s));
      await expect(k.models.loadModel({ ...artifacts, weightSpecs: complex })).rejects.toThrow(/dtype "complex64"/);
      await expect(k.models.loadModel({ ...artifacts, modelTopology: new ArrayBuffer(8) })).rejects.toThrow(/a tfjs graph model .* cannot be loaded as a Keras model/);
      await expect(k.models.loadModel({ ...artifacts, weightData: 'abc' as unknown as ArrayBuffer })).rejects.toThrow(/weightData is string, not an ArrayBuffer/);
    });
  });
});
