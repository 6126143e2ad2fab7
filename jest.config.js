/**
 * Jest with ts-jest; each test file runs in its own module registry (so each loads tfjs-core afresh).
 *
 * Two projects: every test as written, and the tests of layers, losses, optimizers, metrics and
 * training once more on the native CPU backend (test/native_backend_env.js sets
 * KERAS_TEST_BACKEND, which those files pass to setBackend). The second runs where the native addon
 * is built, and always when KERAS_REQUIRE_NATIVE=1 (CI), where a missing addon fails the run.
 */
const fs = require('fs');
const path = require('path');

const transform = { '^.+\\.ts$': ['ts-jest', { tsconfig: { isolatedModules: true } }] };
// test/offline_env.js: KERAS_TS_OFFLINE=1, so no test can fetch from another machine (127.0.0.1 is allowed).
const base = { testEnvironment: 'node', roots: ['<rootDir>/test'], transform, setupFiles: ['<rootDir>/test/offline_env.js'] };
const addon = process.env.KERAS_NATIVE_ADDON ?? path.join(__dirname, 'native', 'cpu', 'build', 'keras_cpu.node');
const onNative = [
  'layers/layers', 'layers/dense', 'layers/activations', 'activations/functions', 'optimizers/optimizers_24', 'optimizers/optimizers_24b', 'losses/losses', 'losses/all_losses', 'optimizers/optimizers',
  'optimizers/all_optimizers', 'metrics/metrics', 'callbacks/callbacks', 'backend/gradients', 'models/fit', 'models/fit_options',
  'models/functional', 'models/sequential', 'models/errors', 'models/leaks', 'models/untaped_prefix', 'ops/batch_norm', 'models/fusion_chains',
  'ops/layer_norm', 'ops/masked_softmax', 'ops/dropout', 'ops/attention_core', 'losses/reduced_step', 'models/graph_masks',
];

module.exports = {
  testTimeout: 120000,
  projects: [
    { ...base, displayName: 'all', testMatch: ['**/*.test.ts'] },
    ...(fs.existsSync(addon) || process.env.KERAS_REQUIRE_NATIVE === '1'
      ? [{ ...base, displayName: 'native', testMatch: onNative.map((f) => `<rootDir>/test/${f}.test.ts`), setupFiles: ['<rootDir>/test/offline_env.js', '<rootDir>/test/native_backend_env.js'] }]
      : []),
  ],
};
