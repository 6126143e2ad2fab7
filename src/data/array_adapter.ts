/**
 * Batches of in-memory arrays, converted once: each epoch draws a fresh order (when shuffled) and
 * cuts the batches (data/batches.ts decides where). Owns the converted tensors.
 */
import * as tfc from '@tensorflow/tfjs-core';
import { ValueError } from '../engine/errors';
import type { DataAdapter } from './adapter';
import { ArrayBatches } from './batches';
import { Batch, PreparedData, stepDataOf } from './step_data';

export class ArrayAdapter implements DataAdapter {
  readonly what = 'arrays';
  readonly samples: number;
  readonly steps: number;
  readonly ranOut = false;
  /** Made on the first epoch: on the CPU it reads the arrays, which a split adapter never needs. */
  private batches: ArrayBatches | null = null;

  constructor(
    private readonly data: PreparedData,
    private readonly batchSize: number,
    private readonly where: string,
  ) {
    this.samples = data.xs[0].shape[0];
    if (this.samples === 0) {
      tfc.dispose(data.owned);
      throw new ValueError(`${where}: x has 0 samples. help: pass at least one sample.`);
    }
    this.steps = Math.ceil(this.samples / batchSize);
  }

  get inputs(): tfc.Tensor[] {
    return this.data.xs;
  }

  *epoch(shuffle: boolean): Iterable<Batch> {
    const { xs, ys, sw } = this.data;
    this.batches ??= new ArrayBatches([...xs, ...ys, ...(sw ?? [])], this.batchSize);
    const epoch = this.batches.epoch(shuffle);
    const nx = xs.length;
    const ny = ys.length;
    for (let b = 0; b < this.steps; b++) {
      const all = epoch.batch(b);
      yield { data: stepDataOf(all.slice(0, nx), all.slice(nx, nx + ny), sw ? all.slice(nx + ny) : undefined), dispose: () => tfc.dispose(all) };
    }
  }

  /** The training part and the validation part: the last `fraction` of the samples, as Keras takes it. */
  split(fraction: number): { train: DataAdapter; val: DataAdapter } {
    const n = this.samples;
    const at = Math.floor(n * (1 - fraction));
    if (at === 0 || at === n) {
      this.dispose();
      throw new ValueError(
        `${this.where}: validationSplit ${fraction} of ${n} samples leaves ${at === 0 ? 'no training' : 'no validation'} samples. help: use more data or another split.`,
      );
    }
    const piece = (from: number, size: number): ArrayAdapter => {
      const cut = (list: tfc.Tensor[]): tfc.Tensor[] => list.map((t) => tfc.slice(t, from, size));
      const xs = cut(this.data.xs);
      const ys = cut(this.data.ys);
      const sw = this.data.sw && cut(this.data.sw);
      return new ArrayAdapter({ xs, ys, sw, owned: [...xs, ...ys, ...(sw ?? [])] }, this.batchSize, this.where);
    };
    const parts = { train: piece(0, at), val: piece(at, n - at) };
    this.dispose();
    return parts;
  }

  dispose(): void {
    tfc.dispose(this.data.owned);
    this.data.owned.length = 0;
  }
}
