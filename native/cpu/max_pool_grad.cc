// Max pooling's input gradient from the input alone (NHWC, 2-D). Each window's dy goes to the
// window's first maximum in row-major window order, found with a strict '>' from -infinity: the
// rule of tfjs-backend-cpu's MaxPoolGrad (and TensorFlow's), so a window of NaN or -infinity
// passes no gradient. oneDNN's backward needs the forward's workspace, which a tfjs kernel does
// not carry, so with it every backward ran the forward again: this loop reads x once instead.
// Windows overlap across rows when the stride is below the window, so the threads split the batch.
#include <algorithm>
#include <cstring>
#include <limits>
#include <vector>

#include <omp.h>

#include "ops.h"

namespace kn {

KN_HOT void max_pool_grad_nhwc(const float* dy, const float* x, float* dx, const PoolShape& s) {
  std::memset(dx, 0, sizeof(float) * s.n * s.h * s.w * s.c);
  const int64_t c = s.c;
  const int64_t elements = s.n * s.h * s.w * c;
  const int nt = static_cast<int>(std::min<int64_t>(s.n, elements >= kParallelMin ? omp_get_max_threads() : 1));
#pragma omp parallel num_threads(nt)
  {
    // Per channel: the window's maximum so far and its offset in the image (int32: one image's
    // elements fit, and float/int32 lanes of equal width let the compare-and-blend vectorize).
    std::vector<float> best_v(c);
    std::vector<int32_t> at_v(c);
    float* __restrict best = best_v.data();
    int32_t* __restrict at = at_v.data();
#pragma omp for schedule(static)
    for (int64_t b = 0; b < s.n; b++) {
      const float* xb = x + b * s.h * s.w * c;
      float* dxb = dx + b * s.h * s.w * c;
      for (int64_t oy = 0; oy < s.oh; oy++) {
        for (int64_t ox = 0; ox < s.ow; ox++) {
          std::fill(best, best + c, -std::numeric_limits<float>::infinity());
          std::fill(at, at + c, -1);
          for (int64_t i = 0; i < s.kh; i++) {
            const int64_t y = oy * s.sh - s.pt + i * s.dh;
            if (y < 0 || y >= s.h) continue;
            for (int64_t j = 0; j < s.kw; j++) {
              const int64_t xx = ox * s.sw - s.pl + j * s.dw;
              if (xx < 0 || xx >= s.w) continue;
              const int32_t pos = static_cast<int32_t>((y * s.w + xx) * c);
              const float* __restrict row = xb + pos;
              for (int64_t ch = 0; ch < c; ch++) {
                const bool more = row[ch] > best[ch];
                best[ch] = more ? row[ch] : best[ch];
                at[ch] = more ? pos + static_cast<int32_t>(ch) : at[ch];
              }
            }
          }
          const float* g = dy + ((b * s.oh + oy) * s.ow + ox) * c;
          for (int64_t ch = 0; ch < c; ch++)
            if (at[ch] >= 0) dxb[at[ch]] += g[ch];
        }
      }
    }
  }
}

}  // namespace kn
