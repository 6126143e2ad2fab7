/**
 * The replay of one captured training step (compile's jitCompile on 'native', src/backend/capture),
 * timed alone: the seed MLP's recorded step (784-64-32-16-10 sigmoid, softmax, SGD) replayed in one
 * call of the addon's runner against the same program replayed as the loop of addon calls from
 * JavaScript, interleaved (12 rounds of 200 steps each, the best round of each), wall and CPU time
 * per step. The whole fit's epochs, with PyTorch's, are `npm run bench -- --only seed32`.
 *
 *   npx ts-node --transpile-only bench/capture_step.ts [batch (32)] [threads (2)]
 */
import * as fs from 'fs';
import * as tfc from '@tensorflow/tfjs-core';
import * as k from '../src';
import { NativeReplay, replayRunner } from '../src/backend/capture/native_capture';
import type { StepCapture } from '../src/backend/capture/step_capture';
import { mlp } from './cpu_workloads';

async function main(): Promise<void> {
  const batch = Number(process.argv[2] ?? 32);
  k.setNumThreads(Number(process.argv[3] ?? 2));
  await k.setBackend('native');
  const x = Float32Array.from({ length: 10 * batch * 784 }, (_, i) => Math.abs(Math.sin(i)));
  const y = Float32Array.from({ length: 10 * batch * 10 }, (_, i) => (i % 10 === Math.floor(i / 10) % 10 ? 1 : 0));
  const replays: Record<string, NativeReplay> = {};
  for (const mode of ['loop', 'native'] as const) {
    replayRunner.mode = mode;
    k.utils.setRandomSeed(1);
    const model = mlp([64, 32, 16], 'sigmoid');
    model.compile({ optimizer: new k.optimizers.SGD({ learningRate: 0.05 }), loss: 'categorical_crossentropy', jitCompile: true });
    await model.fit(x, y, { epochs: 1, batchSize: batch, verbose: 0 });
    const capture = (model as unknown as { training: { trainer: { step: { capture: StepCapture } } } }).training.trainer.step.capture;
    replays[mode] = [...(capture as unknown as { byShape: Map<string, { replay: NativeReplay }> }).byShape.values()][0].replay;
  }
  const xs = tfc.tensor2d(x.subarray(0, batch * 784), [batch, 784]);
  const ys = tfc.tensor2d(y.subarray(0, batch * 10), [batch, 10]);
  const wall: Record<string, number> = { loop: Infinity, native: Infinity };
  const cpu: Record<string, number> = { loop: Infinity, native: Infinity };
  for (let r = 0; r < 12; r++) {
    for (const mode of ['loop', 'native']) {
      const n = 200;
      const c0 = process.cpuUsage();
      const t = performance.now();
      for (let i = 0; i < n; i++) tfc.dispose(replays[mode].run([xs, ys], { lr: 0.05, decay: 0 }) as tfc.Tensor[]);
      wall[mode] = Math.min(wall[mode], ((performance.now() - t) / n) * 1000);
      const c = process.cpuUsage(c0);
      cpu[mode] = Math.min(cpu[mode], (c.user + c.system) / n);
    }
  }
  const load = fs.existsSync('/proc/loadavg') ? fs.readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ') : '?';
  console.log(`seed MLP step replay, batch ${batch}, ${k.getNumThreads()} threads (runners: ${replays.native.runner}, ${replays.loop.runner}), best of 12 x 200 steps:`);
  console.log(`- one call of the addon's runner: ${wall.native.toFixed(1)} us wall, ${cpu.native.toFixed(1)} us CPU`);
  console.log(`- loop of addon calls from JavaScript: ${wall.loop.toFixed(1)} us wall, ${cpu.loop.toFixed(1)} us CPU`);
  console.log(`load average ${load}`);
  tfc.dispose([xs, ys]);
}

main();
