// dL/dz = activation'(y) * dL/dy over whole arrays, for activationGrad and for the kernels that
// fuse an activation into a matmul or a convolution (their backward passes), which also need the
// bias gradient, dz summed over rows: activation_grads_and_sums does both in one pass over dy.
// The loops are written out per activation inside the KN_HOT functions, so the activation is a
// constant in each: with ops.h's switch inside the loop GCC kept each element's branches (a
// ReLU's sign is a coin toss for the predictor) and the ReLU gradient of a 32x26x26x32
// convolution output took 1.7 ms where this takes ~0.3. (A loop in a helper function, even an
// inline template, is not cloned with the KN_HOT function and runs as baseline SSE2 code.)
#include <omp.h>

#include <vector>

#include "ops.h"

namespace kn {

#define KN_GRAD_LOOP(ACT)                                                   \
  _Pragma("omp parallel for simd if (n >= kParallelMin)")                   \
  for (int64_t i = 0; i < n; i++) dz[i] = activation_grad(ACT, dy[i], y[i]); \
  return

KN_HOT void activation_grads(int act, const float* __restrict dy, const float* __restrict y, float* __restrict dz, int64_t n) {
  switch (act) {
    case ACT_RELU: KN_GRAD_LOOP(ACT_RELU);
    case ACT_RELU6: KN_GRAD_LOOP(ACT_RELU6);
    case ACT_ELU: KN_GRAD_LOOP(ACT_ELU);
    case ACT_SIGMOID: KN_GRAD_LOOP(ACT_SIGMOID);
    default: KN_GRAD_LOOP(ACT_LINEAR);
  }
}

#define KN_GRAD_ROW(ACT)                           \
  for (int64_t j = 0; j < cols; j++) {             \
    const float v = activation_grad(ACT, a[j], b[j]); \
    o[j] = v;                                      \
    acc[j] += v;                                   \
  }                                                \
  break

KN_HOT void activation_grads_and_sums(int act, const float* dy, const float* y, float* dz, int64_t rows, int64_t cols, float* sums) {
  const int nt = rows * cols >= kParallelMin ? omp_get_max_threads() : 1;
  std::vector<double> partial(static_cast<size_t>(nt) * cols, 0.0);
#pragma omp parallel num_threads(nt)
  {
    double* __restrict acc = partial.data() + static_cast<size_t>(omp_get_thread_num()) * cols;
#pragma omp for schedule(static)
    for (int64_t i = 0; i < rows; i++) {
      const float* __restrict a = dy + i * cols;
      const float* __restrict b = act == ACT_LINEAR ? nullptr : y + i * cols;
      float* __restrict o = act == ACT_LINEAR ? nullptr : dz + i * cols;
      switch (act) {
        case ACT_RELU: KN_GRAD_ROW(ACT_RELU);
        case ACT_RELU6: KN_GRAD_ROW(ACT_RELU6);
        case ACT_ELU: KN_GRAD_ROW(ACT_ELU);
        case ACT_SIGMOID: KN_GRAD_ROW(ACT_SIGMOID);
        default:
          for (int64_t j = 0; j < cols; j++) acc[j] += a[j];
      }
    }
  }
  // The threads' partial sums in thread order: the same result on every run with this thread count.
  for (int64_t j = 0; j < cols; j++) {
    double s = 0.0;
    for (int t = 0; t < nt; t++) s += partial[static_cast<size_t>(t) * cols + j];
    sums[j] = static_cast<float>(s);
  }
}

}  // namespace kn
