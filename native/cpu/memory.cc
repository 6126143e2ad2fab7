#include "memory.h"

#include <cstdlib>
#include <map>
#include <new>

namespace kn {

namespace {
std::multimap<size_t, void*> pool;  // capacity -> block; only the main thread calls in
size_t live = 0;
size_t pooled = 0;
constexpr size_t kPoolLimit = size_t(512) << 20;
constexpr size_t kAlign = 64;

size_t round_up(size_t bytes) { return bytes == 0 ? kAlign : (bytes + kAlign - 1) / kAlign * kAlign; }
}  // namespace

Buffer::Buffer(size_t bytes) : ptr_(nullptr), bytes_(round_up(bytes)) {
  auto it = pool.lower_bound(bytes_);
  if (it != pool.end() && it->first <= 2 * bytes_) {
    ptr_ = it->second;
    bytes_ = it->first;
    pooled -= bytes_;
    pool.erase(it);
  } else {
    ptr_ = std::aligned_alloc(kAlign, bytes_);
    if (ptr_ == nullptr) throw std::bad_alloc();
  }
  live += bytes_;
}

Buffer::~Buffer() {
  live -= bytes_;
  if (pooled + bytes_ <= kPoolLimit) {
    pool.emplace(bytes_, ptr_);
    pooled += bytes_;
  } else {
    std::free(ptr_);
  }
}

size_t live_bytes() { return live; }
size_t pooled_bytes() { return pooled; }

void release_pool() {
  for (auto& entry : pool) std::free(entry.second);
  pool.clear();
  pooled = 0;
}

}  // namespace kn
