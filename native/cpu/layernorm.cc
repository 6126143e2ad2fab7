// LayerNormalization over the last axis of x [rows, channels], as two kernels in place of about
// forty small ones each step (src/ops/layer_norm.ts):
//   layerNorm: per row, mean and rstd = 1 / sqrt(variance + epsilon) (biased variance, two passes),
//     y = (x - mean) · rstd · gamma + beta; mean and rstd are kept for the backward pass;
//   layerNormGrad: per row, with g = dy · gamma and x̂ = (x - mean) · rstd,
//     dx = rstd · (g - mean(g) - x̂ · mean(g · x̂)), and over the rows dgamma = Σ dy · x̂, dbeta = Σ dy.
// Rows split across threads above kParallelMin elements; each thread sums dgamma and dbeta in double
// over its rows, and the threads' sums are added in a fixed order.
#include <omp.h>

#include <cmath>
#include <vector>

#include "call.h"
#include "ops.h"

namespace kn {
namespace {

int row_threads(int64_t n) { return n >= kParallelMin ? omp_get_max_threads() : 1; }

KN_HOT void forward_rows(const float* x, const float* gamma, const float* beta, float* y, float* mean, float* rstd,
                         int64_t rows, int64_t channels, float eps) {
#pragma omp parallel for num_threads(row_threads(rows * channels))
  for (int64_t r = 0; r < rows; r++) {
    const float* p = x + r * channels;
    double s = 0;
    for (int64_t c = 0; c < channels; c++) s += p[c];
    const float m = static_cast<float>(s / static_cast<double>(channels));
    double q = 0;
    for (int64_t c = 0; c < channels; c++) {
      const float d = p[c] - m;
      q += static_cast<double>(d) * d;
    }
    const float inv = 1.f / std::sqrt(static_cast<float>(q / static_cast<double>(channels)) + eps);
    mean[r] = m;
    rstd[r] = inv;
    float* o = y + r * channels;
    for (int64_t c = 0; c < channels; c++) o[c] = (p[c] - m) * inv * gamma[c] + beta[c];
  }
}

KN_HOT void backward_rows(const float* dy, const float* x, const float* gamma, const float* mean, const float* rstd, float* dx,
                          float* dgamma, float* dbeta, int64_t rows, int64_t channels) {
  const int nt = row_threads(rows * channels);
  std::vector<double> part(static_cast<size_t>(2 * nt * channels), 0.0);
#pragma omp parallel num_threads(nt)
  {
    const int t = omp_get_thread_num();
    const int n = omp_get_num_threads();
    double* dg = part.data() + 2 * t * channels;
    double* db = dg + channels;
    std::vector<float> xhat(static_cast<size_t>(channels));
    for (int64_t r = rows * t / n; r < rows * (t + 1) / n; r++) {
      const int64_t o = r * channels;
      const float m = mean[r], inv = rstd[r];
      double sg = 0, sgx = 0;
      for (int64_t c = 0; c < channels; c++) {
        const float xh = (x[o + c] - m) * inv;
        const float g = dy[o + c] * gamma[c];
        xhat[c] = xh;
        sg += g;
        sgx += static_cast<double>(g) * xh;
        dg[c] += static_cast<double>(dy[o + c]) * xh;
        db[c] += dy[o + c];
      }
      if (dx == nullptr) continue;
      const float a = static_cast<float>(sg / static_cast<double>(channels));
      const float b = static_cast<float>(sgx / static_cast<double>(channels));
      for (int64_t c = 0; c < channels; c++) dx[o + c] = inv * (dy[o + c] * gamma[c] - a - xhat[c] * b);
    }
  }
  for (int64_t c = 0; c < channels; c++) {
    double g = 0, b = 0;
    for (int t = 0; t < nt; t++) {
      g += part[2 * t * channels + c];
      b += part[2 * t * channels + channels + c];
    }
    dgamma[c] = static_cast<float>(g);
    dbeta[c] = static_cast<float>(b);
  }
}

// layerNorm(x, gamma, beta, y, mean, rstd, rows, channels, epsilon)
napi_value js_layer_norm(Call& c) {
  const int64_t rows = c.integer(6, "rows", 1, kMaxElements);
  const int64_t channels = c.integer(7, "channels", 1, kMaxElements);
  const int64_t n = checked_size({rows, channels}, c.fn(), "x");
  const double eps = c.number(8, "epsilon");
  forward_rows(c.f32(0, "x", n), c.f32(1, "gamma", channels), c.f32(2, "beta", channels), c.f32(3, "y", n), c.f32(4, "mean", rows),
               c.f32(5, "rstd", rows), rows, channels, static_cast<float>(eps));
  return undefined(c.env());
}

// layerNormGrad(dy, x, gamma, mean, rstd, dx|null, dgamma, dbeta, rows, channels)
napi_value js_layer_norm_grad(Call& c) {
  const int64_t rows = c.integer(8, "rows", 1, kMaxElements);
  const int64_t channels = c.integer(9, "channels", 1, kMaxElements);
  const int64_t n = checked_size({rows, channels}, c.fn(), "x");
  backward_rows(c.f32(0, "dy", n), c.f32(1, "x", n), c.f32(2, "gamma", channels), c.f32(3, "mean", rows), c.f32(4, "rstd", rows),
                c.optional_f32(5, "dx", n), c.f32(6, "dgamma", channels), c.f32(7, "dbeta", channels), rows, channels);
  return undefined(c.env());
}

}  // namespace

void register_layer_norm(napi_env env, napi_value exports) {
  export_function(env, exports, "layerNorm", js_layer_norm);
  export_function(env, exports, "layerNormGrad", js_layer_norm_grad);
}

}  // namespace kn
