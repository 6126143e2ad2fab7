// Reductions (sum, max, min, mean, prod) over the trailing or the leading axes of a tensor, argmax
// over the last axis, and softmax over the last axis, with tfjs-backend-cpu's rules: sums are
// accumulated in double, a NaN wins max and min, argmax keeps the first maximum.
#include <cmath>
#include <limits>
#include <vector>

#include "call.h"
#include "ops.h"

namespace kn {

KN_HOT void column_sums(const float* x, float* out, int64_t rows, int64_t cols) {
  std::vector<double> acc(cols, 0.0);
  for (int64_t i = 0; i < rows; i++)
    for (int64_t j = 0; j < cols; j++) acc[j] += x[i * cols + j];
  for (int64_t j = 0; j < cols; j++) out[j] = static_cast<float>(acc[j]);
}

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

struct Acc {
  int op;
  double v;
  bool any = false;
  explicit Acc(int op) : op(op), v(op == R_PROD ? 1.0 : 0.0) {}
  void add(double x) {
    switch (op) {
      case R_MAX: v = (!any || x != x || x > v) && v == v ? x : v; break;
      case R_MIN: v = (!any || x != x || x < v) && v == v ? x : v; break;
      case R_PROD: v *= x; break;
      default: v += x;
    }
    any = true;
  }
  double result(int64_t count) const {
    if ((op == R_MAX || op == R_MIN) && !any) return kNaN;
    if (op == R_MEAN) return count == 0 ? kNaN : v / static_cast<double>(count);
    return v;
  }
};

// x viewed as [outer, inner] (leading = false: reduce each row) or [inner, outer] (leading = true:
// reduce each column).
template <class T>
KN_HOT void reduce(int op, const T* x, T* out, int64_t outer, int64_t inner, bool leading) {
  if (!leading) {
#pragma omp parallel for if (outer * inner >= kParallelMin)
    for (int64_t r = 0; r < outer; r++) {
      Acc a(op);
      const T* p = x + r * inner;
      for (int64_t j = 0; j < inner; j++) a.add(static_cast<double>(p[j]));
      out[r] = static_cast<T>(a.result(inner));
    }
    return;
  }
  if (op == R_SUM || op == R_MEAN) {  // the common case (bias gradients): plain sums, vectorized
    std::vector<double> sum(outer, 0.0);
    for (int64_t i = 0; i < inner; i++) {
      const T* p = x + i * outer;
      for (int64_t j = 0; j < outer; j++) sum[j] += static_cast<double>(p[j]);
    }
    for (int64_t j = 0; j < outer; j++) {
      out[j] = static_cast<T>(op == R_SUM ? sum[j] : (inner == 0 ? kNaN : sum[j] / static_cast<double>(inner)));
    }
    return;
  }
  std::vector<Acc> acc(outer, Acc(op));
  for (int64_t i = 0; i < inner; i++) {
    const T* p = x + i * outer;
    for (int64_t j = 0; j < outer; j++) acc[j].add(static_cast<double>(p[j]));
  }
  for (int64_t j = 0; j < outer; j++) out[j] = static_cast<T>(acc[j].result(inner));
}

// reduce(op, x, out, outer, inner, leading, blocks = 1): with `blocks`, x is that many blocks one
// after the other, each reduced as `leading` says (a middle axis of [blocks, inner, outer] reduced
// without a transposed copy: x viewed as [blocks, inner, outer], out as [blocks, outer]).
napi_value js_reduce(Call& c) {
  const int op = static_cast<int>(c.integer(0, "op", 0, ReduceOp_LAST));
  const int64_t outer = c.integer(3, "outer", 0, kMaxElements);
  const int64_t inner = c.integer(4, "inner", 0, kMaxElements);
  const bool leading = c.flag(5, "leading");
  const int64_t blocks = c.count() > 6 ? c.integer(6, "blocks", 1, kMaxElements) : 1;
  const int64_t block = checked_size({outer, inner}, c.fn(), "x");
  Array x = c.array(1, "x", checked_size({blocks, outer, inner}, c.fn(), "x"));
  Array out = c.array(2, "out", checked_size({blocks, outer}, c.fn(), "out"));
  if (x.dtype != out.dtype) c.fail("`x` and `out` must have one dtype.");
  if (x.dtype == DType::I32 && op == R_MEAN) c.fail("the mean of int32 data follows tfjs's own rules; cast to float32 first.");
  if (x.dtype != DType::F32 && x.dtype != DType::I32) c.fail("`x` must be a Float32Array or an Int32Array.");
  for (int64_t k = 0; k < blocks; k++) {
    if (x.dtype == DType::F32) reduce(op, x.f32() + k * block, out.f32() + k * outer, outer, inner, leading);
    else reduce(op, x.i32() + k * block, out.i32() + k * outer, outer, inner, leading);
  }
  return undefined(c.env());
}

// accumulate(total, values, out, n, scale): out[0] = total[0] + Σvalues · scale, in float32 as the
// Sum, Multiply and Add kernels make it (the sum in double, rounded to float32, then each operation
// rounded): a running metric's update in one call.
napi_value js_accumulate(Call& c) {
  const int64_t n = c.integer(3, "n", 0, kMaxElements);
  const float scale = static_cast<float>(c.number(4, "scale"));
  const float* total = c.f32(0, "total", 1);
  const float* values = c.f32(1, "values", n);
  float* out = c.f32(2, "out", 1);
  double s = 0;
  for (int64_t i = 0; i < n; i++) s += static_cast<double>(values[i]);
  const float scaled = static_cast<float>(s) * scale;
  out[0] = total[0] + scaled;
  return undefined(c.env());
}

// The index of the first largest of row[0..inner) (tfjs's ArgMax: a NaN never wins a comparison).
template <typename T>
inline int32_t first_largest(const T* row, int64_t inner) {
  T best = row[0];
  int32_t at = 0;
  for (int64_t j = 1; j < inner; j++)
    if (row[j] > best) {
      best = row[j];
      at = static_cast<int32_t>(j);
    }
  return at;
}

// argMax(x, out, outer, inner): the index of the first largest value of each row.
napi_value js_arg_max(Call& c) {
  const int64_t outer = c.integer(2, "outer", 0, kMaxElements);
  const int64_t inner = c.integer(3, "inner", 1, kMaxElements);
  Array x = c.array(0, "x", checked_size({outer, inner}, c.fn(), "x"));
  int32_t* out = c.i32(1, "out", outer);
  auto run = [&](auto* p) {
    for (int64_t r = 0; r < outer; r++) out[r] = first_largest(p + r * inner, inner);
  };
  if (x.dtype == DType::F32) run(x.f32());
  else if (x.dtype == DType::I32) run(x.i32());
  else c.fail("`x` must be a Float32Array or an Int32Array.");
  return undefined(c.env());
}

// matches(pred, truth, out, rows, classes, sparse): out[r] = 1 where the first largest of pred's row r
// is the true class, else 0 (float32). The true class is the first largest of truth's row r, or with
// `sparse` truth[r] (a class index, truncated toward zero as a cast to int32 does; NaN and infinities are 0, as there).
napi_value js_matches(Call& c) {
  const int64_t rows = c.integer(3, "rows", 0, kMaxElements);
  const int64_t classes = c.integer(4, "classes", 1, kMaxElements);
  const bool sparse = c.flag(5, "sparse");
  const float* pred = c.f32(0, "pred", checked_size({rows, classes}, c.fn(), "pred"));
  const float* truth = c.f32(1, "truth", sparse ? rows : checked_size({rows, classes}, c.fn(), "truth"));
  float* out = c.f32(2, "out", rows);
  for (int64_t r = 0; r < rows; r++) {
    const int64_t label = !sparse ? first_largest(truth + r * classes, classes) : std::isfinite(truth[r]) ? static_cast<int64_t>(std::trunc(truth[r])) : 0;
    out[r] = label == first_largest(pred + r * classes, classes) ? 1.0f : 0.0f;
  }
  return undefined(c.env());
}

// softmax(x, out, outer, inner): over the last axis, as tfjs computes it (x - max, exp, / sum).
KN_HOT napi_value js_softmax(Call& c) {
  const int64_t outer = c.integer(2, "outer", 0, kMaxElements);
  const int64_t inner = c.integer(3, "inner", 0, kMaxElements);
  const int64_t n = checked_size({outer, inner}, c.fn(), "x");
  const float* x = c.f32(0, "x", n);
  float* out = c.f32(1, "out", n);
#pragma omp parallel for if (n >= kParallelMin)
  for (int64_t r = 0; r < outer; r++) {
    const float* p = x + r * inner;
    float* o = out + r * inner;
    Acc m(R_MAX);
    for (int64_t j = 0; j < inner; j++) m.add(p[j]);
    const float mx = static_cast<float>(m.result(inner));
    double sum = 0;
    for (int64_t j = 0; j < inner; j++) {
      o[j] = std::exp(p[j] - mx);
      sum += o[j];
    }
    const float s = static_cast<float>(sum);
    for (int64_t j = 0; j < inner; j++) o[j] = o[j] / s;
  }
  return undefined(c.env());
}

}  // namespace

void register_reduce(napi_env env, napi_value exports) {
  export_function(env, exports, "reduce", js_reduce);
  export_function(env, exports, "argMax", js_arg_max);
  export_function(env, exports, "matches", js_matches);
  export_function(env, exports, "accumulate", js_accumulate);
  export_function(env, exports, "softmax", js_softmax);
}

}  // namespace kn
