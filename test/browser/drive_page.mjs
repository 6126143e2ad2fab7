/**
 * Drives one page in headless Chromium for a Jest test (puppeteer-core is an ES module, which Jest's
 * CommonJS registry cannot load, so the test runs this in a child process: see run_page.ts).
 * Reads a JSON job on stdin: {url, ready, steps, chromiumArgs, timeoutMs}; opens `url`, waits until
 * the expression `ready` is truthy, then awaits each expression of `steps` in the page, in order.
 * Prints one JSON line: {results: [...], problems: [...], logs: [...]} where problems are uncaught
 * exceptions, console errors and failed requests, and logs the console's other messages; a step that throws ends the run with {error} instead.
 */
import puppeteer from 'puppeteer-core';

const job = JSON.parse(await new Promise((resolve) => {
  let text = '';
  process.stdin.on('data', (d) => (text += d)).on('end', () => resolve(text));
}));
const browser = await puppeteer.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', ...(job.chromiumArgs ?? [])],
});
const problems = [];
const logs = [];
const out = { results: [], problems, logs };
try {
  const page = await browser.newPage();
  page.on('pageerror', (e) => problems.push(`uncaught: ${e.message ?? e}`));
  page.on('console', (m) => (m.type() === 'error' ? problems.push(`console.error: ${m.text()}`) : logs.push(m.text())));
  page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()}`));
  page.setDefaultTimeout(job.timeoutMs ?? 120_000);
  await page.goto(job.url);
  await page.waitForFunction(job.ready);
  for (const step of job.steps) out.results.push(await page.evaluate(step));
} catch (e) {
  out.error = String(e?.message ?? e).split('\n')[0];
} finally {
  await browser.close();
}
process.stdout.write(`${JSON.stringify(out)}\n`);
