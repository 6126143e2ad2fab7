// BatchNormalization in training mode (batch statistics) on channels-last data, [rows, channels],
// as two kernels in place of about twenty small ones (src/ops/batch_norm.ts):
//   batchNormTrain: the per-channel mean and (biased) variance over the rows, then
//     y = act(z), z = x · a + b, a = gamma / sqrt(variance + epsilon), b = beta - mean · a, act linear,
//     relu or relu6;
//   batchNormTrainGrad: dz = act'(z) · dy, with z recomputed from x, gamma, beta and the statistics
//     exactly as the forward pass computed it (so the output y is not read: two full-size arrays
//     fewer to stream), then in one pass the sums dbeta = Σ dz and dgamma = Σ dz · x̂ per channel, and
//     in a second dx = gamma / sqrt(variance + epsilon) · (dz - dbeta / rows - x̂ · dgamma / rows), x̂
//     the normalized x.
// The kernels are memory-bound: each pass reads its arrays once, and all four passes are one
// parallel loop over rows (row_pass), compiled for AVX-512 and AVX2 too (KN_HOT: the OpenMP body
// is cloned with the function that holds it, so every loop lives in a KN_HOT function itself).
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

// Rows summed in float before they are added into the double totals: float adds vectorize twice as
// wide, and a block this short loses nothing measurable (the totals stay in double).
constexpr int64_t kBlockRows = 64;

// What a pass over the rows does with each row.
enum Pass {
  kMoments,    // sums Σ (x - shift) and Σ (x - shift)², shift the first row
  kNormalize,  // out = act(x · a + b)
  kGradSums,   // sums Σ dz and Σ dz · (x - mean)
  kInputGrad,  // out = c1 · (dz - c2 - (x - mean) · c3)
};

// The arrays of a pass: full-size x, dy and out, and per-channel ones (a and b, the affine map
// before the activation; mean; dx's coefficients c1, c2, c3).
struct Arrays {
  const float* x;
  const float* dy = nullptr;
  float* out = nullptr;
  const float* a = nullptr;
  const float* b = nullptr;
  const float* mean = nullptr;
  const float *c1 = nullptr, *c2 = nullptr, *c3 = nullptr;
};

// act'(z) as a 0/1 mask, computed without branches (& not &&) so the loops vectorize: relu passes
// where z > 0, relu6 where 0 < z < 6, as tfjs's gradients multiply by step(z) (a NaN z passes
// nothing, where ops.h's activation_grad passes NaN: its channel's statistics, and so its whole
// gradient, are NaN already).
template <int kAct>
inline float passes(float z) {
  if (kAct == ACT_RELU) return static_cast<float>(z > 0.f);
  if (kAct == ACT_RELU6) return static_cast<float>((z > 0.f) & (z < 6.f));
  return 1.f;
}

// One row's work; s and q are the thread's float sums over its current block. The arrays never
// overlap (the outputs and the sums are the kernel's own): __restrict lets the loops vectorize
// without a run-time overlap check per pair of arrays (GCC gives up on the vector loop past 10).
template <Pass kPass, int kAct>
inline void row(const Arrays& p, int64_t r, int64_t channels, float* __restrict s, float* __restrict q) {
  const int64_t o = r * channels;
  const float* __restrict x = p.x + o;
  const float *__restrict a = p.a, *__restrict b = p.b, *__restrict mean = p.mean;
  if (kPass == kMoments) {
    const float* __restrict shift = p.x;
    for (int64_t c = 0; c < channels; c++) {
      const float d = x[c] - shift[c];
      s[c] += d;
      q[c] += d * d;
    }
  } else if (kPass == kNormalize) {
    float* __restrict y = p.out + o;
    for (int64_t c = 0; c < channels; c++) {
      const float z = x[c] * a[c] + b[c];
      y[c] = kAct == ACT_RELU6 ? std::min(std::max(z, 0.f), 6.f) : kAct == ACT_RELU ? std::max(z, 0.f) : z;
    }
  } else if (kPass == kGradSums) {
    const float* __restrict dy = p.dy + o;
    for (int64_t c = 0; c < channels; c++) {
      const float dz = kAct == ACT_LINEAR ? dy[c] : dy[c] * passes<kAct>(x[c] * a[c] + b[c]);
      s[c] += dz;
      q[c] += dz * (x[c] - mean[c]);
    }
  } else {
    const float* __restrict dy = p.dy + o;
    const float *__restrict c1 = p.c1, *__restrict c2 = p.c2, *__restrict c3 = p.c3;
    float* __restrict dx = p.out + o;
    for (int64_t c = 0; c < channels; c++) {
      const float dz = kAct == ACT_LINEAR ? dy[c] : dy[c] * passes<kAct>(x[c] * a[c] + b[c]);
      dx[c] = c1[c] * (dz - c2[c] - (x[c] - mean[c]) * c3[c]);
    }
  }
}

// The pass over all rows, split among threads in equal ranges (one thread below kParallelMin
// elements: waking the others costs more). Summing passes return out[c] = Σ s, out[channels + c] = Σ q
// in double.
template <Pass kPass, int kAct>
KN_HOT void row_pass(const Arrays& p, int64_t rows, int64_t channels, std::vector<double>& sums) {
  constexpr bool kSums = kPass == kMoments || kPass == kGradSums;
  const int nt = rows * channels >= kParallelMin ? omp_get_max_threads() : 1;
  std::vector<double> part(kSums ? static_cast<size_t>(2 * nt * channels) : 0, 0.0);
#pragma omp parallel num_threads(nt)
  {
    const int t = omp_get_thread_num();
    const int n = omp_get_num_threads();
    const int64_t begin = rows * t / n, end = rows * (t + 1) / n;
    if (!kSums) {
      for (int64_t r = begin; r < end; r++) row<kPass, kAct>(p, r, channels, nullptr, nullptr);
    } else {
      double* total = part.data() + 2 * t * channels;
      std::vector<float> block(static_cast<size_t>(2 * channels));
      for (int64_t r0 = begin; r0 < end; r0 += kBlockRows) {
        std::fill(block.begin(), block.end(), 0.f);
        for (int64_t r = r0; r < std::min(end, r0 + kBlockRows); r++) row<kPass, kAct>(p, r, channels, block.data(), block.data() + channels);
        for (int64_t c = 0; c < 2 * channels; c++) total[c] += block[c];
      }
    }
  }
  if (!kSums) return;
  sums.assign(static_cast<size_t>(2 * channels), 0.0);
  for (int t = 0; t < nt; t++)
    for (int64_t c = 0; c < 2 * channels; c++) sums[c] += part[2 * t * channels + c];
}

// row_pass for the activation act (linear, relu or relu6).
template <Pass kPass>
void run_pass(int act, const Arrays& p, int64_t rows, int64_t channels, std::vector<double>& sums) {
  if (act == ACT_RELU6) row_pass<kPass, ACT_RELU6>(p, rows, channels, sums);
  else if (act == ACT_RELU) row_pass<kPass, ACT_RELU>(p, rows, channels, sums);
  else row_pass<kPass, ACT_LINEAR>(p, rows, channels, sums);
}

// The affine map z = x · a + b of the normalization, per channel, from the batch statistics: the
// forward pass and the gradient's recomputed z use this one function, so they agree bit for bit.
void affine(const float* gamma, const float* beta, const float* mean, const float* variance, double eps, int64_t channels,
            std::vector<float>& a, std::vector<float>& b) {
  a.resize(channels);
  b.resize(channels);
  for (int64_t ch = 0; ch < channels; ch++) {
    const float inv = 1.f / std::sqrt(variance[ch] + static_cast<float>(eps));
    a[ch] = gamma[ch] * inv;
    b[ch] = beta[ch] - mean[ch] * a[ch];
  }
}

int64_t activation(Call& c, size_t i) {
  const int64_t act = c.integer(i, "act", 0, Activation_LAST);
  if (act != ACT_LINEAR && act != ACT_RELU && act != ACT_RELU6) c.fail("act must be linear, relu or relu6");
  return act;
}

// batchNormTrain(x, gamma, beta, y, mean, variance, rows, channels, epsilon, act)
napi_value js_batch_norm_train(Call& c) {
  const int64_t rows = c.integer(6, "rows", 1, kMaxElements);
  const int64_t channels = c.integer(7, "channels", 1, kMaxElements);
  const int64_t n = checked_size({rows, channels}, c.fn(), "x");
  const double eps = c.number(8, "epsilon");
  const int act = static_cast<int>(activation(c, 9));
  Arrays p{c.f32(0, "x", n)};
  const float* gamma = c.f32(1, "gamma", channels);
  const float* beta = c.f32(2, "beta", channels);
  p.out = c.f32(3, "y", n);
  float* mean = c.f32(4, "mean", channels);
  float* variance = c.f32(5, "variance", channels);
  std::vector<double> sums;
  run_pass<kMoments>(ACT_LINEAR, p, rows, channels, sums);  // shifted by the first row
  for (int64_t ch = 0; ch < channels; ch++) {
    const double d = sums[ch] / static_cast<double>(rows);  // mean - shift
    mean[ch] = static_cast<float>(p.x[ch] + d);
    variance[ch] = static_cast<float>(std::max(sums[channels + ch] / static_cast<double>(rows) - d * d, 0.0));
  }
  std::vector<float> a, b;
  affine(gamma, beta, mean, variance, eps, channels, a, b);
  p.a = a.data();
  p.b = b.data();
  run_pass<kNormalize>(act, p, rows, channels, sums);
  return undefined(c.env());
}

// batchNormTrainGrad(dy, x, gamma, beta, mean, variance, dx|null, dgamma, dbeta, rows, channels, epsilon, act)
napi_value js_batch_norm_train_grad(Call& c) {
  const int64_t rows = c.integer(9, "rows", 1, kMaxElements);
  const int64_t channels = c.integer(10, "channels", 1, kMaxElements);
  const int64_t n = checked_size({rows, channels}, c.fn(), "x");
  const double eps = c.number(11, "epsilon");
  const int act = static_cast<int>(activation(c, 12));
  Arrays p{c.f32(1, "x", n)};
  p.dy = c.f32(0, "dy", n);
  const float* gamma = c.f32(2, "gamma", channels);
  const float* beta = c.f32(3, "beta", channels);
  const float* mean = c.f32(4, "mean", channels);
  const float* variance = c.f32(5, "variance", channels);
  float* dx = c.optional_f32(6, "dx", n);
  float* dgamma = c.f32(7, "dgamma", channels);
  float* dbeta = c.f32(8, "dbeta", channels);
  std::vector<float> a, b;
  affine(gamma, beta, mean, variance, eps, channels, a, b);
  p.a = a.data();
  p.b = b.data();
  p.mean = mean;
  std::vector<double> sums;
  run_pass<kGradSums>(act, p, rows, channels, sums);
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
  p.out = dx;
  p.c1 = c1.data();
  p.c2 = c2.data();
  p.c3 = c3.data();
  run_pass<kInputGrad>(act, p, rows, channels, sums);
  return undefined(c.env());
}

}  // namespace

void register_batch_norm(napi_env env, napi_value exports) {
  export_function(env, exports, "batchNormTrain", js_batch_norm_train);
  export_function(env, exports, "batchNormTrainGrad", js_batch_norm_train_grad);
}

}  // namespace kn
