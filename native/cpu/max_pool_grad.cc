// Max pooling's input gradient from the input alone, channels-last, 2-D or 3-D (a 2-D pooling is
// read as a 3-D one of depth 1). Each window's dy goes to the window's first maximum in row-major
// window order, found with a strict '>' from -infinity: the rule of tfjs-backend-cpu's MaxPoolGrad
// (and TensorFlow's), so a window of NaN or -infinity passes no gradient. oneDNN's backward needs
// the forward's workspace, which a tfjs kernel does not carry, so with it every backward ran the
// forward again: this loop reads x once instead. Windows overlap when the stride is below the
// window, so the threads split the batch (each image's dx is written by one thread).
#include <algorithm>
#include <cstring>
#include <limits>
#include <vector>

#include <omp.h>

#include "ops.h"

namespace kn {

KN_HOT void max_pool_grad(const float* dy, const float* x, float* dx, const PoolShape& s) {
  const int64_t c = s.c;
  const int64_t image = s.in[0] * s.in[1] * s.in[2] * c;
  std::memset(dx, 0, sizeof(float) * s.n * image);
  const int nt = static_cast<int>(std::min<int64_t>(s.n, s.n * image >= kParallelMin ? omp_get_max_threads() : 1));
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
      const float* xb = x + b * image;
      float* dxb = dx + b * image;
      const float* g = dy + b * s.out[0] * s.out[1] * s.out[2] * c;
      for (int64_t od = 0; od < s.out[0]; od++)
        for (int64_t oh = 0; oh < s.out[1]; oh++)
          for (int64_t ow = 0; ow < s.out[2]; ow++, g += c) {
            std::fill(best, best + c, -std::numeric_limits<float>::infinity());
            std::fill(at, at + c, -1);
            for (int64_t i = 0; i < s.k[0]; i++) {
              const int64_t z = od * s.stride[0] - s.pad[0] + i * s.dilation[0];
              if (z < 0 || z >= s.in[0]) continue;
              for (int64_t j = 0; j < s.k[1]; j++) {
                const int64_t y = oh * s.stride[1] - s.pad[1] + j * s.dilation[1];
                if (y < 0 || y >= s.in[1]) continue;
                for (int64_t l = 0; l < s.k[2]; l++) {
                  const int64_t xx = ow * s.stride[2] - s.pad[2] + l * s.dilation[2];
                  if (xx < 0 || xx >= s.in[2]) continue;
                  const int32_t pos = static_cast<int32_t>(((z * s.in[1] + y) * s.in[2] + xx) * c);
                  const float* __restrict row = xb + pos;
                  for (int64_t ch = 0; ch < c; ch++) {
                    const bool more = row[ch] > best[ch];
                    best[ch] = more ? row[ch] : best[ch];
                    at[ch] = more ? pos + static_cast<int32_t>(ch) : at[ch];
                  }
                }
              }
            }
            for (int64_t ch = 0; ch < c; ch++)
              if (at[ch] >= 0) dxb[at[ch]] += g[ch];
          }
    }
  }
}

}  // namespace kn
