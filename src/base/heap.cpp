#include "base/heap.hpp"

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <vector>

#if defined(__linux__)
#include <sys/mman.h>
#endif
#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace ecolint {

namespace {
std::atomic<bool> heap_is_glibc{true};
}  // namespace

void prepare_heap(std::size_t bytes) {
#if defined(__linux__) && defined(MADV_HUGEPAGE)
  if (!heap_is_glibc.load(std::memory_order_relaxed)) return;
  thread_local std::size_t prepared = 0;
  bytes = std::min(bytes, kMaxHeapRoom);
  if (bytes <= prepared) return;
  // Blocks below glibc's mmap threshold (128 KB) come from the thread's own heap; freed together,
  // they leave its top free, and the allocator keeps the mapping (only its pages are released).
  constexpr std::size_t kBlock = 120 * 1024;
  std::vector<void*> blocks;
  blocks.reserve(bytes / kBlock + 1);
  std::uintptr_t lo = UINTPTR_MAX, hi = 0;
  for (std::size_t got = 0; got < bytes; got += kBlock) {
    void* p = std::malloc(kBlock);
    if (!p) break;
    blocks.push_back(p);
    auto a = reinterpret_cast<std::uintptr_t>(p);
    lo = std::min(lo, a);
    hi = std::max(hi, a + kBlock);
  }
  if (hi > lo) {
    const std::uintptr_t page = 4096;
    lo &= ~(page - 1);
    hi = (hi + page - 1) & ~(page - 1);
    ::madvise(reinterpret_cast<void*>(lo), hi - lo, MADV_HUGEPAGE);  // advice only: failure changes nothing
  }
  for (void* p : blocks) std::free(p);
  prepared = bytes;
#else
  (void)bytes;
#endif
}

void tune_heap(bool glibc_malloc) {
  heap_is_glibc = glibc_malloc;
#if defined(__GLIBC__)
  if (glibc_malloc) ::mallopt(M_MMAP_THRESHOLD, 16 << 20);
#endif
}

}  // namespace ecolint
