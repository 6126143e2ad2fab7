// Attention's masked softmax as two kernels (src/ops/attention.ts's maskedSoftmax), in place of the
// where / fill / softmax / where chain and its taped gradients:
//   maskedSoftmax: over the last axis of scores [rows, inner], where a uint8 mask (broadcast to the
//     scores: per outer dimension a stride, 0 where the mask has size 1) allows an entry; allowed
//     entries get softmax over the allowed ones, the others exactly 0 (a row with none allowed is all
//     0), as Keras's Softmax with a mask gives (masked scores set to -1e9, masked probabilities to 0);
//   softmaxGrad: dx = p · (dy - Σ dy · p) per row, the softmax's backward from its output p (0 where
//     masked, so masked entries get no gradient).
#include <omp.h>

#include <cmath>
#include <vector>

#include "call.h"
#include "ops.h"

namespace kn {
namespace {

// maskedSoftmax(scores, mask, out, rowDims, maskStrides, maskInnerStride, inner)
KN_HOT napi_value js_masked_softmax(Call& c) {
  const std::vector<int64_t> dims = c.ints(3, "rowDims", 0, 8, 1, kMaxElements);
  const std::vector<int64_t> strides = c.ints(4, "maskStrides", dims.size(), dims.size(), 0, kMaxElements);
  const int64_t inner_stride = c.integer(5, "maskInnerStride", 0, 1);
  const int64_t inner = c.integer(6, "inner", 1, kMaxElements);
  int64_t rows = 1;
  for (int64_t d : dims) rows *= d;
  const int64_t n = checked_size({rows, inner}, c.fn(), "scores");
  const float* x = c.f32(0, "scores", n);
  const uint8_t* mask = c.u8(1, "mask");
  int64_t mask_size = 1 + (inner - 1) * inner_stride;
  for (size_t i = 0; i < dims.size(); i++) mask_size += (dims[i] - 1) * strides[i];
  if (c.array(1, "mask").length < mask_size) c.fail("mask is smaller than its strides reach");
  float* out = c.f32(2, "out", n);
#pragma omp parallel for if (n >= kParallelMin)
  for (int64_t r = 0; r < rows; r++) {
    int64_t offset = 0;
    for (int64_t i = static_cast<int64_t>(dims.size()) - 1, rest = r; i >= 0; i--) {
      offset += (rest % dims[i]) * strides[i];
      rest /= dims[i];
    }
    const float* p = x + r * inner;
    float* o = out + r * inner;
    const uint8_t* m = mask + offset;
    float mx = -INFINITY;
    bool any = false;
    for (int64_t j = 0; j < inner; j++) {
      if (!m[j * inner_stride]) continue;
      any = true;
      mx = p[j] > mx || p[j] != p[j] ? p[j] : mx;
    }
    if (!any) {
      for (int64_t j = 0; j < inner; j++) o[j] = 0.f;
      continue;
    }
    double sum = 0;
    for (int64_t j = 0; j < inner; j++) {
      o[j] = m[j * inner_stride] ? std::exp(p[j] - mx) : 0.f;
      sum += o[j];
    }
    const float s = static_cast<float>(1.0 / sum);
    for (int64_t j = 0; j < inner; j++) o[j] *= s;
  }
  return undefined(c.env());
}

// softmaxGrad(p, dy, dx, rows, inner)
KN_HOT napi_value js_softmax_grad(Call& c) {
  const int64_t rows = c.integer(3, "rows", 0, kMaxElements);
  const int64_t inner = c.integer(4, "inner", 1, kMaxElements);
  const int64_t n = checked_size({rows, inner}, c.fn(), "p");
  const float* p = c.f32(0, "p", n);
  const float* dy = c.f32(1, "dy", n);
  float* dx = c.f32(2, "dx", n);
#pragma omp parallel for if (n >= kParallelMin)
  for (int64_t r = 0; r < rows; r++) {
    const int64_t o = r * inner;
    double dot = 0;
    for (int64_t j = 0; j < inner; j++) dot += static_cast<double>(dy[o + j]) * p[o + j];
    const float d = static_cast<float>(dot);
    for (int64_t j = 0; j < inner; j++) dx[o + j] = p[o + j] * (dy[o + j] - d);
  }
  return undefined(c.env());
}

}  // namespace

void register_attention(napi_env env, napi_value exports) {
  export_function(env, exports, "maskedSoftmax", js_masked_softmax);
  export_function(env, exports, "softmaxGrad", js_softmax_grad);
}

}  // namespace kn
