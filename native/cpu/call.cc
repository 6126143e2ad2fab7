#include "call.h"

#include <cmath>
#include <mutex>
#include <new>
#include <unordered_map>

namespace kn {

const char* dtype_name(DType t) {
  switch (t) {
    case DType::F32: return "Float32Array";
    case DType::I32: return "Int32Array";
    default: return "Uint8Array";
  }
}

int64_t checked_size(const std::vector<int64_t>& dims, const char* fn, const char* what) {
  int64_t n = 1;
  for (int64_t d : dims) {
    if (d < 0) throw Error(std::string(fn) + ": " + what + " has a negative dimension " + std::to_string(d) + ".");
    if (d != 0 && n > kMaxElements / d) {
      throw Error(std::string(fn) + ": " + what + " has more than 2^31-1 elements, which overflows the 32-bit sizes used here. " +
                  "help: split the work into smaller tensors (e.g. a smaller batch).");
    }
    n *= d;
  }
  return n;
}

Call::Call(napi_env env, napi_callback_info info, const char* fn) : env_(env), fn_(fn) {
  napi_get_cb_info(env, info, &argc_, argv_, nullptr, nullptr);
}

Call::Call(napi_env env, const char* fn, const Value* values, size_t count) : env_(env), fn_(fn), argc_(count), values_(values) {}

const Value& Call::value(size_t i, const char* name) const {
  if (i >= argc_) fail(std::string("argument ") + std::to_string(i) + " (`" + name + "`) is missing.");
  return values_[i];
}

static std::string describe(const Value& v) {
  switch (v.kind) {
    case Value::Kind::Null: return "null";
    case Value::Kind::Bool: return "a boolean";
    case Value::Kind::Number: return "a number";
    case Value::Kind::Ints: return "a plain Array";
    case Value::Kind::F64: return "a Float64Array of " + std::to_string(v.f64_length) + " elements";
    default: return std::string(dtype_name(v.array.dtype)) + " of " + std::to_string(v.array.length) + " elements";
  }
}

void Call::fail(const std::string& message) const { throw Error(std::string(fn_) + ": " + message); }

napi_value Call::arg(size_t i, const char* name) const {
  if (i >= argc_) fail(std::string("argument ") + std::to_string(i) + " (`" + name + "`) is missing.");
  return argv_[i];
}

static std::string describe(napi_env env, napi_value v) {
  napi_valuetype t;
  napi_typeof(env, v, &t);
  bool is_array = false;
  napi_is_array(env, v, &is_array);
  if (is_array) return "a plain Array";
  bool typed = false;
  napi_is_typedarray(env, v, &typed);
  if (typed) {
    napi_typedarray_type type;
    size_t len;
    napi_get_typedarray_info(env, v, &type, &len, nullptr, nullptr, nullptr);
    const char* names[] = {"Int8Array", "Uint8Array", "Uint8ClampedArray", "Int16Array", "Uint16Array", "Int32Array",
                           "Uint32Array", "Float32Array", "Float64Array", "BigInt64Array", "BigUint64Array"};
    return std::string(type <= 10 ? names[type] : "a typed array") + " of " + std::to_string(len) + " elements";
  }
  switch (t) {
    case napi_undefined: return "undefined";
    case napi_null: return "null";
    case napi_boolean: return "a boolean";
    case napi_number: return "a number";
    case napi_string: return "a string";
    case napi_object: return "an object";
    case napi_function: return "a function";
    default: return "a value of another type";
  }
}

Array Call::array(size_t i, const char* name, int64_t length) {
  Array a;
  if (values_ != nullptr) {
    const Value& v = value(i, name);
    if (v.kind != Value::Kind::Typed) {
      fail(std::string("`") + name + "` must be a Float32Array, Int32Array or Uint8Array (a tensor's contiguous data), got " + describe(v) + ".");
    }
    a = v.array;
  } else {
    a = array_of(i, name);
  }
  if (length >= 0 && a.length != length) {
    fail(std::string("`") + name + "` has " + std::to_string(a.length) + " elements, expected " + std::to_string(length) +
         " for the shapes given.");
  }
  return a;
}

Array Call::array_of(size_t i, const char* name) {
  napi_value v = arg(i, name);
  bool typed = false;
  napi_is_typedarray(env_, v, &typed);
  if (!typed) {
    fail(std::string("`") + name + "` must be a Float32Array, Int32Array or Uint8Array (a tensor's contiguous data), got " +
         describe(env_, v) + ".");
  }
  napi_typedarray_type type;
  size_t len;
  void* data;
  napi_get_typedarray_info(env_, v, &type, &len, &data, nullptr, nullptr);
  Array a;
  a.data = data;
  a.length = static_cast<int64_t>(len);
  if (type == napi_float32_array) a.dtype = DType::F32;
  else if (type == napi_int32_array) a.dtype = DType::I32;
  else if (type == napi_uint8_array) a.dtype = DType::U8;
  else fail(std::string("`") + name + "` must be a Float32Array, Int32Array or Uint8Array, got " + describe(env_, v) + ".");
  if (a.length > kMaxElements) fail(std::string("`") + name + "` has more than 2^31-1 elements. help: use smaller tensors.");
  if (a.length > 0 && a.data == nullptr) fail(std::string("`") + name + "`'s buffer is detached.");
  return a;
}

template <DType T>
static Array typed(Call& c, size_t i, const char* name, int64_t length) {
  Array a = c.array(i, name, length);
  if (a.dtype != T) c.fail(std::string("`") + name + "` must be a " + dtype_name(T) + ", got a " + dtype_name(a.dtype) + ".");
  return a;
}

float* Call::f32(size_t i, const char* name, int64_t length) { return typed<DType::F32>(*this, i, name, length).f32(); }
int32_t* Call::i32(size_t i, const char* name, int64_t length) { return typed<DType::I32>(*this, i, name, length).i32(); }
uint8_t* Call::u8(size_t i, const char* name, int64_t length) { return typed<DType::U8>(*this, i, name, length).u8(); }

float* Call::optional_f32(size_t i, const char* name, int64_t length) {
  if (i >= argc_) return nullptr;
  if (values_ != nullptr) return values_[i].kind == Value::Kind::Null ? nullptr : f32(i, name, length);
  napi_valuetype t;
  napi_typeof(env_, argv_[i], &t);
  if (t == napi_null || t == napi_undefined) return nullptr;
  return f32(i, name, length);
}

double Call::number(size_t i, const char* name) {
  if (values_ != nullptr) {
    const Value& v = value(i, name);
    if (v.kind != Value::Kind::Number) fail(std::string("`") + name + "` must be a number, got " + describe(v) + ".");
    return v.number;
  }
  napi_value v = arg(i, name);
  napi_valuetype t;
  napi_typeof(env_, v, &t);
  if (t != napi_number) fail(std::string("`") + name + "` must be a number, got " + describe(env_, v) + ".");
  double d;
  napi_get_value_double(env_, v, &d);
  return d;
}

int64_t Call::integer(size_t i, const char* name, int64_t lo, int64_t hi) {
  double d = number(i, name);
  if (!std::isfinite(d) || d != std::floor(d) || d < static_cast<double>(lo) || d > static_cast<double>(hi)) {
    fail(std::string("`") + name + "` must be an integer in [" + std::to_string(lo) + ", " + std::to_string(hi) + "], got " +
         std::to_string(d) + ".");
  }
  return static_cast<int64_t>(d);
}

bool Call::flag(size_t i, const char* name) {
  if (values_ != nullptr) {
    const Value& v = value(i, name);
    if (v.kind == Value::Kind::Bool) return v.number != 0;
    return integer(i, name, 0, 1) != 0;
  }
  napi_value v = arg(i, name);
  napi_valuetype t;
  napi_typeof(env_, v, &t);
  if (t == napi_boolean) {
    bool b;
    napi_get_value_bool(env_, v, &b);
    return b;
  }
  return integer(i, name, 0, 1) != 0;
}

std::vector<int64_t> Call::ints(size_t i, const char* name, size_t min_len, size_t max_len, int64_t lo, int64_t hi) {
  if (values_ != nullptr) return ints_of_value(i, name, min_len, max_len, lo, hi);
  napi_value v = arg(i, name);
  bool is_array = false;
  napi_is_array(env_, v, &is_array);
  if (!is_array) fail(std::string("`") + name + "` must be an array of integers, got " + describe(env_, v) + ".");
  uint32_t len;
  napi_get_array_length(env_, v, &len);
  if (len < min_len || len > max_len) {
    fail(std::string("`") + name + "` must have " + std::to_string(min_len) + " to " + std::to_string(max_len) + " entries, got " +
         std::to_string(len) + ".");
  }
  std::vector<int64_t> out(len);
  for (uint32_t k = 0; k < len; k++) {
    napi_value e;
    napi_get_element(env_, v, k, &e);
    napi_valuetype t;
    napi_typeof(env_, e, &t);
    double d = 0;
    if (t == napi_number) napi_get_value_double(env_, e, &d);
    if (t != napi_number || !std::isfinite(d) || d != std::floor(d) || d < static_cast<double>(lo) || d > static_cast<double>(hi)) {
      fail(std::string("`") + name + "[" + std::to_string(k) + "]` must be an integer in [" + std::to_string(lo) + ", " +
           std::to_string(hi) + "].");
    }
    out[k] = static_cast<int64_t>(d);
  }
  return out;
}

std::vector<int64_t> Call::ints_of_value(size_t i, const char* name, size_t min_len, size_t max_len, int64_t lo, int64_t hi) {
  const Value& v = value(i, name);
  if (v.kind != Value::Kind::Ints) fail(std::string("`") + name + "` must be an array of integers, got " + describe(v) + ".");
  const size_t len = v.ints.size();
  if (len < min_len || len > max_len) {
    fail(std::string("`") + name + "` must have " + std::to_string(min_len) + " to " + std::to_string(max_len) + " entries, got " +
         std::to_string(len) + ".");
  }
  std::vector<int64_t> out(len);
  for (size_t k = 0; k < len; k++) {
    const double d = v.ints[k];
    if (!std::isfinite(d) || d != std::floor(d) || d < static_cast<double>(lo) || d > static_cast<double>(hi)) {
      fail(std::string("`") + name + "[" + std::to_string(k) + "]` must be an integer in [" + std::to_string(lo) + ", " +
           std::to_string(hi) + "].");
    }
    out[k] = static_cast<int64_t>(d);
  }
  return out;
}

const double* Call::f64(size_t i, const char* name, int64_t length) {
  if (values_ != nullptr) {
    const Value& v = value(i, name);
    if (v.kind != Value::Kind::F64) fail(std::string("`") + name + "` must be a Float64Array, got " + describe(v) + ".");
    if (v.f64_length != length) {
      fail(std::string("`") + name + "` has " + std::to_string(v.f64_length) + " elements, expected " + std::to_string(length) + " for the shapes given.");
    }
    return v.f64;
  }
  napi_value v = arg(i, name);
  bool typed = false;
  napi_is_typedarray(env_, v, &typed);
  napi_typedarray_type type = napi_int8_array;
  size_t len = 0;
  void* data = nullptr;
  if (typed) napi_get_typedarray_info(env_, v, &type, &len, &data, nullptr, nullptr);
  if (!typed || type != napi_float64_array) fail(std::string("`") + name + "` must be a Float64Array, got " + describe(env_, v) + ".");
  if (static_cast<int64_t>(len) != length) {
    fail(std::string("`") + name + "` has " + std::to_string(len) + " elements, expected " + std::to_string(length) + " for the shapes given.");
  }
  if (len > 0 && data == nullptr) fail(std::string("`") + name + "`'s buffer is detached.");
  return static_cast<const double*>(data);
}

napi_value undefined(napi_env env) {
  napi_value u;
  napi_get_undefined(env, &u);
  return u;
}

napi_value number(napi_env env, double v) {
  napi_value r;
  napi_create_double(env, v, &r);
  return r;
}

struct Entry {
  const char* name;
  Body body;
};

static napi_value trampoline(napi_env env, napi_callback_info info) {
  Entry* entry;
  size_t argc = 0;
  napi_get_cb_info(env, info, &argc, nullptr, nullptr, reinterpret_cast<void**>(&entry));
  std::string message;
  bool range = false;
  try {
    Call call(env, info, entry->name);
    return entry->body(call);
  } catch (const Error& e) {
    message = e.what();
  } catch (const std::bad_alloc&) {
    message = std::string(entry->name) + ": out of memory.";
    range = true;
  } catch (const std::exception& e) {
    message = std::string(entry->name) + ": " + e.what();
  }
  std::string full = "keras-ts native " + message;
  if (range) napi_throw_range_error(env, "ERR_KERAS_NATIVE", full.c_str());
  else napi_throw_type_error(env, "ERR_KERAS_NATIVE", full.c_str());
  return nullptr;
}

// Every exported body by name, for the capture runner (written at each environment's init, so guarded).
static std::mutex registry_mutex;
static std::unordered_map<std::string, Body>& registry() {
  static std::unordered_map<std::string, Body> bodies;
  return bodies;
}

Body exported_body(const std::string& name) {
  std::lock_guard<std::mutex> lock(registry_mutex);
  auto it = registry().find(name);
  return it == registry().end() ? nullptr : it->second;
}

void export_function(napi_env env, napi_value exports, const char* name, Body body) {
  {
    std::lock_guard<std::mutex> lock(registry_mutex);
    registry()[name] = body;
  }
  Entry* entry = new Entry{name, body};  // lives as long as the module
  napi_value fn;
  napi_create_function(env, name, NAPI_AUTO_LENGTH, trampoline, entry, &fn);
  napi_set_named_property(env, exports, name, fn);
}

}  // namespace kn
