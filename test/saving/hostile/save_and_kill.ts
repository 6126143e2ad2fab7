/**
 * Child of the hostile-file test's crash-safety case: saves a model whose every weight is `value`
 * as a multi-shard tfjs folder, and SIGKILLs itself just before the `killAt`-th file rename of the
 * save (or, with killAt 0, at its first file removal, after model.json is in place): the state a
 * power cut or an OOM kill leaves. The parent then loads the folder and expects one whole model.
 *
 * usage: node -r ts-node/register/transpile-only save_and_kill.ts <dir> <value> <killAt>
 */
import * as fs from 'fs';
import * as k from '../../../src';

async function main(): Promise<void> {
  const [dir, value, killAt] = [process.argv[2], Number(process.argv[3]), Number(process.argv[4])];
  await k.setBackend('cpu');
  const model = bigModel(value);
  let renames = 0;
  // The module object itself (an `import * as` namespace has getters only), which the saver reads through.
  const nodeFs = require('fs') as typeof fs;
  const rename = nodeFs.renameSync;
  const rm = nodeFs.rmSync;
  nodeFs.renameSync = (a, b) => {
    if (++renames === killAt) process.kill(process.pid, 'SIGKILL');
    rename(a, b);
  };
  nodeFs.rmSync = (p, o) => {
    if (killAt === 0) process.kill(process.pid, 'SIGKILL');
    rm(p, o);
  };
  await model.save(dir);
  process.stdout.write(`SAVED after ${renames} renames\n`);
}

/** 1000 -> 1100 Dense: 4.4 MB of weights, two 4 MB tfjs shards. */
export function bigModel(value: number): k.Sequential {
  const init = new k.initializers.Constant({ value });
  return new k.Sequential([new k.layers.Dense({ units: 1100, inputShape: [1000], name: 'big', kernelInitializer: init, biasInitializer: init })]);
}

if (require.main === module) {
  main().catch((e) => {
    process.stdout.write(`CRASH ${String((e as Error).stack)}\n`);
    process.exit(1);
  });
}
