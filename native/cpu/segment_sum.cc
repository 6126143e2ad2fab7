// UnsortedSegmentSum (the gradient of gather, so of every Embedding):
// segmentSum(x, ids, out, inner, numSegments): out[ids[i]] += x[i] for rows of `inner` elements,
// ids outside [0, numSegments) skipped, float32 or int32, in row order (float32 sums as the
// keras-cpu kernel, src/backend/segment_sum.ts, makes them).
#include <omp.h>

#include <cstring>

#include "call.h"
#include "ops.h"

namespace kn {
namespace {

template <class T>
void segment_sum(const T* x, const int32_t* ids, T* out, int64_t rows, int64_t inner, int64_t segments) {
  std::memset(out, 0, sizeof(T) * segments * inner);
  // Threads take column ranges, so no two write the same element and each keeps the row order.
  const int64_t work = rows * inner;
#pragma omp parallel if (work >= kParallelMin && inner >= 64)
  {
    const int nt = omp_get_num_threads(), t = omp_get_thread_num();
    const int64_t lo = inner * t / nt, hi = inner * (t + 1) / nt;
    for (int64_t i = 0; i < rows; i++) {
      const int64_t s = ids[i];
      if (s < 0 || s >= segments) continue;
      const T* from = x + i * inner;
      T* to = out + s * inner;
      for (int64_t j = lo; j < hi; j++) to[j] += from[j];
    }
  }
}

napi_value js_segment_sum(Call& c) {
  const int64_t inner = c.integer(3, "inner", 0, kMaxElements);
  const int64_t segments = c.integer(4, "numSegments", 0, kMaxElements);
  Array ids = c.array(1, "ids");
  if (ids.dtype != DType::I32) c.fail("`ids` must be an Int32Array.");
  const int64_t rows = ids.length;
  Array x = c.array(0, "x", rows * inner), out = c.array(2, "out", segments * inner);
  if (x.dtype != out.dtype || x.dtype == DType::U8) c.fail("`x` and `out` must both be Float32Array or both Int32Array.");
  if (x.dtype == DType::F32) segment_sum(x.f32(), ids.i32(), out.f32(), rows, inner, segments);
  else segment_sum(x.i32(), ids.i32(), out.i32(), rows, inner, segments);
  return undefined(c.env());
}

}  // namespace

void register_segment_sum(napi_env env, napi_value exports) { export_function(env, exports, "segmentSum", js_segment_sum); }

}  // namespace kn
