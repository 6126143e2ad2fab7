/**
 * `npm run bench:browser`: the seed MLP (784-64-32-16-10 sigmoid, SGD 0.05, batch 32, 8,000 digits)
 * trained in headless Chromium on wasm and on WebGL (SwiftShader: a CPU emulating a GPU here), by
 * keras-ts's browser build and by tfjs-layers 4.22, each in its own page of the same browser
 * (bench/browser/index.html?lib=...), interleaved round by round. Prints seconds per epoch (median
 * of the measured epochs after a warm-up epoch), the speed-up, and the load average before and after.
 *
 *   npm run bench:browser [-- --samples 8000] [-- --epochs 3] [-- --rounds 2] [-- --backends wasm,webgl] [-- --profile]
 *
 * --profile adds, per backend, keras-ts's kernels of one epoch by total time (tf.profile in the page).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Browser } from 'puppeteer-core';
import { buildExample } from '../examples/browser/build';
import type { BenchResult } from './browser/common';

const root = path.join(__dirname, '..');
const PAGE_DIR = path.join(__dirname, 'browser');

/** bench/browser/dist/{keras,tfjs_layers}.js: keras-ts stays external (the page's import map), tfjs-layers is bundled with tfjs-core. */
async function buildPages(): Promise<void> {
  const [, digits] = await buildExample();
  const esbuild = await import('esbuild');
  await esbuild.build({
    entryPoints: { keras: path.join(PAGE_DIR, 'keras.ts'), tfjs_layers: path.join(PAGE_DIR, 'tfjs_layers.ts') },
    outdir: path.join(PAGE_DIR, 'dist'),
    bundle: true, format: 'esm', platform: 'browser', target: 'es2022', minify: true,
    external: ['keras-ts'],
    logLevel: 'error',
    plugins: [{ name: 'digits', setup: (b) => b.onResolve({ filter: /examples\/browser\/digits$/ }, () => ({ path: digits })) }],
  });
}

type Lib = 'keras' | 'tfjs_layers';

async function runPage(browser: Browser, url: string, lib: Lib, backend: string, opts: Options): Promise<BenchResult & { error?: string }> {
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  try {
    await page.goto(`${url}/bench/browser/?lib=${lib}`);
    await page.waitForFunction('window.benchReady || window.benchError', { timeout: 120_000 });
    const loadError = await page.evaluate('window.benchError');
    if (loadError) throw new Error(String(loadError));
    return await page.evaluate(
      (b, e, s, batch) => (globalThis as unknown as { bench: { run(...a: unknown[]): Promise<BenchResult> } }).bench.run(b, e, s, batch),
      backend, opts.epochs, opts.samples, opts.batch,
    );
  } catch (e) {
    return { lib, backend, secPerEpoch: NaN, epochs: [], losses: [], error: `${(e as Error).message.split('\n')[0].slice(0, 160)}${errors.length ? ` (${errors[0].slice(0, 120)})` : ''}` };
  } finally {
    await page.close();
  }
}

/** keras-ts's kernels of one epoch on `backend`, by total time (tf.profile in the page). */
async function printProfile(browser: Browser, url: string, backend: string, opts: Options): Promise<void> {
  const page = await browser.newPage();
  try {
    await page.goto(`${url}/bench/browser/?lib=keras`);
    await page.waitForFunction('window.benchReady || window.benchError', { timeout: 120_000 });
    const rows = (await page.evaluate(
      (b, s, batch) => (globalThis as unknown as { bench: { profile(...a: unknown[]): Promise<unknown> } }).bench.profile(b, s, batch),
      backend, opts.samples, opts.batch,
    )) as Array<{ kernel: string; calls: number; ms: number }>;
    const total = rows.reduce((a, r) => a + (Number.isFinite(r.ms) ? r.ms : 0), 0);
    process.stderr.write(`\nkeras-ts's kernels in one epoch on ${backend} (tf.profile; ${fmt(total / 1000, 2)} s of kernel time):\n`);
    for (const r of rows.slice(0, 14)) {
      process.stderr.write(`  ${r.kernel.padEnd(28)} ${String(r.calls).padStart(6)} calls ${fmt(r.ms, 0).padStart(7)} ms ${total > 0 ? `${fmt((100 * r.ms) / total, 1).padStart(5)}%` : ''}\n`);
    }
  } finally {
    await page.close();
  }
}

interface Options {
  samples: number;
  epochs: number;
  rounds: number;
  batch: number;
  backends: string[];
}

function options(): Options {
  const args = process.argv.slice(2);
  const get = (name: string, d: string): string => (args.includes(`--${name}`) ? args[args.indexOf(`--${name}`) + 1] : d);
  return { samples: Number(get('samples', '8000')), epochs: Number(get('epochs', '3')), rounds: Number(get('rounds', '2')), batch: Number(get('batch', '32')), backends: get('backends', 'wasm,webgl').split(',') };
}

const fmt = (v: number, d = 3): string => (Number.isFinite(v) ? v.toFixed(d) : '—');
const load = (): string => fs.readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');

async function main(): Promise<void> {
  const opts = options();
  await buildPages();
  const { serveStatic } = require(path.join(root, 'scripts', 'serve_static.js')) as { serveStatic(folder: string, port: number): Promise<{ url: string; close(): Promise<void> }> };
  const server = await serveStatic(root, 0);
  const puppeteer = await import('puppeteer-core');
  const browser = await puppeteer.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--disable-background-timer-throttling', '--disable-renderer-backgrounding'],
  });
  const loadBefore = load();
  const rows: string[] = [
    '| backend | keras-ts s/epoch | tfjs-layers s/epoch | speed-up | keras-ts loss (epoch 1 -> last) | tfjs-layers loss (epoch 1 -> last) |',
    '|---|---|---|---|---|---|',
  ];
  try {
    for (const backend of opts.backends) {
      const ours: BenchResult[] = [];
      const theirs: BenchResult[] = [];
      for (let r = 0; r < opts.rounds; r++) {
        // Interleaved, the order swapped each round, so a change in the machine's load falls on both.
        const order: Lib[] = r % 2 === 0 ? ['keras', 'tfjs_layers'] : ['tfjs_layers', 'keras'];
        for (const lib of order) {
          const res = await runPage(browser, server.url, lib, backend, opts);
          process.stderr.write(`  ${backend} ${lib} round ${r + 1}: ${res.error ?? `${fmt(res.secPerEpoch)} s/epoch (${res.epochs.map((t) => fmt(t, 2)).join(', ')}) on ${res.backend}`}\n`);
          (lib === 'keras' ? ours : theirs).push(res);
        }
      }
      const best = (list: BenchResult[]): number => Math.min(...list.map((x) => x.secPerEpoch).filter(Number.isFinite));
      const losses = (list: BenchResult[]): string => (list[0]?.losses.length ? `${fmt(list[0].losses[0], 4)} -> ${fmt(list[0].losses[list[0].losses.length - 1], 4)}` : (list[0] as { error?: string })?.error ?? '—');
      const [a, b] = [best(ours), best(theirs)];
      rows.push(`| ${backend} | ${fmt(a)} | ${fmt(b)} | ${Number.isFinite(a / b) ? `${fmt(b / a, 2)}x` : '—'} | ${losses(ours)} | ${losses(theirs)} |`);
    }
    if (process.argv.includes('--profile')) {
      for (const backend of opts.backends) await printProfile(browser, server.url, backend, opts);
    }
  } finally {
    await browser.close();
    await server.close();
  }
  const version = (await import('child_process')).execFileSync(process.env.CHROMIUM ?? '/usr/bin/chromium', ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  console.log(`\nThe seed MLP, ${opts.samples} digits, batch ${opts.batch}, SGD 0.05, in headless ${version}; best of ${opts.rounds} rounds of the median of ${opts.epochs} epochs after a warm-up.`);
  console.log(`Machine: ${os.cpus().length} x ${os.cpus()[0]?.model ?? 'CPU'}; load average ${loadBefore} before, ${load()} after. WebGL is SwiftShader (the GPU emulated on the CPU).\n`);
  console.log(rows.join('\n'));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
