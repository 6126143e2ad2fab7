// Dropout in training as one kernel (src/ops/dropout.ts): for element i of x, u = a uniform draw in
// [0, 1) from a counter-based hash of (seed, i) (splitmix64: the same seed gives the same mask on any
// thread count), kept where u >= rate, as tfjs's dropout keeps floor(u + 1 - rate) = 1; y = x · scale
// with scale = 1 / (1 - rate) where kept and 0 where dropped, and scale is returned too (the backward
// pass is dy · scale).
#include <omp.h>

#include <cstdint>

#include "call.h"
#include "ops.h"

namespace kn {
namespace {

inline uint64_t splitmix64(uint64_t z) {
  z += 0x9e3779b97f4a7c15ULL;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

// dropout(x, y, scale, n, rate, seed)
KN_HOT napi_value js_dropout(Call& c) {
  const int64_t n = c.integer(3, "n", 0, kMaxElements);
  const double rate = c.number(4, "rate");
  if (!(rate >= 0 && rate < 1)) c.fail("rate must be in [0, 1)");
  const int64_t seed = c.integer(5, "seed", 0, 9007199254740991LL);
  const float* x = c.f32(0, "x", n);
  float* y = c.f32(1, "y", n);
  float* scale = c.f32(2, "scale", n);
  const float keep = static_cast<float>(1.0 / (1.0 - rate));
  const uint64_t base = splitmix64(static_cast<uint64_t>(seed));
#pragma omp parallel for if (n >= kParallelMin)
  for (int64_t i = 0; i < n; i++) {
    const double u = static_cast<double>(splitmix64(base + static_cast<uint64_t>(i)) >> 11) * 0x1.0p-53;  // [0, 1)
    const float s = u >= rate ? keep : 0.f;
    scale[i] = s;
    y[i] = x[i] * s;
  }
  return undefined(c.env());
}

}  // namespace

void register_dropout(napi_env env, napi_value exports) { export_function(env, exports, "dropout", js_dropout); }

}  // namespace kn
