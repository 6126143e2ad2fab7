// Fused optimizer updates beside train.cc's SGD and Adam (each optimizer's step in one kernel, so
// that a captured step can replay it): element by element and in float32, exactly the op chain of
// the optimizer's updateStep, in its order, after the decoupled weight decay w - w·decay.
// RMSprop (src/optimizers/rmsprop.ts):
//   v = v·rho + g²·(1 - rho); centered: a = a·rho + g·(1 - rho), d = (v - a²) + ε, else d = v + ε;
//   inc = (g·lr) / √d; momentum: m = m·μ + inc, w - m; else w - inc.
// Adagrad (src/optimizers/adagrad.ts): acc = acc + g²; w - (g·lr) / √(acc + ε).
#include <cmath>

#include "call.h"
#include "ops.h"

namespace kn {
namespace {

struct RmspropArgs {
  const float *w, *g, *v, *m, *a;
  float *w_out, *v_out, *m_out, *a_out;
  float lr, rho, one_minus_rho, mu, eps, decay;
};

// As train.cc's adam_loop: pointers and constants in locals, an element-wise loop (KN_SIMD_RANGES).
template <bool kMomentum, bool kCentered>
KN_HOT void rmsprop_loop(const RmspropArgs& p, int64_t n) {
  const float *w = p.w, *gs = p.g, *vs = p.v, *ms = p.m, *as = p.a;
  float *w_out = p.w_out, *v_out = p.v_out, *m_out = p.m_out, *a_out = p.a_out;
  const float lr = p.lr, rho = p.rho, one_minus_rho = p.one_minus_rho, mu = p.mu, eps = p.eps, decay = p.decay;
  KN_SIMD_RANGES(n, i) {
    const float w0 = decay != 0.f ? w[i] - w[i] * decay : w[i];
    const float g = gs[i];
    const float v = vs[i] * rho + (g * g) * one_minus_rho;
    v_out[i] = v;
    float d;
    if (kCentered) {
      const float a = as[i] * rho + g * one_minus_rho;
      a_out[i] = a;
      d = (v - a * a) + eps;
    } else {
      d = v + eps;
    }
    const float inc = (g * lr) / std::sqrt(d);
    if (kMomentum) {
      const float m = ms[i] * mu + inc;
      m_out[i] = m;
      w_out[i] = w0 - m;
    } else {
      w_out[i] = w0 - inc;
    }
  }
}

// rmsprop(w, g, v, momentum|null, averageGrad|null, wOut, vOut, momentumOut|null, averageGradOut|null,
// lr, rho, oneMinusRho, mu, epsilon, decay)
napi_value js_rmsprop(Call& c) {
  Array wa = c.array(0, "w");
  const int64_t n = wa.length;
  if (wa.dtype != DType::F32) c.fail("`w` must be a Float32Array.");
  RmspropArgs p;
  p.w = wa.f32();
  p.g = c.f32(1, "g", n);
  p.v = c.f32(2, "v", n);
  p.m = c.optional_f32(3, "momentum", n);
  p.a = c.optional_f32(4, "averageGrad", n);
  p.w_out = c.f32(5, "wOut", n);
  p.v_out = c.f32(6, "vOut", n);
  p.m_out = p.m ? c.f32(7, "momentumOut", n) : nullptr;
  p.a_out = p.a ? c.f32(8, "averageGradOut", n) : nullptr;
  p.lr = static_cast<float>(c.number(9, "lr"));
  p.rho = static_cast<float>(c.number(10, "rho"));
  p.one_minus_rho = static_cast<float>(c.number(11, "oneMinusRho"));
  p.mu = static_cast<float>(c.number(12, "mu"));
  p.eps = static_cast<float>(c.number(13, "epsilon"));
  p.decay = static_cast<float>(c.number(14, "decay"));
  if (p.m != nullptr) p.a != nullptr ? rmsprop_loop<true, true>(p, n) : rmsprop_loop<true, false>(p, n);
  else p.a != nullptr ? rmsprop_loop<false, true>(p, n) : rmsprop_loop<false, false>(p, n);
  return undefined(c.env());
}

// adagrad(w, g, accumulator, wOut, accumulatorOut, lr, epsilon, decay)
KN_HOT napi_value js_adagrad(Call& c) {
  Array wa = c.array(0, "w");
  const int64_t n = wa.length;
  if (wa.dtype != DType::F32) c.fail("`w` must be a Float32Array.");
  const float* w = wa.f32();
  const float* g = c.f32(1, "g", n);
  const float* acc = c.f32(2, "accumulator", n);
  float* w_out = c.f32(3, "wOut", n);
  float* acc_out = c.f32(4, "accumulatorOut", n);
  const float lr = static_cast<float>(c.number(5, "lr"));
  const float eps = static_cast<float>(c.number(6, "epsilon"));
  const float decay = static_cast<float>(c.number(7, "decay"));
#pragma omp parallel for if (n >= kParallelMin)
  for (int64_t i = 0; i < n; i++) {
    const float w0 = decay != 0.f ? w[i] - w[i] * decay : w[i];
    const float a = acc[i] + g[i] * g[i];
    acc_out[i] = a;
    w_out[i] = w0 - (g[i] * lr) / std::sqrt(a + eps);
  }
  return undefined(c.env());
}

}  // namespace

void register_train_optimizers(napi_env env, napi_value exports) {
  export_function(env, exports, "rmsprop", js_rmsprop);
  export_function(env, exports, "adagrad", js_adagrad);
}

}  // namespace kn
