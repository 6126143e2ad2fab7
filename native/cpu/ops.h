// The op codes shared with the TypeScript side (generated from src/backend/op_table.ts), the
// threading threshold, and the activation functions and derivatives shared by several kernels.
#pragma once
#include <omp.h>

#include <cmath>
#include <cstdint>

#include <dnnl.hpp>

namespace kn {
#include "../common/op_table.h"

// Loops over fewer elements than this run on one thread: waking the others costs more than the
// loop, and with few cores a woken thread that the OS has descheduled stalls the call for
// milliseconds (measured here on 2 cores: a quarter of small multi-threaded matmuls took >1 ms).
constexpr int64_t kParallelMin = 1 << 16;

// Matrix products and convolutions with fewer multiply-adds than kParallelMinWork run on one
// thread; from it to kParallelMinWorkAsleep, on every thread only where one of the last few calls
// ran on several threads (threads_for). The other threads sleep between calls
// (OMP_WAIT_POLICY=passive, addon.ts says why), and one asleep for long costs a wake-up that a
// mid-sized product does not repay: measured here on 2 cores, the Fashion-size MLP's 128x784x256
// product (25.7M, one every 2.4 ms step) took 415 us a call on two threads against 359 on one, and
// its epoch 1.13-1.14 s against 1.05-1.08 s on one; in MobileNetV2, whose 10-60M convolutions
// follow each other and larger ones, two threads gained 5-15% (a global threshold of 6e7 lost it).
constexpr double kParallelMinWork = 1e7;
constexpr double kParallelMinWorkAsleep = 6e7;

// Vectorized element-wise loops (KN_SIMD_RANGES) over fewer elements than this run on one thread:
// vectorized, Adam's step is memory-bound and a second thread only pays from about 400,000
// elements (measured here, threads spinning: 200,704 elements 117 us on one thread, 126 on two;
// 1,000,000: 565 and 348), more where an idle thread must first be woken.
constexpr int64_t kParallelMinSimd = 1 << 19;

// KN_SIMD_RANGES(n, i) { body }: an element-wise loop over i in [0, n) that vectorizes on both
// sides of the thread split: one range per thread from kParallelMinSimd elements (one range
// below), each an `omp simd` loop. GCC leaves the serial side of `omp parallel for simd if (...)`
// scalar (Adam's step: 1.5 ns an element below the threshold, 0.4 above). `simd` asserts what an
// element-wise update keeps: each element read and written at its own index only (outputs may be
// the inputs' own arrays). Write it inside the KN_HOT function, whose clones then vectorize it.
#define KN_SIMD_RANGES(n, i)                                                             \
  for (int64_t kn_parts_ = (n) >= kParallelMinSimd ? omp_get_max_threads() : 1, kn_once_ = 1; \
       kn_once_; kn_once_ = 0)                                                           \
  _Pragma("omp parallel for if (kn_parts_ > 1)")                                         \
  for (int64_t kn_part_ = 0; kn_part_ < kn_parts_; kn_part_++)                           \
  _Pragma("omp simd")                                                                    \
  for (int64_t i = (n) * kn_part_ / kn_parts_; i < (n) * (kn_part_ + 1) / kn_parts_; i++)

// KN_HOT marks our own hot loops. The default build is portable (baseline x86-64: SSE2 only), so
// GCC compiles each marked function (with its OpenMP bodies) three times, for x86-64-v4 (AVX-512),
// x86-64-v3 (AVX2, FMA) and the baseline, and the dynamic loader picks one for the CPU it runs on
// (an ifunc). A build for one CPU (KERAS_NATIVE_MARCH, which defines KN_NO_DISPATCH) or another
// compiler or architecture gets the plain function. oneDNN dispatches its own kernels itself.
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && !defined(KN_NO_DISPATCH)
#define KN_HOT __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#else
#define KN_HOT
#endif

// Sets OpenMP's thread count for the scope (oneDNN plans its work for the count at creation).
class ThreadScope {
 public:
  explicit ThreadScope(int n);
  ~ThreadScope();
  ThreadScope(const ThreadScope&) = delete;
  ThreadScope& operator=(const ThreadScope&) = delete;

 private:
  int saved_;
  bool parallel_;
};

// The threads for `work` multiply-adds: 1 below kParallelMinWork, every thread from
// kParallelMinWorkAsleep, and between them every thread only while the others are awake.
int threads_for(double work);

// y = activation(x), with tfjs-backend-cpu's definitions (NaN stays NaN).
inline float activate(int act, float x, float alpha) {
  switch (act) {
    case ACT_RELU: return x < 0.f ? 0.f : x;
    case ACT_RELU6: return x < 0.f ? 0.f : (x > 6.f ? 6.f : x);
    case ACT_ELU: return x >= 0.f ? x : std::expm1(x);
    case ACT_SIGMOID: return 1.f / (1.f + std::exp(-x));
    case ACT_LEAKYRELU: return x < 0.f ? alpha * x : x;
    default: return x;
  }
}

// dL/dz from dL/dy and the output y = activation(z), as src/ops/dense.ts writes it.
inline float activation_grad(int act, float dy, float y) {
  switch (act) {
    case ACT_RELU: return y > 0.f ? dy : (std::isnan(y) ? y : 0.f) * dy;
    case ACT_RELU6: return (y > 0.f && y < 6.f) ? dy : 0.f * dy;
    case ACT_ELU: return y > 0.f ? dy : dy * (y + 1.f);
    case ACT_SIGMOID: return dy * (y * (1.f - y));
    default: return dy;
  }
}

// dz[i] = activation_grad(act, dy[i], y[i]) for i < n, vectorized and threaded (activation.cc).
void activation_grads(int act, const float* dy, const float* y, float* dz, int64_t n);  // KN_HOT in activation.cc
// The same over a [rows, cols] dy, and sums[j] = the sum of column j of dz (accumulated in double):
// a fused layer's bias gradient. For a linear activation dz is not written (it is dy).
void activation_grads_and_sums(int act, const float* dy, const float* y, float* dz, int64_t rows, int64_t cols, float* sums);

// out[j] = sum over rows i of x[i, j] for a [rows, cols] matrix (accumulated in double, as tfjs does).
void column_sums(const float* x, float* out, int64_t rows, int64_t cols);  // KN_HOT in reduce.cc (the ifunc is its symbol)

// A pooling window over a channels-last input [n, d, h, w, c] giving [n, od, oh, ow, c] (a 2-D one
// with d = od = 1 and a window of depth 1): sizes, strides, dilations (1 = none), leading padding.
struct PoolShape {
  int64_t n, c;
  int64_t in[3], out[3], k[3], stride[3], dilation[3], pad[3];
};

// dx of max pooling from dy and x alone (max_pool_grad.cc).
void max_pool_grad(const float* dy, const float* x, float* dx, const PoolShape& s);

// An eltwise post-op, in oneDNN 2's or 3's spelling (3 dropped the scale argument).
void append_eltwise(dnnl::post_ops& ops, dnnl::algorithm alg, float alpha, float beta);

// The activation as a oneDNN post-op (false for linear).
bool append_activation(dnnl::post_ops& ops, int act, float alpha);

// An op code from JavaScript, checked against its family's size.
void check_activation(int64_t act, const char* fn);

}  // namespace kn
