#include "conv_geometry.h"

#include <omp.h>

namespace kn {

using dt = dnnl::memory::data_type;
using tag = dnnl::memory::format_tag;
using dims = dnnl::memory::dims;

dims Geometry::with(int64_t a, int64_t b, const std::array<int64_t, 3>& s) const {
  dims d{a, b};
  d.insert(d.end(), s.begin(), s.begin() + rank);
  return d;
}

int64_t Geometry::product(const std::array<int64_t, 3>& a) const {
  int64_t p = 1;
  for (int i = 0; i < rank; i++) p *= a[i];
  return p;
}

dims Geometry::weights() const {
  dims d = g == 1 ? dims{f, c} : dims{g, f / g, c / g};
  d.insert(d.end(), k.begin(), k.begin() + rank);
  return d;
}

dims Geometry::dilates() const {
  dims d = spatial(dilation);
  for (auto& v : d) v -= 1;
  return d;
}

Key Geometry::key(const char* name, int64_t extra) const {
  Key key = key_of(name, {rank, n, c, f, g, extra, omp_get_max_threads()});
  for (const auto* a : {&in, &k, &out, &stride, &dilation, &pad_before, &pad_after})
    for (int i = 0; i < rank; i++) key.v[key.n++] = (*a)[i];  // 7 + 7 x 3 numbers fit the key's 32
  return key;
}

dnnl::memory::desc Geometry::channels_last(const dims& d) const {
  return dnnl::memory::desc(d, dt::f32, rank == 3 ? tag::ndhwc : tag::nhwc);
}

// tfjs's filter layout: [(kd,) kh, kw, c, f], or for a depthwise one [kh, kw, c, multiplier],
// described by strides over oneDNN's grouped dims [groups = c, multiplier, 1, kh, kw].
dnnl::memory::desc Geometry::filter_layout() const {
  if (g == 1) return dnnl::memory::desc(weights(), dt::f32, rank == 3 ? tag::dhwio : tag::hwio);
  const int64_t m = f / g;
  return dnnl::memory::desc(weights(), dt::f32, dims{m, 1, 1, k[1] * c * m, c * m});
}

namespace {

std::string layout(int rank) {
  return rank == 3 ? "[n, d, h, w, c, kd, kh, kw, od, oh, ow, f, sd, sh, sw, dd, dh, dw, pfront, ptop, pleft, pback, pbottom, pright]"
                   : "[n, h, w, c, kh, kw, oh, ow, f, sh, sw, dh, dw, pt, pl, pb, pr]";
}

void check(Call& call, const Geometry& r, bool pooling) {
  // Grouped filters come only as tfjs's depthwise ones: one input channel per group.
  if (r.g != 1 && (r.rank != 2 || r.g != r.c || r.c == 0 || r.f % r.c != 0)) {
    call.fail("groups must be 1 or the input channels " + std::to_string(r.c) +
              " with f a multiple of them (a 2-D depthwise convolution), got " + std::to_string(r.g) + ".");
  }
  std::vector<int64_t> in{r.n}, out{r.n}, filter;
  for (int a = 0; a < r.rank; a++) {
    if (r.k[a] < 1 || r.stride[a] < 1 || r.dilation[a] < 1)
      call.fail("filter sizes, strides and dilations must be at least 1 (geometry " + layout(r.rank) + ").");
    // The bottom/right padding may be negative: cells that no window reaches.
    if (r.pad_after[a] < -(r.stride[a] - 1)) call.fail("the bottom/right padding is more negative than the stride allows.");
    // The output size the padding implies must be the one given.
    const int64_t span = r.in[a] + r.pad_before[a] + r.pad_after[a], extent = (r.k[a] - 1) * r.dilation[a] + 1;
    if (span < extent || (span - extent) / r.stride[a] + 1 != r.out[a]) {
      std::string size;
      for (int b = 0; b < r.rank; b++) size += (b ? "x" : "") + std::to_string(r.out[b]);
      call.fail("the output size " + size + " does not follow from the input, filter, strides and padding.");
    }
    in.push_back(r.in[a]), out.push_back(r.out[a]), filter.push_back(r.k[a]);
  }
  if (pooling && r.f != r.c) call.fail("pooling keeps the channels: geometry's f must equal c.");
  in.push_back(r.c), out.push_back(r.f), filter.push_back(r.c / r.g), filter.push_back(r.f);
  checked_size(in, call.fn(), "the input");
  checked_size(out, call.fn(), "the output");
  checked_size(filter, call.fn(), "the filter");
}

}  // namespace

Geometry geometry(Call& call, size_t i, int rank, bool pooling) {
  const size_t len = 3 + 7 * rank;
  auto v = call.ints(i, "geometry", len, pooling ? len : len + 1, -kMaxElements, kMaxElements);
  for (size_t j = 0; j < len - rank; j++)
    if (v[j] < 0) call.fail("geometry[" + std::to_string(j) + "] must not be negative (geometry " + layout(rank) + ").");
  Geometry r;
  r.rank = rank;
  size_t at = 0;
  auto take = [&](std::array<int64_t, 3>& a) {
    for (int s = 0; s < rank; s++) a[s] = v[at++];
  };
  r.n = v[at++];
  take(r.in);
  r.c = v[at++];
  take(r.k);
  take(r.out);
  r.f = v[at++];
  take(r.stride);
  take(r.dilation);
  take(r.pad_before);
  take(r.pad_after);
  if (v.size() > len) r.g = v[len];
  check(call, r, pooling);
  return r;
}

}  // namespace kn
