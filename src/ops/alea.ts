/**
 * The starting state of seedrandom's alea generator for a seed string, as tfjs-core's random ops
 * seed it (`seedrandom.alea(String(seed))`, node_modules/seedrandom/lib/alea.js: Baagoe's Mash hash
 * of ' ' three times, less the Mash of the seed three times, carry 1). Its numbers are exactly
 * alea's, so a kernel running alea's recurrence from this state (native/cpu/dropout.cc) draws what
 * tfjs's randomUniform draws for the same seed. Every s is a multiple of 2^-32 in [0, 1).
 */

/** alea's state before its first draw: [c, s0, s1, s2]. */
export function aleaState(seed: string): [number, number, number, number] {
  const mash = mashOf();
  let s0 = mash(' ');
  let s1 = mash(' ');
  let s2 = mash(' ');
  s0 -= mash(seed);
  if (s0 < 0) s0 += 1;
  s1 -= mash(seed);
  if (s1 < 0) s1 += 1;
  s2 -= mash(seed);
  if (s2 < 0) s2 += 1;
  return [1, s0, s1, s2];
}

/** Baagoe's Mash: a hash whose running state n carries over from call to call. */
function mashOf(): (data: string) => number {
  let n = 0xefc8249d;
  return (data) => {
    for (let i = 0; i < data.length; i++) {
      n += data.charCodeAt(i);
      let h = 0.02519603282416938 * n;
      n = h >>> 0;
      h -= n;
      h *= n;
      n = h >>> 0;
      h -= n;
      n += h * 0x100000000; // 2^32
    }
    return (n >>> 0) * 2.3283064365386963e-10; // 2^-32
  };
}
