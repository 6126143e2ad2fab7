/**
 * One source of randomness for the whole framework, so `setRandomSeed(n)` makes initial weights,
 * dropout masks and shuffles reproducible. tfjs-core's random ops take an integer seed and compute
 * in JavaScript, so a seed gives the same numbers on every backend.
 */

/** One step of mulberry32 (a small, fast 32-bit PRNG): the next state and a float in [0, 1). */
function step(state: { a: number }): number {
  state.a = (state.a + 0x6d2b79f5) >>> 0;
  let t = state.a;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

/** mulberry32 from `seed`, as a function. */
export function mulberry32(seed: number): () => number {
  const state = { a: seed >>> 0 };
  return () => step(state);
}

/** The seeded generator's state; null while unseeded (Math.random). */
let seeded: { a: number } | null = null;
let generator: () => number = Math.random;

/** Makes every later random choice of keras-ts (weights, dropout, shuffling) reproducible. */
export function setRandomSeed(seed: number): void {
  if (!Number.isInteger(seed)) {
    throw new TypeError(`setRandomSeed: the seed must be an integer, got ${seed}. help: pass e.g. setRandomSeed(42).`);
  }
  setRandomState(seed >>> 0);
}

/** Where the seeded generator is (for BackupAndRestore, so a resumed run draws what the first run would have); null when unseeded. */
export function getRandomState(): number | null {
  return seeded === null ? null : seeded.a;
}

/** Puts the generator back where getRandomState found it. */
export function setRandomState(state: number | null): void {
  if (state === null) {
    seeded = null;
    generator = Math.random;
    return;
  }
  const s = { a: state >>> 0 };
  seeded = s;
  generator = () => step(s);
}

/** A float in [0, 1). */
export function random(): number {
  return generator();
}

/** An integer seed for a tfjs-core random op. */
export function nextSeed(): number {
  return Math.floor(generator() * 2147483647);
}

/**
 * The seeds of one random layer, as Keras's SeedGenerator: a layer given a `seed` draws a new seed
 * for each call from a sequence fixed by that seed (the same masks in every run, a different mask
 * at every step); without one, seeds come from the global generator (`setRandomSeed`).
 */
export class SeedGenerator {
  private readonly draw: () => number;

  constructor(seed?: number) {
    if (seed === undefined) {
      this.draw = nextSeed;
      return;
    }
    const g = mulberry32(seed);
    this.draw = () => Math.floor(g() * 2147483647);
  }

  /** The seed for the next random op. */
  next(): number {
    return this.draw();
  }
}

/** A random permutation of 0..n-1 (Fisher-Yates). */
export function permutation(n: number): Int32Array {
  const p = new Int32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(generator() * (i + 1));
    const t = p[i];
    p[i] = p[j];
    p[j] = t;
  }
  return p;
}

/** A permutation of 0..n-1 (Fisher-Yates) drawn from its own generator seeded with `seed`: the same for the same seed, whatever the global state. */
export function seededPermutation(n: number, seed: number): number[] {
  const draw = mulberry32(seed);
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(draw() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order;
}
