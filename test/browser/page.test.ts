/**
 * keras-ts in a real browser: Debian's headless Chromium, driven by puppeteer-core (in a process
 * of its own, run_page.cjs), loads test/browser/harness.html from a static server on 127.0.0.1,
 * whose script imports the browser build (scripts/build_browser.js, built afresh into a temporary
 * site) as a user's page would; the checks themselves run in the page (page_checks.mjs). Predictions are compared with this Node
 * process's cpu backend for the same weights; a .keras file written here is loaded there. Every
 * console error and uncaught exception in the page fails the suite. WebGL runs on SwiftShader.
 * Skipped, saying why, only where /usr/bin/chromium is absent (CI installs it).
 */
import { execFile, execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as k from '../../src';

const root = path.join(__dirname, '..', '..');
const CHROMIUM = '/usr/bin/chromium';
const hasChromium = fs.existsSync(CHROMIUM);
const describeInBrowser = hasChromium ? describe : describe.skip;
if (!hasChromium) console.warn(`test/browser/page.test.ts skipped: no Chromium at ${CHROMIUM}. help: apt-get install chromium.`);


interface WeightJson {
  shape: number[];
  values: number[];
}

/**
 * A site of its own for the page: the browser build written into it (so that \`npm run build\`,
 * which empties dist/, cannot pull it away in a parallel test) and the test page beside it.
 */
function buildSite(site: string): void {
  execFileSync(process.execPath, [path.join(root, 'scripts', 'build_browser.js'), '--outdir', path.join(site, 'dist', 'browser')], { stdio: 'pipe' });
  fs.mkdirSync(path.join(site, 'test', 'browser'), { recursive: true });
  for (const f of ['harness.html', 'page_checks.mjs']) fs.copyFileSync(path.join(__dirname, f), path.join(site, 'test', 'browser', f));
}

// The problem and the weights, by formula (the same on both sides).
const X = Array.from({ length: 48 }, (_, i) => Array.from({ length: 4 }, (_, j) => Math.sin(1.3 * i + 2.1 * j) + 0.1 * j));
const Y = X.map((row) => {
  const c = row.slice(0, 3).indexOf(Math.max(...row.slice(0, 3)));
  return [0, 1, 2].map((j) => (j === c ? 1 : 0));
});
const WEIGHTS: WeightJson[] = [[4, 8], [8], [8, 3], [3]].map((shape, w) => {
  const n = shape.reduce((a, b) => a * b, 1);
  return { shape, values: Array.from({ length: n }, (_, i) => 0.6 * Math.sin(0.37 * i + 1.7 * w + 0.2)) };
});
const XS = X.slice(0, 6);

/** The same MLP as page_checks.mjs, with WEIGHTS, on this process's cpu backend. */
function nodeModel(): k.Sequential {
  const model = new k.Sequential([
    new k.layers.Dense({ units: 8, activation: 'relu', inputShape: [4], name: 'hidden' }),
    new k.layers.Dense({ units: 3, activation: 'softmax', name: 'out' }),
  ]);
  model.build([null, 4]);
  model.setWeights(WEIGHTS.map((w) => k.tf.tensor(w.values, w.shape)));
  return model;
}

function maxDiff(a: number[][], b: number[][]): number {
  const x = a.flat();
  const y = b.flat();
  expect(y).toHaveLength(x.length);
  return Math.max(...x.map((v, i) => Math.abs(v - y[i])));
}


interface Outcome {
  value?: unknown;
  error?: string;
}

/** Each check page_checks.mjs runs, by id, in this order. */
function checks(): Array<{ id: string; name: string; args?: object }> {
  const out: Array<{ id: string; name: string; args?: object }> = [{ id: 'pristine', name: 'pristine' }, { id: 'names', name: 'names' }, { id: 'autoChoice', name: 'autoChoice' }, { id: 'naming', name: 'naming' }];
  out.push({ id: 'defaultLogger', name: 'defaultLogger', args: { x: X, y: Y } });
  for (const backend of ['wasm', 'webgl', 'cpu']) out.push({ id: `fit ${backend}`, name: 'fit', args: { backend, x: X, y: Y } });
  out.push({ id: 'fusedKernels webgl', name: 'fusedKernels', args: { backend: 'webgl' } });
  for (const optimizer of ['sgd', 'adam']) out.push({ id: `fitKernels webgl ${optimizer}`, name: 'fitKernels', args: { backend: 'webgl', x: X, y: Y, optimizer } });
  for (const backend of ['cpu', 'wasm', 'webgl']) out.push({ id: `predict ${backend}`, name: 'predict', args: { backend, weights: WEIGHTS, x: XS } });
  for (const url of STORES) out.push({ id: url, name: 'storeRoundTrip', args: { url, weights: WEIGHTS, x: XS } });
  for (const name of FILES) {
    const base64 = fs.readFileSync(path.join(modelDir, name)).toString('base64');
    out.push({ id: name, name: 'loadFile', args: { base64, name, url: `$MODELS/${name}`, x: XS, backend: 'wasm' } });
  }
  out.push({ id: 'kerasInPage', name: 'kerasInPage', args: { weights: WEIGHTS, x: XS } });
  for (const backend of ['webgl', 'wasm', 'cpu']) out.push({ id: `nan ${backend}`, name: 'nan', args: { backend } });
  out.push({ id: 'nodeOnly', name: 'nodeOnly' });
  return out;
}

const STORES = ['indexeddb://keras-ts-test', 'localstorage://keras-ts-test'];
const FILES = ['model.keras', 'model.h5'];
let modelDir = '';
let site = '';
let nodePredictions: number[][] = [];
let run: { results: Record<string, Outcome>; problems: string[] } = { results: {}, problems: [] };

/** The value check `id` returned in the page (its error fails the test with the page's message). */
function result<T>(id: string): T {
  const outcome = run.results[id];
  if (outcome === undefined) throw new Error(`the page did not run '${id}'`);
  if (outcome.error !== undefined) throw new Error(`in the page, '${id}' failed: ${outcome.error}`);
  return outcome.value as T;
}

describeInBrowser('keras-ts in headless Chromium', () => {
  beforeAll(async () => {
    site = fs.mkdtempSync(path.join(os.tmpdir(), 'keras-ts-site-'));
    buildSite(site);
    await k.setBackend('cpu');
    const model = nodeModel();
    nodePredictions = k.tf.tidy(() => (model.predict(k.tf.tensor(XS)) as k.tf.Tensor).arraySync() as number[][]);
    modelDir = fs.mkdtempSync(path.join(os.tmpdir(), 'keras-ts-browser-'));
    model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy' });
    for (const name of FILES) await model.save(path.join(modelDir, name));
    model.dispose();
    const job = path.join(modelDir, 'job.json');
    fs.writeFileSync(job, JSON.stringify({ root: site, modelsDir: modelDir, chromium: CHROMIUM, checks: checks() }));
    const stdout = await new Promise<string>((resolve, reject) => {
      execFile(process.execPath, [path.join(__dirname, 'run_page.cjs'), job], { maxBuffer: 64 << 20, timeout: 280_000 }, (err, out, errOut) =>
        err ? reject(new Error(`run_page.cjs failed: ${err.message}\n${errOut}`)) : resolve(out),
      );
    });
    run = JSON.parse(stdout.trim().split('\n').pop() as string);
  }, 300_000);

  afterAll(() => {
    for (const dir of [modelDir, site]) if (dir !== '') fs.rmSync(dir, { recursive: true, force: true });
  });

  test('the page imports the browser build, with every public name of the Node entry', () => {
    expect(result<string[]>('names')).toEqual(Object.keys(k).sort());
  });

  test('importing the bundle registers nothing with tfjs-core: no backend, no gradient, no chained method', () => {
    expect(result<object>('pristine')).toEqual({ factories: [], backend: null, addGradient: false, chainedSquare: 'undefined' });
  });

  test('with no setBackend, the page times wasm and WebGL (SwiftShader here) once and takes the faster; nothing leaks', () => {
    const r = result<{ chosen: string; again: string; probe: Record<string, number> | null; stored: { choice: string; timings: Record<string, number> }; leaked: number }>('autoChoice');
    expect(r.probe).not.toBeNull();
    const probe = r.probe as Record<string, number>;
    expect(Object.keys(probe)).toEqual(expect.arrayContaining(['wasm', 'webgl'])); // webgpu too where the browser has an adapter
    Object.values(probe).forEach((ms) => expect(ms).toBeGreaterThan(0));
    const fastest = Object.entries(probe).sort((a, b) => a[1] - b[1])[0][0];
    expect(r.chosen).toBe(fastest);
    expect(r.again).toBe(fastest);
    expect(r.stored).toEqual({ choice: fastest, timings: probe });
    expect(r.leaked).toBe(0);
  });

  test("names that come from class names survive the minifier: 'sequential', 'dense', classes in the config", () => {
    expect(result<object>('naming')).toEqual({ model: 'sequential', layers: ['dense', 'dropout'], classes: ['InputLayer', 'Dense', 'Dropout'] });
  });

  test("fit's lines and model.summary() go to the console by default (a page has no process.stdout)", () => {
    const lines = result<string[]>('defaultLogger');
    expect(lines.filter((l) => /^Epoch [12]\/2$/.test(l))).toHaveLength(2);
    expect(lines.filter((l) => /^ ?48\/48 \[=+\] - .*loss: \d/.test(l))).toHaveLength(2);
    expect(lines.some((l) => l.startsWith('Model: "sequential'))).toBe(true);
  });

  test.each(['wasm', 'webgl', 'cpu'])('fit on %s: the loss decreases, no tensor is left behind', (backend) => {
    const r = result<{ backend: string; tfjsBackend: string; loss: number[]; leaked: number }>(`fit ${backend}`);
    expect(r.backend).toBe(backend);
    expect(r.tfjsBackend).toBe(`keras-${backend}`);
    expect(r.loss).toHaveLength(10);
    r.loss.forEach((l) => expect(Number.isFinite(l)).toBe(true));
    expect(r.loss[9]).toBeLessThan(0.8 * r.loss[0]);
    expect(r.leaked).toBe(0);
  });

  test("keras-webgl's own kernels (SGD, Adam, activation gradients, cross-entropy) equal the same formulas as tfjs ops within 1e-6, and leak nothing", () => {
    const r = result<{ backend: string; registered: string[]; diffs: Record<string, number>; leaked: number }>('fusedKernels webgl');
    expect(r.backend).toBe('keras-webgl');
    expect(r.registered).toEqual(['KerasSGD', 'KerasAdam', 'KerasActivationGrad', 'KerasCrossentropy', 'KerasCrossentropyGrad']);
    expect(Object.keys(r.diffs)).toHaveLength(17);
    expect(Object.entries(r.diffs).filter(([, diff]) => !(diff < 1e-6))).toEqual([]);
    expect(r.leaked).toBe(0);
  });

  test('NaN stays NaN through the WebGL kernels: each output is NaN exactly where an input it reads is', () => {
    const r = result<{ nan: Record<string, { got: number[][]; nanFrom?: string[][]; nanExpected?: number[][] }> }>('fusedKernels webgl');
    // NaN was planted at element 0 of w, 1 of g, 2 of m, 3 of v, 4 of vHat (y of ActivationGrad is w, dy is g);
    // the cross-entropy kernels (5 of probs, 6 of target, one row) say where theirs are (nanExpected).
    const at: Record<string, number> = { w: 0, g: 1, m: 2, v: 3, vHat: 4 };
    expect(Object.keys(r.nan)).toHaveLength(17);
    for (const [name, { got, nanFrom, nanExpected }] of Object.entries(r.nan)) {
      expect([name, got]).toEqual([name, nanExpected ?? (nanFrom as string[][]).map((keys) => keys.map((key) => at[key]).sort())]);
    }
  });

  test.each(['sgd', 'adam'])('fit on webgl with %s runs the fused step, activation gradient and cross-entropy kernels; the loss falls, nothing leaks', (optimizer) => {
    const r = result<{ kernels: string[]; loss: number[]; leaked: number }>(`fitKernels webgl ${optimizer}`);
    expect(r.kernels).toEqual(expect.arrayContaining([optimizer === 'sgd' ? 'KerasSGD' : 'KerasAdam', 'KerasActivationGrad', 'KerasCrossentropy', 'KerasCrossentropyGrad']));
    r.loss.forEach((l) => expect(Number.isFinite(l)).toBe(true));
    expect(r.loss[9]).toBeLessThan(0.8 * r.loss[0]);
    expect(r.leaked).toBe(0);
  });

  test.each([
    ['cpu', 1e-6],
    ['wasm', 1e-5],
    ['webgl', 1e-4],
  ])("predictions on %s equal Node's cpu backend for the same weights (within %s)", (backend, tolerance) => {
    const r = result<{ backend: string; out: number[][]; leaked: number }>(`predict ${backend}`);
    expect(r.backend).toBe(backend);
    expect(maxDiff(nodePredictions, r.out)).toBeLessThan(tolerance as number);
    expect(r.leaked).toBe(0);
  });

  test.each(STORES)('save to %s and load back: the same predictions, compiled, no tensor left behind', (url) => {
    const r = result<{ listed: string[]; diff: number; compiled: boolean; leaked: number }>(url);
    expect(r.listed).toContain(url);
    expect(r.diff).toBe(0);
    expect(r.compiled).toBe(true);
    expect(r.leaked).toBe(0);
  });

  test.each(FILES)('%s written in Node loads in the page (as a File, from its URL, as bytes) and predicts the same', (name) => {
    const r = result<{ fileOut: number[][]; urlOut: number[][]; bytesOut: number[][]; names: string[]; leaked: number }>(name);
    expect(r.names).toEqual(['hidden', 'out']);
    for (const out of [r.fileOut, r.urlOut, r.bytesOut]) expect(maxDiff(nodePredictions, out)).toBeLessThan(1e-5);
    expect(r.leaked).toBe(0);
  });

  test('a .keras file written in the page (downloads://name.keras) reads back the same; downloads://name (tfjs) saves', () => {
    const r = result<{ size: number; diff: number; leaked: number }>('kerasInPage');
    expect(r.size).toBeGreaterThan(1000);
    expect(r.diff).toBe(0);
    expect(r.leaked).toBe(0);
  });

  test.each(['webgl', 'wasm', 'cpu'])('NaN stays NaN on %s through activations, reductions, matmuls and a Dense layer', (backend) => {
    const r = result<Record<string, { withNaN: boolean[]; clean: boolean[] }>>(`nan ${backend}`);
    expect(Object.keys(r).length).toBeGreaterThan(25);
    for (const [op, { withNaN, clean }] of Object.entries(r)) {
      // Element 0 is NaN in, so NaN out; what mixes the row (reductions, softmax, matmuls) is NaN throughout,
      // the rest is NaN elsewhere only where the row without the NaN gives NaN too (log(-2)).
      const mixes = ['sum', 'max', 'mean', 'matMul', 'fusedRelu', 'dense', 'softmax', 'logSoftmax'].includes(op);
      expect([op, withNaN]).toEqual([op, mixes ? withNaN.map(() => true) : [true, ...clean.slice(1)]]);
    }
  });

  test('Node-only parts refuse in the page, saying what to do instead', () => {
    const r = result<Record<string, string>>('nodeOnly');
    expect(r.saveToPath).toMatch(/^RuntimeError: Node-only: fs\.\w+ is not available in the browser build of keras-ts\. help: .*indexeddb:\/\//);
    expect(r.native).toMatch(/^BackendError: Node-only: setBackend\('native'\) .* help: in a page, choose setBackend\('webgl'\)/);
    expect(r.webgpuOrNone).toMatch(/^(no error|BackendError: setBackend\('webgpu'\): the backend failed to initialize)/);
    expect(r.missingStore).toMatch(/^ValueError: loadModel\('indexeddb:\/\/no-such-model'\): .*help: save a model there first/);
    expect(r.readDownload).toMatch(/^ValueError: .*a download cannot be read back.*help: load the downloaded file itself/);
  });

  test('no uncaught exception and no console error in the page', () => {
    expect(run.problems).toEqual([]);
  });
});
