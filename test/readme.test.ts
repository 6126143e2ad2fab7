/**
 * The README is the front door: it opens with the two set-up commands, stays short (the rest is in
 * docs/), and its code names only what keras-ts exports. The table of accepted names, in
 * docs/reference-names.md, lists every name the code accepts.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as k from '../src';

const root = path.join(__dirname, '..');
const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
const names = fs.readFileSync(path.join(root, 'docs', 'reference-names.md'), 'utf8');

test.each([
  ['optimizers', k.optimizers.optimizerNames()],
  ['losses', k.losses.lossNames()],
  ['metrics', k.metrics.metricNames()],
  ['activations', k.activations.activationNames()],
  ['initializers', k.initializers.initializerNames()],
])('every %s name is in docs/reference-names.md', (_kind, accepted) => {
  const missing = accepted.filter((quoted) => !names.includes(`\`${quoted}\``));
  expect(missing).toEqual([]);
});

test('the README opens with the two set-up commands', () => {
  const head = readme.split('\n').slice(0, 6).join('\n');
  expect(head).toContain('npm install && npx ts-node examples/mlp.ts');
  expect(head).toContain('npm install && npm test');
});

test('the README stays a front door: under 12 KB', () => {
  expect(Buffer.byteLength(readme, 'utf8')).toBeLessThan(12 * 1024);
});

/** Every `k.a.b.C` path in the TypeScript blocks of a page. */
function kPaths(markdown: string): string[] {
  const blocks = [...markdown.matchAll(/^```ts\n([\s\S]*?)^```/gm)].map((m) => m[1]);
  return [...new Set(blocks.flatMap((code) => [...code.matchAll(/\bk((?:\.[A-Za-z_$][\w$]*)+)/g)].map((m) => m[1].slice(1))))];
}

/** The paths of `kPaths` that name nothing keras-ts exports (a type's name counts: it has no value). */
function missingPaths(markdown: string): string[] {
  const typeOnly = new Set(['StepData', 'StepLogs', 'tf.Tensor2D']);
  return kPaths(markdown).filter((p) => {
    if (typeOnly.has(p)) return false;
    let value: unknown = k;
    for (const part of p.split('.')) {
      if (value === null || value === undefined) return true;
      value = (value as Record<string, unknown>)[part];
    }
    return value === undefined;
  });
}

test('the README and the guides name only what keras-ts exports, in their TypeScript examples', () => {
  expect(kPaths(readme)).toEqual(expect.arrayContaining(['data.loadMnist', 'Input', 'layers.Dense', 'Model', 'Sequential']));
  const pages = ['README.md', ...fs.readdirSync(path.join(root, 'docs')).filter((f) => f.endsWith('.md')).map((f) => path.join('docs', f))];
  const missing = pages.flatMap((page) => missingPaths(fs.readFileSync(path.join(root, page), 'utf8')).map((p) => `${page}: k.${p}`));
  expect(missing).toEqual([]);
});
