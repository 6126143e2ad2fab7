/**
 * saving/ imports models/ (it rebuilds Model and Sequential from configs), so models/ reaches
 * saving/ at call time rather than at import time: the one place where that direction is crossed.
 */
export function savingApi(): typeof import('../saving/model_io') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('../saving/model_io') as typeof import('../saving/model_io');
}
