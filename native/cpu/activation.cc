// dL/dz = activation'(y) * dL/dy over whole arrays, for the kernels that fuse an activation into a
// matmul or a convolution (their backward passes) and for activationGrad. One loop per activation,
// so the activation is a constant inside it: with the switch of ops.h's activation_grad inside
// the loop, GCC kept each element's branches (a ReLU's sign is a coin toss for the predictor),
// and the ReLU gradient of a 32x26x26x32 convolution output took 1.7 ms where this takes ~0.1.
#include "ops.h"

namespace kn {

// The loops are written out in the KN_HOT function itself: its OpenMP bodies are cloned with it for
// each instruction set, where a loop in a helper function (even an inline template) got one
// baseline copy, scalar SSE2.
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

}  // namespace kn
