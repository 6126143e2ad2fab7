// keras-ts's native CPU addon: the N-API module. Tensors stay in JavaScript typed arrays (the
// memory of tfjs-backend-cpu's tensors); each function reads its inputs and writes its outputs
// there. oneDNN runs the matrix products, convolutions and pooling; the rest is plain loops.
// Threads: OpenMP, shared with oneDNN (built with its OpenMP runtime in Debian's libdnnl).
// worker_threads: each Node environment runs on its own thread, and the addon's state (buffer
// pool, primitive cache, stream, thread count) is per thread, so workers may call it at once.
#include <omp.h>

#include <algorithm>
#include <string>

#include "call.h"
#include "dnnl_context.h"
#include "memory.h"
#include "ops.h"

namespace kn {

void register_matmul(napi_env env, napi_value exports);
void register_conv(napi_env env, napi_value exports);
void register_pool(napi_env env, napi_value exports);
void register_elementwise(napi_env env, napi_value exports);
void register_reduce(napi_env env, napi_value exports);
void register_train(napi_env env, napi_value exports);
void register_reverse(napi_env env, napi_value exports);
void register_fallback_ops(napi_env env, napi_value exports);
void register_resize(napi_env env, napi_value exports);
void register_image_sample(napi_env env, napi_value exports);
void register_pad(napi_env env, napi_value exports);
void register_segment_sum(napi_env env, napi_value exports);
void register_batch_norm(napi_env env, napi_value exports);
void register_image_codec(napi_env env, napi_value exports);
void register_rnn(napi_env env, napi_value exports);
void register_capture(napi_env env, napi_value exports);
void register_train_optimizers(napi_env env, napi_value exports);
void register_layer_norm(napi_env env, napi_value exports);
void register_attention(napi_env env, napi_value exports);
void register_dropout(napi_env env, napi_value exports);
void register_attention_core(napi_env env, napi_value exports);

namespace {
// Within this many calls of threads_for after a call on several threads, the other threads count as
// awake. Counted in calls, not time, so that a fit's thread choices, and so its float sums, are
// the same on every run.
constexpr int kStillAwake = 4;
// Calls of threads_for since a call on several threads last ended (at most kStillAwake + 1), on
// this environment's thread.
thread_local int calls_since_parallel = kStillAwake + 1;
}  // namespace

ThreadScope::ThreadScope(int n) : saved_(omp_get_max_threads()), parallel_(n > 1) {
  if (n != saved_) omp_set_num_threads(n);
}
ThreadScope::~ThreadScope() {
  if (parallel_) calls_since_parallel = 0;
  if (omp_get_max_threads() != saved_) omp_set_num_threads(saved_);
}

int threads_for(double work) {
  calls_since_parallel = std::min(calls_since_parallel + 1, kStillAwake + 1);
  if (work < kParallelMinWork) return 1;
  if (work >= kParallelMinWorkAsleep || calls_since_parallel <= kStillAwake) return omp_get_max_threads();
  return 1;
}

namespace {

napi_value string(napi_env env, const std::string& s) {
  napi_value v;
  napi_create_string_utf8(env, s.c_str(), s.size(), &v);
  return v;
}

// setNumThreads(n): the threads every later call uses (primitives are rebuilt for the new count).
napi_value js_set_num_threads(Call& c) {
  const int n = static_cast<int>(c.integer(0, "n", 1, 4096));
  if (n != omp_get_max_threads()) {
    omp_set_num_threads(n);
    clear_cache();
  }
  return undefined(c.env());
}

napi_value js_get_num_threads(Call& c) { return number(c.env(), omp_get_max_threads()); }

// info(): { onednn: "2.6.3", isa: "...", threads, cores }
napi_value js_info(Call& c) {
  napi_env env = c.env();
  const dnnl_version_t* v = dnnl_version();
  napi_value obj;
  napi_create_object(env, &obj);
  std::string version = std::to_string(v->major) + "." + std::to_string(v->minor) + "." + std::to_string(v->patch);
  napi_set_named_property(env, obj, "onednn", string(env, version));
  const char* isa = "unknown";
  switch (dnnl::get_effective_cpu_isa()) {
    case dnnl::cpu_isa::avx512_core_amx: isa = "AVX-512 + AMX"; break;
    case dnnl::cpu_isa::avx512_core_bf16: isa = "AVX-512 (bf16)"; break;
    case dnnl::cpu_isa::avx512_core_vnni: isa = "AVX-512 (VNNI)"; break;
    case dnnl::cpu_isa::avx512_core: isa = "AVX-512"; break;
    case dnnl::cpu_isa::avx2_vnni: isa = "AVX2 (VNNI)"; break;
    case dnnl::cpu_isa::avx2: isa = "AVX2"; break;
    case dnnl::cpu_isa::avx: isa = "AVX"; break;
    case dnnl::cpu_isa::sse41: isa = "SSE4.1"; break;
    default: break;
  }
  napi_set_named_property(env, obj, "isa", string(env, isa));
  napi_set_named_property(env, obj, "threads", number(env, omp_get_max_threads()));
  napi_set_named_property(env, obj, "cores", number(env, omp_get_num_procs()));
  return obj;
}

// memory(): { liveBytes, pooledBytes, cachedPrimitives }: liveBytes is 0 between calls.
napi_value js_memory(Call& c) {
  napi_env env = c.env();
  napi_value obj;
  napi_create_object(env, &obj);
  napi_set_named_property(env, obj, "liveBytes", number(env, static_cast<double>(live_bytes())));
  napi_set_named_property(env, obj, "pooledBytes", number(env, static_cast<double>(pooled_bytes())));
  napi_set_named_property(env, obj, "cachedPrimitives", number(env, static_cast<double>(primitive_cache().size())));
  return obj;
}

// releaseMemory(): frees the buffer pool and the primitive cache.
napi_value js_release_memory(Call& c) {
  clear_cache();
  release_pool();
  return undefined(c.env());
}

// opTable(): the op codes this addon was compiled with, by C name, to check against the TypeScript side.
napi_value js_op_table(Call& c) {
  napi_env env = c.env();
  napi_value obj;
  napi_create_object(env, &obj);
  auto put = [&](const char* name, int code) { napi_set_named_property(env, obj, name, number(env, code)); };
#define KN_PUT(x) put(#x, x);
  OP_TABLE_BinaryOp(KN_PUT) OP_TABLE_UnaryOp(KN_PUT) OP_TABLE_ReduceOp(KN_PUT) OP_TABLE_Activation(KN_PUT) OP_TABLE_FillMode(KN_PUT)
#undef KN_PUT
  return obj;
}

// A worker_thread's environment going away frees its pool and primitives (the thread's own).
void release_environment(void*) {
  clear_cache();
  release_pool();
}

napi_value init(napi_env env, napi_value exports) {
  napi_add_env_cleanup_hook(env, release_environment, nullptr);
  export_function(env, exports, "setNumThreads", js_set_num_threads);
  export_function(env, exports, "getNumThreads", js_get_num_threads);
  export_function(env, exports, "info", js_info);
  export_function(env, exports, "memory", js_memory);
  export_function(env, exports, "releaseMemory", js_release_memory);
  export_function(env, exports, "opTable", js_op_table);
  register_matmul(env, exports);
  register_conv(env, exports);
  register_pool(env, exports);
  register_elementwise(env, exports);
  register_reduce(env, exports);
  register_train(env, exports);
  register_reverse(env, exports);
  register_fallback_ops(env, exports);
  register_resize(env, exports);
  register_image_sample(env, exports);
  register_pad(env, exports);
  register_segment_sum(env, exports);
  register_batch_norm(env, exports);
  register_image_codec(env, exports);
  register_rnn(env, exports);
  register_capture(env, exports);
  register_train_optimizers(env, exports);
  register_layer_norm(env, exports);
  register_attention(env, exports);
  register_dropout(env, exports);
  register_attention_core(env, exports);
  return exports;
}

}  // namespace
}  // namespace kn

NAPI_MODULE(NODE_GYP_MODULE_NAME, kn::init)
