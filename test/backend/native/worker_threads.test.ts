/**
 * The native addon under worker_threads: two workers train at once on 'native' and each gets, to
 * the bit, the losses of the same training run alone. The addon's buffer pool and primitive cache
 * are per environment (per thread); shared ones would be corrupted by the concurrent calls.
 */
import { spawnSync } from 'child_process';
import * as path from 'path';
import { nativeBuilt } from '../../helpers';

const onNative = nativeBuilt() ? test : test.skip;

onNative('two worker_threads training on native at once each match a run alone', () => {
  const child = path.join(__dirname, 'worker_threads_child.ts');
  const r = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', child], {
    encoding: 'utf8', cwd: path.join(__dirname, '..', '..', '..'), timeout: 170000, env: { ...process.env, TS_NODE_TRANSPILE_ONLY: 'true' },
  });
  const line = (r.stdout ?? '').split('\n').find((l) => l.startsWith('RESULT '));
  if (line === undefined) throw new Error(`the worker_threads run gave no result (status ${r.status}, signal ${r.signal}): ${(r.stderr ?? '').slice(-2000)}`);
  type Run = { losses: number[]; liveBytes: number; backend: string };
  const { alone, a, b } = JSON.parse(line.slice(7)) as { alone: Run; a: Run; b: Run };
  expect(alone.backend).toBe('native');
  expect(alone.losses).toHaveLength(8);
  expect(alone.losses[7]).toBeLessThan(alone.losses[0]); // it trains
  expect(a.losses).toEqual(alone.losses);
  expect(b.losses).toEqual(alone.losses);
  for (const run of [alone, a, b]) expect(run.liveBytes).toBe(0);
}, 180000);
