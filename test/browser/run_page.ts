/**
 * Jest's side of drive_page.mjs: serves the repository on 127.0.0.1 (scripts/serve_static.js), runs
 * the page's steps in headless Chromium in a child process, and returns what they returned, with the
 * page's uncaught exceptions and console errors.
 */
import { execFile } from 'child_process';
import * as path from 'path';

const root = path.join(__dirname, '..', '..');

export interface PageJob {
  /** A path under the repository root, e.g. '/examples/browser/'. */
  path: string;
  /** An expression that becomes truthy when the page is ready. */
  ready: string;
  /** Expressions evaluated (and awaited) in the page, in order. */
  steps: string[];
  chromiumArgs?: string[];
  timeoutMs?: number;
}

export interface PageRun {
  results: unknown[];
  problems: string[];
  /** The console's messages other than errors, in order. */
  logs: string[];
  error?: string;
}

export async function runPage(job: PageJob): Promise<PageRun> {
  const { serveStatic } = require(path.join(root, 'scripts', 'serve_static.js')) as { serveStatic(folder: string, port: number): Promise<{ url: string; close(): Promise<void> }> };
  const server = await serveStatic(root, 0);
  try {
    const stdout = await new Promise<string>((resolve, reject) => {
      const child = execFile(process.execPath, [path.join(__dirname, 'drive_page.mjs')], { cwd: root, timeout: 600_000, maxBuffer: 64 << 20 }, (err, out, errText) =>
        err ? reject(new Error(`drive_page.mjs failed: ${err.message}\n${errText}`)) : resolve(out),
      );
      child.stdin?.end(JSON.stringify({ url: `${server.url}${job.path}`, ready: job.ready, steps: job.steps, chromiumArgs: job.chromiumArgs, timeoutMs: job.timeoutMs }));
    });
    return JSON.parse(stdout.trim().split('\n').pop() as string) as PageRun;
  } finally {
    await server.close();
  }
}
