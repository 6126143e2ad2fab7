// keras-ts CUDA addon: device memory, copies and the kernels the 'cuda' backend runs natively.
// N-API (C API, ABI-stable), CUDA runtime linked statically, cuBLAS opened at run time with dlopen
// (libcublas.so.13 or .12), so the addon builds where the toolkit has no cuBLAS and loads where
// there is no GPU (init() then reports why).
#include <node_api.h>
#include <cuda_runtime.h>
#include <dlfcn.h>
#include <stdint.h>
#include <string.h>
#include <stdio.h>

// BinaryOp, UnaryOp and ReduceOp: generated from src/backend/op_table.ts, shared with the TypeScript side.
#include "../common/op_table.h"

#define MAX_RANK 6

static cudaStream_t g_stream = nullptr;
static bool g_ready = false;
static char g_error[512] = "";

// ---- cuBLAS through dlopen: the few prototypes used ----
typedef int (*cublasCreate_t)(void**);
typedef int (*cublasSetStream_t)(void*, cudaStream_t);
typedef int (*cublasSgemmStridedBatched_t)(void*, int, int, int, int, int, const float*, const float*, int, long long,
                                            const float*, int, long long, const float*, float*, int, long long, int);
static void* g_cublas = nullptr;
static cublasSgemmStridedBatched_t g_sgemm = nullptr;

static bool load_cublas(char* why, size_t n) {
  const char* names[] = {"libcublas.so.13", "libcublas.so.12", "libcublas.so"};
  void* lib = nullptr;
  for (const char* name : names) {
    lib = dlopen(name, RTLD_NOW | RTLD_LOCAL);
    if (lib) break;
  }
  if (!lib) { snprintf(why, n, "cuBLAS not found (libcublas.so.13 or .12): %s", dlerror()); return false; }
  auto create = (cublasCreate_t)dlsym(lib, "cublasCreate_v2");
  auto set_stream = (cublasSetStream_t)dlsym(lib, "cublasSetStream_v2");
  g_sgemm = (cublasSgemmStridedBatched_t)dlsym(lib, "cublasSgemmStridedBatched");
  if (!create || !set_stream || !g_sgemm) { snprintf(why, n, "cuBLAS lacks cublasCreate_v2/cublasSgemmStridedBatched"); return false; }
  if (create(&g_cublas) != 0) { snprintf(why, n, "cublasCreate failed"); return false; }
  set_stream(g_cublas, g_stream);
  return true;
}

// ---- N-API helpers ----
static napi_value str(napi_env env, const char* s) { napi_value v; napi_create_string_utf8(env, s, NAPI_AUTO_LENGTH, &v); return v; }
static napi_value num(napi_env env, double d) { napi_value v; napi_create_double(env, d, &v); return v; }
static napi_value undef(napi_env env) { napi_value v; napi_get_undefined(env, &v); return v; }
static int64_t arg_i64(napi_env env, napi_value v) { int64_t r = 0; napi_get_value_int64(env, v, &r); return r; }
static double arg_f64(napi_env env, napi_value v) { double r = 0; napi_get_value_double(env, v, &r); return r; }
static void* arg_ptr(napi_env env, napi_value v) { return (void*)(uintptr_t)arg_i64(env, v); }
static void* typed_data(napi_env env, napi_value v, size_t* bytes) {
  napi_typedarray_type type; size_t length; void* data; napi_value buffer; size_t offset;
  napi_get_typedarray_info(env, v, &type, &length, &data, &buffer, &offset);
  size_t elem = (type == napi_float32_array || type == napi_int32_array || type == napi_uint32_array) ? 4 : (type == napi_float64_array ? 8 : 1);
  *bytes = length * elem;
  return data;
}
static int arg_ints(napi_env env, napi_value arr, int* out, int max) {
  uint32_t n = 0; napi_get_array_length(env, arr, &n);
  for (uint32_t i = 0; i < n && (int)i < max; i++) { napi_value e; napi_get_element(env, arr, i, &e); int32_t x; napi_get_value_int32(env, e, &x); out[i] = x; }
  return (int)n;
}
static bool check(napi_env env, cudaError_t e, const char* what) {
  if (e == cudaSuccess) return true;
  char msg[256]; snprintf(msg, sizeof msg, "%s: %s", what, cudaGetErrorString(e));
  napi_throw_error(env, nullptr, msg);
  return false;
}
static bool launched(napi_env env, const char* what) { return check(env, cudaGetLastError(), what); }

// ---- device info, memory, copies ----
// GPUs are the ordinals the CUDA runtime shows: it applies CUDA_VISIBLE_DEVICES itself, so device 0
// is the first visible one. One process computes on one GPU, chosen by its first successful init().
static int g_device = -1;

static napi_value device_object(napi_env env, int device) {
  napi_value o; napi_create_object(env, &o);
  cudaDeviceProp p;
  if (cudaGetDeviceProperties(&p, device) != cudaSuccess) {
    napi_set_named_property(env, o, "name", str(env, "(properties unavailable)"));
    return o;
  }
  napi_set_named_property(env, o, "name", str(env, p.name));
  napi_set_named_property(env, o, "computeCapability", num(env, p.major * 10 + p.minor));
  napi_set_named_property(env, o, "memoryBytes", num(env, (double)p.totalGlobalMem));
  return o;
}

// devices() -> {ok, error?, devices: [{name, computeCapability, memoryBytes}]}: counts the GPUs and
// reads their properties (device queries, which need no context); sets no device, creates no
// stream and allocates nothing.
static napi_value Devices(napi_env env, napi_callback_info) {
  napi_value result, list; napi_create_object(env, &result); napi_create_array(env, &list);
  int count = 0;
  cudaError_t e = cudaGetDeviceCount(&count);
  if (e != cudaSuccess) count = 0;
  for (int i = 0; i < count; i++) napi_set_element(env, list, (uint32_t)i, device_object(env, i));
  napi_value ok; napi_get_boolean(env, e == cudaSuccess, &ok);
  napi_set_named_property(env, result, "ok", ok);
  if (e != cudaSuccess) napi_set_named_property(env, result, "error", str(env, cudaGetErrorString(e)));
  napi_set_named_property(env, result, "devices", list);
  return result;
}

// init(device = 0) -> {ok, error?, device?, computeCapability?, memoryBytes?, index?}: selects the
// GPU (cudaSetDevice, current for the calling thread: the JavaScript thread that makes every later
// call), creates the stream and cuBLAS. After a successful init, asking for another device fails: the stream, the pool
// and every pointer belong to the first.
static napi_value Init(napi_env env, napi_callback_info info) {
  size_t argc = 1; napi_value a[1]; napi_get_cb_info(env, info, &argc, a, nullptr, nullptr);
  int want = 0;
  napi_valuetype type = napi_undefined;
  if (argc >= 1) napi_typeof(env, a[0], &type);
  if (type == napi_number) want = (int)arg_i64(env, a[0]);
  napi_value result; napi_create_object(env, &result);
  char busy[128] = "";
  if (g_ready && want != g_device) snprintf(busy, sizeof busy, "the addon already runs on CUDA device %d", g_device);
  if (!g_ready) {
    int count = 0;
    cudaError_t e = cudaGetDeviceCount(&count);
    if (e != cudaSuccess) snprintf(g_error, sizeof g_error, "%s", cudaGetErrorString(e));
    else if (count == 0) snprintf(g_error, sizeof g_error, "no CUDA device found");
    else if (want < 0 || want >= count) snprintf(g_error, sizeof g_error, "no CUDA device %d (%d present)", want, count);
    else if ((e = cudaSetDevice(want)) != cudaSuccess) snprintf(g_error, sizeof g_error, "%s", cudaGetErrorString(e));
    else if ((e = cudaStreamCreateWithFlags(&g_stream, cudaStreamNonBlocking)) != cudaSuccess) snprintf(g_error, sizeof g_error, "%s", cudaGetErrorString(e));
    else {
      cudaMemPool_t pool; cudaDeviceGetDefaultMemPool(&pool, want);
      uint64_t keep = UINT64_MAX; cudaMemPoolSetAttribute(pool, cudaMemPoolAttrReleaseThreshold, &keep);
      char why[256] = "";
      if (!load_cublas(why, sizeof why)) snprintf(g_error, sizeof g_error, "%s", why);
      else { g_ready = true; g_device = want; }
    }
  }
  bool ok = g_ready && busy[0] == 0;
  napi_set_named_property(env, result, "ok", [&] { napi_value b; napi_get_boolean(env, ok, &b); return b; }());
  if (!ok) napi_set_named_property(env, result, "error", str(env, busy[0] ? busy : g_error));
  else {
    cudaDeviceProp p; cudaGetDeviceProperties(&p, g_device);
    napi_set_named_property(env, result, "device", str(env, p.name));
    napi_set_named_property(env, result, "computeCapability", num(env, p.major * 10 + p.minor));
    napi_set_named_property(env, result, "memoryBytes", num(env, (double)p.totalGlobalMem));
    napi_set_named_property(env, result, "index", num(env, g_device));
  }
  return result;
}

static napi_value Alloc(napi_env env, napi_callback_info info) {
  size_t argc = 1; napi_value a[1]; napi_get_cb_info(env, info, &argc, a, nullptr, nullptr);
  size_t bytes = (size_t)arg_i64(env, a[0]);
  void* p = nullptr;
  if (!check(env, cudaMallocAsync(&p, bytes < 4 ? 4 : bytes, g_stream), "cudaMallocAsync")) return nullptr;
  return num(env, (double)(uintptr_t)p);
}

static napi_value Free(napi_env env, napi_callback_info info) {
  size_t argc = 1; napi_value a[1]; napi_get_cb_info(env, info, &argc, a, nullptr, nullptr);
  check(env, cudaFreeAsync(arg_ptr(env, a[0]), g_stream), "cudaFreeAsync");
  return undef(env);
}

static napi_value Upload(napi_env env, napi_callback_info info) {
  size_t argc = 2; napi_value a[2]; napi_get_cb_info(env, info, &argc, a, nullptr, nullptr);
  size_t bytes; void* host = typed_data(env, a[1], &bytes);
  // From pageable memory, cudaMemcpyAsync returns once the data is staged, so the caller may reuse
  // the buffer at once, and the GPU work queued before keeps running (no stream synchronization).
  check(env, cudaMemcpyAsync(arg_ptr(env, a[0]), host, bytes, cudaMemcpyHostToDevice, g_stream), "upload");
  return undef(env);
}

static napi_value Download(napi_env env, napi_callback_info info) {
  size_t argc = 2; napi_value a[2]; napi_get_cb_info(env, info, &argc, a, nullptr, nullptr);
  size_t bytes; void* host = typed_data(env, a[1], &bytes);
  if (!check(env, cudaMemcpyAsync(host, arg_ptr(env, a[0]), bytes, cudaMemcpyDeviceToHost, g_stream), "download")) return nullptr;
  check(env, cudaStreamSynchronize(g_stream), "download sync");
  return undef(env);
}

static napi_value Copy(napi_env env, napi_callback_info info) {
  size_t argc = 3; napi_value a[3]; napi_get_cb_info(env, info, &argc, a, nullptr, nullptr);
  check(env, cudaMemcpyAsync(arg_ptr(env, a[0]), arg_ptr(env, a[1]), (size_t)arg_i64(env, a[2]), cudaMemcpyDeviceToDevice, g_stream), "copy");
  return undef(env);
}

// ---- events (timing) and asynchronous reads through pinned staging memory ----
struct PendingRead { void* pinned; size_t bytes; cudaEvent_t done; };

// eventRecord() -> handle of an event recorded on the stream now.
static napi_value EventRecord(napi_env env, napi_callback_info) {
  cudaEvent_t e;
  if (!check(env, cudaEventCreate(&e), "cudaEventCreate")) return nullptr;
  check(env, cudaEventRecord(e, g_stream), "cudaEventRecord");
  return num(env, (double)(uintptr_t)e);
}

// eventElapsed(start, end) -> milliseconds between two recorded events (waits for the end event); frees both.
static napi_value EventElapsed(napi_env env, napi_callback_info info) {
  size_t argc = 2; napi_value a[2]; napi_get_cb_info(env, info, &argc, a, nullptr, nullptr);
  cudaEvent_t start = (cudaEvent_t)arg_ptr(env, a[0]), end = (cudaEvent_t)arg_ptr(env, a[1]);
  float ms = 0;
  if (check(env, cudaEventSynchronize(end), "cudaEventSynchronize")) check(env, cudaEventElapsedTime(&ms, start, end), "cudaEventElapsedTime");
  cudaEventDestroy(start); cudaEventDestroy(end);
  return num(env, ms);
}

// readStart(ptr, bytes) -> handle: a copy into pinned host memory, queued on the stream.
static napi_value ReadStart(napi_env env, napi_callback_info info) {
  size_t argc = 2; napi_value a[2]; napi_get_cb_info(env, info, &argc, a, nullptr, nullptr);
  PendingRead* r = new PendingRead();
  r->bytes = (size_t)arg_i64(env, a[1]);
  if (!check(env, cudaMallocHost(&r->pinned, r->bytes < 4 ? 4 : r->bytes), "cudaMallocHost")) { delete r; return nullptr; }
  cudaMemcpyAsync(r->pinned, arg_ptr(env, a[0]), r->bytes, cudaMemcpyDeviceToHost, g_stream);
  cudaEventCreateWithFlags(&r->done, cudaEventDisableTiming);
  cudaEventRecord(r->done, g_stream);
  return num(env, (double)(uintptr_t)r);
}

// readPoll(handle) -> whether the copy has finished (never blocks).
static napi_value ReadPoll(napi_env env, napi_callback_info info) {
  size_t argc = 1; napi_value a[1]; napi_get_cb_info(env, info, &argc, a, nullptr, nullptr);
  PendingRead* r = (PendingRead*)arg_ptr(env, a[0]);
  napi_value b; napi_get_boolean(env, cudaEventQuery(r->done) == cudaSuccess, &b);
  return b;
}

// readFinish(handle, out): copies the staged bytes into `out` and frees the staging memory.
static napi_value ReadFinish(napi_env env, napi_callback_info info) {
  size_t argc = 2; napi_value a[2]; napi_get_cb_info(env, info, &argc, a, nullptr, nullptr);
  PendingRead* r = (PendingRead*)arg_ptr(env, a[0]);
  size_t bytes; void* host = typed_data(env, a[1], &bytes);
  cudaEventSynchronize(r->done);
  memcpy(host, r->pinned, bytes < r->bytes ? bytes : r->bytes);
  cudaFreeHost(r->pinned); cudaEventDestroy(r->done); delete r;
  return undef(env);
}

static napi_value Sync(napi_env env, napi_callback_info) {
  check(env, cudaStreamSynchronize(g_stream), "synchronize");
  return undef(env);
}

static napi_value MemoryUsed(napi_env env, napi_callback_info) {
  cudaMemPool_t pool; cudaDeviceGetDefaultMemPool(&pool, g_device < 0 ? 0 : g_device);
  uint64_t used = 0; cudaMemPoolGetAttribute(pool, cudaMemPoolAttrUsedMemCurrent, &used);
  return num(env, (double)used);
}

// ---- kernels ----
struct Strides { int rank; int shape[MAX_RANK]; int a[MAX_RANK]; int b[MAX_RANK]; };

__device__ __forceinline__ float apply_binary(int op, float x, float y) {
  switch (op) {
    case ADD: return x + y;
    case SUB: return x - y;
    case MUL: return x * y;
    case DIV: return x / y;
    case MAXIMUM: return fmaxf(x, y);
    case MINIMUM: return fminf(x, y);
    case POW: return powf(x, y);
    case SQDIFF: { float d = x - y; return d * d; }
    case EQUAL: return x == y ? 1.f : 0.f;
    case GREATER: return x > y ? 1.f : 0.f;
    case GREATER_EQUAL: return x >= y ? 1.f : 0.f;
    case LESS: return x < y ? 1.f : 0.f;
    default: return x <= y ? 1.f : 0.f;
  }
}

// Full broadcasting: each output index is decomposed with the output shape; a and b use strides
// that are 0 on broadcast axes.
__global__ void binary_kernel(int op, const float* a, const float* b, float* out, int n, Strides s) {
  for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += gridDim.x * blockDim.x) {
    int rem = i, ia = 0, ib = 0;
    for (int d = s.rank - 1; d >= 0; d--) {
      int c = rem % s.shape[d]; rem /= s.shape[d];
      ia += c * s.a[d]; ib += c * s.b[d];
    }
    out[i] = apply_binary(op, a[ia], b[ib]);
  }
}

__global__ void unary_kernel(int op, const float* x, float* out, int n, float alpha) {
  for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += gridDim.x * blockDim.x) {
    float v = x[i], r;
    switch (op) {
      case NEG: r = -v; break;
      case EXP: r = expf(v); break;
      case LOG: r = logf(v); break;
      case SQRT: r = sqrtf(v); break;
      case SQUARE: r = v * v; break;
      case ABS: r = fabsf(v); break;
      case SIGMOID: r = 1.f / (1.f + expf(-v)); break;
      case RELU: r = v > 0.f ? v : 0.f; break;
      case TANH: r = tanhf(v); break;
      case STEP: r = v > 0.f ? 1.f : (isnan(v) ? v : alpha); break;
      case RSQRT: r = rsqrtf(v); break;
      case RECIPROCAL: r = 1.f / v; break;
      case LOG1P: r = log1pf(v); break;
      case RELU6: r = fminf(fmaxf(v, 0.f), 6.f); break;
      case ELU: r = v > 0.f ? v : expm1f(v); break;
      case SOFTPLUS: r = v > 20.f ? v : log1pf(expf(v)); break;
      default: r = (float)((v > 0.f) - (v < 0.f)); break;
    }
    out[i] = r;
  }
}

__global__ void clip_kernel(const float* x, float* out, int n, float lo, float hi) {
  for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += gridDim.x * blockDim.x) out[i] = fminf(fmaxf(x[i], lo), hi);
}

__global__ void select_kernel(const float* cond, const float* a, const float* b, float* out, int n) {
  for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += gridDim.x * blockDim.x) out[i] = cond[i] != 0.f ? a[i] : b[i];
}

__global__ void cast_i32_f32(const int* x, float* out, int n) {
  for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += gridDim.x * blockDim.x) out[i] = (float)x[i];
}
__global__ void cast_f32_i32(const float* x, int* out, int n) {
  for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += gridDim.x * blockDim.x) out[i] = (int)x[i];
}
__global__ void fill_kernel(float* out, int n, float v) {
  for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += gridDim.x * blockDim.x) out[i] = v;
}

// Reductions over the last axis of a [outer, size] view: one block per row.
__global__ void reduce_kernel(int op, const float* x, float* out, int outer, int size) {
  extern __shared__ float sh[];
  int row = blockIdx.x;
  if (row >= outer) return;
  const float* p = x + (size_t)row * size;
  float acc = (op == R_MAX) ? -INFINITY : (op == R_MIN) ? INFINITY : (op == R_PROD ? 1.f : 0.f);
  for (int j = threadIdx.x; j < size; j += blockDim.x) {
    float v = p[j];
    acc = (op == R_MAX) ? fmaxf(acc, v) : (op == R_MIN) ? fminf(acc, v) : (op == R_PROD ? acc * v : acc + v);
  }
  sh[threadIdx.x] = acc;
  __syncthreads();
  for (int s = blockDim.x / 2; s > 0; s >>= 1) {
    if (threadIdx.x < s) {
      float o = sh[threadIdx.x + s], v = sh[threadIdx.x];
      sh[threadIdx.x] = (op == R_MAX) ? fmaxf(v, o) : (op == R_MIN) ? fminf(v, o) : (op == R_PROD ? v * o : v + o);
    }
    __syncthreads();
  }
  if (threadIdx.x == 0) out[row] = op == R_MEAN ? sh[0] / size : sh[0];
}

__global__ void argmax_kernel(const float* x, int* out, int outer, int size) {
  int row = blockIdx.x * blockDim.x + threadIdx.x;
  if (row >= outer) return;
  const float* p = x + (size_t)row * size;
  int best = 0; float bv = p[0];
  for (int j = 1; j < size; j++) if (p[j] > bv) { bv = p[j]; best = j; }
  out[row] = best;
}

__global__ void softmax_kernel(const float* x, float* out, int outer, int size) {
  int row = blockIdx.x * blockDim.x + threadIdx.x;
  if (row >= outer) return;
  const float* p = x + (size_t)row * size;
  float* q = out + (size_t)row * size;
  float m = -INFINITY;
  for (int j = 0; j < size; j++) m = fmaxf(m, p[j]);
  float s = 0.f;
  for (int j = 0; j < size; j++) { float e = expf(p[j] - m); q[j] = e; s += e; }
  for (int j = 0; j < size; j++) q[j] /= s;
}

// out[i] = x[source index]: transpose (perm) by output coordinates and input strides.
__global__ void transpose_kernel(const float* x, float* out, int n, Strides s) {
  for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += gridDim.x * blockDim.x) {
    int rem = i, src = 0;
    for (int d = s.rank - 1; d >= 0; d--) { int c = rem % s.shape[d]; rem /= s.shape[d]; src += c * s.a[d]; }
    out[i] = x[src];
  }
}

__global__ void onehot_kernel(const int* idx, float* out, int n, int depth, float on, float off) {
  for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < n * depth; i += gridDim.x * blockDim.x) {
    out[i] = (idx[i / depth] == i % depth) ? on : off;
  }
}

static int blocks(int n) { int b = (n + 255) / 256; return b > 4096 ? 4096 : (b < 1 ? 1 : b); }

static Strides read_strides(napi_env env, napi_value shape, napi_value sa, napi_value sb) {
  Strides s; memset(&s, 0, sizeof s);
  s.rank = arg_ints(env, shape, s.shape, MAX_RANK);
  arg_ints(env, sa, s.a, MAX_RANK);
  if (sb) arg_ints(env, sb, s.b, MAX_RANK);
  return s;
}

// binary(op, a, b, out, n, outShape, aStrides, bStrides)
static napi_value Binary(napi_env env, napi_callback_info info) {
  size_t argc = 8; napi_value a[8]; napi_get_cb_info(env, info, &argc, a, nullptr, nullptr);
  int n = (int)arg_i64(env, a[4]);
  Strides s = read_strides(env, a[5], a[6], a[7]);
  binary_kernel<<<blocks(n), 256, 0, g_stream>>>((int)arg_i64(env, a[0]), (const float*)arg_ptr(env, a[1]), (const float*)arg_ptr(env, a[2]),
                                                (float*)arg_ptr(env, a[3]), n, s);
  launched(env, "binary");
  return undef(env);
}

// unary(op, x, out, n, alpha)
static napi_value Unary(napi_env env, napi_callback_info info) {
  size_t argc = 5; napi_value a[5]; napi_get_cb_info(env, info, &argc, a, nullptr, nullptr);
  int n = (int)arg_i64(env, a[3]);
  unary_kernel<<<blocks(n), 256, 0, g_stream>>>((int)arg_i64(env, a[0]), (const float*)arg_ptr(env, a[1]), (float*)arg_ptr(env, a[2]), n,
                                               argc > 4 ? (float)arg_f64(env, a[4]) : 0.f);
  launched(env, "unary");
  return undef(env);
}

static napi_value Clip(napi_env env, napi_callback_info info) {
  size_t argc = 5; napi_value a[5]; napi_get_cb_info(env, info, &argc, a, nullptr, nullptr);
  int n = (int)arg_i64(env, a[2]);
  clip_kernel<<<blocks(n), 256, 0, g_stream>>>((const float*)arg_ptr(env, a[0]), (float*)arg_ptr(env, a[1]), n, (float)arg_f64(env, a[3]), (float)arg_f64(env, a[4]));
  launched(env, "clip");
  return undef(env);
}

static napi_value Select(napi_env env, napi_callback_info info) {
  size_t argc = 5; napi_value a[5]; napi_get_cb_info(env, info, &argc, a, nullptr, nullptr);
  int n = (int)arg_i64(env, a[4]);
  select_kernel<<<blocks(n), 256, 0, g_stream>>>((const float*)arg_ptr(env, a[0]), (const float*)arg_ptr(env, a[1]), (const float*)arg_ptr(env, a[2]),
                                                (float*)arg_ptr(env, a[3]), n);
  launched(env, "select");
  return undef(env);
}

// cast(x, out, n, toInt)
static napi_value Cast(napi_env env, napi_callback_info info) {
  size_t argc = 4; napi_value a[4]; napi_get_cb_info(env, info, &argc, a, nullptr, nullptr);
  int n = (int)arg_i64(env, a[2]);
  bool to_int = arg_i64(env, a[3]) != 0;
  if (to_int) cast_f32_i32<<<blocks(n), 256, 0, g_stream>>>((const float*)arg_ptr(env, a[0]), (int*)arg_ptr(env, a[1]), n);
  else cast_i32_f32<<<blocks(n), 256, 0, g_stream>>>((const int*)arg_ptr(env, a[0]), (float*)arg_ptr(env, a[1]), n);
  launched(env, "cast");
  return undef(env);
}

static napi_value Fill(napi_env env, napi_callback_info info) {
  size_t argc = 3; napi_value a[3]; napi_get_cb_info(env, info, &argc, a, nullptr, nullptr);
  int n = (int)arg_i64(env, a[1]);
  fill_kernel<<<blocks(n), 256, 0, g_stream>>>((float*)arg_ptr(env, a[0]), n, (float)arg_f64(env, a[2]));
  launched(env, "fill");
  return undef(env);
}

// reduce(op, x, out, outer, size)
static napi_value Reduce(napi_env env, napi_callback_info info) {
  size_t argc = 5; napi_value a[5]; napi_get_cb_info(env, info, &argc, a, nullptr, nullptr);
  int outer = (int)arg_i64(env, a[3]), size = (int)arg_i64(env, a[4]);
  int threads = size >= 256 ? 256 : (size >= 64 ? 64 : 32);
  reduce_kernel<<<outer, threads, threads * sizeof(float), g_stream>>>((int)arg_i64(env, a[0]), (const float*)arg_ptr(env, a[1]), (float*)arg_ptr(env, a[2]), outer, size);
  launched(env, "reduce");
  return undef(env);
}

static napi_value ArgMax(napi_env env, napi_callback_info info) {
  size_t argc = 4; napi_value a[4]; napi_get_cb_info(env, info, &argc, a, nullptr, nullptr);
  int outer = (int)arg_i64(env, a[2]), size = (int)arg_i64(env, a[3]);
  argmax_kernel<<<(outer + 127) / 128, 128, 0, g_stream>>>((const float*)arg_ptr(env, a[0]), (int*)arg_ptr(env, a[1]), outer, size);
  launched(env, "argmax");
  return undef(env);
}

static napi_value Softmax(napi_env env, napi_callback_info info) {
  size_t argc = 4; napi_value a[4]; napi_get_cb_info(env, info, &argc, a, nullptr, nullptr);
  int outer = (int)arg_i64(env, a[2]), size = (int)arg_i64(env, a[3]);
  softmax_kernel<<<(outer + 127) / 128, 128, 0, g_stream>>>((const float*)arg_ptr(env, a[0]), (float*)arg_ptr(env, a[1]), outer, size);
  launched(env, "softmax");
  return undef(env);
}

// transpose(x, out, n, outShape, inStridesByOutAxis)
static napi_value Transpose(napi_env env, napi_callback_info info) {
  size_t argc = 5; napi_value a[5]; napi_get_cb_info(env, info, &argc, a, nullptr, nullptr);
  int n = (int)arg_i64(env, a[2]);
  Strides s = read_strides(env, a[3], a[4], nullptr);
  transpose_kernel<<<blocks(n), 256, 0, g_stream>>>((const float*)arg_ptr(env, a[0]), (float*)arg_ptr(env, a[1]), n, s);
  launched(env, "transpose");
  return undef(env);
}

static napi_value OneHot(napi_env env, napi_callback_info info) {
  size_t argc = 6; napi_value a[6]; napi_get_cb_info(env, info, &argc, a, nullptr, nullptr);
  int n = (int)arg_i64(env, a[2]), depth = (int)arg_i64(env, a[3]);
  onehot_kernel<<<blocks(n * depth), 256, 0, g_stream>>>((const int*)arg_ptr(env, a[0]), (float*)arg_ptr(env, a[1]), n, depth, (float)arg_f64(env, a[4]), (float)arg_f64(env, a[5]));
  launched(env, "onehot");
  return undef(env);
}

// matmul(a, b, out, batch, m, n, k, transA, transB, batchStrideA, batchStrideB): row-major C = op(A)·op(B),
// computed by cuBLAS (column-major) as Cᵀ = op(B)ᵀ·op(A)ᵀ.
static napi_value MatMul(napi_env env, napi_callback_info info) {
  size_t argc = 11; napi_value a[11]; napi_get_cb_info(env, info, &argc, a, nullptr, nullptr);
  const float* A = (const float*)arg_ptr(env, a[0]);
  const float* B = (const float*)arg_ptr(env, a[1]);
  float* C = (float*)arg_ptr(env, a[2]);
  int batch = (int)arg_i64(env, a[3]), m = (int)arg_i64(env, a[4]), n = (int)arg_i64(env, a[5]), k = (int)arg_i64(env, a[6]);
  bool ta = arg_i64(env, a[7]) != 0, tb = arg_i64(env, a[8]) != 0;
  long long sa = arg_i64(env, a[9]), sb = arg_i64(env, a[10]);
  const float one = 1.f, zero = 0.f;
  // Row-major A (m×k, or k×m when transposed) is column-major Aᵀ with leading dimension = its row length.
  int lda = ta ? m : k, ldb = tb ? k : n;
  int status = g_sgemm(g_cublas, tb ? 1 : 0, ta ? 1 : 0, n, m, k, &one, B, ldb, sb, A, lda, sa, &zero, C, n, (long long)m * n, batch);
  if (status != 0) { char msg[64]; snprintf(msg, sizeof msg, "cublasSgemmStridedBatched failed: %d", status); napi_throw_error(env, nullptr, msg); }
  return undef(env);
}


// out[i, :] = x[idx[i], :] for rows of `row` 4-byte values (float32 or int32 alike).
__global__ void gather_rows_kernel(const float* x, const int* idx, float* out, long long total, int row) {
  for (long long i = blockIdx.x * (long long)blockDim.x + threadIdx.x; i < total; i += (long long)gridDim.x * blockDim.x) {
    long long r = i / row; int c = (int)(i % row);
    out[i] = x[(long long)idx[r] * row + c];
  }
}

// gatherRows(x, indices, out, count, rowSize)
static napi_value GatherRows(napi_env env, napi_callback_info info) {
  size_t argc = 5; napi_value a[5]; napi_get_cb_info(env, info, &argc, a, nullptr, nullptr);
  long long count = arg_i64(env, a[3]), row = arg_i64(env, a[4]);
  long long total = count * row;
  long long b = (total + 255) / 256;
  gather_rows_kernel<<<(int)(b > 65535 ? 65535 : (b < 1 ? 1 : b)), 256, 0, g_stream>>>((const float*)arg_ptr(env, a[0]), (const int*)arg_ptr(env, a[1]),
                                                                                 (float*)arg_ptr(env, a[2]), total, (int)row);
  launched(env, "gather rows");
  return undef(env);
}

// ---- convolution (NHWC) as im2col + cuBLAS, and max pooling ----
struct ConvGeom { int n, h, w, c, kh, kw, oh, ow, sh, sw, dh, dw, pt, pl; };

// The input element that patch element i (row = (b, oy, ox), col = (ky, kx, ch)) reads, or -1 in the padding.
__device__ __forceinline__ long long patch_source(long long i, const ConvGeom& g) {
  long long k = (long long)g.kh * g.kw * g.c;
  long long row = i / k; int col = (int)(i % k);
  int ch = col % g.c, kx = (col / g.c) % g.kw, ky = col / (g.c * g.kw);
  int ox = (int)(row % g.ow), oy = (int)((row / g.ow) % g.oh), b = (int)(row / ((long long)g.ow * g.oh));
  int iy = oy * g.sh + ky * g.dh - g.pt, ix = ox * g.sw + kx * g.dw - g.pl;
  return (iy >= 0 && iy < g.h && ix >= 0 && ix < g.w) ? (((long long)b * g.h + iy) * g.w + ix) * g.c + ch : -1;
}

// patches[i] = x[patch_source(i)] (0 in the padding)
__global__ void im2col_kernel(const float* x, float* patches, ConvGeom g) {
  long long total = (long long)g.n * g.oh * g.ow * g.kh * g.kw * g.c;
  for (long long i = blockIdx.x * (long long)blockDim.x + threadIdx.x; i < total; i += (long long)gridDim.x * blockDim.x) {
    long long src = patch_source(i, g);
    patches[i] = src >= 0 ? x[src] : 0.f;
  }
}

// The adjoint of im2col: dx[patch_source(i)] += dpatches[i] (dx zeroed first).
__global__ void col2im_kernel(const float* dpatches, float* dx, ConvGeom g) {
  long long total = (long long)g.n * g.oh * g.ow * g.kh * g.kw * g.c;
  for (long long i = blockIdx.x * (long long)blockDim.x + threadIdx.x; i < total; i += (long long)gridDim.x * blockDim.x) {
    long long src = patch_source(i, g);
    if (src >= 0) atomicAdd(&dx[src], dpatches[i]);
  }
}

static ConvGeom read_geom(napi_env env, napi_value arr) {
  int v[14] = {0}; arg_ints(env, arr, v, 14);
  ConvGeom g = {v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11], v[12], v[13]};
  return g;
}

static int big_blocks(long long n) { long long b = (n + 255) / 256; return (int)(b > 65535 ? 65535 : (b < 1 ? 1 : b)); }

// im2col(x, patches, geom) and col2im(dpatches, dx, geom)
static napi_value Im2Col(napi_env env, napi_callback_info info) {
  size_t argc = 3; napi_value a[3]; napi_get_cb_info(env, info, &argc, a, nullptr, nullptr);
  ConvGeom g = read_geom(env, a[2]);
  im2col_kernel<<<big_blocks((long long)g.n * g.oh * g.ow * g.kh * g.kw * g.c), 256, 0, g_stream>>>((const float*)arg_ptr(env, a[0]), (float*)arg_ptr(env, a[1]), g);
  launched(env, "im2col");
  return undef(env);
}

static napi_value Col2Im(napi_env env, napi_callback_info info) {
  size_t argc = 3; napi_value a[3]; napi_get_cb_info(env, info, &argc, a, nullptr, nullptr);
  ConvGeom g = read_geom(env, a[2]);
  float* dx = (float*)arg_ptr(env, a[1]);
  cudaMemsetAsync(dx, 0, (size_t)g.n * g.h * g.w * g.c * sizeof(float), g_stream);
  col2im_kernel<<<big_blocks((long long)g.n * g.oh * g.ow * g.kh * g.kw * g.c), 256, 0, g_stream>>>((const float*)arg_ptr(env, a[0]), dx, g);
  launched(env, "col2im");
  return undef(env);
}

// Max pooling over windows (padding counts as -inf). The gradient goes to the first maximum of each
// window in row-major order, as tfjs's CPU kernel does.
__device__ __forceinline__ int window_argmax(const float* x, const ConvGeom& g, int b, int oy, int ox, int ch, float* best) {
  int arg = -1; float m = -INFINITY;
  for (int ky = 0; ky < g.kh; ky++) {
    int iy = oy * g.sh + ky * g.dh - g.pt;
    if (iy < 0 || iy >= g.h) continue;
    for (int kx = 0; kx < g.kw; kx++) {
      int ix = ox * g.sw + kx * g.dw - g.pl;
      if (ix < 0 || ix >= g.w) continue;
      int idx = ((b * g.h + iy) * g.w + ix) * g.c + ch;
      if (arg < 0 || x[idx] > m) { m = x[idx]; arg = idx; }
    }
  }
  *best = m;
  return arg;
}

__global__ void maxpool_kernel(const float* x, float* out, ConvGeom g) {
  int total = g.n * g.oh * g.ow * g.c;
  for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < total; i += gridDim.x * blockDim.x) {
    int ch = i % g.c, ox = (i / g.c) % g.ow, oy = (i / (g.c * g.ow)) % g.oh, b = i / (g.c * g.ow * g.oh);
    float m; window_argmax(x, g, b, oy, ox, ch, &m);
    out[i] = m;
  }
}

__global__ void maxpool_grad_kernel(const float* dy, const float* x, float* dx, ConvGeom g) {
  int total = g.n * g.oh * g.ow * g.c;
  for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < total; i += gridDim.x * blockDim.x) {
    int ch = i % g.c, ox = (i / g.c) % g.ow, oy = (i / (g.c * g.ow)) % g.oh, b = i / (g.c * g.ow * g.oh);
    float m; int arg = window_argmax(x, g, b, oy, ox, ch, &m);
    if (arg >= 0) atomicAdd(&dx[arg], dy[i]);
  }
}

static napi_value MaxPool(napi_env env, napi_callback_info info) {
  size_t argc = 3; napi_value a[3]; napi_get_cb_info(env, info, &argc, a, nullptr, nullptr);
  ConvGeom g = read_geom(env, a[2]);
  maxpool_kernel<<<blocks(g.n * g.oh * g.ow * g.c), 256, 0, g_stream>>>((const float*)arg_ptr(env, a[0]), (float*)arg_ptr(env, a[1]), g);
  launched(env, "maxpool");
  return undef(env);
}

// maxPoolGrad(dy, x, dx, geom)
static napi_value MaxPoolGrad(napi_env env, napi_callback_info info) {
  size_t argc = 4; napi_value a[4]; napi_get_cb_info(env, info, &argc, a, nullptr, nullptr);
  ConvGeom g = read_geom(env, a[3]);
  float* dx = (float*)arg_ptr(env, a[2]);
  cudaMemsetAsync(dx, 0, (size_t)g.n * g.h * g.w * g.c * sizeof(float), g_stream);
  maxpool_grad_kernel<<<blocks(g.n * g.oh * g.ow * g.c), 256, 0, g_stream>>>((const float*)arg_ptr(env, a[0]), (const float*)arg_ptr(env, a[1]), dx, g);
  launched(env, "maxpool grad");
  return undef(env);
}

#define FN(name, fn) { name, nullptr, fn, nullptr, nullptr, nullptr, napi_default, nullptr }

static napi_value InitModule(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
    FN("init", Init), FN("devices", Devices), FN("alloc", Alloc), FN("free", Free), FN("upload", Upload), FN("download", Download), FN("copy", Copy),
    FN("sync", Sync), FN("memoryUsed", MemoryUsed), FN("binary", Binary), FN("unary", Unary), FN("clip", Clip), FN("select", Select),
    FN("cast", Cast), FN("fill", Fill), FN("reduce", Reduce), FN("argMax", ArgMax), FN("softmax", Softmax), FN("transpose", Transpose),
    FN("oneHot", OneHot), FN("matMul", MatMul), FN("im2col", Im2Col), FN("col2im", Col2Im), FN("maxPool", MaxPool),
    FN("maxPoolGrad", MaxPoolGrad), FN("gatherRows", GatherRows), FN("eventRecord", EventRecord), FN("eventElapsed", EventElapsed),
    FN("readStart", ReadStart), FN("readPoll", ReadPoll), FN("readFinish", ReadFinish),
  };
  napi_define_properties(env, exports, sizeof props / sizeof props[0], props);
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, InitModule)
