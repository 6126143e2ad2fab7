// Dropout in training as one kernel (src/ops/dropout.ts), with exactly tfjs's seeded draws, so that
// the same seed gives the same mask, bit for bit, as tfc.dropout on any backend:
//   tfjs: multiplier = floor(randomUniform(shape, 0, 1, 'float32', seed) + keepProb) / keepProb,
//         y = x · multiplier, each op stored as float32; randomUniform draws one number per element,
//         in row-major order, from seedrandom's alea seeded with String(seed).
// JavaScript seeds alea (its Mash hash of the seed string, src/ops/alea.ts) and passes its state
// (c, s0, s1, s2); this file runs alea's recurrence
//   t = 2091639 · s0 + c · 2^-32;  s0 = s1;  s1 = s2;  c = t | 0;  s2 = t - c;  draw = s2
// in integers: every s is k / 2^32 with 0 <= k < 2^32 (Mash's values are, and the recurrence keeps
// it so), and 2091639 · k + c < 2^53, so the doubles of JavaScript hold every value exactly; with
// X = 2091639 · k0 + c:  c = X >> 32,  k2 = X mod 2^32,  draw = k2 · 2^-32 (exact in a double).
// Then, as tfjs's float32 ops: u = float(draw), m = floor(u + kp) / kp with kp = float(1 - rate),
// y = x · m (each float op here is correctly rounded, as are JavaScript's double op then the
// Float32Array store: 53 >= 2 · 24 + 2). The draws are one serial recurrence (one thread); m is
// returned too, for the backward pass (dy · m).
#include <cmath>
#include <cstdint>

#include "call.h"
#include "ops.h"

namespace kn {
namespace {

constexpr double kTwo32 = 4294967296.0;

// An alea state value s (a multiple of 2^-32 in [0, 1)) as the integer s · 2^32.
uint64_t state_word(Call& c, size_t i, const char* name) {
  const double v = c.number(i, name) * kTwo32;
  if (!(v >= 0 && v < kTwo32) || v != std::floor(v)) c.fail(std::string(name) + " is not an alea state value (k / 2^32, 0 <= k < 2^32)");
  return static_cast<uint64_t>(v);
}

// dropout(x, y, multiplier, n, rate, c, s0, s1, s2)
KN_HOT napi_value js_dropout(Call& c) {
  const int64_t n = c.integer(3, "n", 0, kMaxElements);
  const double rate = c.number(4, "rate");
  if (!(rate >= 0 && rate < 1)) c.fail("rate must be in [0, 1)");
  const double carry = c.number(5, "c");
  if (!(carry >= 0 && carry < kTwo32) || carry != std::floor(carry)) c.fail("c is not an alea carry (an integer in [0, 2^32))");
  uint64_t k0 = state_word(c, 6, "s0"), k1 = state_word(c, 7, "s1"), k2 = state_word(c, 8, "s2");
  uint64_t cy = static_cast<uint64_t>(carry);
  const float* x = c.f32(0, "x", n);
  float* y = c.f32(1, "y", n);
  float* m = c.f32(2, "multiplier", n);
  const float kp = static_cast<float>(1.0 - rate);  // tfjs: the number 1 - rate as a float32 scalar
  for (int64_t i = 0; i < n; i++) {
    const uint64_t t = 2091639ULL * k0 + cy;
    cy = t >> 32;
    k0 = k1;
    k1 = k2;
    k2 = t & 0xffffffffULL;
    const float u = static_cast<float>(static_cast<double>(k2) * (1.0 / kTwo32));
    const float mi = std::floor(u + kp) / kp;
    m[i] = mi;
    y[i] = x[i] * mi;
  }
  return undefined(c.env());
}

}  // namespace

void register_dropout(napi_env env, napi_value exports) { export_function(env, exports, "dropout", js_dropout); }

}  // namespace kn
