/**
 * Preloaded (node -r) into an example run by no_fallback_examples.test.ts: at exit, prints the
 * kernels that ran on tfjs's JavaScript CPU kernel (k.backendReport().fallbacks) as one line.
 */
process.on('exit', () => {
  const { backendReport } = require('../../../src/backend/backend');
  const report = backendReport();
  process.stdout.write(`\nFALLBACKS ${report.backend} ${JSON.stringify(report.fallbacks)}\n`);
});
