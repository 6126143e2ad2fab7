// Max pooling's input gradient from the input alone, channels-last, 2-D or 3-D (a 2-D pooling is
// read as a 3-D one of depth 1). Each window's dy goes to the window's first maximum in row-major
// window order, found with a strict '>' from -infinity: the rule of tfjs-backend-cpu's MaxPoolGrad
// (and TensorFlow's), so a window of NaN or -infinity passes no gradient. oneDNN's backward needs
// the forward's workspace, which a tfjs kernel does not carry, so with it every backward ran the
// forward again: this loop reads x once instead. Windows overlap when the stride is below the
// window, so the threads split the batch (each image's dx is written by one thread). Windows that
// tile the input (stride = window, no padding or dilation: the usual 2x2 pooling) take a second
// loop that writes each covered dx element once, dy at the maximum and 0 elsewhere, channels as
// the vector lanes, instead of zeroing dx and adding dy at scattered positions (615 -> ~200 us
// for a 32x26x26x32 input on one thread).
#include <algorithm>
#include <cstring>
#include <limits>
#include <vector>

#include <omp.h>

#include "ops.h"

namespace kn {

namespace {

// The tiled loop splits over threads from this many input elements. It is memory-bound, and its
// input is the previous layer's output, which a two-thread kernel left in both cores' caches: in
// the CNN's fit on 2 threads (examples/cnn.ts, inputs of 692,224 and 247,808 elements) two threads
// took 141 ms an epoch against 101-108 ms on one (450 calls; the epoch 1.19 s against 1.13-1.16 s).
constexpr int64_t kParallelMinTiled = int64_t{1} << 22;

// A window starts: no maximum yet (a window of NaN and -infinity keeps -1: no gradient).
inline void start_window(float* __restrict best, int32_t* __restrict at, int64_t c) {
  for (int64_t ch = 0; ch < c; ch++) {
    best[ch] = -std::numeric_limits<float>::infinity();
    at[ch] = -1;
  }
}

// One tap of the window, over the channels: where `in` beats the maximum so far (strictly, so ties
// keep the first), it becomes the maximum and `id` its place. Inlined into each KN_HOT clone.
inline void see_tap(const float* __restrict in, float* __restrict best, int32_t* __restrict at, int64_t c, int32_t id) {
  for (int64_t ch = 0; ch < c; ch++) {
    const bool more = in[ch] > best[ch];
    best[ch] = more ? in[ch] : best[ch];
    at[ch] = more ? id : at[ch];
  }
}

bool tiles(const PoolShape& s) {
  for (int d = 0; d < 3; d++)
    if (s.stride[d] != s.k[d] || s.pad[d] != 0 || s.dilation[d] != 1 || s.out[d] * s.k[d] > s.in[d]) return false;
  return true;
}

// The tiling case. The window's taps are the outer loops and the channels the inner one, so each
// pass over a tap is a vector compare-and-blend (first pass: the maximum and its tap), then a
// vector select per tap (second pass: dy or 0).
KN_HOT void max_pool_grad_tiled(const float* dy, const float* x, float* dx, const PoolShape& s, int nt) {
  const int64_t c = s.c;
  const int64_t image = s.in[0] * s.in[1] * s.in[2] * c;
  bool covers = true;
  for (int d = 0; d < 3; d++) covers = covers && s.out[d] * s.k[d] == s.in[d];
  if (!covers) std::memset(dx, 0, sizeof(float) * s.n * image);  // the rows and columns no window reads
  const int64_t taps = s.k[0] * s.k[1] * s.k[2];
  // Each tap's offset from its window's first element.
  std::vector<int64_t> offset(taps);
  for (int64_t i = 0, t = 0; i < s.k[0]; i++)
    for (int64_t j = 0; j < s.k[1]; j++)
      for (int64_t l = 0; l < s.k[2]; l++) offset[t++] = ((i * s.in[1] + j) * s.in[2] + l) * c;
#pragma omp parallel num_threads(nt)
  {
    std::vector<float> best_v(c);
    std::vector<int32_t> arg_v(c);
    float* __restrict best = best_v.data();
    int32_t* __restrict arg = arg_v.data();
#pragma omp for schedule(static)
    for (int64_t row_index = 0; row_index < s.n * s.out[0] * s.out[1]; row_index++) {  // a row of windows
      const int64_t b = row_index / (s.out[0] * s.out[1]), od = row_index / s.out[1] % s.out[0], oh = row_index % s.out[1];
      const int64_t start = b * image + (od * s.k[0] * s.in[1] + oh * s.k[1]) * s.in[2] * c;
      const float* __restrict g = dy + row_index * s.out[2] * c;
      for (int64_t ow = 0; ow < s.out[2]; ow++, g += c) {
        const int64_t first = start + ow * s.k[2] * c;
        start_window(best, arg, c);
        for (int64_t t = 0; t < taps; t++) see_tap(x + first + offset[t], best, arg, c, static_cast<int32_t>(t));
        for (int64_t t = 0; t < taps; t++) {
          float* __restrict out = dx + first + offset[t];
          const int32_t tap = static_cast<int32_t>(t);
          for (int64_t ch = 0; ch < c; ch++) out[ch] = arg[ch] == tap ? g[ch] : 0.f;
        }
      }
    }
  }
}

}  // namespace

KN_HOT void max_pool_grad(const float* dy, const float* x, float* dx, const PoolShape& s) {
  const int64_t c = s.c;
  const int64_t image = s.in[0] * s.in[1] * s.in[2] * c;
  if (tiles(s)) {
    const int nt = s.n * image >= kParallelMinTiled ? omp_get_max_threads() : 1;
    return max_pool_grad_tiled(dy, x, dx, s, nt);
  }
  std::memset(dx, 0, sizeof(float) * s.n * image);
  const int nt = static_cast<int>(std::min<int64_t>(s.n, s.n * image >= kParallelMin ? omp_get_max_threads() : 1));
#pragma omp parallel num_threads(nt)
  {
    // Per channel: the window's maximum so far and the offset of its pixel in the image (int32: one
    // image's elements fit, and float/int32 lanes of equal width let the compare-and-blend vectorize).
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
            start_window(best, at, c);
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
                  see_tap(xb + pos, best, at, c, pos);
                }
              }
            }
            for (int64_t ch = 0; ch < c; ch++)
              if (at[ch] >= 0) dxb[at[ch] + ch] += g[ch];
          }
    }
  }
}

}  // namespace kn
