// Scaled dot-product attention of one layer call as one kernel each way (src/ops/attention.ts's
// attentionCore), in place of a scale, two batched matmuls, a masked softmax, a transpose and their
// taped gradients. Layouts are the projections' own, steps before heads (no transposes):
//   q [B, T, H, D], k [B, S, H, D], v [B, S, H, Dv]; out [B, T, H, Dv]; probs [B, H, T, S].
// mask: uint8 over [B, T, S] by strides (0 where the mask has size 1); an entry is allowed where it
// is nonzero. Per (b, h, t): scores = scale · q·kᵀ, softmax over the allowed entries (the others
// exactly 0; a row with none allowed all 0, as Keras's Softmax with a mask gives), out = probs · v.
//   attentionCore(q, k, v, mask, out, probs, dims [B, T, S, H, D, Dv], maskStrides [b, t, s], scale)
//   attentionCoreGrad(dOut, dProbs | null, q, k, v, probs, dq, dk, dv, dims, scale):
//     dv = probsᵀ·dOut; dP = dOut·vᵀ (+ dProbs); dS = probs ∘ (dP - Σ_s dP ∘ probs);
//     dq = scale · dS·k; dk = scale · dSᵀ·q (masked entries have probs 0, so no gradient).
// Each (b, h) pair writes its own slices, so the pairs run in parallel.
#include <omp.h>

#include <cmath>
#include <vector>

#include "call.h"
#include "ops.h"

namespace kn {
namespace {

struct Dims {
  int64_t b, t, s, h, d, dv;
};

Dims dims_of(Call& c, size_t i) {
  const std::vector<int64_t> d = c.ints(i, "dims", 6, 6, 1, kMaxElements);
  return {d[0], d[1], d[2], d[3], d[4], d[5]};
}

// attentionCore(q, k, v, mask, out, probs, dims, maskStrides, scale)
KN_HOT napi_value js_attention_core(Call& c) {
  const Dims n = dims_of(c, 6);
  const std::vector<int64_t> ms = c.ints(7, "maskStrides", 3, 3, 0, kMaxElements);
  const float scale = static_cast<float>(c.number(8, "scale"));
  const float* q = c.f32(0, "q", checked_size({n.b, n.t, n.h, n.d}, c.fn(), "q"));
  const float* k = c.f32(1, "k", checked_size({n.b, n.s, n.h, n.d}, c.fn(), "k"));
  const float* v = c.f32(2, "v", checked_size({n.b, n.s, n.h, n.dv}, c.fn(), "v"));
  const uint8_t* mask = c.u8(3, "mask");
  const int64_t mask_reach = 1 + (n.b - 1) * ms[0] + (n.t - 1) * ms[1] + (n.s - 1) * ms[2];
  if (c.array(3, "mask").length < mask_reach) c.fail("mask is smaller than its strides reach");
  float* out = c.f32(4, "out", checked_size({n.b, n.t, n.h, n.dv}, c.fn(), "out"));
  float* probs = c.f32(5, "probs", checked_size({n.b, n.h, n.t, n.s}, c.fn(), "probs"));
  const int64_t pairs = n.b * n.h;
  const double work = static_cast<double>(pairs) * n.t * n.s * (n.d + n.dv);
#pragma omp parallel for if (work >= kParallelMinWork)
  for (int64_t bh = 0; bh < pairs; bh++) {
    const int64_t b = bh / n.h, h = bh % n.h;
    // This head's keys transposed, [D, S]: a row's scores are then D vector updates over s (no horizontal sums).
    std::vector<float> kt(n.d * n.s);
    for (int64_t s = 0; s < n.s; s++) {
      const float* kr = k + ((b * n.s + s) * n.h + h) * n.d;
      for (int64_t j = 0; j < n.d; j++) kt[j * n.s + s] = kr[j] * scale;
    }
    for (int64_t t = 0; t < n.t; t++) {
      const float* qr = q + ((b * n.t + t) * n.h + h) * n.d;
      const uint8_t* m = mask + b * ms[0] + t * ms[1];
      float* p = probs + ((b * n.h + h) * n.t + t) * n.s;
      for (int64_t s = 0; s < n.s; s++) p[s] = 0.f;
      for (int64_t j = 0; j < n.d; j++) {
        const float qj = qr[j];
        const float* ktr = kt.data() + j * n.s;
#pragma omp simd
        for (int64_t s = 0; s < n.s; s++) p[s] += qj * ktr[s];
      }
      float mx = -INFINITY;
      bool any = false;
      for (int64_t s = 0; s < n.s; s++) {
        if (!m[s * ms[2]]) continue;
        any = true;
        mx = p[s] > mx || p[s] != p[s] ? p[s] : mx;
      }
      float* o = out + ((b * n.t + t) * n.h + h) * n.dv;
      for (int64_t j = 0; j < n.dv; j++) o[j] = 0.f;
      if (!any) {
        for (int64_t s = 0; s < n.s; s++) p[s] = 0.f;
        continue;
      }
      double sum = 0;
      for (int64_t s = 0; s < n.s; s++) {
        p[s] = m[s * ms[2]] ? std::exp(p[s] - mx) : 0.f;
        sum += p[s];
      }
      const float inv = static_cast<float>(1.0 / sum);
      for (int64_t s = 0; s < n.s; s++) {
        p[s] *= inv;
        if (p[s] == 0.f) continue;
        const float* vr = v + ((b * n.s + s) * n.h + h) * n.dv;
        const float ps = p[s];
#pragma omp simd
        for (int64_t j = 0; j < n.dv; j++) o[j] += ps * vr[j];
      }
    }
  }
  return undefined(c.env());
}

// attentionCoreGrad(dOut, dProbs, q, k, v, probs, dq, dk, dv, dims, scale)
KN_HOT napi_value js_attention_core_grad(Call& c) {
  const Dims n = dims_of(c, 9);
  const float scale = static_cast<float>(c.number(10, "scale"));
  const int64_t qn = checked_size({n.b, n.t, n.h, n.d}, c.fn(), "q");
  const int64_t kn_ = checked_size({n.b, n.s, n.h, n.d}, c.fn(), "k");
  const int64_t vn = checked_size({n.b, n.s, n.h, n.dv}, c.fn(), "v");
  const int64_t pn = checked_size({n.b, n.h, n.t, n.s}, c.fn(), "probs");
  const float* dout = c.f32(0, "dOut", checked_size({n.b, n.t, n.h, n.dv}, c.fn(), "dOut"));
  const float* dprobs = c.optional_f32(1, "dProbs", pn);
  const float* q = c.f32(2, "q", qn);
  const float* k = c.f32(3, "k", kn_);
  const float* v = c.f32(4, "v", vn);
  const float* probs = c.f32(5, "probs", pn);
  float* dq = c.f32(6, "dq", qn);
  float* dk = c.f32(7, "dk", kn_);
  float* dv = c.f32(8, "dv", vn);
  const int64_t pairs = n.b * n.h;
  const double work = static_cast<double>(pairs) * n.t * n.s * (2 * n.d + 2 * n.dv);
#pragma omp parallel for if (work >= kParallelMinWork)
  for (int64_t bh = 0; bh < pairs; bh++) {
    const int64_t b = bh / n.h, h = bh % n.h;
    std::vector<float> ds(n.s);
    // This head's values transposed, [Dv, S]: dP's row is then Dv vector updates over s.
    std::vector<float> vt(n.dv * n.s);
    for (int64_t s = 0; s < n.s; s++) {
      const float* vr = v + ((b * n.s + s) * n.h + h) * n.dv;
      for (int64_t j = 0; j < n.dv; j++) vt[j * n.s + s] = vr[j];
    }
    for (int64_t s = 0; s < n.s; s++) {
      float* dkr = dk + ((b * n.s + s) * n.h + h) * n.d;
      float* dvr = dv + ((b * n.s + s) * n.h + h) * n.dv;
      for (int64_t j = 0; j < n.d; j++) dkr[j] = 0.f;
      for (int64_t j = 0; j < n.dv; j++) dvr[j] = 0.f;
    }
    for (int64_t t = 0; t < n.t; t++) {
      const int64_t prow = ((b * n.h + h) * n.t + t) * n.s;
      const float* p = probs + prow;
      const float* dor = dout + ((b * n.t + t) * n.h + h) * n.dv;
      const float* qr = q + ((b * n.t + t) * n.h + h) * n.d;
      float* dqr = dq + ((b * n.t + t) * n.h + h) * n.d;
      for (int64_t s = 0; s < n.s; s++) ds[s] = dprobs ? dprobs[prow + s] : 0.f;
      for (int64_t j = 0; j < n.dv; j++) {
        const float dj = dor[j];
        const float* vtr = vt.data() + j * n.s;
#pragma omp simd
        for (int64_t s = 0; s < n.s; s++) ds[s] += dj * vtr[s];
      }
      double dot = 0;
      for (int64_t s = 0; s < n.s; s++) {
        dot += static_cast<double>(ds[s]) * p[s];
        const float ps = p[s];
        if (ps == 0.f) continue;
        float* dvr = dv + ((b * n.s + s) * n.h + h) * n.dv;
#pragma omp simd
        for (int64_t j = 0; j < n.dv; j++) dvr[j] += ps * dor[j];
      }
      const float d = static_cast<float>(dot);
      for (int64_t j = 0; j < n.d; j++) dqr[j] = 0.f;
      for (int64_t s = 0; s < n.s; s++) {
        const float g = p[s] * (ds[s] - d) * scale;
        if (g == 0.f) continue;
        const float* kr = k + ((b * n.s + s) * n.h + h) * n.d;
        float* dkr = dk + ((b * n.s + s) * n.h + h) * n.d;
#pragma omp simd
        for (int64_t j = 0; j < n.d; j++) dqr[j] += g * kr[j];
#pragma omp simd
        for (int64_t j = 0; j < n.d; j++) dkr[j] += g * qr[j];
      }
    }
  }
  return undefined(c.env());
}

}  // namespace

void register_attention_core(napi_env env, napi_value exports) {
  export_function(env, exports, "attentionCore", js_attention_core);
  export_function(env, exports, "attentionCoreGrad", js_attention_core_grad);
}

}  // namespace kn
