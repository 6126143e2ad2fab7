// 2-D and 3-D max and average pooling and their gradients through oneDNN, channels-last (NHWC,
// NDHWC); conv_geometry.h reads the shape (f = c), the same code runs both ranks. Average pooling
// divides each window by the input cells it covers (tfjs's and TensorFlow's forward rule), and so
// does its gradient: oneDNN's pooling_avg_exclude_padding both ways.
#include <cstring>

#include "call.h"
#include "conv_geometry.h"
#include "dnnl_context.h"
#include "memory.h"
#include "ops.h"

namespace kn {

namespace {

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
  return PoolingForward::primitive_desc(engine(), kind, pool_alg(max), g.src_md(), g.dst_md(), g.strides(), g.kernel(),
                                        g.dilates(), g.pad_l(), g.pad_r(), scratchpad_attr());
#else
  PoolingForward::desc d(kind, pool_alg(max), g.src_md(), g.dst_md(), g.strides(), g.kernel(), g.dilates(), g.pad_l(),
                         g.pad_r());
  return PoolingForward::primitive_desc(d, scratchpad_attr(), engine());
#endif
}

// pool / pool3d(x, y, geometry, isMax)
template <int R>
napi_value js_pool(Call& c) {
  Geometry g = geometry(c, 2, R, true);
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

// The max pooling gradient's shape (max_pool_grad.cc): a 2-D geometry gets a leading depth of 1.
PoolShape pool_shape(const Geometry& g) {
  PoolShape s{g.n, g.c, {1, 1, 1}, {1, 1, 1}, {1, 1, 1}, {1, 1, 1}, {1, 1, 1}, {0, 0, 0}};
  for (int i = 0, at = 3 - g.rank; i < g.rank; i++, at++) {
    s.in[at] = g.in[i];
    s.out[at] = g.out[i];
    s.k[at] = g.k[i];
    s.stride[at] = g.stride[i];
    s.dilation[at] = g.dilation[i];
    s.pad[at] = g.pad_before[i];
  }
  return s;
}

// poolGrad / pool3dGrad(dy, x, dx, geometry, isMax): max pooling's backward is max_pool_grad.cc's
// loop (oneDNN's needs the forward's workspace, which tfjs's kernel does not carry, so the forward
// ran again for it); average pooling's is oneDNN's.
template <int R>
napi_value js_pool_grad(Call& c) {
  Geometry g = geometry(c, 3, R, true);
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
    max_pool_grad(dy, x, dx, pool_shape(g));
    return undefined(c.env());
  }
  ThreadScope threads(threads_for(g.pool_work()));
  auto& e = cached<PoolBackward>(g.key("poolgrad", false), [&] {
    PoolBackward p;
    p.fwd_pd = pool_forward_pd(g, false, dnnl::prop_kind::forward_training);
#if DNNL_VERSION_MAJOR >= 3
    p.pd = PoolingBackward::primitive_desc(engine(), pool_alg(false), g.src_md(), g.dst_md(), g.strides(), g.kernel(),
                                           g.dilates(), g.pad_l(), g.pad_r(), p.fwd_pd, scratchpad_attr());
#else
    PoolingBackward::desc d(pool_alg(false), g.src_md(), g.dst_md(), g.strides(), g.kernel(), g.dilates(), g.pad_l(), g.pad_r());
    p.pd = PoolingBackward::primitive_desc(d, scratchpad_attr(), engine(), p.fwd_pd);
#endif
    p.prim = PoolingBackward(p.pd);
    return p;
  });
  execute(e.prim, e.pd, {{DNNL_ARG_DIFF_DST, wrap(e.pd.diff_dst_desc(), dy)}, {DNNL_ARG_DIFF_SRC, wrap(e.pd.diff_src_desc(), dx)}});
  return undefined(c.env());
}

}  // namespace

void register_pool(napi_env env, napi_value exports) {
  export_function(env, exports, "pool", js_pool<2>);
  export_function(env, exports, "poolGrad", js_pool_grad<2>);
  export_function(env, exports, "pool3d", js_pool<3>);
  export_function(env, exports, "pool3dGrad", js_pool_grad<3>);
}

}  // namespace kn
