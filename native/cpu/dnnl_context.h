// The oneDNN engine and stream, a cache of primitives keyed by their shapes, and how a primitive
// runs with our scratchpad. Creating a oneDNN primitive (and JIT-compiling its kernel) takes far
// longer than running a small one, and a training step asks for the same shapes every step.
#pragma once
#include <dnnl.hpp>

#include <memory>
#include <string>
#include <unordered_map>

namespace kn {

dnnl::engine& engine();
dnnl::stream& stream();

struct CacheEntry {
  virtual ~CacheEntry() = default;
};

// The entry for `key`, made by `make()` on first use. The cache holds at most a few hundred
// entries; past that it starts over (a model uses a few dozen shapes).
template <class T, class Make>
T& cached(const std::string& key, Make make);

std::unordered_map<std::string, std::shared_ptr<CacheEntry>>& primitive_cache();
void clear_cache();

// Primitive attributes with a user-managed scratchpad (so its memory is ours, pooled and counted).
dnnl::primitive_attr scratchpad_attr();

// Runs `prim` with `args`, adding a scratchpad of the size `pd` asks for, and waits for it.
void execute(const dnnl::primitive& prim, const dnnl::primitive_desc_base& pd, std::unordered_map<int, dnnl::memory> args);

// A memory object over user data (no copy).
inline dnnl::memory wrap(const dnnl::memory::desc& md, const void* data) {
  return dnnl::memory(md, engine(), const_cast<void*>(data));
}

// Key building: "name:1,2,3".
std::string key_of(const char* name, std::initializer_list<int64_t> values);

template <class T, class Make>
T& cached(const std::string& key, Make make) {
  auto& cache = primitive_cache();
  auto it = cache.find(key);
  if (it != cache.end()) return static_cast<T&>(*it->second);
  if (cache.size() >= 512) cache.clear();
  auto entry = std::make_shared<T>(make());
  T& ref = *entry;
  cache.emplace(key, std::move(entry));
  return ref;
}

}  // namespace kn
