// Temporary buffers the addon uses inside one call (oneDNN scratchpads, reordered weights,
// intermediate gradients). Tensor data itself always lives in JavaScript typed arrays. Freed
// buffers are kept in a small pool for the next call (a training step asks for the same sizes
// every time), so large temporaries do not page-fault afresh each step; releaseMemory() frees it.
// The pool is per thread, hence per Node environment (worker_threads each have their own).
#pragma once
#include <cstddef>
#include <cstdint>

namespace kn {

class Buffer {
 public:
  explicit Buffer(size_t bytes);
  ~Buffer();
  Buffer(const Buffer&) = delete;
  Buffer& operator=(const Buffer&) = delete;
  void* get() const { return ptr_; }
  float* f32() const { return static_cast<float*>(ptr_); }
  size_t bytes() const { return bytes_; }

 private:
  void* ptr_;
  size_t bytes_;
};

// Bytes held by Buffers alive now (0 between calls), and bytes kept in the pool for reuse.
size_t live_bytes();
size_t pooled_bytes();
// Frees the pool.
void release_pool();

}  // namespace kn
