/**
 * `npm run api-coverage`: how much of Keras 3's public API keras-ts has, per category.
 *
 * The Keras names come from scripts/keras_api_names.json (read from Keras's keras/api/ packages by
 * scripts/keras_api_names.py; the version and source are in the file). Each Keras name maps to
 * keras-ts's spelling (snake_case -> camelCase, PascalCase kept, a few renames below) and counts as
 * present when `k.<namespace>.<name>` exists at run time. Prints a table of coverage per category
 * and the names still missing; `--json` prints the same as JSON.
 */
import * as fs from 'fs';
import * as path from 'path';

export interface KerasNames {
  keras_version: string;
  source: string;
  categories: Record<string, string[]>;
}

export interface CategoryCoverage {
  category: string;
  /** Where keras-ts keeps it: 'k.layers', 'k' for Keras's top level. */
  namespace: string;
  total: number;
  found: string[];
  missing: string[];
}

/** Keras package -> keras-ts path under `k` ('' is `k` itself). */
const NAMESPACES: Record<string, string> = { keras: '', mixed_precision: 'mixedPrecision' };

/** The singular noun keras-ts appends to get/serialize/deserialize in a category (`getLoss`). */
const SINGULAR: Record<string, string> = {
  losses: 'Loss', metrics: 'Metric', optimizers: 'Optimizer', activations: 'Activation',
  initializers: 'Initializer', regularizers: 'Regularizer', constraints: 'Constraint',
};

export function namespaceOf(category: string): string {
  if (category in NAMESPACES) return NAMESPACES[category];
  return category.split('.').map(camelCase).join('.');
}

/** `pad_sequences` -> `padSequences`; `Conv2D`, `CTC` and `relu` stay as they are. */
export function camelCase(name: string): string {
  if (!name.includes('_')) return name;
  return name.toLowerCase().replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
}

/** The keras-ts names that stand for one Keras name, most likely first. */
export function tsNames(category: string, name: string): string[] {
  const names = [camelCase(name)];
  const singular = SINGULAR[category];
  if (singular !== undefined && ['get', 'serialize', 'deserialize'].includes(name)) names.push(`${name}${singular}`);
  return names;
}

function lookup(root: unknown, dotted: string): unknown {
  let value = root;
  for (const part of dotted === '' ? [] : dotted.split('.')) {
    if (value === null || value === undefined) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

/** Coverage of every category of `names` by the module object `k`. */
export function coverage(k: unknown, names: KerasNames): CategoryCoverage[] {
  return Object.entries(names.categories).map(([category, kerasNames]) => {
    const namespace = namespaceOf(category);
    const ns = lookup(k, namespace);
    const has = (n: string): boolean => ns !== null && ns !== undefined && tsNames(category, n).some((t) => (ns as Record<string, unknown>)[t] !== undefined);
    const found = kerasNames.filter(has);
    const missing = kerasNames.filter((n) => !has(n));
    return { category, namespace: namespace === '' ? 'k' : `k.${namespace}`, total: kerasNames.length, found, missing };
  });
}

export function loadKerasNames(file = path.join(__dirname, 'keras_api_names.json')): KerasNames {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as KerasNames;
}

function percent(a: number, b: number): string {
  return b === 0 ? '-' : `${Math.round((100 * a) / b)}%`;
}

/** The Markdown table of coverage per category, then the missing names per category. */
export function report(rows: CategoryCoverage[], names: KerasNames): string {
  const lines = [`Keras ${names.keras_version} public API (${names.source}) in keras-ts`, '', '| category | keras-ts | Keras names | in keras-ts | coverage |', '|---|---|---:|---:|---:|'];
  for (const r of rows) lines.push(`| ${r.category} | ${r.namespace} | ${r.total} | ${r.found.length} | ${percent(r.found.length, r.total)} |`);
  const total = rows.reduce((s, r) => s + r.total, 0);
  const found = rows.reduce((s, r) => s + r.found.length, 0);
  lines.push(`| **all** | | ${total} | ${found} | ${percent(found, total)} |`, '', 'Missing (Keras names):');
  for (const r of rows) if (r.missing.length > 0) lines.push(`- ${r.category} (${r.missing.length}): ${r.missing.join(', ')}`);
  return lines.join('\n');
}

if (require.main === module) {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const k = require('../src') as unknown;
  const names = loadKerasNames();
  const rows = coverage(k, names);
  process.stdout.write(process.argv.includes('--json') ? `${JSON.stringify({ keras_version: names.keras_version, rows }, null, 1)}\n` : `${report(rows, names)}\n`);
}
