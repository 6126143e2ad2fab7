/** scripts/api_coverage.ts: Keras's committed name list against what keras-ts exports. */
import { execFileSync } from 'child_process';
import * as path from 'path';
import * as k from '../../src';
import { camelCase, coverage, loadKerasNames, namespaceOf, report, tsNames } from '../../scripts/api_coverage';

const names = loadKerasNames();

test('the name list states its Keras version and source, and holds the known categories', () => {
  expect(names.keras_version).toMatch(/^3\.\d+\.\d+$/);
  expect(names.source).toContain('keras/api');
  expect(names.categories.layers).toEqual(expect.arrayContaining(['Dense', 'Conv2D', 'EinsumDense']));
  expect(names.categories.losses).toEqual(expect.arrayContaining(['Tversky', 'tversky', 'CTC']));
  expect(names.categories.metrics).toContain('R2Score');
  // aliases of one object are counted once: Conv2D, not also Convolution2D; mean_squared_error, not mse
  expect(names.categories.layers).not.toContain('Convolution2D');
  expect(names.categories.losses).not.toContain('mse');
  expect(names.categories.layers).not.toContain('TorchModuleWrapper'); // backend-specific, left out
});

test('Keras spellings map to keras-ts spellings', () => {
  expect(camelCase('pad_sequences')).toBe('padSequences');
  expect(camelCase('categorical_generalized_cross_entropy')).toBe('categoricalGeneralizedCrossEntropy');
  expect(camelCase('Conv2D')).toBe('Conv2D');
  expect(camelCase('CTC')).toBe('CTC');
  expect(namespaceOf('optimizers.schedules')).toBe('optimizers.schedules');
  expect(namespaceOf('mixed_precision')).toBe('mixedPrecision');
  expect(namespaceOf('keras')).toBe('');
  expect(tsNames('losses', 'get')).toEqual(['get', 'getLoss']);
});

test('coverage finds what a module exports and lists the rest as missing', () => {
  const fake = { layers: { Dense: class {}, add: () => 0 }, losses: { getLoss: () => 0 } };
  const rows = coverage(fake, { keras_version: '3.0.0', source: 'test', categories: { layers: ['Dense', 'Conv3D', 'add'], losses: ['get'], ops: ['abs'] } });
  expect(rows.map((r) => [r.category, r.found, r.missing])).toEqual([
    ['layers', ['Dense', 'add'], ['Conv3D']],
    ['losses', ['get'], []],
    ['ops', [], ['abs']],
  ]);
});

test('on keras-ts itself: known names are found, the layers still to come are missing', () => {
  const rows = Object.fromEntries(coverage(k, names).map((r) => [r.category, r]));
  expect(rows.layers.found).toEqual(expect.arrayContaining(['Dense', 'LSTM', 'Conv2D']));
  expect(rows.losses.found).toEqual(expect.arrayContaining(['BinaryCrossentropy', 'mean_squared_error', 'get']));
  expect(rows.datasets.found).toEqual(expect.arrayContaining(['mnist', 'fashion_mnist']));
  expect(rows.keras.found).toEqual(expect.arrayContaining(['Model', 'Sequential', 'Input', 'Layer']));
  expect(rows.layers.missing).toContain('MaxNumBoundingBoxes');
  const text = report(Object.values(rows), names);
  expect(text).toMatch(/\| layers \| k\.layers \| \d+ \| \d+ \| \d+% \|/);
  expect(text).toContain('- layers (');
});

test('npm run api-coverage prints the table', () => {
  const root = path.join(__dirname, '..', '..');
  const out = execFileSync(path.join(root, 'node_modules', '.bin', 'ts-node'), ['--transpile-only', 'scripts/api_coverage.ts', '--json'], { cwd: root, encoding: 'utf8' });
  const parsed = JSON.parse(out) as { keras_version: string; rows: Array<{ category: string; total: number; found: string[] }> };
  expect(parsed.keras_version).toBe(names.keras_version);
  const layers = parsed.rows.find((r) => r.category === 'layers');
  expect(layers?.total).toBe(names.categories.layers.length);
  expect(layers?.found).toContain('Dense');
});
