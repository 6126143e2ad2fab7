// 2-D and 3-D convolutions (forward with bias and activation fused, both backprops, and a 2-D
// layer's whole backward pass in one call) through oneDNN, on tfjs's layouts: activations
// channels-last (NHWC, NDHWC), filters [(KD,) KH, KW, C, F] (oneDNN's hwio, dhwio); conv_geometry.h
// reads the shape, the same code runs both ranks. oneDNN picks its own blocked filter layout;
// filters are reordered into it (and filter gradients out of it) on each call, which is small next
// to the convolution. Depthwise convolutions (2-D) are the grouped case, groups = C: the geometry's
// last number is the group count (C, or 1 when absent), F = C x multiplier, and the filter is
// tfjs's depthwise [KH, KW, C, multiplier].
#include <omp.h>

#include <cstring>
#include <exception>

#include "call.h"
#include "conv_geometry.h"
#include "dnnl_context.h"
#include "memory.h"
#include "ops.h"

namespace kn {

using dt = dnnl::memory::data_type;
using tag = dnnl::memory::format_tag;

namespace {

dnnl::convolution_forward::primitive_desc forward_pd(const Geometry& g, bool bias, int act, dnnl::prop_kind kind) {
  dnnl::primitive_attr attr = scratchpad_attr();
  dnnl::post_ops ops;
  if (append_activation(ops, act, 0.f)) attr.set_post_ops(ops);
  auto bias_md = bias ? dnnl::memory::desc({g.f}, dt::f32, tag::a) : dnnl::memory::desc();
#if DNNL_VERSION_MAJOR >= 3
  return dnnl::convolution_forward::primitive_desc(engine(), kind, dnnl::algorithm::convolution_direct, g.src_md(), any_layout(g.weights()),
                                                   bias_md, g.dst_md(), g.strides(), g.dilates(), g.pad_l(), g.pad_r(), attr);
#else
  dnnl::convolution_forward::desc d(kind, dnnl::algorithm::convolution_direct, g.src_md(), any_layout(g.weights()), bias_md,
                                    g.dst_md(), g.strides(), g.dilates(), g.pad_l(), g.pad_r());
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

// A filter's reorder is small (18k values for a 3x3 32->64 conv: 7 us on one thread); on two
// threads, waking the second cost up to 0.26 ms a call when the other core was busy.
void run_reorder(const Reorder& r, const void* src, void* dst) {
  ThreadScope threads(static_cast<int64_t>(r.to.get_size() / sizeof(float)) >= kParallelMin ? omp_get_max_threads() : 1);
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
    e.weights = make_reorder(g.filter_layout(), e.pd.weights_desc());
    return e;
  });
}

ConvBackwardData& conv_backward_data(const Geometry& g) {
  return cached<ConvBackwardData>(g.key("convbd", 0), [&] {
    ConvBackwardData e;
    auto hint = forward_pd(g, false, ACT_LINEAR, dnnl::prop_kind::forward_training);
#if DNNL_VERSION_MAJOR >= 3
    e.pd = dnnl::convolution_backward_data::primitive_desc(engine(), dnnl::algorithm::convolution_direct, g.src_md(), any_layout(g.weights()),
                                                           g.dst_md(), g.strides(), g.dilates(), g.pad_l(), g.pad_r(), hint,
                                                           scratchpad_attr());
#else
    dnnl::convolution_backward_data::desc d(dnnl::algorithm::convolution_direct, g.src_md(), any_layout(g.weights()), g.dst_md(),
                                            g.strides(), g.dilates(), g.pad_l(), g.pad_r());
    e.pd = dnnl::convolution_backward_data::primitive_desc(d, scratchpad_attr(), engine(), hint);
#endif
    e.prim = dnnl::convolution_backward_data(e.pd);
    e.weights = make_reorder(g.filter_layout(), e.pd.weights_desc());
    return e;
  });
}

ConvBackwardWeights& conv_backward_weights(const Geometry& g, bool bias) {
  return cached<ConvBackwardWeights>(g.key("convbw", bias), [&] {
    ConvBackwardWeights e;
    auto hint = forward_pd(g, bias, ACT_LINEAR, dnnl::prop_kind::forward_training);
    auto bias_md = bias ? dnnl::memory::desc({g.f}, dt::f32, tag::a) : dnnl::memory::desc();
#if DNNL_VERSION_MAJOR >= 3
    e.pd = dnnl::convolution_backward_weights::primitive_desc(engine(), dnnl::algorithm::convolution_direct, g.src_md(),
                                                              any_layout(g.weights()), bias_md, g.dst_md(), g.strides(), g.dilates(),
                                                              g.pad_l(), g.pad_r(), hint, scratchpad_attr());
#else
    dnnl::convolution_backward_weights::desc d(dnnl::algorithm::convolution_direct, g.src_md(), any_layout(g.weights()), bias_md,
                                               g.dst_md(), g.strides(), g.dilates(), g.pad_l(), g.pad_r());
    e.pd = dnnl::convolution_backward_weights::primitive_desc(d, scratchpad_attr(), engine(), hint);
#endif
    e.prim = dnnl::convolution_backward_weights(e.pd);
    e.weights = make_reorder(e.pd.diff_weights_desc(), g.filter_layout());
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

// The filter and input gradients of one layer. With two threads or more and 20M multiply-adds or
// more, the two run at once, each on one thread (each thread with its own stream and primitives,
// dnnl_context.cc: the primitives are made for one thread, as the key records): oneDNN's backward
// passes of a small layer gain little from a second thread (the 32->64 3x3 conv of examples/cnn.ts
// at batch 32: 1.0 ms each on one thread, 0.7 each on two), so one pass per thread finishes
// sooner. Else one after the other, each on the threads threads_for gives.
constexpr double kBothGradientsMinWork = 2e7;

void both_gradients(const Geometry& g, const float* x, const float* dz, const float* filter, float* dfilter, float* dx) {
  if (omp_get_max_threads() < 2 || g.work() < kBothGradientsMinWork || g.dst_size() == 0) {
    backward_weights(g, x, dz, dfilter, nullptr);
    backward_data(g, dz, filter, dx);
    return;
  }
  std::exception_ptr failed[2];
#pragma omp parallel num_threads(2)
  {
    const int t = omp_get_thread_num();
    try {
      ThreadScope one(1);
      if (t == 0) backward_weights(g, x, dz, dfilter, nullptr);
      else backward_data(g, dz, filter, dx);
    } catch (...) {
      failed[t] = std::current_exception();  // an exception must not leave an OpenMP region
    }
  }
  for (auto& e : failed)
    if (e) std::rethrow_exception(e);
}

// conv2d / conv3d(x, filter, bias|null, y, geometry, activation)
template <int R>
napi_value js_conv(Call& c) {
  Geometry g = geometry(c, 4, R, false);
  const int act = static_cast<int>(c.integer(5, "activation", ACT_LINEAR, ACT_SIGMOID));
  forward(g, c.f32(0, "x", g.src_size()), c.f32(1, "filter", g.weights_size()), c.optional_f32(2, "bias", g.f),
          c.f32(3, "y", g.dst_size()), act);
  return undefined(c.env());
}

// conv2dBackpropInput / conv3dBackpropInput(dy, filter, dx, geometry)
template <int R>
napi_value js_conv_backprop_input(Call& c) {
  Geometry g = geometry(c, 3, R, false);
  backward_data(g, c.f32(0, "dy", g.dst_size()), c.f32(1, "filter", g.weights_size()), c.f32(2, "dx", g.src_size()));
  return undefined(c.env());
}

// conv2dBackpropFilter / conv3dBackpropFilter(x, dy, dfilter, geometry)
template <int R>
napi_value js_conv_backprop_filter(Call& c) {
  Geometry g = geometry(c, 3, R, false);
  backward_weights(g, c.f32(0, "x", g.src_size()), c.f32(1, "dy", g.dst_size()), c.f32(2, "dfilter", g.weights_size()), nullptr);
  return undefined(c.env());
}

// convGrad(dy, x, filter, y|null, dx|null, dfilter, dbias|null, geometry, activation, inputGradient):
// the backward pass of y = activation(conv(x, filter) + bias) in one call. With inputGradient 0 (x
// is the batch's data) dx, where given, is zeros (written here, so a captured step records it).
napi_value js_conv_grad(Call& c) {
  Geometry g = geometry(c, 7, 2, false);
  const int act = static_cast<int>(c.integer(8, "activation", ACT_LINEAR, ACT_SIGMOID));
  const int64_t out = g.dst_size();
  const float* dy = c.f32(0, "dy", out);
  const float* x = c.f32(1, "x", g.src_size());
  const float* filter = c.f32(2, "filter", g.weights_size());
  const float* y = act == ACT_LINEAR ? nullptr : c.f32(3, "y", out);
  float* dx = c.optional_f32(4, "dx", g.src_size());
  const bool input_gradient = c.integer(9, "inputGradient", 0, 1) == 1;
  float* dfilter = c.f32(5, "dfilter", g.weights_size());
  float* dbias = c.optional_f32(6, "dbias", g.f);
  Buffer scratch(act == ACT_LINEAR ? 0 : out * sizeof(float));
  const float* dz = act == ACT_LINEAR ? dy : scratch.f32();
  // The bias gradient in the activation's pass (oneDNN's own took as long as the filter gradient
  // of a 1-channel input). The pass takes the threads the convolution's gradients will: split over
  // two cores it leaves dz in both caches for a one-thread gradient to read (examples/cnn.ts's first
  // convolution on 2 threads: 163 ms an epoch against 122 on one thread).
  {
    ThreadScope threads(threads_for(g.work()));
    if (dbias != nullptr && g.f > 0) activation_grads_and_sums(act, dy, y, scratch.f32(), out / g.f, g.f, dbias);
    else if (act != ACT_LINEAR) activation_grads(act, dy, y, scratch.f32(), out);
  }
  if (dx != nullptr && input_gradient) {
    both_gradients(g, x, dz, filter, dfilter, dx);
  } else {
    backward_weights(g, x, dz, dfilter, nullptr);
    if (dx != nullptr) std::memset(dx, 0, sizeof(float) * g.src_size());
  }
  return undefined(c.env());
}

}  // namespace

void register_conv(napi_env env, napi_value exports) {
  export_function(env, exports, "conv2d", js_conv<2>);
  export_function(env, exports, "conv2dBackpropInput", js_conv_backprop_input<2>);
  export_function(env, exports, "conv2dBackpropFilter", js_conv_backprop_filter<2>);
  export_function(env, exports, "conv3d", js_conv<3>);
  export_function(env, exports, "conv3dBackpropInput", js_conv_backprop_input<3>);
  export_function(env, exports, "conv3dBackpropFilter", js_conv_backprop_filter<3>);
  export_function(env, exports, "convGrad", js_conv_grad);
}

}  // namespace kn
