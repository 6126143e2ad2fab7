// Training-step kernels that replace chains of small ops: cross-entropy of softmax or sigmoid
// probabilities and its gradient with respect to the logits (src/losses/fused.ts), and the SGD and
// Adam updates (src/optimizers). Each computes, element by element and in float32, exactly what
// the op chain it replaces computes, in the same order.
#include <cmath>

#include "call.h"
#include "ops.h"

namespace kn {
namespace {

constexpr float kEpsilon = 1e-7f;
inline float clip_prob(float p) { return p > 1.f - kEpsilon ? 1.f - kEpsilon : (p < kEpsilon ? kEpsilon : p); }

// How a cross-entropy kernel reduces its rows (Keras's reductions): none (one value per row), sum, or
// the mean over the rows (sum_over_batch_size); a reduced value is the rows' float32 values summed
// in double in row order, as the Sum kernel of the per-row values sums them (then divided in float32).
enum Reduce : int64_t { R_ROWS = 0, R_TOTAL = 1, R_AVERAGE = 2 };

// With `sparse`, target holds one class index per row (float32, read as a cast to int32 reads it:
// truncated, NaN and infinities 0), standing for the one-hot row tfjs's oneHot makes of it (all 0
// for an index outside [0, classes)).
inline int64_t sparse_class(float label) { return std::isfinite(label) ? static_cast<int64_t>(std::trunc(label)) : 0; }

// crossentropy(kind, probs, target, out, rows, classes, reduce, sparse): kind 0 softmax: -Σ t·log(clip(p));
// kind 1 sigmoid: mean of -(t·log(p) + (1 - t)·log(1 - p)), p clipped; out holds one value per row,
// or with `reduce` 1 (sum) or 2 (mean) one value. `sparse` (softmax only): target as class indices.
napi_value js_crossentropy(Call& c) {
  const bool sigmoid = c.integer(0, "kind", 0, 1) == 1;
  const int64_t rows = c.integer(4, "rows", 0, kMaxElements);
  const int64_t classes = c.integer(5, "classes", 1, kMaxElements);
  const int64_t reduce = c.integer(6, "reduce", R_ROWS, R_AVERAGE);
  const bool sparse = c.flag(7, "sparse");
  if (sparse && sigmoid) c.fail("sparse targets go with kind 0 (softmax) only.");
  const int64_t n = checked_size({rows, classes}, c.fn(), "probs");
  const float* p = c.f32(1, "probs", n);
  const float* t = c.f32(2, "target", sparse ? rows : n);
  float* out = c.f32(3, "out", reduce == R_ROWS ? rows : 1);
  double total = 0;
  for (int64_t r = 0; r < rows; r++) {
    double sum = 0;
    if (sparse) {
      const int64_t label = sparse_class(t[r]);
      if (label >= 0 && label < classes) sum = std::log(clip_prob(p[r * classes + label]));
    } else {
      for (int64_t j = 0; j < classes; j++) {
        const int64_t i = r * classes + j;
        const float q = clip_prob(p[i]);
        if (sigmoid) sum += -(t[i] * std::log(q) + (1.f - t[i]) * std::log(1.f - q));
        else sum += t[i] * std::log(q);
      }
    }
    const float value = sigmoid ? static_cast<float>(sum) / static_cast<float>(classes) : -static_cast<float>(sum);
    if (reduce == R_ROWS) out[r] = value;
    else total += value;
  }
  if (reduce == R_TOTAL) out[0] = static_cast<float>(total);
  if (reduce == R_AVERAGE) out[0] = static_cast<float>(total) / static_cast<float>(rows > 0 ? rows : 1);
  return undefined(c.env());
}

// crossentropyGrad(kind, probs, target, dy, dz, rows, classes, reduce, sparse): the gradient with
// respect to the logits: softmax (p·Σt - t)·dy, sigmoid (p - t)/classes·dy; dy one value per row, or
// with `reduce` the reduced value's gradient (one value: each row's is dy, or dy / rows for the
// mean); `sparse` as crossentropy's.
napi_value js_crossentropy_grad(Call& c) {
  const bool sigmoid = c.integer(0, "kind", 0, 1) == 1;
  const int64_t rows = c.integer(5, "rows", 0, kMaxElements);
  const int64_t classes = c.integer(6, "classes", 1, kMaxElements);
  const int64_t reduce = c.integer(7, "reduce", R_ROWS, R_AVERAGE);
  const bool sparse = c.flag(8, "sparse");
  if (sparse && sigmoid) c.fail("sparse targets go with kind 0 (softmax) only.");
  const int64_t n = checked_size({rows, classes}, c.fn(), "probs");
  const float* p = c.f32(1, "probs", n);
  const float* t = c.f32(2, "target", sparse ? rows : n);
  const float* dy = c.f32(3, "dy", reduce == R_ROWS ? rows : 1);
  float* dz = c.f32(4, "dz", n);
  const float shared = reduce == R_ROWS ? 0.f : reduce == R_AVERAGE ? dy[0] / static_cast<float>(rows > 0 ? rows : 1) : dy[0];
  for (int64_t r = 0; r < rows; r++) {
    const float d = reduce == R_ROWS ? dy[r] : shared;
    const float* pr = p + r * classes;
    float* o = dz + r * classes;
    if (sparse) {
      const int64_t label = sparse_class(t[r]);
      const float total = label >= 0 && label < classes ? 1.f : 0.f;  // Σt of the one-hot row
      for (int64_t j = 0; j < classes; j++) o[j] = (pr[j] * total - (j == label ? 1.f : 0.f)) * d;
      continue;
    }
    const float* tr = t + r * classes;
    if (sigmoid) {
      for (int64_t j = 0; j < classes; j++) o[j] = ((pr[j] - tr[j]) / static_cast<float>(classes)) * d;
    } else {
      double s = 0;
      for (int64_t j = 0; j < classes; j++) s += tr[j];
      const float total = static_cast<float>(s);
      for (int64_t j = 0; j < classes; j++) o[j] = (pr[j] * total - tr[j]) * d;
    }
  }
  return undefined(c.env());
}

// adam(w, g, m, v, vHat|null, wOut, mOut, vOut, vHatOut|null, alpha, oneMinusBeta1, oneMinusBeta2,
// epsilon, decay), as src/optimizers/adam.ts: w decays by w·decay first (decoupled weight decay),
// m += (g - m)(1 - b1), v += (g² - v)(1 - b2), v̂ = max(v̂, v) with AMSGrad, w -= m·α / (√v̂ + ε).
struct AdamArgs {
  const float *w, *g, *m, *v, *vhat;
  float *w_out, *m_out, *v_out, *vhat_out;
  float alpha, c1, c2, eps, decay;
};

// One loop per case, without branches inside, so that it vectorizes: the pointers and constants in
// locals (read through the struct, each iteration reloads them), an element-wise loop
// (KN_SIMD_RANGES); std::sqrt vectorizes because the build passes -fno-math-errno. Scalar, it took
// 1.5-1.7 ns an element on one thread, hot in cache; vectorized 0.4-0.6 (scratch, n 12,800-500,000).
template <bool kAmsgrad, bool kDecay>
KN_HOT void adam_loop(const AdamArgs& a, int64_t n) {
  const float *w = a.w, *g = a.g, *m = a.m, *v = a.v, *vhat = a.vhat;
  float *w_out = a.w_out, *m_out = a.m_out, *v_out = a.v_out, *vhat_out = a.vhat_out;
  const float alpha = a.alpha, c1 = a.c1, c2 = a.c2, eps = a.eps, decay = a.decay;
  KN_SIMD_RANGES(n, i) {
    const float w0 = kDecay ? w[i] - w[i] * decay : w[i];
    const float mi = m[i] + (g[i] - m[i]) * c1;
    const float vi = v[i] + (g[i] * g[i] - v[i]) * c2;
    m_out[i] = mi;
    v_out[i] = vi;
    float vu = vi;
    if (kAmsgrad) {
      vu = (vhat[i] > vi || vhat[i] != vhat[i]) ? vhat[i] : vi;
      vhat_out[i] = vu;
    }
    w_out[i] = w0 - (mi * alpha) / (std::sqrt(vu) + eps);
  }
}

napi_value js_adam(Call& c) {
  Array wa = c.array(0, "w");
  const int64_t n = wa.length;
  if (wa.dtype != DType::F32) c.fail("`w` must be a Float32Array.");
  AdamArgs a;
  a.w = wa.f32();
  a.g = c.f32(1, "g", n);
  a.m = c.f32(2, "m", n);
  a.v = c.f32(3, "v", n);
  a.vhat = c.optional_f32(4, "vHat", n);
  a.w_out = c.f32(5, "wOut", n);
  a.m_out = c.f32(6, "mOut", n);
  a.v_out = c.f32(7, "vOut", n);
  a.vhat_out = a.vhat ? c.f32(8, "vHatOut", n) : nullptr;
  a.alpha = static_cast<float>(c.number(9, "alpha"));
  a.c1 = static_cast<float>(c.number(10, "oneMinusBeta1"));
  a.c2 = static_cast<float>(c.number(11, "oneMinusBeta2"));
  a.eps = static_cast<float>(c.number(12, "epsilon"));
  a.decay = static_cast<float>(c.number(13, "decay"));
  const bool decay = a.decay != 0.f;
  if (a.vhat != nullptr) decay ? adam_loop<true, true>(a, n) : adam_loop<true, false>(a, n);
  else decay ? adam_loop<false, true>(a, n) : adam_loop<false, false>(a, n);
  return undefined(c.env());
}

// sgd(w, g, momentum|null, wOut, momentumOut|null, lr, mu, nesterov, decay), as src/optimizers/sgd.ts:
// without momentum w - g·lr; with it m = m·mu - g·lr and w + m (Nesterov: w + (m·mu - g·lr)).
KN_HOT napi_value js_sgd(Call& c) {
  Array wa = c.array(0, "w");
  const int64_t n = wa.length;
  if (wa.dtype != DType::F32) c.fail("`w` must be a Float32Array.");
  const float* w = wa.f32();
  const float* g = c.f32(1, "g", n);
  const float* mom = c.optional_f32(2, "momentum", n);
  float* w_out = c.f32(3, "wOut", n);
  float* mom_out = mom ? c.f32(4, "momentumOut", n) : nullptr;
  const float lr = static_cast<float>(c.number(5, "lr"));
  const float mu = static_cast<float>(c.number(6, "mu"));
  const bool nesterov = c.flag(7, "nesterov");
  const float decay = static_cast<float>(c.number(8, "decay"));
#pragma omp parallel for if (n >= kParallelMin)
  for (int64_t i = 0; i < n; i++) {
    const float w0 = decay != 0.f ? w[i] - w[i] * decay : w[i];
    const float scaled = g[i] * lr;
    if (mom == nullptr) {
      w_out[i] = w0 - scaled;
    } else {
      const float mi = mom[i] * mu - scaled;
      mom_out[i] = mi;
      w_out[i] = nesterov ? w0 + (mi * mu - scaled) : w0 + mi;
    }
  }
  return undefined(c.env());
}

}  // namespace

void register_train(napi_env env, napi_value exports) {
  export_function(env, exports, "crossentropy", js_crossentropy);
  export_function(env, exports, "crossentropyGrad", js_crossentropy_grad);
  export_function(env, exports, "adam", js_adam);
  export_function(env, exports, "sgd", js_sgd);
}

}  // namespace kn
