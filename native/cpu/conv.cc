// 2-D convolutions (forward with bias and activation fused, both backprops, and a layer's whole
// backward pass in one call) and pooling, through oneDNN, on tfjs's layouts: activations NHWC,
// filters [KH, KW, C, F] (oneDNN's hwio). oneDNN picks its own blocked filter layout; filters are
// reordered into it (and filter gradients out of it) on each call, which is small next to the
// convolution. Depthwise convolutions are the grouped case, groups = C: the geometry's 18th number
// is the group count (C, or 1 when absent), F = C x multiplier, and the filter is tfjs's depthwise
// [KH, KW, C, multiplier].
#include <omp.h>

#include <cstring>

#include "call.h"
#include "dnnl_context.h"
#include "memory.h"
#include "ops.h"

namespace kn {

using dt = dnnl::memory::data_type;
using tag = dnnl::memory::format_tag;
using dims = dnnl::memory::dims;

namespace {

// [n, h, w, c, kh, kw, oh, ow, f, sh, sw, dh, dw, padTop, padLeft, padBottom, padRight, groups?]
struct Geometry {
  int64_t n, h, w, c, kh, kw, oh, ow, f, sh, sw, dh, dw, pt, pl, pb, pr, g = 1;
  dims src() const { return {n, c, h, w}; }
  dims dst() const { return {n, f, oh, ow}; }
  // oneDNN's logical filter dims: [f, c, kh, kw], or [groups, f / groups, c / groups, kh, kw].
  dims weights() const { return g == 1 ? dims{f, c, kh, kw} : dims{g, f / g, c / g, kh, kw}; }
  dims strides() const { return {sh, sw}; }
  dims dilates() const { return {dh - 1, dw - 1}; }
  dims pad_l() const { return {pt, pl}; }
  dims pad_r() const { return {pb, pr}; }
  int64_t src_size() const { return n * h * w * c; }
  int64_t dst_size() const { return n * oh * ow * f; }
  int64_t weights_size() const { return kh * kw * (c / g) * f; }
  Key key(const char* name, int64_t extra) const {
    return key_of(name, {n, h, w, c, kh, kw, oh, ow, f, sh, sw, dh, dw, pt, pl, pb, pr, g, extra, omp_get_max_threads()});
  }
  // Multiply-adds of the convolution, and the reads of a pooling.
  double work() const { return static_cast<double>(n) * oh * ow * f * kh * kw * (c / g); }
  double pool_work() const { return static_cast<double>(n) * oh * ow * c * kh * kw; }
};

Geometry geometry(Call& c, size_t i, bool pooling) {
  auto g = c.ints(i, "geometry", 17, pooling ? 17 : 18, -kMaxElements, kMaxElements);
  for (int k = 0; k < 15; k++)
    if (g[k] < 0) c.fail("geometry[" + std::to_string(k) + "] must not be negative.");
  Geometry r{g[0], g[1], g[2], g[3], g[4], g[5], g[6], g[7], g[8], g[9], g[10], g[11], g[12], g[13], g[14], g[15], g[16]};
  if (g.size() == 18) r.g = g[17];
  // Grouped filters come only as tfjs's depthwise ones: one input channel per group.
  if (r.g != 1 && (r.g != r.c || r.c == 0 || r.f % r.c != 0)) {
    c.fail("groups must be 1 or the input channels " + std::to_string(r.c) + " with f a multiple of them (a depthwise convolution), got " +
           std::to_string(r.g) + ".");
  }
  if (r.kh < 1 || r.kw < 1 || r.sh < 1 || r.sw < 1 || r.dh < 1 || r.dw < 1) {
    c.fail("filter sizes, strides and dilations must be at least 1 (geometry [n, h, w, c, kh, kw, oh, ow, f, sh, sw, dh, dw, pt, pl, pb, pr]).");
  }
  // The bottom/right padding may be negative: rows that no window reaches (a 'valid' stride leaves them).
  if (r.pb < -(r.sh - 1) || r.pr < -(r.sw - 1)) c.fail("the bottom/right padding is more negative than the stride allows.");
  // The output size the padding implies must be the one given.
  const int64_t eh = (r.kh - 1) * r.dh + 1, ew = (r.kw - 1) * r.dw + 1;
  if ((r.h + r.pt + r.pb - eh) / r.sh + 1 != r.oh || (r.w + r.pl + r.pr - ew) / r.sw + 1 != r.ow || r.h + r.pt + r.pb < eh ||
      r.w + r.pl + r.pr < ew) {
    c.fail("the output size " + std::to_string(r.oh) + "x" + std::to_string(r.ow) + " does not follow from the input, filter, strides and padding.");
  }
  if (pooling && r.f != r.c) c.fail("pooling keeps the channels: geometry's f must equal c.");
  checked_size({r.n, r.h, r.w, r.c}, c.fn(), "the input");
  checked_size({r.n, r.oh, r.ow, r.f}, c.fn(), "the output");
  checked_size({r.kh, r.kw, r.c / r.g, r.f}, c.fn(), "the filter");
  return r;
}

dnnl::memory::desc nhwc(const dims& d) { return dnnl::memory::desc(d, dt::f32, tag::nhwc); }
dnnl::memory::desc any(const dims& d) { return dnnl::memory::desc(d, dt::f32, tag::any); }
// tfjs's filter layout: [kh, kw, c, f] (hwio), or for a depthwise one [kh, kw, c, multiplier],
// described by strides over oneDNN's grouped dims [groups = c, multiplier, 1, kh, kw].
dnnl::memory::desc hwio(const Geometry& g) {
  if (g.g == 1) return dnnl::memory::desc(g.weights(), dt::f32, tag::hwio);
  const int64_t m = g.f / g.g;
  return dnnl::memory::desc(g.weights(), dt::f32, dims{m, 1, 1, g.kw * g.c * m, g.c * m});
}

dnnl::convolution_forward::primitive_desc forward_pd(const Geometry& g, bool bias, int act, dnnl::prop_kind kind) {
  dnnl::primitive_attr attr = scratchpad_attr();
  dnnl::post_ops ops;
  if (append_activation(ops, act, 0.f)) attr.set_post_ops(ops);
  auto bias_md = bias ? dnnl::memory::desc({g.f}, dt::f32, tag::a) : dnnl::memory::desc();
#if DNNL_VERSION_MAJOR >= 3
  return dnnl::convolution_forward::primitive_desc(engine(), kind, dnnl::algorithm::convolution_direct, nhwc(g.src()), any(g.weights()),
                                                   bias_md, nhwc(g.dst()), g.strides(), g.dilates(), g.pad_l(), g.pad_r(), attr);
#else
  dnnl::convolution_forward::desc d(kind, dnnl::algorithm::convolution_direct, nhwc(g.src()), any(g.weights()), bias_md,
                                    nhwc(g.dst()), g.strides(), g.dilates(), g.pad_l(), g.pad_r());
  return dnnl::convolution_forward::primitive_desc(d, attr, engine());
#endif
}

// A filter in oneDNN's chosen layout: the user's array itself, or a reordered copy.
struct Reorder {
  bool needed = false;
  dnnl::reorder prim;
  dnnl::memory::desc from, to;
};

Reorder make_reorder(const dnnl::memory::desc& from, const dnnl::memory::desc& to) {
  Reorder r;
  r.from = from;
  r.to = to;
  r.needed = from != to;
  if (r.needed) r.prim = dnnl::reorder(dnnl::reorder::primitive_desc(engine(), from, engine(), to));
  return r;
}

void run_reorder(const Reorder& r, const void* src, void* dst) {
  dnnl::memory from = wrap(r.from, src), to = wrap(r.to, dst);
  r.prim.execute(stream(), from, to);
  stream().wait();
}

struct ConvForward : CacheEntry {
  dnnl::convolution_forward::primitive_desc pd;
  dnnl::convolution_forward prim;
  Reorder weights;
};

struct ConvBackwardData : CacheEntry {
  dnnl::convolution_backward_data::primitive_desc pd;
  dnnl::convolution_backward_data prim;
  Reorder weights;
};

struct ConvBackwardWeights : CacheEntry {
  dnnl::convolution_backward_weights::primitive_desc pd;
  dnnl::convolution_backward_weights prim;
  Reorder weights;  // from oneDNN's layout to hwio
};

ConvForward& conv_forward(const Geometry& g, bool bias, int act) {
  return cached<ConvForward>(g.key("conv", bias * 16 + act), [&] {
    ConvForward e;
    e.pd = forward_pd(g, bias, act, dnnl::prop_kind::forward_training);
    e.prim = dnnl::convolution_forward(e.pd);
    e.weights = make_reorder(hwio(g), e.pd.weights_desc());
    return e;
  });
}

ConvBackwardData& conv_backward_data(const Geometry& g) {
  return cached<ConvBackwardData>(g.key("convbd", 0), [&] {
    ConvBackwardData e;
    auto hint = forward_pd(g, false, ACT_LINEAR, dnnl::prop_kind::forward_training);
#if DNNL_VERSION_MAJOR >= 3
    e.pd = dnnl::convolution_backward_data::primitive_desc(engine(), dnnl::algorithm::convolution_direct, nhwc(g.src()), any(g.weights()),
                                                           nhwc(g.dst()), g.strides(), g.dilates(), g.pad_l(), g.pad_r(), hint,
                                                           scratchpad_attr());
#else
    dnnl::convolution_backward_data::desc d(dnnl::algorithm::convolution_direct, nhwc(g.src()), any(g.weights()), nhwc(g.dst()),
                                            g.strides(), g.dilates(), g.pad_l(), g.pad_r());
    e.pd = dnnl::convolution_backward_data::primitive_desc(d, scratchpad_attr(), engine(), hint);
#endif
    e.prim = dnnl::convolution_backward_data(e.pd);
    e.weights = make_reorder(hwio(g), e.pd.weights_desc());
    return e;
  });
}

ConvBackwardWeights& conv_backward_weights(const Geometry& g, bool bias) {
  return cached<ConvBackwardWeights>(g.key("convbw", bias), [&] {
    ConvBackwardWeights e;
    auto hint = forward_pd(g, bias, ACT_LINEAR, dnnl::prop_kind::forward_training);
    auto bias_md = bias ? dnnl::memory::desc({g.f}, dt::f32, tag::a) : dnnl::memory::desc();
#if DNNL_VERSION_MAJOR >= 3
    e.pd = dnnl::convolution_backward_weights::primitive_desc(engine(), dnnl::algorithm::convolution_direct, nhwc(g.src()),
                                                              any(g.weights()), bias_md, nhwc(g.dst()), g.strides(), g.dilates(),
                                                              g.pad_l(), g.pad_r(), hint, scratchpad_attr());
#else
    dnnl::convolution_backward_weights::desc d(dnnl::algorithm::convolution_direct, nhwc(g.src()), any(g.weights()), bias_md,
                                               nhwc(g.dst()), g.strides(), g.dilates(), g.pad_l(), g.pad_r());
    e.pd = dnnl::convolution_backward_weights::primitive_desc(d, scratchpad_attr(), engine(), hint);
#endif
    e.prim = dnnl::convolution_backward_weights(e.pd);
    e.weights = make_reorder(e.pd.diff_weights_desc(), hwio(g));
    return e;
  });
}

void forward(const Geometry& g, const float* x, const float* filter, const float* bias, float* y, int act) {
  if (g.dst_size() == 0) return;
  ThreadScope threads(threads_for(g.work()));
  auto& e = conv_forward(g, bias != nullptr, act);
  Buffer w(e.weights.needed ? e.weights.to.get_size() : 0);
  if (e.weights.needed) run_reorder(e.weights, filter, w.get());
  std::unordered_map<int, dnnl::memory> args{{DNNL_ARG_SRC, wrap(e.pd.src_desc(), x)},
                                             {DNNL_ARG_WEIGHTS, wrap(e.pd.weights_desc(), e.weights.needed ? w.get() : filter)},
                                             {DNNL_ARG_DST, wrap(e.pd.dst_desc(), y)}};
  if (bias != nullptr) args.emplace(DNNL_ARG_BIAS, wrap(e.pd.bias_desc(), bias));
  execute(e.prim, e.pd, std::move(args));
}

void backward_data(const Geometry& g, const float* dy, const float* filter, float* dx) {
  if (g.src_size() == 0) return;
  if (g.dst_size() == 0) {
    std::memset(dx, 0, sizeof(float) * g.src_size());
    return;
  }
  ThreadScope threads(threads_for(g.work()));
  auto& e = conv_backward_data(g);
  Buffer w(e.weights.needed ? e.weights.to.get_size() : 0);
  if (e.weights.needed) run_reorder(e.weights, filter, w.get());
  execute(e.prim, e.pd,
          {{DNNL_ARG_DIFF_DST, wrap(e.pd.diff_dst_desc(), dy)},
           {DNNL_ARG_WEIGHTS, wrap(e.pd.weights_desc(), e.weights.needed ? w.get() : filter)},
           {DNNL_ARG_DIFF_SRC, wrap(e.pd.diff_src_desc(), dx)}});
}

void backward_weights(const Geometry& g, const float* x, const float* dy, float* dfilter, float* dbias) {
  if (g.weights_size() == 0) return;
  if (g.dst_size() == 0) {
    std::memset(dfilter, 0, sizeof(float) * g.weights_size());
    if (dbias) std::memset(dbias, 0, sizeof(float) * g.f);
    return;
  }
  ThreadScope threads(threads_for(g.work()));
  auto& e = conv_backward_weights(g, dbias != nullptr);
  Buffer w(e.weights.needed ? e.weights.from.get_size() : 0);
  std::unordered_map<int, dnnl::memory> args{{DNNL_ARG_SRC, wrap(e.pd.src_desc(), x)},
                                             {DNNL_ARG_DIFF_DST, wrap(e.pd.diff_dst_desc(), dy)},
                                             {DNNL_ARG_DIFF_WEIGHTS, wrap(e.pd.diff_weights_desc(), e.weights.needed ? w.get() : dfilter)}};
  if (dbias != nullptr) args.emplace(DNNL_ARG_DIFF_BIAS, wrap(e.pd.diff_bias_desc(), dbias));
  execute(e.prim, e.pd, std::move(args));
  if (e.weights.needed) run_reorder(e.weights, w.get(), dfilter);
}

// conv2d(x, filter, bias|null, y, geometry, activation)
napi_value js_conv2d(Call& c) {
  Geometry g = geometry(c, 4, false);
  const int act = static_cast<int>(c.integer(5, "activation", ACT_LINEAR, ACT_SIGMOID));
  forward(g, c.f32(0, "x", g.src_size()), c.f32(1, "filter", g.weights_size()), c.optional_f32(2, "bias", g.f),
          c.f32(3, "y", g.dst_size()), act);
  return undefined(c.env());
}

// conv2dBackpropInput(dy, filter, dx, geometry)
napi_value js_conv2d_backprop_input(Call& c) {
  Geometry g = geometry(c, 3, false);
  backward_data(g, c.f32(0, "dy", g.dst_size()), c.f32(1, "filter", g.weights_size()), c.f32(2, "dx", g.src_size()));
  return undefined(c.env());
}

// conv2dBackpropFilter(x, dy, dfilter, geometry)
napi_value js_conv2d_backprop_filter(Call& c) {
  Geometry g = geometry(c, 3, false);
  backward_weights(g, c.f32(0, "x", g.src_size()), c.f32(1, "dy", g.dst_size()), c.f32(2, "dfilter", g.weights_size()), nullptr);
  return undefined(c.env());
}

// convGrad(dy, x, filter, y|null, dx|null, dfilter, dbias|null, geometry, activation): the backward
// pass of y = activation(conv(x, filter) + bias) in one call.
KN_HOT napi_value js_conv_grad(Call& c) {
  Geometry g = geometry(c, 7, false);
  const int act = static_cast<int>(c.integer(8, "activation", ACT_LINEAR, ACT_SIGMOID));
  const int64_t out = g.dst_size();
  const float* dy = c.f32(0, "dy", out);
  const float* x = c.f32(1, "x", g.src_size());
  const float* filter = c.f32(2, "filter", g.weights_size());
  const float* y = act == ACT_LINEAR ? nullptr : c.f32(3, "y", out);
  float* dx = c.optional_f32(4, "dx", g.src_size());
  float* dfilter = c.f32(5, "dfilter", g.weights_size());
  float* dbias = c.optional_f32(6, "dbias", g.f);
  Buffer scratch(act == ACT_LINEAR ? 0 : out * sizeof(float));
  const float* dz = dy;
  if (act != ACT_LINEAR) {
    float* t = scratch.f32();
#pragma omp parallel for if (out >= kParallelMin)
    for (int64_t i = 0; i < out; i++) t[i] = activation_grad(act, dy[i], y[i]);
    dz = t;
  }
  backward_weights(g, x, dz, dfilter, dbias);
  if (dx != nullptr) backward_data(g, dz, filter, dx);
  return undefined(c.env());
}

// ---- pooling ----

// oneDNN 2's pooling_v2 (pooling with dilation) is oneDNN 3's pooling.
#if DNNL_VERSION_MAJOR >= 3
using PoolingForward = dnnl::pooling_forward;
using PoolingBackward = dnnl::pooling_backward;
#else
using PoolingForward = dnnl::pooling_v2_forward;
using PoolingBackward = dnnl::pooling_v2_backward;
#endif

struct PoolForward : CacheEntry {
  PoolingForward::primitive_desc pd;
  PoolingForward prim;
};
struct PoolBackward : CacheEntry {
  PoolingForward::primitive_desc fwd_pd;  // the hint oneDNN's backward is made from
  PoolingBackward::primitive_desc pd;
  PoolingBackward prim;
};

dnnl::algorithm pool_alg(bool max) { return max ? dnnl::algorithm::pooling_max : dnnl::algorithm::pooling_avg_exclude_padding; }

PoolingForward::primitive_desc pool_forward_pd(const Geometry& g, bool max, dnnl::prop_kind kind) {
#if DNNL_VERSION_MAJOR >= 3
  return PoolingForward::primitive_desc(engine(), kind, pool_alg(max), nhwc(g.src()), nhwc(g.dst()), g.strides(), {g.kh, g.kw},
                                        g.dilates(), g.pad_l(), g.pad_r(), scratchpad_attr());
#else
  PoolingForward::desc d(kind, pool_alg(max), nhwc(g.src()), nhwc(g.dst()), g.strides(), {g.kh, g.kw}, g.dilates(), g.pad_l(),
                         g.pad_r());
  return PoolingForward::primitive_desc(d, scratchpad_attr(), engine());
#endif
}

// pool(x, y, geometry, isMax)
napi_value js_pool(Call& c) {
  Geometry g = geometry(c, 2, true);
  const bool max = c.flag(3, "isMax");
  const float* x = c.f32(0, "x", g.src_size());
  float* y = c.f32(1, "y", g.dst_size());
  if (g.dst_size() == 0) return undefined(c.env());
  ThreadScope threads(threads_for(g.pool_work()));
  auto& e = cached<PoolForward>(g.key("pool", max), [&] {
    PoolForward p;
    p.pd = pool_forward_pd(g, max, dnnl::prop_kind::forward_inference);
    p.prim = PoolingForward(p.pd);
    return p;
  });
  execute(e.prim, e.pd, {{DNNL_ARG_SRC, wrap(e.pd.src_desc(), x)}, {DNNL_ARG_DST, wrap(e.pd.dst_desc(), y)}});
  return undefined(c.env());
}

// poolGrad(dy, x, dx, geometry, isMax): max pooling's backward is max_pool_grad.cc's loop (oneDNN's
// needs the forward's workspace, which tfjs's kernel does not carry); average pooling's is oneDNN's.
napi_value js_pool_grad(Call& c) {
  Geometry g = geometry(c, 3, true);
  const bool max = c.flag(4, "isMax");
  const float* dy = c.f32(0, "dy", g.dst_size());
  const float* x = c.f32(1, "x", g.src_size());
  float* dx = c.f32(2, "dx", g.src_size());
  if (g.src_size() == 0) return undefined(c.env());
  if (g.dst_size() == 0) {
    std::memset(dx, 0, sizeof(float) * g.src_size());
    return undefined(c.env());
  }
  if (max) {
    max_pool_grad_nhwc(dy, x, dx, PoolShape{g.n, g.h, g.w, g.c, g.kh, g.kw, g.oh, g.ow, g.sh, g.sw, g.dh, g.dw, g.pt, g.pl});
    return undefined(c.env());
  }
  ThreadScope threads(threads_for(g.pool_work()));
  auto& e = cached<PoolBackward>(g.key("poolgrad", false), [&] {
    PoolBackward p;
    p.fwd_pd = pool_forward_pd(g, false, dnnl::prop_kind::forward_training);
#if DNNL_VERSION_MAJOR >= 3
    p.pd = PoolingBackward::primitive_desc(engine(), pool_alg(false), nhwc(g.src()), nhwc(g.dst()), g.strides(), {g.kh, g.kw},
                                           g.dilates(), g.pad_l(), g.pad_r(), p.fwd_pd, scratchpad_attr());
#else
    PoolingBackward::desc d(pool_alg(false), nhwc(g.src()), nhwc(g.dst()), g.strides(), {g.kh, g.kw}, g.dilates(), g.pad_l(), g.pad_r());
    p.pd = PoolingBackward::primitive_desc(d, scratchpad_attr(), engine(), p.fwd_pd);
#endif
    p.prim = PoolingBackward(p.pd);
    return p;
  });
  execute(e.prim, e.pd, {{DNNL_ARG_DIFF_DST, wrap(e.pd.diff_dst_desc(), dy)}, {DNNL_ARG_DIFF_SRC, wrap(e.pd.diff_src_desc(), dx)}});
  return undefined(c.env());
}

}  // namespace

void register_conv(napi_env env, napi_value exports) {
  export_function(env, exports, "conv2d", js_conv2d);
  export_function(env, exports, "conv2dBackpropInput", js_conv2d_backprop_input);
  export_function(env, exports, "conv2dBackpropFilter", js_conv2d_backprop_filter);
  export_function(env, exports, "convGrad", js_conv_grad);
  export_function(env, exports, "pool", js_pool);
  export_function(env, exports, "poolGrad", js_pool_grad);
}

}  // namespace kn
