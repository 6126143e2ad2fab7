// Kernels that fit, evaluate and predict of built-in layers used to run on tfjs's JavaScript CPU
// kernel on 'native' (issue 23, "zero fallbacks"), each following tfjs-backend-cpu's definition:
//   unaryMore(op, x, out, alpha): 0 LeakyRelu (x < 0 ? alpha·x : x), 1 Erf (GELU).
//   eluGrad(dy, y, out): dy where y >= 0, else dy·(y + 1).
//   logical(op, a, b, out, shape, stridesA, stridesB): 0 NotEqual (float32/int32/bool -> bool),
//     1 LogicalOr (bool), with broadcasting strides (0 on broadcast axes) as `binary` takes them.
//   reduceBool(x, out, inner, all): All (all = true) or Any over rows of `inner` bools.
//   tile(x, out, shape, reps): out[i] = x[i mod shape] on each axis; 4-byte or 1-byte elements.
//   gatherAxis(x, indices, out, outer, axisSize, inner): GatherV2 on any axis (batchDims 0),
//     copying blocks of `inner` elements; indices already checked by the caller.
#include <cmath>
#include <cstring>
#include <vector>

#include "call.h"
#include "ops.h"

namespace kn {
namespace {

constexpr int kMaxRank = 8;

size_t element_bytes(DType t) { return t == DType::U8 ? 1 : 4; }

napi_value js_unary_more(Call& c) {
  const int64_t op = c.integer(0, "op", 0, 1);
  float* x = c.f32(1, "x");
  Array out = c.array(2, "out");
  const int64_t n = out.length;
  c.f32(1, "x", n);
  if (out.dtype != DType::F32) c.fail("`out` must be a Float32Array.");
  const float alpha = static_cast<float>(c.number(3, "alpha"));
  float* o = out.f32();
#pragma omp parallel for if (n >= kParallelMin)
  for (int64_t i = 0; i < n; i++) o[i] = op == 0 ? (x[i] < 0.f ? alpha * x[i] : x[i]) : std::erf(x[i]);
  return undefined(c.env());
}

napi_value js_elu_grad(Call& c) {
  Array out = c.array(2, "out");
  if (out.dtype != DType::F32) c.fail("`out` must be a Float32Array.");
  const int64_t n = out.length;
  const float* dy = c.f32(0, "dy", n);
  const float* y = c.f32(1, "y", n);
  float* o = out.f32();
#pragma omp parallel for if (n >= kParallelMin)
  for (int64_t i = 0; i < n; i++) o[i] = y[i] >= 0.f ? dy[i] : dy[i] * (y[i] + 1.f);
  return undefined(c.env());
}

template <class T>
void logical_rows(int op, const T* a, const T* b, uint8_t* out, const std::vector<int64_t>& shape, const std::vector<int64_t>& sa,
                  const std::vector<int64_t>& sb) {
  const int rank = static_cast<int>(shape.size());
  int64_t n = 1;
  for (int64_t d : shape) n *= d;
  if (n == 0) return;
  const int64_t inner = shape[rank - 1];
#pragma omp parallel for if (n >= kParallelMin)
  for (int64_t r = 0; r < n / inner; r++) {
    int64_t rem = r, oa = 0, ob = 0;
    for (int d = rank - 2; d >= 0; d--) {
      const int64_t coord = rem % shape[d];
      rem /= shape[d];
      oa += coord * sa[d];
      ob += coord * sb[d];
    }
    for (int64_t j = 0; j < inner; j++) {
      const T x = a[oa + j * sa[rank - 1]], y = b[ob + j * sb[rank - 1]];
      out[r * inner + j] = op == 0 ? (x != y) : (x != 0 || y != 0);
    }
  }
}

napi_value js_logical(Call& c) {
  const int64_t op = c.integer(0, "op", 0, 1);
  auto shape = c.ints(4, "shape", 1, kMaxRank, 0, kMaxElements);
  auto sa = c.ints(5, "stridesA", shape.size(), shape.size(), 0, kMaxElements);
  auto sb = c.ints(6, "stridesB", shape.size(), shape.size(), 0, kMaxElements);
  Array a = c.array(1, "a"), b = c.array(2, "b");
  uint8_t* out = c.u8(3, "out", checked_size(shape, c.fn(), "out"));
  if (a.dtype != b.dtype) c.fail("`a` and `b` must have one dtype.");
  if (op == 1 && a.dtype != DType::U8) c.fail("LogicalOr takes bool (Uint8Array) inputs.");
  int64_t last_a = 0, last_b = 0;  // the largest offset each side reads, checked against its length
  for (size_t d = 0; d < shape.size(); d++) {
    if (shape[d] == 0) return undefined(c.env());
    last_a += (shape[d] - 1) * sa[d];
    last_b += (shape[d] - 1) * sb[d];
  }
  if (last_a >= a.length || last_b >= b.length) c.fail("the strides read past the end of `a` or `b`.");
  if (a.dtype == DType::F32) logical_rows(static_cast<int>(op), a.f32(), b.f32(), out, shape, sa, sb);
  else if (a.dtype == DType::I32) logical_rows(static_cast<int>(op), a.i32(), b.i32(), out, shape, sa, sb);
  else logical_rows(static_cast<int>(op), a.u8(), b.u8(), out, shape, sa, sb);
  return undefined(c.env());
}

napi_value js_reduce_bool(Call& c) {
  const int64_t inner = c.integer(2, "inner", 1, kMaxElements);
  const bool all = c.flag(3, "all");
  Array out = c.array(1, "out");
  const uint8_t* x = c.u8(0, "x", out.length * inner);
  if (out.dtype != DType::U8) c.fail("`out` must be a Uint8Array.");
  uint8_t* o = out.u8();
  for (int64_t r = 0; r < out.length; r++) {
    const uint8_t* row = x + r * inner;
    bool v = all;
    for (int64_t j = 0; j < inner && v == all; j++) v = row[j] != 0;  // stops at the first false (All) or true (Any)
    o[r] = v;
  }
  return undefined(c.env());
}

napi_value js_tile(Call& c) {
  auto shape = c.ints(2, "shape", 1, kMaxRank, 0, kMaxElements);
  auto reps = c.ints(3, "reps", shape.size(), shape.size(), 0, kMaxElements);
  const int rank = static_cast<int>(shape.size());
  std::vector<int64_t> out_shape(rank);
  for (int d = 0; d < rank; d++) out_shape[d] = shape[d] * reps[d];
  const int64_t n_in = checked_size(shape, c.fn(), "x"), n = checked_size(out_shape, c.fn(), "out");
  Array x = c.array(0, "x", n_in), out = c.array(1, "out", n);
  if (x.dtype != out.dtype) c.fail("`x` and `out` must have one dtype.");
  if (n == 0) return undefined(c.env());
  const size_t bytes = element_bytes(x.dtype);
  // Rows of the input's last axis, copied reps[last] times each; the row index is mapped back by
  // the other axes' coordinates modulo the input's shape.
  const int64_t row = shape[rank - 1], out_row = out_shape[rank - 1];
  std::vector<int64_t> in_strides(rank, 1);
  for (int d = rank - 2; d >= 0; d--) in_strides[d] = in_strides[d + 1] * shape[d + 1];
  const char* from = static_cast<const char*>(x.data);
  char* to = static_cast<char*>(out.data);
#pragma omp parallel for if (n >= kParallelMin)
  for (int64_t r = 0; r < n / out_row; r++) {
    int64_t rem = r, offset = 0;
    for (int d = rank - 2; d >= 0; d--) {
      offset += (rem % out_shape[d]) % shape[d] * in_strides[d];
      rem /= out_shape[d];
    }
    for (int64_t k = 0; k < reps[rank - 1]; k++) std::memcpy(to + (r * out_row + k * row) * bytes, from + offset * bytes, row * bytes);
  }
  return undefined(c.env());
}

napi_value js_gather_axis(Call& c) {
  const int64_t outer = c.integer(3, "outer", 0, kMaxElements);
  const int64_t axis_size = c.integer(4, "axisSize", 0, kMaxElements);
  const int64_t inner = c.integer(5, "inner", 0, kMaxElements);
  Array idx = c.array(1, "indices");
  if (idx.dtype != DType::I32) c.fail("`indices` must be an Int32Array.");
  Array x = c.array(0, "x", outer * axis_size * inner), out = c.array(2, "out", outer * idx.length * inner);
  if (x.dtype != out.dtype) c.fail("`x` and `out` must have one dtype.");
  for (int64_t i = 0; i < idx.length; i++)
    if (idx.i32()[i] < 0 || idx.i32()[i] >= axis_size) c.fail("index " + std::to_string(idx.i32()[i]) + " is outside [0, axisSize).");
  const size_t bytes = element_bytes(x.dtype) * inner;
  const char* from = static_cast<const char*>(x.data);
  char* to = static_cast<char*>(out.data);
  const int64_t m = idx.length, rows = outer * m;
  // One memcpy per gathered row, the rows split among threads: split by `outer` alone, a gather on
  // the second axis of [1, n, ...] woke the other threads for no work. A copy is memory-bound, so
  // threads only from kParallelMinSimd elements, as the other element-wise loops.
#pragma omp parallel for if (rows * inner >= kParallelMinSimd)
  for (int64_t r = 0; r < rows; r++) {
    const int64_t o = r / m, i = r % m;
    std::memcpy(to + r * bytes, from + (o * axis_size + idx.i32()[i]) * bytes, bytes);
  }
  return undefined(c.env());
}

}  // namespace

void register_fallback_ops(napi_env env, napi_value exports) {
  export_function(env, exports, "unaryMore", js_unary_more);
  export_function(env, exports, "eluGrad", js_elu_grad);
  export_function(env, exports, "logical", js_logical);
  export_function(env, exports, "reduceBool", js_reduce_bool);
  export_function(env, exports, "tile", js_tile);
  export_function(env, exports, "gatherAxis", js_gather_axis);
}

}  // namespace kn
