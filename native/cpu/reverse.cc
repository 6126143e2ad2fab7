// Reverse along any axes (tfjs's Reverse kernel): reverse(x, out, shape, reversed), where
// reversed[d] is 1 for each axis to reverse; 4-byte or 1-byte elements. Adjacent axes that are
// both reversed or both kept merge into one (reversing [a, b] on both axes reverses a·b), so the
// copy is rows of the kept innermost block (a memcpy each) or, when the last axis is reversed,
// an element loop.
#include <cstring>
#include <vector>

#include "call.h"
#include "ops.h"

namespace kn {
namespace {

constexpr int kMaxRank = 8;

template <class T>
void reverse_rows(const T* x, T* out, const std::vector<int64_t>& shape, const std::vector<bool>& rev) {
  const int rank = static_cast<int>(shape.size());
  int64_t n = 1;
  for (int64_t d : shape) n *= d;
  // A kept last axis is copied as blocks of `inner` elements; a reversed one element by element.
  const bool last_kept = !rev[rank - 1];
  const int64_t inner = last_kept ? shape[rank - 1] : 1;
  const int outer_rank = last_kept ? rank - 1 : rank;
  std::vector<int64_t> strides(rank, 1);
  for (int d = rank - 2; d >= 0; d--) strides[d] = strides[d + 1] * shape[d + 1];
  const int64_t blocks = n / inner;
#pragma omp parallel for if (n >= kParallelMin)
  for (int64_t b = 0; b < blocks; b++) {
    int64_t rem = b, from = 0;
    for (int d = outer_rank - 1; d >= 0; d--) {
      const int64_t coord = rem % shape[d];
      rem /= shape[d];
      from += (rev[d] ? shape[d] - 1 - coord : coord) * strides[d];
    }
    if (inner == 1) out[b] = x[from];
    else std::memcpy(out + b * inner, x + from, sizeof(T) * inner);
  }
}

napi_value js_reverse(Call& c) {
  auto shape = c.ints(2, "shape", 1, kMaxRank, 0, kMaxElements);
  auto flags = c.ints(3, "reversed", shape.size(), shape.size(), 0, 1);
  const int64_t n = checked_size(shape, c.fn(), "x");
  Array x = c.array(0, "x", n), out = c.array(1, "out", n);
  if (x.dtype != out.dtype) c.fail("`x` and `out` must have one dtype.");
  if (n == 0) return undefined(c.env());
  // Merge runs of adjacent axes with the same flag (size-1 axes join either run).
  std::vector<int64_t> dims;
  std::vector<bool> rev;
  for (size_t d = 0; d < shape.size(); d++) {
    if (shape[d] == 1) continue;
    const bool r = flags[d] == 1;
    if (!rev.empty() && rev.back() == r) dims.back() *= shape[d];
    else {
      dims.push_back(shape[d]);
      rev.push_back(r);
    }
  }
  if (dims.empty() || (dims.size() == 1 && !rev[0])) {
    std::memcpy(out.data, x.data, static_cast<size_t>(n) * (x.dtype == DType::U8 ? 1 : 4));
    return undefined(c.env());
  }
  if (x.dtype == DType::U8) reverse_rows(x.u8(), out.u8(), dims, rev);
  else reverse_rows(static_cast<const int32_t*>(x.data), static_cast<int32_t*>(out.data), dims, rev);
  return undefined(c.env());
}

}  // namespace

void register_reverse(napi_env env, napi_value exports) { export_function(env, exports, "reverse", js_reverse); }

}  // namespace kn
