/**
 * The child process of the hostile-file test: loads each case's file in turn and prints one JSON
 * line per case (outcome, error message, milliseconds, the process's peak resident memory so far).
 * The parent caps this process's heap (--max-old-space-size), watches its resident memory and its
 * time per case, and kills it when a case goes beyond them: a regression fails a test, never the suite.
 *
 * usage: node --max-old-space-size=512 -r ts-node/register/transpile-only run_cases.ts cases.json
 */
import * as fs from 'fs';
import * as k from '../../../src';

interface Case {
  name: string;
  op: 'loadModel' | 'loadWeights';
  path: string;
}

async function main(): Promise<void> {
  await k.setBackend('cpu');
  const cases = JSON.parse(fs.readFileSync(process.argv[2], 'utf8')) as Case[];
  for (const c of cases) {
    process.stdout.write(`START ${c.name}\n`);
    const t0 = Date.now();
    let result: Record<string, unknown>;
    try {
      let weights: number[] = [];
      if (c.op === 'loadModel') {
        const m = await k.models.loadModel(c.path);
        weights = Array.from(m.getWeights()[0].dataSync());
        m.dispose();
      } else {
        const m = new k.Sequential([new k.layers.Dense({ units: 2, inputShape: [3], name: 'd' })]);
        await m.loadWeights(c.path);
        weights = Array.from(m.getWeights()[0].dataSync());
        m.dispose();
      }
      result = { ok: true, weights };
    } catch (e) {
      result = { ok: false, error: `${(e as Error).name}: ${(e as Error).message}` };
    }
    const line = { name: c.name, ...result, ms: Date.now() - t0, maxRssMB: Math.round(process.resourceUsage().maxRSS / 1024) };
    process.stdout.write(`RESULT ${JSON.stringify(line)}\n`);
  }
}

main().catch((e) => {
  process.stdout.write(`CRASH ${String((e as Error).stack)}\n`);
  process.exit(1);
});
