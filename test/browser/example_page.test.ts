/**
 * The example page (examples/browser, `npm run example:browser`) in headless Debian Chromium, served
 * from 127.0.0.1: it trains the course's MLP an epoch on wasm with the loss going down, Keras's bar
 * drawn as text in the page, the epoch curves and the model as SVG, and the page kept drawing frames
 * during fit (fit yields to the browser's event loop); the model saved to IndexedDB and loaded back
 * predicts the same on test digits and on a digit painted into the drawing canvas; nothing is
 * logged as an error and no exception goes uncaught.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { buildExample } from '../../examples/browser/build';
import { CHROMIUM_TOOLS, testWithTools } from '../system_tools';
import { PageRun, runPage, stepValue } from './page_steps';

const root = path.join(__dirname, '..', '..');

const chromiumTest = testWithTools(CHROMIUM_TOOLS);

interface TrainResult {
  lossBefore: number;
  history: Record<string, number[]>;
  seconds: number;
  frames: number;
  backend: string;
}
interface Saved {
  test: { ours: number[][]; reloaded: number[][]; labels: number[] };
  drawn: { digit: number; probabilities: number[]; reloaded: number[] };
}

let run: PageRun = { results: {}, problems: [], logs: [] };
let site = '';

/**
 * A site of its own for the page, as page.test.ts makes one: the browser build written into it (so
 * that `npm run build`, which empties dist/, cannot pull it away in a parallel test) and the example
 * page (index.html and its bundle) at the same relative place as in the repository.
 */
async function buildSite(): Promise<string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keras-ts-example-site-'));
  execFileSync(process.execPath, [path.join(root, 'scripts', 'build_browser.js'), '--outdir', path.join(dir, 'dist', 'browser')], { stdio: 'pipe' });
  const [, , main] = await buildExample({ browserBuild: false });
  const page = path.join(dir, 'examples', 'browser');
  fs.mkdirSync(path.join(page, 'dist'), { recursive: true });
  fs.copyFileSync(path.join(root, 'examples', 'browser', 'index.html'), path.join(page, 'index.html'));
  fs.copyFileSync(main, path.join(page, 'dist', 'main.js'));
  return dir;
}

beforeAll(async () => {
  if (!Object.keys(CHROMIUM_TOOLS).every((f) => fs.existsSync(f))) return;
  site = await buildSite();
  run = await runPage({
    root: site,
    page: 'examples/browser/',
    ready: 'window.example || /error/.test(document.getElementById("status").textContent)',
    steps: [
      'document.getElementById("status").textContent',
      '(document.getElementById("backend").value = "wasm", window.example.train(1))',
      'document.getElementById("progress").textContent',
      '[document.getElementById("curves").innerHTML, document.getElementById("model").innerHTML]',
      // fit's own verbose bar in a page: no element given, so the text goes to the console.
      `(async () => {
        const k = await import('keras-ts');
        const m = new k.Sequential([new k.layers.Dense({ units: 1, inputShape: [2] })]);
        m.compile({ optimizer: 'sgd', loss: 'mse' });
        console.log('verbose fit begins');
        await m.fit([[0, 1], [1, 0], [1, 1], [0, 0]], [[1], [1], [2], [0]], { epochs: 2, batchSize: 2 });
        m.dispose();
        return true;
      })()`,
      `(async () => {
        await window.example.save();
        await window.example.reload();
        const test = window.example.predictTest(100);
        window.example.paintTestDigit(3);
        return { test, drawn: window.example.predictDrawing() };
      })()`,
      'document.getElementById("prediction").textContent',
    ],
  });
}, 600_000);

afterAll(() => {
  if (site !== '') fs.rmSync(site, { recursive: true, force: true });
});

chromiumTest('the page trains an epoch on wasm: the loss goes down, the bar and the curves are drawn, frames keep coming', async () => {
  expect(stepValue<string>(run, 0)).toMatch(/^ready: 8000 digits/);
  const r = stepValue<TrainResult>(run, 1);
  const progress = stepValue<string>(run, 2);
  const [curves, picture] = stepValue<[string, string]>(run, 3);
  expect(r.backend).toBe('wasm');
  // Before training the softmax is near uniform over 10 classes: a loss near ln(10) = 2.30 (sigmoid layers
  // push it a little above); one epoch of Adam 1e-3 over 7,200 digits takes it well below.
  expect(r.lossBefore).toBeGreaterThan(2.0);
  expect(r.history.loss[0]).toBeLessThan(r.lossBefore);
  expect(r.history.val_loss[0]).toBeLessThan(r.history.loss[0]);
  expect(r.history.val_accuracy[0]).toBeGreaterThan(0.3);
  expect(progress).toMatch(/^Epoch 1\/1\n 7200\/7200 \[={30}\] - \d+s \d+(us|ms)\/sample - loss: \d\.\d{4} - accuracy: \d\.\d{4} - val_loss: \d\.\d{4} - val_accuracy: \d\.\d{4}\n$/);
  expect(progress).not.toMatch(/\x1b/);
  // The page kept drawing: without yielding, a fit draws no frame until it ends.
  expect(r.frames / r.seconds).toBeGreaterThan(5);
  expect(curves).toMatch(/^<svg[\s\S]*>loss<[\s\S]*>accuracy</);
  expect(picture).toMatch(/<svg[\s\S]*Dense/);
  expect(run.problems).toEqual([]);
});

chromiumTest('saved to IndexedDB and reloaded, the model predicts the same: test digits, and a digit painted on the canvas', async () => {
  const out = stepValue<Saved>(run, 5);
  expect(out.test.reloaded).toHaveLength(100);
  let diff = 0;
  out.test.ours.forEach((row, i) => row.forEach((v, j) => (diff = Math.max(diff, Math.abs(v - out.test.reloaded[i][j])))));
  expect(diff).toBeLessThan(1e-6);
  // After one epoch the model must already be right on most test digits (chance: 10%).
  const right = out.test.ours.filter((row, i) => row.indexOf(Math.max(...row)) === out.test.labels[i]).length;
  expect(right).toBeGreaterThan(30);
  expect(out.drawn.probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
  out.drawn.probabilities.forEach((p, i) => expect(Math.abs(p - out.drawn.reloaded[i])).toBeLessThan(1e-6));
  expect(stepValue(run, 6)).toBe(`Prediction: ${out.drawn.digit} (the model reloaded from IndexedDB: ${out.drawn.digit})`);
  expect(run.problems).toEqual([]);
});

chromiumTest("fit's verbose bar in a page writes Keras's lines to the console, with no terminal codes", () => {
  expect(stepValue(run, 4)).toBe(true);
  const lines = run.logs.slice(run.logs.indexOf('verbose fit begins') + 1);
  expect(lines).toHaveLength(4);
  expect(lines[0]).toBe('Epoch 1/2');
  expect(lines[1]).toMatch(/^ 4\/4 \[={30}\] - \d+s \d+(us|ms)\/sample - loss: \d+\.\d{4}$/);
  expect(lines[2]).toBe('Epoch 2/2');
  expect(lines.join('\n')).not.toMatch(/\x1b/);
});
