/**
 * Run by packaging.test.ts inside a fresh project where npm installed the platform tarball, as
 * <project>/node_modules/keras-ts/test/backend/native/packaging_child.ts (keras-ts linked in, Node
 * run with --preserve-symlinks(-main) so keras-ts resolves its optional dependency from the project, as
 * an installed keras-ts does). Trains a small model on 'native' and prints `RESULT {...}`: where
 * the addon came from, the libraries mapped in /proc/self/maps, the losses, the compilers on PATH.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as k from '../../../src';
import { nativeAddonSource } from '../../../src/backend/native/addon';

async function main(): Promise<void> {
  await k.setBackend('native');
  k.utils.setRandomSeed(3);
  const x = Array.from({ length: 64 }, (_, i) => [Math.sin(i), Math.cos(i), (i % 7) / 7]);
  const y = x.map((r) => [r[0] + r[1] > 0 ? 1 : 0]);
  const inputs = k.Input({ shape: [3] });
  const h = new k.layers.Dense({ units: 16, activation: 'relu' }).apply(inputs);
  const model = new k.Model({ inputs, outputs: new k.layers.Dense({ units: 1, activation: 'sigmoid' }).apply(h) });
  model.compile({ optimizer: new k.optimizers.Adam({ learningRate: 0.05 }), loss: 'binary_crossentropy' });
  const history = await model.fit(x, y, { epochs: 5, batchSize: 16, verbose: 0 });
  const mapped = fs.readFileSync('/proc/self/maps', 'utf8').split('\n').map((l) => l.split(/\s+/).slice(5).join(' '));
  const lib = (re: RegExp): string[] => [...new Set(mapped.filter((p) => re.test(p)))];
  const compilers = ['c++', 'g++', 'gcc', 'cc', 'clang++'].filter((c) =>
    (process.env.PATH ?? '').split(path.delimiter).some((d) => d !== '' && fs.existsSync(path.join(d, c))));
  const report = k.backendReport();
  console.log(`RESULT ${JSON.stringify({
    source: nativeAddonSource(), backend: report.backend, device: report.device, losses: history.history.loss,
    dnnl: lib(/libdnnl\.so/), gomp: lib(/libgomp\.so/), addon: lib(/keras_cpu\.node/), compilers,
  })}`);
  model.dispose();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
