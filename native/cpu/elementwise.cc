// Elementwise kernels on typed arrays: binary ops with broadcasting (float32, int32; comparisons
// give bool as uint8, as tfjs-backend-cpu stores it), unary ops, clip, select, cast, fill,
// transpose and one-hot. Each follows tfjs-backend-cpu's definition of the op, NaN included.
#include <cmath>
#include <cstring>
#include <limits>
#include <vector>

#include "call.h"
#include "ops.h"

namespace kn {
namespace {

constexpr int kMaxRank = 8;

// out[i] = f(a[ia], b[ib]) over `shape`, where a and b step by their own strides (0 on broadcast
// axes). The last axis is the inner loop; the rows before it are split among threads.
template <class A, class O, class F>
KN_HOT void broadcast(const A* a, const A* b, O* out, const std::vector<int64_t>& shape, const std::vector<int64_t>& sa,
               const std::vector<int64_t>& sb, F f) {
  const int rank = static_cast<int>(shape.size());
  int64_t n = 1;
  for (int64_t d : shape) n *= d;
  if (n == 0) return;
  const int64_t inner = shape[rank - 1], ia = sa[rank - 1], ib = sb[rank - 1];
  const int64_t rows = n / inner;
#pragma omp parallel for if (n >= kParallelMin)
  for (int64_t r = 0; r < rows; r++) {
    int64_t rem = r, oa = 0, ob = 0;
    for (int d = rank - 2; d >= 0; d--) {
      const int64_t coord = rem % shape[d];
      rem /= shape[d];
      oa += coord * sa[d];
      ob += coord * sb[d];
    }
    const A* pa = a + oa;
    const A* pb = b + ob;
    O* po = out + r * inner;
    if (ia == 1 && ib == 1) {
      for (int64_t j = 0; j < inner; j++) po[j] = f(pa[j], pb[j]);
    } else if (ia == 1 && ib == 0) {
      const A vb = *pb;
      for (int64_t j = 0; j < inner; j++) po[j] = f(pa[j], vb);
    } else if (ia == 0 && ib == 1) {
      const A va = *pa;
      for (int64_t j = 0; j < inner; j++) po[j] = f(va, pb[j]);
    } else {
      for (int64_t j = 0; j < inner; j++) po[j] = f(pa[j * ia], pb[j * ib]);
    }
  }
}

template <class T>
inline T max_nan(T x, T y) {
  return (x > y || x != x) ? x : y;  // Math.max: NaN if either is NaN
}
template <class T>
inline T min_nan(T x, T y) {
  return (x < y || x != x) ? x : y;
}

template <class T>
void arithmetic(int op, const T* a, const T* b, T* out, const std::vector<int64_t>& s, const std::vector<int64_t>& sa,
                const std::vector<int64_t>& sb) {
  switch (op) {
    case ADD: broadcast(a, b, out, s, sa, sb, [](T x, T y) { return x + y; }); break;
    case SUB: broadcast(a, b, out, s, sa, sb, [](T x, T y) { return x - y; }); break;
    case MUL: broadcast(a, b, out, s, sa, sb, [](T x, T y) { return x * y; }); break;
    case DIV: broadcast(a, b, out, s, sa, sb, [](T x, T y) { return x / y; }); break;
    case MAXIMUM: broadcast(a, b, out, s, sa, sb, [](T x, T y) { return max_nan(x, y); }); break;
    case MINIMUM: broadcast(a, b, out, s, sa, sb, [](T x, T y) { return min_nan(x, y); }); break;
    case POW: broadcast(a, b, out, s, sa, sb, [](T x, T y) { return static_cast<T>(std::pow(static_cast<double>(x), static_cast<double>(y))); }); break;
    case SQDIFF: broadcast(a, b, out, s, sa, sb, [](T x, T y) { return (x - y) * (x - y); }); break;
    default: throw Error("binary: op " + std::to_string(op) + " is not arithmetic.");
  }
}

template <class T>
void compare(int op, const T* a, const T* b, uint8_t* out, const std::vector<int64_t>& s, const std::vector<int64_t>& sa,
             const std::vector<int64_t>& sb) {
  switch (op) {
    case EQUAL: broadcast(a, b, out, s, sa, sb, [](T x, T y) -> uint8_t { return x == y; }); break;
    case GREATER: broadcast(a, b, out, s, sa, sb, [](T x, T y) -> uint8_t { return x > y; }); break;
    case GREATER_EQUAL: broadcast(a, b, out, s, sa, sb, [](T x, T y) -> uint8_t { return x >= y; }); break;
    case LESS: broadcast(a, b, out, s, sa, sb, [](T x, T y) -> uint8_t { return x < y; }); break;
    case LESS_EQUAL: broadcast(a, b, out, s, sa, sb, [](T x, T y) -> uint8_t { return x <= y; }); break;
    default: throw Error("binary: op " + std::to_string(op) + " is not a comparison.");
  }
}

// The number of elements an array of `shape` read with `strides` spans (the largest index + 1).
int64_t span(const std::vector<int64_t>& shape, const std::vector<int64_t>& strides) {
  int64_t last = 0;
  for (size_t d = 0; d < shape.size(); d++) {
    if (shape[d] == 0) return 0;
    last += (shape[d] - 1) * strides[d];
  }
  return last + 1;
}

// binary(op, a, b, out, shape, aStrides, bStrides): a and b of one dtype (float32 or int32);
// out float32/int32 for arithmetic, uint8 (bool) for comparisons. LogicalAnd is MUL on uint8.
napi_value js_binary(Call& c) {
  const int op = static_cast<int>(c.integer(0, "op", 0, BinaryOp_LAST));
  auto shape = c.ints(4, "shape", 1, kMaxRank, 0, kMaxElements);
  auto sa = c.ints(5, "aStrides", shape.size(), shape.size(), 0, kMaxElements);
  auto sb = c.ints(6, "bStrides", shape.size(), shape.size(), 0, kMaxElements);
  const int64_t n = checked_size(shape, c.fn(), "the output");
  Array a = c.array(1, "a");
  Array b = c.array(2, "b");
  Array out = c.array(3, "out", n);
  if (a.dtype != b.dtype) c.fail(std::string("`a` and `b` must have one dtype, got ") + dtype_name(a.dtype) + " and " + dtype_name(b.dtype) + ".");
  if (n > 0 && (a.length < span(shape, sa) || b.length < span(shape, sb))) c.fail("the strides read past the end of `a` or `b`.");
  const bool is_compare = op >= EQUAL;
  const DType want = is_compare ? DType::U8 : a.dtype;
  if (out.dtype != want) c.fail(std::string("`out` must be a ") + dtype_name(want) + ", got a " + dtype_name(out.dtype) + ".");
  if (a.dtype == DType::F32) {
    if (is_compare) compare(op, a.f32(), b.f32(), out.u8(), shape, sa, sb);
    else arithmetic(op, a.f32(), b.f32(), out.f32(), shape, sa, sb);
  } else if (a.dtype == DType::I32) {
    if (op == DIV || op == POW) c.fail("int32 division and power follow tfjs's own rules; run them on float32.");
    if (is_compare) compare(op, a.i32(), b.i32(), out.u8(), shape, sa, sb);
    else arithmetic(op, a.i32(), b.i32(), out.i32(), shape, sa, sb);
  } else {
    if (op != MUL) c.fail("on bool (Uint8Array) data only logical and (op MUL) is supported.");
    broadcast(a.u8(), b.u8(), out.u8(), shape, sa, sb, [](uint8_t x, uint8_t y) -> uint8_t { return x && y; });
  }
  return undefined(c.env());
}

template <class F>
KN_HOT void map(const float* x, float* out, int64_t n, F f) {
#pragma omp parallel for if (n >= kParallelMin)
  for (int64_t i = 0; i < n; i++) out[i] = f(x[i]);
}

// tfjs-backend-cpu's Softplus: exp(x) below log(eps) + 2, x above its negative, log(1 + exp(x)) between.
const float kSoftplusThreshold = std::log(1.1920928955078125e-7f) + 2.f;

// unary(op, x, out, alpha): float32 in and out (Neg, Abs and Square also int32).
napi_value js_unary(Call& c) {
  const int op = static_cast<int>(c.integer(0, "op", 0, UnaryOp_LAST));
  Array x = c.array(1, "x");
  Array out = c.array(2, "out", x.length);
  const float alpha = static_cast<float>(c.number(3, "alpha"));
  const int64_t n = x.length;
  if (x.dtype != out.dtype) c.fail("`x` and `out` must have one dtype.");
  if (x.dtype == DType::I32) {
    const int32_t* xi = x.i32();
    int32_t* oi = out.i32();
    if (op == NEG) for (int64_t i = 0; i < n; i++) oi[i] = -xi[i];
    else if (op == ABS) for (int64_t i = 0; i < n; i++) oi[i] = xi[i] < 0 ? -xi[i] : xi[i];
    else if (op == SQUARE) for (int64_t i = 0; i < n; i++) oi[i] = xi[i] * xi[i];
    else c.fail("on int32 data only Neg, Abs and Square are supported.");
    return undefined(c.env());
  }
  if (x.dtype != DType::F32) c.fail("`x` must be a Float32Array or an Int32Array.");
  const float* xf = x.f32();
  float* o = out.f32();
  switch (op) {
    case NEG: map(xf, o, n, [](float v) { return -v; }); break;
    case EXP: map(xf, o, n, [](float v) { return std::exp(v); }); break;
    case LOG: map(xf, o, n, [](float v) { return std::log(v); }); break;
    case SQRT: map(xf, o, n, [](float v) { return std::sqrt(v); }); break;
    case SQUARE: map(xf, o, n, [](float v) { return v * v; }); break;
    case ABS: map(xf, o, n, [](float v) { return std::fabs(v); }); break;
    case SIGMOID: map(xf, o, n, [](float v) { return 1.f / (1.f + std::exp(-v)); }); break;
    case RELU: map(xf, o, n, [](float v) { return v < 0.f ? 0.f : v; }); break;
    case TANH: map(xf, o, n, [](float v) { return std::tanh(v); }); break;
    case STEP: map(xf, o, n, [alpha](float v) { return v != v ? v : (v > 0.f ? 1.f : alpha); }); break;
    case RSQRT: map(xf, o, n, [](float v) { return 1.f / std::sqrt(v); }); break;
    case RECIPROCAL: map(xf, o, n, [](float v) { return 1.f / v; }); break;
    case LOG1P: map(xf, o, n, [](float v) { return std::log1p(v); }); break;
    case RELU6: map(xf, o, n, [](float v) { return v < 0.f ? 0.f : (v > 6.f ? 6.f : v); }); break;
    case ELU: map(xf, o, n, [](float v) { return v >= 0.f ? v : std::expm1(v); }); break;
    case SOFTPLUS:
      map(xf, o, n, [](float v) {
        if (v < kSoftplusThreshold) return std::exp(v);
        if (v > -kSoftplusThreshold) return v;
        return std::log(1.f + std::exp(v));
      });
      break;
    case SIGN: map(xf, o, n, [](float v) { return v < 0.f ? -1.f : (v > 0.f ? 1.f : 0.f); }); break;
    default: map(xf, o, n, [](float v) { return std::floor(v); }); break;  // FLOOR
  }
  return undefined(c.env());
}

// clip(x, out, lo, hi): tfjs's ClipByValue (NaN stays NaN).
napi_value js_clip(Call& c) {
  Array x = c.array(0, "x");
  float* out = c.f32(1, "out", x.length);
  const float lo = static_cast<float>(c.number(2, "lo")), hi = static_cast<float>(c.number(3, "hi"));
  if (x.dtype != DType::F32) c.fail("`x` must be a Float32Array.");
  map(x.f32(), out, x.length, [lo, hi](float v) { return v > hi ? hi : (v < lo ? lo : v); });
  return undefined(c.env());
}

// select(cond, a, b, out): out = cond ? a : b, elementwise, all of one size; a, b, out of one dtype.
napi_value js_select(Call& c) {
  Array cond = c.array(0, "cond");
  if (cond.dtype != DType::U8) c.fail("`cond` must be a Uint8Array (a bool tensor).");
  Array a = c.array(1, "a", cond.length), b = c.array(2, "b", cond.length), out = c.array(3, "out", cond.length);
  if (a.dtype != b.dtype || a.dtype != out.dtype) c.fail("`a`, `b` and `out` must have one dtype.");
  const uint8_t* k = cond.u8();
  const int64_t n = cond.length;
  if (a.dtype == DType::U8) for (int64_t i = 0; i < n; i++) out.u8()[i] = k[i] ? a.u8()[i] : b.u8()[i];
  else {  // float32 and int32 are both 4 bytes
    const int32_t *pa = static_cast<const int32_t*>(a.data), *pb = static_cast<const int32_t*>(b.data);
    int32_t* po = static_cast<int32_t*>(out.data);
    for (int64_t i = 0; i < n; i++) po[i] = k[i] ? pa[i] : pb[i];
  }
  return undefined(c.env());
}

// JavaScript's ToInt32 (what Int32Array.from does to a float): NaN and ±Infinity become 0,
// others are truncated and wrapped modulo 2^32.
inline int32_t to_int32(float v) {
  if (!std::isfinite(v)) return 0;
  double t = std::trunc(static_cast<double>(v));
  if (t >= -2147483648.0 && t <= 2147483647.0) return static_cast<int32_t>(t);
  double m = std::fmod(t, 4294967296.0);
  if (m < 0) m += 4294967296.0;
  return static_cast<int32_t>(static_cast<uint32_t>(m));
}

// cast(x, out): between float32, int32 and bool (uint8): to bool is x != 0.
napi_value js_cast(Call& c) {
  Array x = c.array(0, "x");
  Array out = c.array(1, "out", x.length);
  const int64_t n = x.length;
  auto each = [&](auto get, auto put) {
    for (int64_t i = 0; i < n; i++) put(i, get(i));
  };
  auto get = [&](int64_t i) -> double {
    return x.dtype == DType::F32 ? x.f32()[i] : x.dtype == DType::I32 ? x.i32()[i] : x.u8()[i];
  };
  if (out.dtype == DType::F32) each(get, [&](int64_t i, double v) { out.f32()[i] = static_cast<float>(v); });
  else if (out.dtype == DType::I32) {
    if (x.dtype == DType::F32) for (int64_t i = 0; i < n; i++) out.i32()[i] = to_int32(x.f32()[i]);
    else each(get, [&](int64_t i, double v) { out.i32()[i] = static_cast<int32_t>(v); });
  } else each(get, [&](int64_t i, double v) { out.u8()[i] = v != 0; });
  return undefined(c.env());
}

// fill(out, value)
napi_value js_fill(Call& c) {
  Array out = c.array(0, "out");
  const double v = c.number(1, "value");
  if (out.dtype == DType::F32) std::fill(out.f32(), out.f32() + out.length, static_cast<float>(v));
  else if (out.dtype == DType::I32) std::fill(out.i32(), out.i32() + out.length, static_cast<int32_t>(v));
  else std::fill(out.u8(), out.u8() + out.length, static_cast<uint8_t>(v != 0));
  return undefined(c.env());
}

// transpose(x, out, shape, perm): out's axis i is x's axis perm[i]; 4-byte or 1-byte elements.
KN_HOT napi_value js_transpose(Call& c) {
  auto shape = c.ints(2, "shape", 1, kMaxRank, 0, kMaxElements);
  const int rank = static_cast<int>(shape.size());
  auto perm = c.ints(3, "perm", shape.size(), shape.size(), 0, rank - 1);
  std::vector<bool> seen(rank, false);
  for (int64_t p : perm) {
    if (seen[p]) c.fail("`perm` must be a permutation of the axes.");
    seen[p] = true;
  }
  const int64_t n = checked_size(shape, c.fn(), "x");
  Array x = c.array(0, "x", n), out = c.array(1, "out", n);
  if (x.dtype != out.dtype) c.fail("`x` and `out` must have one dtype.");
  if (n == 0) return undefined(c.env());
  std::vector<int64_t> in_strides(rank, 1), out_shape(rank), strides(rank);
  for (int d = rank - 2; d >= 0; d--) in_strides[d] = in_strides[d + 1] * shape[d + 1];
  for (int d = 0; d < rank; d++) {
    out_shape[d] = shape[perm[d]];
    strides[d] = in_strides[perm[d]];
  }
  const int64_t inner = out_shape[rank - 1], step = strides[rank - 1], rows = n / inner;
  auto run = [&](auto* src, auto* dst) {
#pragma omp parallel for if (n >= kParallelMin)
    for (int64_t r = 0; r < rows; r++) {
      int64_t rem = r, off = 0;
      for (int d = rank - 2; d >= 0; d--) {
        off += (rem % out_shape[d]) * strides[d];
        rem /= out_shape[d];
      }
      for (int64_t j = 0; j < inner; j++) dst[r * inner + j] = src[off + j * step];
    }
  };
  if (x.dtype == DType::U8) run(x.u8(), out.u8());
  else run(static_cast<const int32_t*>(x.data), static_cast<int32_t*>(out.data));
  return undefined(c.env());
}

// oneHot(indices, out, depth, on, off): out is [indices.length, depth], float32 or int32.
napi_value js_one_hot(Call& c) {
  Array idx = c.array(0, "indices");
  if (idx.dtype != DType::I32) c.fail("`indices` must be an Int32Array.");
  const int64_t depth = c.integer(2, "depth", 0, kMaxElements);
  Array out = c.array(1, "out", checked_size({idx.length, depth}, c.fn(), "out"));
  const double on = c.number(3, "on"), off = c.number(4, "off");
  for (int64_t i = 0; i < idx.length; i++) {
    const int32_t k = idx.i32()[i];
    for (int64_t j = 0; j < depth; j++) {
      const double v = j == k ? on : off;
      if (out.dtype == DType::F32) out.f32()[i * depth + j] = static_cast<float>(v);
      else if (out.dtype == DType::I32) out.i32()[i * depth + j] = static_cast<int32_t>(v);
      else c.fail("`out` must be a Float32Array or an Int32Array.");
    }
  }
  return undefined(c.env());
}

// activationGrad(dy, y, dz, activation): dL/dz from dL/dy and y = activation(z).
napi_value js_activation_grad(Call& c) {
  Array dya = c.array(0, "dy");
  if (dya.dtype != DType::F32) c.fail("`dy` must be a Float32Array.");
  const int64_t n = dya.length;
  const float* dy = dya.f32();
  const float* y = c.f32(1, "y", n);
  float* dz = c.f32(2, "dz", n);
  const int act = static_cast<int>(c.integer(3, "activation", ACT_LINEAR, ACT_SIGMOID));
  activation_grads(act, dy, y, dz, n);
  return undefined(c.env());
}

// gatherRows(x, indices, out, rowSize): out's row i is x's row indices[i] (4-byte or 1-byte elements).
napi_value js_gather_rows(Call& c) {
  Array x = c.array(0, "x");
  const int32_t* idx = c.i32(1, "indices");
  Array ia = c.array(1, "indices");
  const int64_t row = c.integer(3, "rowSize", 0, kMaxElements);
  const int64_t count = ia.length;
  Array out = c.array(2, "out", checked_size({count, row}, c.fn(), "out"));
  if (x.dtype != out.dtype) c.fail("`x` and `out` must have one dtype.");
  const int64_t rows = row == 0 ? 0 : x.length / row;
  for (int64_t i = 0; i < count; i++) {
    if (idx[i] < 0 || idx[i] >= rows) c.fail("index " + std::to_string(idx[i]) + " at position " + std::to_string(i) + " is outside [0, " + std::to_string(rows) + ").");
  }
  const size_t bytes = x.dtype == DType::U8 ? 1 : 4;
  const char* src = static_cast<const char*>(x.data);
  char* dst = static_cast<char*>(out.data);
  for (int64_t i = 0; i < count; i++) std::memcpy(dst + i * row * bytes, src + idx[i] * row * bytes, row * bytes);
  return undefined(c.env());
}

}  // namespace

void register_elementwise(napi_env env, napi_value exports) {
  export_function(env, exports, "binary", js_binary);
  export_function(env, exports, "unary", js_unary);
  export_function(env, exports, "clip", js_clip);
  export_function(env, exports, "select", js_select);
  export_function(env, exports, "cast", js_cast);
  export_function(env, exports, "fill", js_fill);
  export_function(env, exports, "transpose", js_transpose);
  export_function(env, exports, "oneHot", js_one_hot);
  export_function(env, exports, "activationGrad", js_activation_grad);
  export_function(env, exports, "gatherRows", js_gather_rows);
}

}  // namespace kn
