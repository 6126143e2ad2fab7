/**
 * The kernels that fit / evaluate / predict of built-in layers, losses, optimizers and the examples
 * may still run on tfjs's JavaScript CPU kernel on 'native', each with the reason (README's native
 * backend section repeats them). no_fallback_families.test.ts and no_fallback_examples.test.ts
 * assert that nothing else does.
 */
export const ALLOWED: Readonly<Record<string, string>> = {};
