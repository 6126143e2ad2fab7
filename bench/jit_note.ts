/**
 * For the benches' jitCompile rows: runs a fit with keras-ts's warnings collected instead of printed,
 * and says in a row's label whether its steps were replayed or ran eagerly (with the one line that
 * says why, which compile's jitCompile prints when a step cannot be captured).
 */
import * as k from '../src';

export async function withJitNote<T>(fit: () => Promise<T>): Promise<{ value: T; note: string }> {
  const warnings: string[] = [];
  k.utils.setLogger({ write: (t) => void process.stderr.write(t), warn: (t) => void warnings.push(t) });
  try {
    const value = await fit();
    const eager = warnings.find((t) => t.includes('runs eagerly'));
    return { value, note: eager === undefined ? 'jitCompile' : `jitCompile, ran eagerly: ${eager.replace(/^keras-ts: /, '')}` };
  } finally {
    k.utils.setLogger(null);
  }
}
