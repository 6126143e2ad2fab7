/**
 * The 64-bit hashes TensorFlow's string ops use, which Keras's Hashing and HashedCrossing call:
 * FarmHash's Fingerprint64 (farmhashna::Hash64; `tf.strings.to_hash_bucket_fast`), SipHash-2-4
 * keyed by two 64-bit words (`to_hash_bucket_strong`), and FingerprintCat64 (how
 * `tf.sparse.cross_hashed` chains features). Written from the published algorithms on BigInt, so
 * a bin here is the bin Keras gives. Inputs are bytes (UTF-8 for strings).
 */
const MASK = (1n << 64n) - 1n;
const K0 = 0xc3a5c85c97cb3127n;
const K1 = 0xb492b66fbe98f273n;
const K2 = 0x9ae16a3b2f90404fn;

const u64 = (x: bigint): bigint => x & MASK;
const mul = (a: bigint, b: bigint): bigint => (a * b) & MASK;
const add = (...xs: bigint[]): bigint => xs.reduce((s, x) => s + x, 0n) & MASK;
const rotr = (v: bigint, shift: number): bigint => (shift === 0 ? v : u64((v >> BigInt(shift)) | (v << BigInt(64 - shift))));
const shiftMix = (v: bigint): bigint => v ^ (v >> 47n);

function fetch64(s: Uint8Array, i: number): bigint {
  let v = 0n;
  for (let j = 7; j >= 0; j--) v = (v << 8n) | BigInt(s[i + j]);
  return v;
}

function fetch32(s: Uint8Array, i: number): bigint {
  return BigInt((s[i] | (s[i + 1] << 8) | (s[i + 2] << 16) | (s[i + 3] << 24)) >>> 0);
}

function hashLen16(u: bigint, v: bigint, m: bigint): bigint {
  let a = mul(u ^ v, m);
  a ^= a >> 47n;
  let b = mul(v ^ a, m);
  b ^= b >> 47n;
  return mul(b, m);
}

function hashLen0to16(s: Uint8Array): bigint {
  const len = s.length;
  if (len >= 8) {
    const m = add(K2, BigInt(len * 2));
    const a = add(fetch64(s, 0), K2);
    const b = fetch64(s, len - 8);
    const c = add(mul(rotr(b, 37), m), a);
    const d = mul(add(rotr(a, 25), b), m);
    return hashLen16(c, d, m);
  }
  if (len >= 4) {
    const m = add(K2, BigInt(len * 2));
    const a = fetch32(s, 0);
    return hashLen16(add(BigInt(len), a << 3n), fetch32(s, len - 4), m);
  }
  if (len > 0) {
    const y = BigInt(s[0] + (s[len >> 1] << 8));
    const z = BigInt(len + (s[len - 1] << 2));
    return mul(shiftMix(mul(y, K2) ^ mul(z, K0)), K2);
  }
  return K2;
}

function hashLen17to32(s: Uint8Array): bigint {
  const len = s.length;
  const m = add(K2, BigInt(len * 2));
  const a = mul(fetch64(s, 0), K1);
  const b = fetch64(s, 8);
  const c = mul(fetch64(s, len - 8), m);
  const d = mul(fetch64(s, len - 16), K2);
  return hashLen16(add(rotr(add(a, b), 43), rotr(c, 30), d), add(a, rotr(add(b, K2), 18), c), m);
}

function hashLen33to64(s: Uint8Array): bigint {
  const len = s.length;
  const m = add(K2, BigInt(len * 2));
  const a = mul(fetch64(s, 0), K2);
  const b = fetch64(s, 8);
  const c = mul(fetch64(s, len - 8), m);
  const d = mul(fetch64(s, len - 16), K2);
  const y = add(rotr(add(a, b), 43), rotr(c, 30), d);
  const z = hashLen16(y, add(a, rotr(add(b, K2), 18), c), m);
  const e = mul(fetch64(s, 16), m);
  const f = fetch64(s, 24);
  const g = mul(add(y, fetch64(s, len - 32)), m);
  const h = mul(add(z, fetch64(s, len - 24)), m);
  return hashLen16(add(rotr(add(e, f), 43), rotr(g, 30), h), add(e, rotr(add(f, a), 18), g), m);
}

/** FarmHash's WeakHashLen32WithSeeds over s[i..i+32) and seeds a, b. */
function weak32(s: Uint8Array, i: number, a0: bigint, b0: bigint): [bigint, bigint] {
  const [w, x, y, z] = [fetch64(s, i), fetch64(s, i + 8), fetch64(s, i + 16), fetch64(s, i + 24)];
  let a = add(a0, w);
  let b = rotr(add(b0, a, z), 21);
  const c = a;
  a = add(a, x, y);
  b = add(b, rotr(a, 44));
  return [add(a, z), add(b, c)];
}

/** FarmHash Fingerprint64 (farmhashna::Hash64) of the bytes `s`, as an unsigned 64-bit BigInt. */
export function fingerprint64(s: Uint8Array): bigint {
  const len = s.length;
  if (len <= 16) return hashLen0to16(s);
  if (len <= 32) return hashLen17to32(s);
  if (len <= 64) return hashLen33to64(s);
  const seed = 81n;
  let x = seed;
  let y = add(mul(seed, K1), 113n);
  let z = mul(shiftMix(add(mul(y, K2), 113n)), K2);
  let v: [bigint, bigint] = [0n, 0n];
  let w: [bigint, bigint] = [0n, 0n];
  x = add(mul(x, K2), fetch64(s, 0));
  const end = Math.floor((len - 1) / 64) * 64;
  const last64 = len - 64;
  let i = 0;
  do {
    x = mul(rotr(add(x, y, v[0], fetch64(s, i + 8)), 37), K1);
    y = mul(rotr(add(y, v[1], fetch64(s, i + 48)), 42), K1);
    x ^= w[1];
    y = add(y, v[0], fetch64(s, i + 40));
    z = mul(rotr(add(z, w[0]), 33), K1);
    v = weak32(s, i, mul(v[1], K1), add(x, w[0]));
    w = weak32(s, i + 32, add(z, w[1]), add(y, fetch64(s, i + 16)));
    [z, x] = [x, z];
    i += 64;
  } while (i !== end);
  const m = add(K1, (z & 0xffn) << 1n);
  i = last64;
  w[0] = add(w[0], BigInt((len - 1) & 63));
  v[0] = add(v[0], w[0]);
  w[0] = add(w[0], v[0]);
  x = mul(rotr(add(x, y, v[0], fetch64(s, i + 8)), 37), m);
  y = mul(rotr(add(y, v[1], fetch64(s, i + 48)), 42), m);
  x ^= mul(w[1], 9n);
  y = add(y, mul(v[0], 9n), fetch64(s, i + 40));
  z = mul(rotr(add(z, w[0]), 33), m);
  v = weak32(s, i, mul(v[1], m), add(x, w[0]));
  w = weak32(s, i + 32, add(z, w[1]), add(y, fetch64(s, i + 16)));
  [z, x] = [x, z];
  return hashLen16(add(hashLen16(v[0], w[0], m), mul(shiftMix(y), K0), z), add(hashLen16(v[1], w[1], m), x), m);
}

/** TensorFlow's FingerprintCat64: the fingerprint of two fingerprints (feature crosses chain it). */
export function fingerprintCat64(fp1: bigint, fp2: bigint): bigint {
  const kMul = 0xc6a4a7935bd1e995n;
  let result = fp1 ^ kMul;
  result ^= mul(shiftMix(mul(fp2, kMul)), kMul);
  result = mul(result, kMul);
  result = mul(shiftMix(result), kMul);
  return shiftMix(result);
}

/** SipHash-2-4 of the bytes `s` with the 128-bit key (k0, k1), as an unsigned 64-bit BigInt. */
export function sipHash24(k0: bigint, k1: bigint, s: Uint8Array): bigint {
  let v0 = k0 ^ 0x736f6d6570736575n;
  let v1 = k1 ^ 0x646f72616e646f6dn;
  let v2 = k0 ^ 0x6c7967656e657261n;
  let v3 = k1 ^ 0x7465646279746573n;
  const rotl = (x: bigint, b: number): bigint => rotr(x, 64 - b);
  const round = (): void => {
    v0 = add(v0, v1); v1 = rotl(v1, 13); v1 ^= v0; v0 = rotl(v0, 32);
    v2 = add(v2, v3); v3 = rotl(v3, 16); v3 ^= v2;
    v0 = add(v0, v3); v3 = rotl(v3, 21); v3 ^= v0;
    v2 = add(v2, v1); v1 = rotl(v1, 17); v1 ^= v2; v2 = rotl(v2, 32);
  };
  const compress = (m: bigint): void => {
    v3 ^= m;
    round();
    round();
    v0 ^= m;
  };
  const len = s.length;
  const whole = len - (len % 8);
  for (let i = 0; i < whole; i += 8) compress(fetch64(s, i));
  let last = BigInt(len & 0xff) << 56n;
  for (let j = len % 8 - 1; j >= 0; j--) last |= BigInt(s[whole + j]) << BigInt(8 * j);
  compress(last);
  v2 ^= 0xffn;
  for (let r = 0; r < 4; r++) round();
  return v0 ^ v1 ^ v2 ^ v3;
}
