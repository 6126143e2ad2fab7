/** The README's table of accepted names lists every name the code accepts. */
import * as fs from 'fs';
import * as path from 'path';
import * as k from '../src';

const readme = fs.readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8');

test.each([
  ['optimizers', k.optimizers.optimizerNames()],
  ['losses', k.losses.lossNames()],
  ['metrics', k.metrics.metricNames()],
  ['activations', k.activations.activationNames()],
  ['initializers', k.initializers.initializerNames()],
])('every %s name is in the README', (_kind, names) => {
  const missing = names.filter((quoted) => !readme.includes(`\`${quoted}\``));
  expect(missing).toEqual([]);
});

test('the README opens with the two set-up commands', () => {
  const head = readme.split('\n').slice(0, 6).join('\n');
  expect(head).toContain('npm install && npx ts-node examples/mlp.ts');
  expect(head).toContain('npm install && npm test');
});
