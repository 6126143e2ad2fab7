// BatchNormalization in training mode (batch statistics) on channels-last data, [rows, channels],
// as two kernels in place of about twenty small ones (src/ops/batch_norm.ts):
//   batchNormTrain: the per-channel mean and (biased) variance over the rows, then
//     y = act((x - mean) / sqrt(variance + epsilon) · gamma + beta), act linear, relu or relu6;
//   batchNormTrainGrad: from dy (and y, for the activation), dz = act'(dy), then in one pass the sums
//     dbeta = Σ dz and dgamma = Σ dz · x̂ per channel, and in a second dx =
//     gamma / sqrt(variance + epsilon) · (dz - dbeta / rows - x̂ · dgamma / rows), x̂ the normalized x.
// Sums run per thread over its rows, in float over blocks of 64 rows and in double across blocks,
// and the threads' sums are added in a fixed order.
#include <omp.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "call.h"
#include "ops.h"

namespace kn {
namespace {

// Threads for a pass over n elements (one below kParallelMin: waking the others costs more).
int pass_threads(int64_t n) { return n >= kParallelMin ? omp_get_max_threads() : 1; }

// Rows summed in float before they are added into the double totals: float adds vectorize twice as
// wide, and a block this short loses nothing measurable (the totals stay in double).
constexpr int64_t kBlockRows = 64;

// Per-channel sums over the rows of two quantities, in double: out[c] = Σ u, out[channels + c] = Σ v,
// where f(row, u, v) adds one row's values into the float arrays u and v.
template <class F>
void channel_sums(int64_t rows, int64_t channels, F f, std::vector<double>& out) {
  const int nt = pass_threads(rows * channels);
  std::vector<double> part(static_cast<size_t>(2 * nt * channels), 0.0);
#pragma omp parallel num_threads(nt)
  {
    const int t = omp_get_thread_num();
    const int n = omp_get_num_threads();
    double* total = part.data() + 2 * t * channels;
    std::vector<float> block(static_cast<size_t>(2 * channels));
    const int64_t end = rows * (t + 1) / n;
    for (int64_t r0 = rows * t / n; r0 < end; r0 += kBlockRows) {
      std::fill(block.begin(), block.end(), 0.f);
      for (int64_t r = r0; r < std::min(end, r0 + kBlockRows); r++) f(r, block.data(), block.data() + channels);
      for (int64_t c = 0; c < 2 * channels; c++) total[c] += block[c];
    }
  }
  out.assign(static_cast<size_t>(2 * channels), 0.0);
  for (int t = 0; t < nt; t++)
    for (int64_t c = 0; c < 2 * channels; c++) out[c] += part[2 * t * channels + c];
}

// Σ x and Σ (x - shift)² per channel; shift (the first row) keeps the float sums of squares small
// where the mean is large next to the spread.
KN_HOT void moments_rows(const float* x, const float* shift, int64_t rows, int64_t channels, std::vector<double>& sums) {
  channel_sums(rows, channels, [&](int64_t r, float* s, float* q) {
    const float* p = x + r * channels;
    for (int64_t c = 0; c < channels; c++) {
      const float d = p[c] - shift[c];
      s[c] += d;
      q[c] += d * d;
    }
  }, sums);
}

KN_HOT void normalize_rows(const float* x, const float* a, const float* b, float* y, int64_t rows, int64_t channels, int act) {
#pragma omp parallel for num_threads(pass_threads(rows * channels))
  for (int64_t r = 0; r < rows; r++) {
    const float* p = x + r * channels;
    float* o = y + r * channels;
    if (act == ACT_RELU6) {
      for (int64_t c = 0; c < channels; c++) o[c] = std::min(std::max(p[c] * a[c] + b[c], 0.f), 6.f);
    } else if (act == ACT_RELU) {
      for (int64_t c = 0; c < channels; c++) o[c] = std::max(p[c] * a[c] + b[c], 0.f);
    } else {
      for (int64_t c = 0; c < channels; c++) o[c] = p[c] * a[c] + b[c];
    }
  }
}

// batchNormTrain(x, gamma, beta, y, mean, variance, rows, channels, epsilon, act)
napi_value js_batch_norm_train(Call& c) {
  const int64_t rows = c.integer(6, "rows", 1, kMaxElements);
  const int64_t channels = c.integer(7, "channels", 1, kMaxElements);
  const int64_t n = checked_size({rows, channels}, c.fn(), "x");
  const double eps = c.number(8, "epsilon");
  const int64_t act = c.integer(9, "act", 0, Activation_LAST);
  if (act != ACT_LINEAR && act != ACT_RELU && act != ACT_RELU6) c.fail("act must be linear, relu or relu6");
  const float* x = c.f32(0, "x", n);
  const float* gamma = c.f32(1, "gamma", channels);
  const float* beta = c.f32(2, "beta", channels);
  float* y = c.f32(3, "y", n);
  float* mean = c.f32(4, "mean", channels);
  float* variance = c.f32(5, "variance", channels);
  std::vector<double> sums;
  moments_rows(x, x, rows, channels, sums);  // shifted by the first row
  std::vector<float> a(channels), b(channels);
  for (int64_t ch = 0; ch < channels; ch++) {
    const double d = sums[ch] / static_cast<double>(rows);  // mean - shift
    const double var = std::max(sums[channels + ch] / static_cast<double>(rows) - d * d, 0.0);
    mean[ch] = static_cast<float>(x[ch] + d);
    variance[ch] = static_cast<float>(var);
    const float inv = 1.f / std::sqrt(variance[ch] + static_cast<float>(eps));
    a[ch] = gamma[ch] * inv;
    b[ch] = beta[ch] - mean[ch] * a[ch];
  }
  normalize_rows(x, a.data(), b.data(), y, rows, channels, static_cast<int>(act));
  return undefined(c.env());
}

// dz = act'(dy) from the output y, as dy times a 0/1 mask, without branches (the loops below
// vectorize): relu passes dy where y > 0, relu6 where 0 < y < 6, as tfjs's gradients multiply by
// step(x) (a NaN y passes nothing, where ops.h's activation_grad passes NaN: its channel's statistics,
// and so its whole gradient, are NaN already).
template <int kAct>
inline float dz_of(float dy, float y) {
  if (kAct == ACT_RELU) return dy * static_cast<float>(y > 0.f);
  if (kAct == ACT_RELU6) return dy * static_cast<float>((y > 0.f) & (y < 6.f));  // & not &&: no branch
  return dy;
}

template <int kAct>
KN_HOT void grad_sums(const float* dy, const float* x, const float* y, const float* mean, int64_t rows, int64_t channels, std::vector<double>& sums) {
  channel_sums(rows, channels, [&](int64_t r, float* s, float* q) {
    const int64_t o = r * channels;
    for (int64_t c = 0; c < channels; c++) {
      const float dz = dz_of<kAct>(dy[o + c], y[o + c]);
      s[c] += dz;
      q[c] += dz * (x[o + c] - mean[c]);
    }
  }, sums);
}

template <int kAct>
KN_HOT void input_grad(const float* dy, const float* x, const float* y, const float* mean, const float* c1, const float* c2, const float* c3,
                       float* dx, int64_t rows, int64_t channels) {
#pragma omp parallel for num_threads(pass_threads(rows * channels))
  for (int64_t r = 0; r < rows; r++) {
    const int64_t o = r * channels;
    for (int64_t c = 0; c < channels; c++) dx[o + c] = c1[c] * (dz_of<kAct>(dy[o + c], y[o + c]) - c2[c] - (x[o + c] - mean[c]) * c3[c]);
  }
}

// batchNormTrainGrad(dy, x, y, gamma, mean, variance, dx|null, dgamma, dbeta, rows, channels, epsilon, act)
napi_value js_batch_norm_train_grad(Call& c) {
  const int64_t rows = c.integer(9, "rows", 1, kMaxElements);
  const int64_t channels = c.integer(10, "channels", 1, kMaxElements);
  const int64_t n = checked_size({rows, channels}, c.fn(), "x");
  const double eps = c.number(11, "epsilon");
  const int64_t act = c.integer(12, "act", 0, Activation_LAST);
  if (act != ACT_LINEAR && act != ACT_RELU && act != ACT_RELU6) c.fail("act must be linear, relu or relu6");
  const float* dy = c.f32(0, "dy", n);
  const float* x = c.f32(1, "x", n);
  const float* y = c.f32(2, "y", n);
  const float* gamma = c.f32(3, "gamma", channels);
  const float* mean = c.f32(4, "mean", channels);
  const float* variance = c.f32(5, "variance", channels);
  float* dx = c.optional_f32(6, "dx", n);
  float* dgamma = c.f32(7, "dgamma", channels);
  float* dbeta = c.f32(8, "dbeta", channels);
  std::vector<double> sums;
  if (act == ACT_RELU6) grad_sums<ACT_RELU6>(dy, x, y, mean, rows, channels, sums);
  else if (act == ACT_RELU) grad_sums<ACT_RELU>(dy, x, y, mean, rows, channels, sums);
  else grad_sums<ACT_LINEAR>(dy, x, y, mean, rows, channels, sums);
  std::vector<float> c1(channels), c2(channels), c3(channels);
  const double m = static_cast<double>(rows);
  for (int64_t ch = 0; ch < channels; ch++) {
    const double inv = 1.0 / std::sqrt(static_cast<double>(variance[ch] + static_cast<float>(eps)));
    dbeta[ch] = static_cast<float>(sums[ch]);
    dgamma[ch] = static_cast<float>(sums[channels + ch] * inv);
    c1[ch] = static_cast<float>(gamma[ch] * inv);
    c2[ch] = static_cast<float>(sums[ch] / m);
    c3[ch] = static_cast<float>(sums[channels + ch] * inv * inv / m);
  }
  if (dx == nullptr) return undefined(c.env());
  if (act == ACT_RELU6) input_grad<ACT_RELU6>(dy, x, y, mean, c1.data(), c2.data(), c3.data(), dx, rows, channels);
  else if (act == ACT_RELU) input_grad<ACT_RELU>(dy, x, y, mean, c1.data(), c2.data(), c3.data(), dx, rows, channels);
  else input_grad<ACT_LINEAR>(dy, x, y, mean, c1.data(), c2.data(), c3.data(), dx, rows, channels);
  return undefined(c.env());
}

}  // namespace

void register_batch_norm(napi_env env, napi_value exports) {
  export_function(env, exports, "batchNormTrain", js_batch_norm_train);
  export_function(env, exports, "batchNormTrainGrad", js_batch_norm_train_grad);
}

}  // namespace kn
