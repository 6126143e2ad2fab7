#include "dnnl_context.h"

#include "memory.h"

namespace kn {

dnnl::engine& engine() {
  static dnnl::engine eng(dnnl::engine::kind::cpu, 0);
  return eng;
}

// The engine is shared (oneDNN creates and runs primitives from several threads at once); the
// stream and our primitive cache are per thread, hence per Node environment: the main thread and
// each worker_thread run their own calls with their own primitives (each plans its work for its
// own OpenMP thread count) and never wait for one another.
dnnl::stream& stream() {
  thread_local dnnl::stream s(engine());
  return s;
}

std::unordered_map<Key, std::shared_ptr<CacheEntry>, KeyHash>& primitive_cache() {
  thread_local std::unordered_map<Key, std::shared_ptr<CacheEntry>, KeyHash> cache;
  return cache;
}

void clear_cache() { primitive_cache().clear(); }

dnnl::primitive_attr scratchpad_attr() {
  dnnl::primitive_attr attr;
  attr.set_scratchpad_mode(dnnl::scratchpad_mode::user);
  return attr;
}

void execute(const dnnl::primitive& prim, const dnnl::primitive_desc_base& pd, std::unordered_map<int, dnnl::memory> args) {
  execute_kept(prim, pd, args);
}

void execute_kept(const dnnl::primitive& prim, const dnnl::primitive_desc_base& pd, std::unordered_map<int, dnnl::memory>& args) {
  dnnl::memory::desc sd = pd.scratchpad_desc();
  size_t bytes = sd.get_size();
  if (bytes > 0) {
    Buffer scratch(bytes);
    args[DNNL_ARG_SCRATCHPAD] = wrap(sd, scratch.get());
    prim.execute(stream(), args);
    stream().wait();
    args.erase(DNNL_ARG_SCRATCHPAD);
  } else {
    prim.execute(stream(), args);
    stream().wait();
  }
}

Key key_of(const char* name, std::initializer_list<int64_t> values) {
  Key key;
  key.v[0] = static_cast<int64_t>(reinterpret_cast<intptr_t>(name));
  key.n = 1;
  for (int64_t v : values) {
    if (key.n == key.v.size()) throw std::logic_error("key_of: too many numbers");
    key.v[key.n++] = v;
  }
  return key;
}

}  // namespace kn
