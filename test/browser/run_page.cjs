#!/usr/bin/env node
/**
 * Drives headless Chromium for the tests under test/browser/, in a process of its own (puppeteer-core
 * is an ES module, which Jest's CommonJS runtime cannot load): `node run_page.cjs job.json`.
 * The job: {root, modelsDir, chromium, checks: [{id, name, args}]}. Serves `root` (a site with
 * dist/browser/ and test/browser/harness.html) and `modelsDir` on 127.0.0.1
 * (scripts/serve_static.js), opens the harness, runs each check of
 * page_checks.mjs in order (args may use "$MODELS" for the models server's URL), and prints one
 * JSON line: {results: {id: {value} | {error}}, problems: [console errors, uncaught exceptions],
 * logs: [the console's other messages]}.
 * Another page: {page: 'examples/browser/' (under root, instead of the harness), ready: an expression
 * that becomes truthy, steps: [expressions]}: each step is awaited in the page, in order, its result
 * under its index.
 */
'use strict';
const fs = require('fs');
const { serveStatic } = require('../../scripts/serve_static');

async function main() {
  const job = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
  const puppeteer = (await import('puppeteer-core')).default;
  const site = await serveStatic(job.root);
  const models = job.modelsDir ? await serveStatic(job.modelsDir) : null;
  const browser = await puppeteer.launch({
    executablePath: job.chromium,
    headless: true,
    args: ['--no-sandbox', '--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--disable-background-networking', '--no-first-run'],
  });
  const problems = [];
  const logs = [];
  const results = {};
  try {
    const page = await browser.newPage();
    page.on('pageerror', (e) => problems.push(`uncaught: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console.error: ${m.text()}`);
      else logs.push(m.text());
    });
    await page.goto(`${site.url}/${job.page ?? 'test/browser/harness.html'}`);
    await page.waitForFunction(job.ready ?? 'window.kerasReady === true', { timeout: 120000 });
    for (const [i, step] of (job.steps ?? []).entries()) {
      try {
        results[i] = { value: await page.evaluate(step) };
      } catch (e) {
        results[i] = { error: e.message };
      }
    }
    for (const { id, name, args } of job.checks ?? []) {
      const json = JSON.stringify(args ?? {}).replaceAll('$MODELS', models?.url ?? '');
      try {
        results[id] = { value: await page.evaluate(`window.checks[${JSON.stringify(name)}](${json})`) };
      } catch (e) {
        results[id] = { error: e.message };
      }
    }
  } finally {
    await browser.close();
    await site.close();
    await models?.close();
  }
  process.stdout.write(`${JSON.stringify({ results, problems, logs })}\n`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
