/**
 * The browser build the tests under test/browser/ load: dist/browser/ is built (scripts/build_browser.js)
 * when it is missing or older than src/, once: Jest runs test files in parallel workers, so a lock
 * (a folder made atomically) keeps two from building at once or one from loading a half-written build.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const root = path.join(__dirname, '..', '..');
const BUNDLE = path.join(root, 'dist', 'browser', 'keras-ts.mjs');
const LOCK = path.join(root, 'dist', '.browser-build.lock');

/** The newest modification time under `dir`. */
function newest(dir: string): number {
  let t = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : fs.statSync(p).mtimeMs);
  }
  return t;
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Builds dist/browser/ when it is missing or older than src/; waits while another worker builds it. */
export function ensureBrowserBuild(): void {
  fs.mkdirSync(path.dirname(LOCK), { recursive: true });
  for (const started = Date.now(); ; sleep(250)) {
    try {
      fs.mkdirSync(LOCK);
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      // A lock left by a killed run: a build takes well under five minutes.
      if (Date.now() - fs.statSync(LOCK).mtimeMs > 300_000) fs.rmSync(LOCK, { recursive: true, force: true });
      if (Date.now() - started > 600_000) throw new Error(`waited 10 minutes for ${LOCK}. help: remove it if no build is running.`);
    }
  }
  try {
    if (fs.existsSync(BUNDLE) && fs.statSync(BUNDLE).mtimeMs >= newest(path.join(root, 'src'))) return;
    execFileSync(process.execPath, [path.join(root, 'scripts', 'build_browser.js')], { stdio: 'pipe' });
  } finally {
    fs.rmSync(LOCK, { recursive: true, force: true });
  }
}
