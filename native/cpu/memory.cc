#include "memory.h"

#include <cstdlib>
#include <map>
#include <new>

namespace kn {

namespace {
constexpr size_t kPoolLimit = size_t(512) << 20;
constexpr size_t kAlign = 64;

// The freed blocks kept for reuse. One per thread, so one per Node environment (the main thread's
// and each worker_thread's: an environment runs on one thread, and every Buffer lives inside one
// call): workers never share it, and it needs no lock. Freed with its thread.
struct Pool {
  std::multimap<size_t, void*> blocks;  // capacity -> block
  size_t live = 0;
  size_t pooled = 0;
  void release() {
    for (auto& entry : blocks) std::free(entry.second);
    blocks.clear();
    pooled = 0;
  }
  ~Pool() { release(); }
};
thread_local Pool pool;

size_t round_up(size_t bytes) { return bytes == 0 ? kAlign : (bytes + kAlign - 1) / kAlign * kAlign; }
}  // namespace

Buffer::Buffer(size_t bytes) : ptr_(nullptr), bytes_(round_up(bytes)) {
  auto it = pool.blocks.lower_bound(bytes_);
  if (it != pool.blocks.end() && it->first <= 2 * bytes_) {
    ptr_ = it->second;
    bytes_ = it->first;
    pool.pooled -= bytes_;
    pool.blocks.erase(it);
  } else {
    ptr_ = std::aligned_alloc(kAlign, bytes_);
    if (ptr_ == nullptr) throw std::bad_alloc();
  }
  pool.live += bytes_;
}

Buffer::~Buffer() {
  pool.live -= bytes_;
  if (pool.pooled + bytes_ <= kPoolLimit) {
    pool.blocks.emplace(bytes_, ptr_);
    pool.pooled += bytes_;
  } else {
    std::free(ptr_);
  }
}

size_t live_bytes() { return pool.live; }
size_t pooled_bytes() { return pool.pooled; }

void release_pool() { pool.release(); }

}  // namespace kn
