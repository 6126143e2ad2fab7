/**
 * The folded kernel and bias of a frozen conv-BatchNormalization chain (fusion_chains.ts), kept
 * from one call to the next. A chain whose two layers are frozen (trainable false), run with no
 * gradient tape recording (predict, or a training step's frozen base: graph.ts's executeUntaped),
 * folds the same weights every call: here it folds them once, as inference engines do, instead of
 * ~9 small kernels per chain per call and a new filter array for the convolution to reorder.
 *
 * Contract:
 * - an entry is reused only while both layers are frozen, no tape records and no step is being
 *   captured (jitCompile: the recorded program must read the variables), and only if each of the
 *   chain's variables still has the data it was folded from (a variable's assign, as setWeights and
 *   the optimizers do it, gives it new data); otherwise the fold is computed again;
 * - a chain run otherwise drops its entry (the graph also drops it when a layer of the chain is
 *   trainable): a training step may update a variable's array in place (native optimizers, a
 *   captured step), keeping its data id;
 * - the entries are tensors kept outside any tidy scope: dispose() frees them (the graph's owner,
 *   Model.dispose, calls it).
 */
import * as tfc from '@tensorflow/tfjs-core';
import type { Weight } from '../engine/weight';

/** A chain's folded kernel and bias, and what they were folded from. */
interface Entry {
  from: object[];
  folded: [tfc.Tensor4D, tfc.Tensor1D];
}

export class FoldedWeights {
  private readonly entries = new Map<object, Entry>();

  /**
   * The folded [kernel, bias] of chain `key` made of `weights` (the conv's and the normalization's):
   * the kept ones where `frozen` and still valid, else `fold()`'s (kept when `frozen`).
   */
  get(key: object, weights: Weight[], frozen: boolean, fold: () => [tfc.Tensor4D, tfc.Tensor1D]): [tfc.Tensor4D, tfc.Tensor1D] {
    // A step being captured (compile's jitCompile) records the fold from the variables, so that its
    // replays see a variable set anew (the native backend's flag, absent elsewhere).
    const capturing = (tfc.backend() as { capturing?: boolean }).capturing === true;
    const cacheable = frozen && !tfc.engine().isTapeOn() && !capturing;
    const entry = this.entries.get(key);
    const from = weights.map((w) => w.value.dataId);
    if (entry !== undefined && cacheable && entry.from.length === from.length && entry.from.every((d, i) => d === from[i])) return entry.folded;
    if (entry !== undefined) this.drop(key, entry);
    if (!cacheable) return fold();
    const folded = fold();
    folded.forEach((t) => tfc.keep(t));
    this.entries.set(key, { from, folded });
    return folded;
  }

  /** Drops chain `key`'s kept fold, if any (its layers train now). */
  forget(key: object): void {
    const entry = this.entries.get(key);
    if (entry !== undefined) this.drop(key, entry);
  }

  /** How many chains hold a kept fold (for tests). */
  get size(): number {
    return this.entries.size;
  }

  /** Frees every kept fold. */
  dispose(): void {
    this.entries.forEach((entry, key) => this.drop(key, entry));
  }

  private drop(key: object, entry: Entry): void {
    tfc.dispose(entry.folded);
    this.entries.delete(key);
  }
}
