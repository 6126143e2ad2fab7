#include "dnnl_context.h"

#include "memory.h"

namespace kn {

dnnl::engine& engine() {
  static dnnl::engine eng(dnnl::engine::kind::cpu, 0);
  return eng;
}

dnnl::stream& stream() {
  static dnnl::stream s(engine());
  return s;
}

std::unordered_map<std::string, std::shared_ptr<CacheEntry>>& primitive_cache() {
  static std::unordered_map<std::string, std::shared_ptr<CacheEntry>> cache;
  return cache;
}

void clear_cache() { primitive_cache().clear(); }

dnnl::primitive_attr scratchpad_attr() {
  dnnl::primitive_attr attr;
  attr.set_scratchpad_mode(dnnl::scratchpad_mode::user);
  return attr;
}

void execute(const dnnl::primitive& prim, const dnnl::primitive_desc_base& pd, std::unordered_map<int, dnnl::memory> args) {
  dnnl::memory::desc sd = pd.scratchpad_desc();
  size_t bytes = sd.get_size();
  if (bytes > 0) {
    Buffer scratch(bytes);
    args.emplace(DNNL_ARG_SCRATCHPAD, wrap(sd, scratch.get()));
    prim.execute(stream(), args);
    stream().wait();
  } else {
    prim.execute(stream(), args);
    stream().wait();
  }
}

std::string key_of(const char* name, std::initializer_list<int64_t> values) {
  std::string key(name);
  key += ':';
  for (int64_t v : values) {
    key += std::to_string(v);
    key += ',';
  }
  return key;
}

}  // namespace kn
