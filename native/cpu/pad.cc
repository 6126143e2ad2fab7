// Padding (tfjs's PadV2 and MirrorPad kernels): pad(x, out, shape, before, after, mirror, value).
// mirror is -1 for a constant pad (value), 0 for 'reflect' (d c b | a b c d, the edge not repeated)
// and 1 for 'symmetric' (c b a | a b c d, the edge repeated), tfjs-backend-cpu's offsets;
// 4-byte or 1-byte elements. Each output row (all axes but the last) copies its input row (a
// memcpy of the middle) or is filled; rows are split among threads. A constant pad may be
// negative (it crops): Slice is the pad by -begin and -(the rest). copyBlocks copies strided blocks.
#include <algorithm>
#include <cstring>
#include <vector>

#include "call.h"
#include "ops.h"

namespace kn {
namespace {

constexpr int kMaxRank = 8;

// The input coordinate that output coordinate o reads along an axis of `size` padded by `before`, or -1 (the constant).
inline int64_t source(int64_t o, int64_t before, int64_t size, int mirror) {
  int64_t i = o - before;
  if (i >= 0 && i < size) return i;
  if (mirror < 0) return -1;
  return i < 0 ? -i - mirror : 2 * (size - 1) - i + mirror;
}

template <class T>
void pad(const T* x, T* out, const std::vector<int64_t>& shape, const std::vector<int64_t>& before, const std::vector<int64_t>& after,
         int mirror, T value) {
  const int rank = static_cast<int>(shape.size());
  std::vector<int64_t> oshape(rank), strides(rank, 1);
  for (int d = 0; d < rank; d++) oshape[d] = before[d] + shape[d] + after[d];
  for (int d = rank - 2; d >= 0; d--) strides[d] = strides[d + 1] * shape[d + 1];
  int64_t rows = 1;
  for (int d = 0; d < rank - 1; d++) rows *= oshape[d];
  const int64_t w = shape[rank - 1], ow = oshape[rank - 1], left = before[rank - 1];
#pragma omp parallel for if (rows * ow >= kParallelMin)
  for (int64_t r = 0; r < rows; r++) {
    T* o = out + r * ow;
    int64_t rem = r, from = 0;
    bool inside = true;
    for (int d = rank - 2; d >= 0 && inside; d--) {
      const int64_t s = source(rem % oshape[d], before[d], shape[d], mirror);
      rem /= oshape[d];
      if (s < 0) inside = false;
      else from += s * strides[d];
    }
    if (!inside) {
      for (int64_t j = 0; j < ow; j++) o[j] = value;
      continue;
    }
    const T* row = x + from;
    const int64_t lo = std::max<int64_t>(0, left), hi = std::min(ow, left + w);  // the output columns inside the input
    for (int64_t j = 0; j < lo; j++) {
      const int64_t s = source(j, left, w, mirror);
      o[j] = s < 0 ? value : row[s];
    }
    if (hi > lo) std::memcpy(o + lo, row + (lo - left), sizeof(T) * (hi - lo));
    for (int64_t j = std::max(lo, hi); j < ow; j++) {
      const int64_t s = source(j, left, w, mirror);
      o[j] = s < 0 ? value : row[s];
    }
  }
}

napi_value js_pad(Call& c) {
  auto shape = c.ints(2, "shape", 1, kMaxRank, 0, kMaxElements);
  auto before = c.ints(3, "before", shape.size(), shape.size(), -kMaxElements, kMaxElements);
  auto after = c.ints(4, "after", shape.size(), shape.size(), -kMaxElements, kMaxElements);
  const int mirror = static_cast<int>(c.integer(5, "mirror", -1, 1));
  const double value = c.number(6, "value");
  std::vector<int64_t> oshape(shape.size());
  for (size_t d = 0; d < shape.size(); d++) {
    oshape[d] = before[d] + shape[d] + after[d];
    if (oshape[d] < 0 || (mirror >= 0 && (before[d] < 0 || after[d] < 0))) {
      c.fail("axis " + std::to_string(d) + " of size " + std::to_string(shape[d]) + " cannot be padded by " + std::to_string(before[d]) +
             " and " + std::to_string(after[d]) + " (a negative pad crops, and only a constant pad may).");
    }
    if (mirror >= 0 && (before[d] > shape[d] - mirror || after[d] > shape[d] - mirror)) {
      c.fail("a mirror pad of axis " + std::to_string(d) + " must not exceed its size" + (mirror == 0 ? " - 1" : "") + " (" +
             std::to_string(shape[d]) + ").");
    }
  }
  const int64_t n = checked_size(shape, c.fn(), "x");
  const int64_t m = checked_size(oshape, c.fn(), "out");
  Array x = c.array(0, "x", n), out = c.array(1, "out", m);
  if (x.dtype != out.dtype) c.fail("`x` and `out` must have one dtype.");
  if (m == 0) return undefined(c.env());
  switch (x.dtype) {
    case DType::F32: pad(x.f32(), out.f32(), shape, before, after, mirror, static_cast<float>(value)); break;
    case DType::I32: pad(x.i32(), out.i32(), shape, before, after, mirror, static_cast<int32_t>(value)); break;
    case DType::U8: pad(x.u8(), out.u8(), shape, before, after, mirror, static_cast<uint8_t>(value != 0)); break;
  }
  return undefined(c.env());
}

// copyBlocks(src, dst, rows, width, srcStride, srcOffset, dstStride, dstOffset): for r < rows, the
// `width` elements at src[srcOffset + r · srcStride] go to dst[dstOffset + r · dstStride] (one
// dtype). Concat, SplitV, Pack and Unpack are such copies (kernels/shape.ts); as addon calls, a
// captured step records them.
napi_value js_copy_blocks(Call& c) {
  Array src = c.array(0, "src"), dst = c.array(1, "dst");
  if (src.dtype != dst.dtype) c.fail("`src` and `dst` must have one dtype.");
  const int64_t rows = c.integer(2, "rows", 0, kMaxElements), width = c.integer(3, "width", 0, kMaxElements);
  const int64_t ss = c.integer(4, "srcStride", 0, kMaxElements), so = c.integer(5, "srcOffset", 0, kMaxElements);
  const int64_t ds = c.integer(6, "dstStride", 0, kMaxElements), dof = c.integer(7, "dstOffset", 0, kMaxElements);
  if (rows == 0 || width == 0) return undefined(c.env());
  if (so + (rows - 1) * ss + width > src.length) c.fail("the blocks run past the end of `src` (" + std::to_string(src.length) + " elements).");
  if (dof + (rows - 1) * ds + width > dst.length) c.fail("the blocks run past the end of `dst` (" + std::to_string(dst.length) + " elements).");
  const size_t es = src.dtype == DType::U8 ? 1 : 4;
  const char* from = static_cast<const char*>(src.data);
  char* to = static_cast<char*>(dst.data);
  if (ss == width && ds == width) {
    std::memcpy(to + dof * es, from + so * es, es * rows * width);
    return undefined(c.env());
  }
  for (int64_t r = 0; r < rows; r++) std::memcpy(to + (dof + r * ds) * es, from + (so + r * ss) * es, es * width);
  return undefined(c.env());
}

}  // namespace

void register_pad(napi_env env, napi_value exports) {
  export_function(env, exports, "pad", js_pad);
  export_function(env, exports, "copyBlocks", js_copy_blocks);
}

}  // namespace kn
