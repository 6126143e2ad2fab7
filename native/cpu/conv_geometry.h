// The shape of a 2-D or 3-D convolution or pooling as the addon's callers pass it (one list of
// numbers), checked, and the oneDNN memory descriptors of tfjs's layouts for it: activations
// channels-last (NHWC, NDHWC), filters [(KD,) KH, KW, C, F] (oneDNN's hwio, dhwio). conv.cc and
// pool.cc share it, so 2-D and 3-D run the same primitive setup.
//
// The list, for R spatial axes (R = 2: [n, h, w, c, kh, kw, oh, ow, f, sh, sw, dh, dw, pt, pl, pb, pr]):
//   [n, in x R, c, filter x R, out x R, f, stride x R, dilation x R, padBefore x R, padAfter x R, groups?]
// padAfter may be negative, down to 1 - stride: cells no window reaches (a 'valid' stride leaves them).
// groups (convolutions only, 2-D only) is tfjs's depthwise case: groups = c, f = c x multiplier.
#pragma once
#include <array>

#include "call.h"
#include "dnnl_context.h"

namespace kn {

struct Geometry {
  int rank = 2;  // spatial axes
  int64_t n = 0, c = 0, f = 0, g = 1;
  std::array<int64_t, 3> in{}, k{}, out{}, stride{}, dilation{}, pad_before{}, pad_after{};

  dnnl::memory::dims src() const { return with(n, c, in); }
  dnnl::memory::dims dst() const { return with(n, f, out); }
  // oneDNN's logical filter dims: [f, c, (kd,) kh, kw], or [groups, f / groups, c / groups, kh, kw].
  dnnl::memory::dims weights() const;
  dnnl::memory::dims kernel() const { return spatial(k); }
  dnnl::memory::dims strides() const { return spatial(stride); }
  dnnl::memory::dims dilates() const;  // oneDNN counts the cells skipped: dilation - 1
  dnnl::memory::dims pad_l() const { return spatial(pad_before); }
  dnnl::memory::dims pad_r() const { return spatial(pad_after); }
  int64_t src_size() const { return n * c * product(in); }
  int64_t dst_size() const { return n * f * product(out); }
  int64_t weights_size() const { return product(k) * (c / g) * f; }
  // Multiply-adds of the convolution, and the reads of a pooling.
  double work() const { return static_cast<double>(n) * product(out) * f * product(k) * (c / g); }
  double pool_work() const { return static_cast<double>(n) * product(out) * c * product(k); }
  // The primitive cache's key: `name` (a string literal), every number here, `extra`, the thread count.
  Key key(const char* name, int64_t extra) const;

  // The input and output as channels-last arrays (nhwc, ndhwc), the filter in tfjs's layout (hwio, dhwio, or depthwise).
  dnnl::memory::desc src_md() const { return channels_last(src()); }
  dnnl::memory::desc dst_md() const { return channels_last(dst()); }
  dnnl::memory::desc filter_layout() const;

 private:
  dnnl::memory::desc channels_last(const dnnl::memory::dims& d) const;
  dnnl::memory::dims spatial(const std::array<int64_t, 3>& a) const { return dnnl::memory::dims(a.begin(), a.begin() + rank); }
  dnnl::memory::dims with(int64_t a, int64_t b, const std::array<int64_t, 3>& s) const;
  int64_t product(const std::array<int64_t, 3>& a) const;
};

// Reads and checks argument i of the call as a geometry of `rank` spatial axes; pooling takes no
// group count and keeps the channels (f = c).
Geometry geometry(Call& c, size_t i, int rank, bool pooling);

inline dnnl::memory::desc any_layout(const dnnl::memory::dims& d) {
  return dnnl::memory::desc(d, dnnl::memory::data_type::f32, dnnl::memory::format_tag::any);
}

}  // namespace kn
