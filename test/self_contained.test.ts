/**
 * The repository is self-contained: a user's clone has nothing beside it, so no test, example or
 * benchmark may read a path outside the repository. Every `path.join(__dirname, ...)` /
 * `path.resolve(__dirname, ...)` of string literals in test/, examples/ and bench/ must resolve inside
 * the repository, and no file may name the folder of shared fixtures that sits beside the developers'
 * checkout (copies of what the tests need live in test/fixtures/, with their source and license).
 */
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.join(__dirname, '..');
/** The folder beside the developers' checkout (spelt here so that this file does not name it). */
const SHARED = ['sha', 'red'].join('');

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'node_modules' || e.name === 'fixtures' ? [] : sources(full);
    return /\.(ts|js|py|sh)$/.test(e.name) ? [full] : [];
  });
}

/** The folders a file joins onto __dirname with literal segments only. */
export function joinedPaths(file: string, text: string): string[] {
  const found: string[] = [];
  const call = /path\.(?:join|resolve)\(\s*__dirname\s*((?:,\s*'[^']*'\s*)+)\)/g;
  for (const m of text.matchAll(call)) {
    const parts = [...m[1].matchAll(/'([^']*)'/g)].map((p) => p[1]);
    found.push(path.join(path.dirname(file), ...parts));
  }
  return found;
}

// (This file is left out: its own check of the scanner names a path outside on purpose.)
const files = ['test', 'examples', 'bench'].flatMap((d) => sources(path.join(ROOT, d))).filter((f) => f !== __filename);

test('the scan finds the files and the joins it should', () => {
  expect(files.length).toBeGreaterThan(50);
  // The scanner itself, on a made-up line that climbs out of the repository:
  const outside = joinedPaths(path.join(ROOT, 'test', 'x.ts'), `path.join(__dirname, '..', '..', '${SHARED}', 'fixtures')`);
  expect(path.relative(ROOT, outside[0]).startsWith('..')).toBe(true);
});

test.each(files.map((f) => [path.relative(ROOT, f), f]))('%s reads nothing outside the repository', (_name, file) => {
  const text = fs.readFileSync(file, 'utf8');
  expect(text).not.toMatch(new RegExp(`\\.\\./${SHARED}\\b|'\\.\\.',\\s*'${SHARED}'`));
  for (const target of joinedPaths(file, text)) {
    const rel = path.relative(ROOT, target);
    if (rel.startsWith('..') || path.isAbsolute(rel)) throw new Error(`${path.relative(ROOT, file)} joins a path outside the repository: ${target}`);
  }
});
