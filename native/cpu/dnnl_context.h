// The oneDNN engine and stream, a cache of primitives keyed by their shapes, and how a primitive
// runs with our scratchpad. Creating a oneDNN primitive (and JIT-compiling its kernel) takes far
// longer than running a small one, and a training step asks for the same shapes every step.
// The stream and the cache are per thread, i.e. per Node environment (worker_threads included).
// DNNL_VERSION_MAJOR picks oneDNN 2's or 3's API where they differ (conv.cc, matmul.cc).
#pragma once
#include <dnnl.hpp>

#include <array>
#include <cstring>
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
// A cache key: what the primitive is (a string literal's address) and the numbers that shape it.
struct Key {
  std::array<int64_t, 32> v{};
  size_t n = 0;
  bool operator==(const Key& o) const { return n == o.n && std::memcmp(v.data(), o.v.data(), n * sizeof(int64_t)) == 0; }
};
struct KeyHash {
  size_t operator()(const Key& k) const {
    uint64_t h = 1469598103934665603ULL;  // FNV-1a over the numbers
    for (size_t i = 0; i < k.n; i++) h = (h ^ static_cast<uint64_t>(k.v[i])) * 1099511628211ULL;
    return static_cast<size_t>(h);
  }
};

template <class T, class Make>
T& cached(const Key& key, Make make);

std::unordered_map<Key, std::shared_ptr<CacheEntry>, KeyHash>& primitive_cache();
void clear_cache();

// Primitive attributes with a user-managed scratchpad (so its memory is ours, pooled and counted).
dnnl::primitive_attr scratchpad_attr();

// Runs `prim` with `args`, adding a scratchpad of the size `pd` asks for, and waits for it.
void execute(const dnnl::primitive& prim, const dnnl::primitive_desc_base& pd, std::unordered_map<int, dnnl::memory> args);
// The same with arguments kept by the caller between calls (their data handles set anew).
void execute_kept(const dnnl::primitive& prim, const dnnl::primitive_desc_base& pd, std::unordered_map<int, dnnl::memory>& args);

// A memory object over user data (no copy).
inline dnnl::memory wrap(const dnnl::memory::desc& md, const void* data) {
  return dnnl::memory(md, engine(), const_cast<void*>(data));
}

// The key of a primitive of kind `name` (a string literal) for these numbers (at most 31).
Key key_of(const char* name, std::initializer_list<int64_t> values);

template <class T, class Make>
T& cached(const Key& key, Make make) {
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
