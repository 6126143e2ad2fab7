/**
 * Runs expressions in one page of headless Chromium for a test, through run_page.cjs (in a child
 * process: puppeteer-core is an ES module, which Jest's registry cannot load), serving a site (a
 * folder) on 127.0.0.1. Returns each expression's value or error, the page's uncaught exceptions
 * and console errors, and its other console messages.
 */
import { execFile } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export interface PageJob {
  /** The folder served. */
  root: string;
  /** A path under it, e.g. 'examples/browser/'. */
  page: string;
  /** An expression that becomes truthy when the page is ready. */
  ready: string;
  /** Expressions evaluated (and awaited) in the page, in order. */
  steps: string[];
}

export interface PageRun {
  results: Record<number, { value?: unknown; error?: string }>;
  problems: string[];
  /** The console's messages other than errors, in order. */
  logs: string[];
}

export async function runPage(job: PageJob): Promise<PageRun> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keras-ts-page-'));
  try {
    const file = path.join(dir, 'job.json');
    fs.writeFileSync(file, JSON.stringify({ chromium: '/usr/bin/chromium', ...job }));
    const stdout = await new Promise<string>((resolve, reject) => {
      execFile(process.execPath, [path.join(__dirname, 'run_page.cjs'), file], { maxBuffer: 64 << 20, timeout: 560_000 }, (err, out, errText) =>
        err ? reject(new Error(`run_page.cjs failed: ${err.message}\n${errText}`)) : resolve(out),
      );
    });
    return JSON.parse(stdout.trim().split('\n').pop() as string) as PageRun;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The value step `i` returned (its error, or its absence, fails the test with the page's message). */
export function stepValue<T>(run: PageRun, i: number): T {
  const outcome = run.results[i];
  if (outcome === undefined) throw new Error(`the page did not run step ${i}`);
  if (outcome.error !== undefined) throw new Error(`in the page, step ${i} failed: ${outcome.error}`);
  return outcome.value as T;
}
