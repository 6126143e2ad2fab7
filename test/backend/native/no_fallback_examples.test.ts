/**
 * Issue 23's "zero fallbacks" for the examples: each example (examples/*.ts) runs on 'native' at a
 * small size, and the kernels it ran on tfjs's JavaScript CPU kernels (printed at exit by
 * print_fallbacks.js) must be none but no_fallback_families.test.ts's ALLOWED.
 */
import { execFileSync } from 'child_process';
import * as path from 'path';
import { nativeBuilt } from '../../helpers';
import { ALLOWED } from './fallback_allowed';

const onNative = nativeBuilt() ? describe : describe.skip;
const root = path.join(__dirname, '..', '..', '..');

function fallbacksOf(example: string, args: string[]): Record<string, number> {
  const out = execFileSync(process.execPath, ['-r', 'ts-node/register/transpile-only', '-r', './test/backend/native/print_fallbacks.js',
    `examples/${example}.ts`, '--backend', 'native', ...args], { cwd: root, encoding: 'utf8', env: { ...process.env, TS_NODE_TRANSPILE_ONLY: 'true' } });
  const m = /FALLBACKS (\S+) (\{.*\})/.exec(out);
  if (m === null) throw new Error(`${example}: no FALLBACKS line in its output:\n${out.slice(-2000)}`);
  expect(m[1]).toBe('native');
  const report = JSON.parse(m[2]) as Record<string, number>;
  if (process.env.KERAS_FALLBACK_SURVEY === '1') console.log(`example ${example}: ${m[2]}`);
  return Object.fromEntries(Object.entries(report).filter(([name]) => !(name in ALLOWED)));
}

/** [example, the flags that make it small] */
const EXAMPLES: Array<[string, string[]]> = [
  ['perceptron', ['--epochs', '1']],
  ['mlp', ['--epochs', '1']],
  ['functional', ['--epochs', '1']],
  ['custom_training', ['--epochs', '1']],
  ['cnn', ['--epochs', '1', '--limit', '256']],
  ['residual', ['--epochs', '1', '--limit', '256']],
  ['lstm_mnist', ['--epochs', '1', '--limit', '256', '--units', '16']],
  ['addition_rnn', ['--epochs', '1', '--samples', '512', '--units', '16']],
  ['transformer_classifier', ['--epochs', '1', '--samples', '256']],
];

onNative('the examples on native run no kernel on the CPU fallback', () => {
  test.each(EXAMPLES)('%s', (example, args) => {
    expect(fallbacksOf(example, args)).toEqual({});
  });
});
