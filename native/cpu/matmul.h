#pragma once
#include <cstdint>

namespace kn {

// c[batch] = act(op(a[batch]) · op(b[batch]) + bias), row-major; op() transposes when asked. A
// batch of 1 on either side broadcasts. bias (length n) may be null.
struct MatMulArgs {
  const float* a;
  const float* b;
  float* c;
  const float* bias;
  int64_t batch_a, batch_b, m, n, k;
  bool ta, tb;
  int act;
  float alpha;
};
void matmul(const MatMulArgs& args);

}  // namespace kn
