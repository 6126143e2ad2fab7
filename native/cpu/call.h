// Reading and checking a JavaScript call's arguments. Every exported function receives a Call;
// any bad argument throws kn::Error with a message naming the function, the argument, what was
// given and what is expected, and the trampoline turns it into a JavaScript TypeError/RangeError.
#pragma once
#define NAPI_VERSION 8
#include <node_api.h>

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace kn {

struct Error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

enum class DType { F32, I32, U8 };

const char* dtype_name(DType t);

// A typed array's memory: always one contiguous block (a view into an ArrayBuffer).
struct Array {
  void* data = nullptr;
  int64_t length = 0;
  DType dtype = DType::F32;
  float* f32() const { return static_cast<float*>(data); }
  int32_t* i32() const { return static_cast<int32_t*>(data); }
  uint8_t* u8() const { return static_cast<uint8_t*>(data); }
};

// One argument already read from JavaScript (the capture runner's resolved programs, capture.cc):
// a Call over Values runs an entry point's body without N-API, with the same checks.
struct Value {
  enum class Kind : uint8_t { Null, Bool, Number, Ints, Typed, F64 };
  Kind kind = Kind::Null;
  double number = 0;          // Number; Bool as 0 or 1
  Array array;                // Typed
  const double* f64 = nullptr;  // F64, with f64_length numbers
  int64_t f64_length = 0;
  std::vector<double> ints;   // Ints (a plain array of numbers)
};

// The largest element count a tensor may have here: indices and oneDNN dims stay in 32 bits.
constexpr int64_t kMaxElements = 2147483647LL;

// The product of dims, refused with a clear error if it passes kMaxElements.
int64_t checked_size(const std::vector<int64_t>& dims, const char* fn, const char* what);

class Call {
 public:
  Call(napi_env env, napi_callback_info info, const char* fn);
  // Over arguments read already (no N-API calls but the body's returned undefined).
  Call(napi_env env, const char* fn, const Value* values, size_t count);

  size_t count() const { return argc_; }
  const char* fn() const { return fn_; }
  napi_env env() const { return env_; }

  // A typed array (Float32Array, Int32Array or Uint8Array) with exactly `length` elements
  // (any length if length < 0).
  Array array(size_t i, const char* name, int64_t length = -1);
  // The same, restricted to one element type.
  float* f32(size_t i, const char* name, int64_t length = -1);
  int32_t* i32(size_t i, const char* name, int64_t length = -1);
  uint8_t* u8(size_t i, const char* name, int64_t length = -1);
  // A typed array or null/undefined (then nullptr).
  float* optional_f32(size_t i, const char* name, int64_t length = -1);

  int64_t integer(size_t i, const char* name, int64_t lo, int64_t hi);
  double number(size_t i, const char* name);
  bool flag(size_t i, const char* name);
  // A JavaScript array of integers, each in [lo, hi], with between min_len and max_len entries.
  std::vector<int64_t> ints(size_t i, const char* name, size_t min_len, size_t max_len, int64_t lo, int64_t hi);
  // A Float64Array of exactly `length` numbers.
  const double* f64(size_t i, const char* name, int64_t length);

  [[noreturn]] void fail(const std::string& message) const;
  // The JavaScript value itself (N-API calls only: not in a Call over Values).
  napi_value js(size_t i, const char* name) const { return arg(i, name); }

 private:
  napi_value arg(size_t i, const char* name) const;
  const Value& value(size_t i, const char* name) const;
  Array array_of(size_t i, const char* name);
  std::vector<int64_t> ints_of_value(size_t i, const char* name, size_t min_len, size_t max_len, int64_t lo, int64_t hi);
  napi_env env_;
  const char* fn_;
  size_t argc_ = 16;
  napi_value argv_[16];
  const Value* values_ = nullptr;
};

// Registers `body` as exports[name]; a thrown kn::Error (or any std::exception, e.g. from oneDNN)
// becomes a JavaScript exception, never a crash.
using Body = napi_value (*)(Call&);
void export_function(napi_env env, napi_value exports, const char* name, Body body);
// The body exported under `name` (nullptr if none): what the capture runner calls.
Body exported_body(const std::string& name);

napi_value undefined(napi_env env);
napi_value number(napi_env env, double v);

}  // namespace kn
