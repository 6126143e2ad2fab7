// The capture runner: a recorded training step (src/backend/capture/native_capture.ts) run again
// in one N-API call. The program is read once: each call's function (the body the addon exports
// under that name, call.cc's registry) and its arguments as Values (typed arrays held by
// references, numbers, flags, integer lists, null). Each run binds the new batch's typed arrays
// and this step's numbers (the learning rate, the decay), then calls the bodies in order over
// Calls of Values: the same code and the same checks as the eager step, without N-API per call.
//
//   captureCreate(fns: string[], args: unknown[][], bound: Int32Array, dynamic: Int32Array) -> program
//     bound: triples (call, argument, input) replaced by inputs[input] at each run;
//     dynamic: triples (call, argument, index) replaced by dynamics[index] at each run.
//     Throws, naming the call, for a function the addon does not export or an argument it cannot hold.
//   captureRun(program, inputs: Array of typed arrays, dynamics: Float64Array)
#include <string>
#include <vector>

#include "call.h"

namespace kn {
namespace {

struct Program {
  std::vector<std::string> names;
  std::vector<Body> bodies;
  std::vector<std::vector<Value>> args;
  std::vector<int32_t> bound, dynamic;  // triples, as given
  int32_t inputs = 0, dynamics = 0;     // how many each run needs
  std::vector<napi_ref> refs;           // the typed arrays the program reads or writes, kept alive
};

void finalize(napi_env env, void* data, void*) {
  auto* p = static_cast<Program*>(data);
  for (napi_ref r : p->refs) napi_delete_reference(env, r);
  delete p;
}

// A typed array's memory, or kind Null when `v` is not one of the three tensor types.
Value typed_value(napi_env env, napi_value v) {
  Value out;
  bool typed = false;
  napi_is_typedarray(env, v, &typed);
  if (!typed) return out;
  napi_typedarray_type type;
  size_t len;
  void* data;
  napi_get_typedarray_info(env, v, &type, &len, &data, nullptr, nullptr);
  if (type == napi_float64_array) {
    out.kind = Value::Kind::F64;
    out.f64 = static_cast<const double*>(data);
    out.f64_length = static_cast<int64_t>(len);
    return out;
  }
  if (type != napi_float32_array && type != napi_int32_array && type != napi_uint8_array) return out;
  out.kind = Value::Kind::Typed;
  out.array.data = data;
  out.array.length = static_cast<int64_t>(len);
  out.array.dtype = type == napi_float32_array ? DType::F32 : type == napi_int32_array ? DType::I32 : DType::U8;
  return out;
}

Value read_value(napi_env env, napi_value v, Program& p, const std::string& where) {
  napi_valuetype t;
  napi_typeof(env, v, &t);
  Value out;
  if (t == napi_undefined || t == napi_null) return out;
  if (t == napi_boolean) {
    bool b;
    napi_get_value_bool(env, v, &b);
    out.kind = Value::Kind::Bool;
    out.number = b ? 1 : 0;
    return out;
  }
  if (t == napi_number) {
    out.kind = Value::Kind::Number;
    napi_get_value_double(env, v, &out.number);
    return out;
  }
  bool is_array = false;
  napi_is_array(env, v, &is_array);
  if (is_array) {
    uint32_t len;
    napi_get_array_length(env, v, &len);
    out.kind = Value::Kind::Ints;
    for (uint32_t k = 0; k < len; k++) {
      napi_value e;
      napi_get_element(env, v, k, &e);
      napi_typeof(env, e, &t);
      if (t != napi_number) throw Error(where + " is an array holding a non-number, which the runner cannot hold.");
      double d;
      napi_get_value_double(env, e, &d);
      out.ints.push_back(d);
    }
    return out;
  }
  out = typed_value(env, v);
  if (out.kind == Value::Kind::Null) throw Error(where + " is not a number, flag, array of numbers or typed array, which the runner cannot hold.");
  napi_ref ref;
  napi_create_reference(env, v, 1, &ref);
  p.refs.push_back(ref);
  return out;
}

std::vector<int32_t> triples(Call& c, size_t i, const char* name) {
  Array a = c.array(i, name);
  if (a.dtype != DType::I32 || a.length % 3 != 0) c.fail(std::string("`") + name + "` must be an Int32Array of (call, argument, index) triples.");
  return std::vector<int32_t>(a.i32(), a.i32() + a.length);
}

napi_value js_capture_create(Call& c) {
  napi_env env = c.env();
  napi_value fns = c.js(0, "fns"), args = c.js(1, "args");
  uint32_t n = 0, n_args = 0;
  napi_get_array_length(env, fns, &n);
  napi_get_array_length(env, args, &n_args);
  if (n != n_args) c.fail("`fns` and `args` must have one entry per call.");
  auto* p = new Program();
  napi_value handle;
  napi_create_external(env, p, finalize, nullptr, &handle);  // from here on the finalizer owns p, also if a check below throws
  for (uint32_t i = 0; i < n; i++) {
    napi_value f, a;
    napi_get_element(env, fns, i, &f);
    napi_get_element(env, args, i, &a);
    char name[64] = {0};
    size_t len = 0;
    if (napi_get_value_string_utf8(env, f, name, sizeof name, &len) != napi_ok || len + 1 >= sizeof name) {
      c.fail("`fns[" + std::to_string(i) + "]` must be the name of an addon function.");
    }
    const std::string where = "call " + std::to_string(i) + " (" + name + ")";
    Body body = exported_body(name);
    if (body == nullptr) c.fail("the addon exports no function `" + std::string(name) + "` (" + where + "), so the one-call runner cannot run it.");
    p->names.emplace_back(name);
    p->bodies.push_back(body);
    uint32_t m = 0;
    napi_get_array_length(env, a, &m);
    if (m > 16) c.fail(where + " has " + std::to_string(m) + " arguments; an addon function takes at most 16.");
    std::vector<Value> values;
    for (uint32_t j = 0; j < m; j++) {
      napi_value v;
      napi_get_element(env, a, j, &v);
      values.push_back(read_value(env, v, *p, where + "'s argument " + std::to_string(j)));
    }
    p->args.push_back(std::move(values));
  }
  p->bound = triples(c, 2, "bound");
  p->dynamic = triples(c, 3, "dynamic");
  for (size_t t = 0; t < p->bound.size() + p->dynamic.size(); t += 3) {
    const bool is_bound = t < p->bound.size();
    const int32_t* q = is_bound ? &p->bound[t] : &p->dynamic[t - p->bound.size()];
    if (q[0] < 0 || q[0] >= static_cast<int32_t>(n) || q[1] < 0 || q[1] >= static_cast<int32_t>(p->args[q[0]].size()) || q[2] < 0) {
      c.fail("a triple of `" + std::string(is_bound ? "bound" : "dynamic") + "` names no argument of the program.");
    }
    int32_t& count = is_bound ? p->inputs : p->dynamics;
    if (q[2] + 1 > count) count = q[2] + 1;
  }
  return handle;
}

napi_value js_capture_run(Call& c) {
  napi_env env = c.env();
  void* data = nullptr;
  if (napi_get_value_external(env, c.js(0, "program"), &data) != napi_ok || data == nullptr) c.fail("`program` must be a program from captureCreate.");
  Program& p = *static_cast<Program*>(data);
  napi_value inputs = c.js(1, "inputs");
  uint32_t n_inputs = 0;
  napi_get_array_length(env, inputs, &n_inputs);
  if (static_cast<int32_t>(n_inputs) < p.inputs) c.fail("`inputs` has " + std::to_string(n_inputs) + " arrays, the program reads " + std::to_string(p.inputs) + ".");
  const double* dynamics = c.f64(2, "dynamics", p.dynamics);
  for (size_t t = 0; t < p.bound.size(); t += 3) {
    napi_value v;
    napi_get_element(env, inputs, p.bound[t + 2], &v);
    Value in = typed_value(env, v);
    if (in.kind != Value::Kind::Typed) c.fail("input " + std::to_string(p.bound[t + 2]) + " must be a Float32Array, Int32Array or Uint8Array.");
    p.args[p.bound[t]][p.bound[t + 1]] = in;
  }
  for (size_t t = 0; t < p.dynamic.size(); t += 3) {
    Value& v = p.args[p.dynamic[t]][p.dynamic[t + 1]];
    v.kind = Value::Kind::Number;
    v.number = dynamics[p.dynamic[t + 2]];
  }
  for (size_t i = 0; i < p.bodies.size(); i++) {
    Call call(env, p.names[i].c_str(), p.args[i].data(), p.args[i].size());
    try {
      p.bodies[i](call);
    } catch (const Error& e) {
      throw Error("captureRun: call " + std::to_string(i) + " of the captured step: " + e.what());
    }
  }
  return undefined(env);
}

}  // namespace

void register_capture(napi_env env, napi_value exports) {
  export_function(env, exports, "captureCreate", js_capture_create);
  export_function(env, exports, "captureRun", js_capture_run);
}

}  // namespace kn
