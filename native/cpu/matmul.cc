// Matrix products through oneDNN's matmul primitive (measured here against OpenBLAS 0.3.21:
// 2x the GFLOP/s on every shape of a Dense layer's step), with the bias and the activation fused
// as attributes, and a Dense layer's whole backward pass in one call.
#include "matmul.h"

#include <omp.h>

#include <cstring>

#include "call.h"
#include "dnnl_context.h"
#include "memory.h"
#include "ops.h"

namespace kn {

using dt = dnnl::memory::data_type;
using dims = dnnl::memory::dims;

// oneDNN 3 dropped the eltwise post-op's scale (the first argument of oneDNN 2's append_eltwise).
void append_eltwise(dnnl::post_ops& ops, dnnl::algorithm alg, float alpha, float beta) {
#if DNNL_VERSION_MAJOR >= 3
  ops.append_eltwise(alg, alpha, beta);
#else
  ops.append_eltwise(1.f, alg, alpha, beta);
#endif
}

bool append_activation(dnnl::post_ops& ops, int act, float alpha) {
  switch (act) {
    case ACT_RELU: append_eltwise(ops, dnnl::algorithm::eltwise_relu, 0.f, 0.f); return true;
    case ACT_RELU6: append_eltwise(ops, dnnl::algorithm::eltwise_clip, 0.f, 6.f); return true;
    case ACT_ELU: append_eltwise(ops, dnnl::algorithm::eltwise_elu, 1.f, 0.f); return true;
    case ACT_SIGMOID: append_eltwise(ops, dnnl::algorithm::eltwise_logistic, 0.f, 0.f); return true;
    case ACT_LEAKYRELU: append_eltwise(ops, dnnl::algorithm::eltwise_relu, alpha, 0.f); return true;
    default: return false;
  }
}

void check_activation(int64_t act, const char* fn) {
  if (act < ACT_LINEAR || act > ACT_LEAKYRELU) throw Error(std::string(fn) + ": unknown activation code " + std::to_string(act) + ".");
}

namespace {

struct MatMulEntry : CacheEntry {
  dnnl::matmul::primitive_desc pd;
  dnnl::matmul prim;
  dnnl::memory::desc a, b, c, bias;
  // Memory objects and arguments made once; each call only points them at its arrays.
  std::unordered_map<int, dnnl::memory> args;
};

MatMulEntry make_matmul(const MatMulArgs& p) {
  const int64_t batch = p.batch_a > p.batch_b ? p.batch_a : p.batch_b;
  MatMulEntry e;
  e.a = dnnl::memory::desc(dims{p.batch_a, p.m, p.k}, dt::f32, p.ta ? dims{p.m * p.k, 1, p.m} : dims{p.m * p.k, p.k, 1});
  e.b = dnnl::memory::desc(dims{p.batch_b, p.k, p.n}, dt::f32, p.tb ? dims{p.k * p.n, 1, p.k} : dims{p.k * p.n, p.n, 1});
  e.c = dnnl::memory::desc(dims{batch, p.m, p.n}, dt::f32, dims{p.m * p.n, p.n, 1});
  dnnl::primitive_attr attr = scratchpad_attr();
  dnnl::post_ops ops;
  if (append_activation(ops, p.act, p.alpha)) attr.set_post_ops(ops);
  if (p.bias != nullptr) {
    e.bias = dnnl::memory::desc(dims{1, 1, p.n}, dt::f32, dims{p.n, p.n, 1});
#if DNNL_VERSION_MAJOR >= 3
    e.pd = dnnl::matmul::primitive_desc(engine(), e.a, e.b, e.bias, e.c, attr);
#else
    e.pd = dnnl::matmul::primitive_desc(dnnl::matmul::desc(e.a, e.b, e.bias, e.c), attr, engine());
#endif
  } else {
#if DNNL_VERSION_MAJOR >= 3
    e.pd = dnnl::matmul::primitive_desc(engine(), e.a, e.b, e.c, attr);
#else
    e.pd = dnnl::matmul::primitive_desc(dnnl::matmul::desc(e.a, e.b, e.c), attr, engine());
#endif
  }
  e.prim = dnnl::matmul(e.pd);
  e.args = {{DNNL_ARG_SRC, dnnl::memory(e.a, engine(), DNNL_MEMORY_NONE)}, {DNNL_ARG_WEIGHTS, dnnl::memory(e.b, engine(), DNNL_MEMORY_NONE)},
            {DNNL_ARG_DST, dnnl::memory(e.c, engine(), DNNL_MEMORY_NONE)}};
  if (p.bias != nullptr) e.args.emplace(DNNL_ARG_BIAS, dnnl::memory(e.bias, engine(), DNNL_MEMORY_NONE));
  return e;
}

}  // namespace

void matmul(const MatMulArgs& p) {
  const int64_t batch = p.batch_a > p.batch_b ? p.batch_a : p.batch_b;
  if (batch * p.m * p.n == 0) return;
  if (p.k == 0) {  // an empty sum: the bias (or 0) through the activation
    for (int64_t i = 0; i < batch * p.m * p.n; i++) p.c[i] = activate(p.act, p.bias ? p.bias[i % p.n] : 0.f, p.alpha);
    return;
  }
  ThreadScope threads(threads_for(static_cast<double>(batch) * p.m * p.n * p.k));
  int32_t alpha_bits = 0;
  if (p.act == ACT_LEAKYRELU) std::memcpy(&alpha_bits, &p.alpha, sizeof alpha_bits);
  const Key key = key_of("mm", {p.batch_a, p.batch_b, p.m, p.n, p.k, p.ta, p.tb, p.act, alpha_bits, p.bias != nullptr, omp_get_max_threads()});
  auto& e = cached<MatMulEntry>(key, [&] { return make_matmul(p); });
  e.args[DNNL_ARG_SRC].set_data_handle(const_cast<float*>(p.a));
  e.args[DNNL_ARG_WEIGHTS].set_data_handle(const_cast<float*>(p.b));
  e.args[DNNL_ARG_DST].set_data_handle(p.c);
  if (p.bias != nullptr) e.args[DNNL_ARG_BIAS].set_data_handle(const_cast<float*>(p.bias));
  execute_kept(e.prim, e.pd, e.args);
}

namespace {

// matMul(a, b, out, bias|null, batchA, batchB, m, n, k, transposeA, transposeB, activation, alpha)
napi_value js_matmul(Call& c) {
  MatMulArgs p;
  p.batch_a = c.integer(4, "batchA", 1, kMaxElements);
  p.batch_b = c.integer(5, "batchB", 1, kMaxElements);
  p.m = c.integer(6, "m", 0, kMaxElements);
  p.n = c.integer(7, "n", 0, kMaxElements);
  p.k = c.integer(8, "k", 0, kMaxElements);
  p.ta = c.flag(9, "transposeA");
  p.tb = c.flag(10, "transposeB");
  p.act = static_cast<int>(c.integer(11, "activation", ACT_LINEAR, ACT_LEAKYRELU));
  p.alpha = static_cast<float>(c.number(12, "alpha"));
  if (p.batch_a != p.batch_b && p.batch_a != 1 && p.batch_b != 1) {
    c.fail("batch sizes " + std::to_string(p.batch_a) + " and " + std::to_string(p.batch_b) + " do not broadcast.");
  }
  const int64_t batch = p.batch_a > p.batch_b ? p.batch_a : p.batch_b;
  p.a = c.f32(0, "a", checked_size({p.batch_a, p.m, p.k}, c.fn(), "a"));
  p.b = c.f32(1, "b", checked_size({p.batch_b, p.k, p.n}, c.fn(), "b"));
  p.c = c.f32(2, "out", checked_size({batch, p.m, p.n}, c.fn(), "out"));
  p.bias = c.optional_f32(3, "bias", p.n);
  matmul(p);
  return undefined(c.env());
}

// denseGrad(dy, x, w, y|null, dx|null, dw, db|null, batch, inDim, units, activation): the backward
// pass of y = activation(x·w + b): dz = dy·activation'(y), dw = xᵀ·dz, db = Σ dz, dx = dz·wᵀ.
napi_value js_dense_grad(Call& c) {
  const int64_t batch = c.integer(7, "batch", 0, kMaxElements);
  const int64_t in = c.integer(8, "inDim", 0, kMaxElements);
  const int64_t units = c.integer(9, "units", 0, kMaxElements);
  const int act = static_cast<int>(c.integer(10, "activation", ACT_LINEAR, ACT_SIGMOID));
  const int64_t out_size = checked_size({batch, units}, c.fn(), "dy");
  const float* dy = c.f32(0, "dy", out_size);
  const float* x = c.f32(1, "x", checked_size({batch, in}, c.fn(), "x"));
  const float* w = c.f32(2, "w", checked_size({in, units}, c.fn(), "w"));
  const float* y = act == ACT_LINEAR ? nullptr : c.f32(3, "y", out_size);
  float* dx = c.optional_f32(4, "dx", batch * in);
  float* dw = c.f32(5, "dw", in * units);
  float* db = c.optional_f32(6, "db", units);
  Buffer scratch(act == ACT_LINEAR ? 0 : out_size * sizeof(float));
  const float* dz = act == ACT_LINEAR ? dy : scratch.f32();
  if (db != nullptr && units > 0) activation_grads_and_sums(act, dy, y, scratch.f32(), batch, units, db);
  else if (act != ACT_LINEAR) activation_grads(act, dy, y, scratch.f32(), out_size);
  if (in * units > 0) {
    if (batch == 0) std::memset(dw, 0, sizeof(float) * in * units);
    else matmul({x, dz, dw, nullptr, 1, 1, in, units, batch, true, false, ACT_LINEAR, 0.f});
  }
  if (dx != nullptr && batch * in > 0) {
    if (units == 0) std::memset(dx, 0, sizeof(float) * batch * in);
    else matmul({dz, w, dx, nullptr, 1, 1, batch, in, units, false, true, ACT_LINEAR, 0.f});
  }
  return undefined(c.env());
}

}  // namespace

void register_matmul(napi_env env, napi_value exports) {
  export_function(env, exports, "matMul", js_matmul);
  export_function(env, exports, "denseGrad", js_dense_grad);
}

}  // namespace kn
