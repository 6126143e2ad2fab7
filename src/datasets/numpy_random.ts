/**
 * NumPy's legacy `np.random.RandomState(seed).shuffle(indices)`, bit for bit, so that Keras's
 * datasets that shuffle (imdb, reuters, boston_housing, california_housing) give the same order
 * here: MT19937 seeded as NumPy's mt19937_seed (init_genrand), and the Fisher-Yates of
 * `_shuffle_raw` drawing each index with `random_interval` (masked rejection on 32-bit draws).
 */
const N = 624;
const M = 397;

export class RandomState {
  private readonly key = new Uint32Array(N);
  private pos = N;

  constructor(seed: number) {
    let s = seed >>> 0;
    for (let i = 0; i < N; i++) {
      this.key[i] = s;
      s = (Math.imul(1812433253, (s ^ (s >>> 30)) >>> 0) + i + 1) >>> 0;
    }
  }

  /** The next 32-bit output of MT19937. */
  nextUint32(): number {
    if (this.pos >= N) this.twist();
    let y = this.key[this.pos++];
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /** NumPy's random_interval(max): uniform in [0, max], for max < 2^32. */
  interval(max: number): number {
    if (max === 0) return 0;
    let mask = max;
    for (const s of [1, 2, 4, 8, 16]) mask |= mask >>> s;
    mask >>>= 0;
    let v: number;
    do v = (this.nextUint32() & mask) >>> 0;
    while (v > max);
    return v;
  }

  /** `shuffle(np.arange(n))`: the permutation NumPy's RandomState.shuffle gives. */
  permutation(n: number): Int32Array {
    const idx = new Int32Array(n);
    for (let i = 0; i < n; i++) idx[i] = i;
    for (let i = n - 1; i > 0; i--) {
      const j = this.interval(i);
      const t = idx[i];
      idx[i] = idx[j];
      idx[j] = t;
    }
    return idx;
  }

  private twist(): void {
    const k = this.key;
    const mix = (a: number, b: number, c: number): number => {
      const y = (k[a] & 0x80000000) | (k[b] & 0x7fffffff);
      return (k[c] ^ (y >>> 1) ^ (y & 1 ? 0x9908b0df : 0)) >>> 0;
    };
    let i = 0;
    for (; i < N - M; i++) k[i] = mix(i, i + 1, i + M);
    for (; i < N - 1; i++) k[i] = mix(i, i + 1, i + M - N);
    k[N - 1] = mix(N - 1, 0, M - 1);
    this.pos = 0;
  }
}
