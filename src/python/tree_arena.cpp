#include "python/tree_arena.hpp"

#include <tree_sitter/api.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <cstring>

#if defined(__linux__)
#include <sys/mman.h>
#endif

namespace ecolint::python {

namespace {

constexpr std::size_t kAlign = 16;                        // what malloc guarantees
constexpr std::size_t kFirstChunk = std::size_t{2} << 20;  // a huge page; chunks double from here
constexpr std::size_t kKeptBytes = std::size_t{6} << 20;   // chunks kept between files (2 + 4 MB)
constexpr std::size_t kMaxChunks = 40;

struct Chunk {
  char* data;
  std::size_t size;
};

// Plain data, so that it is usable while the thread's other thread_local objects are destroyed
// (a kept cursor's destructor frees through tree-sitter's allocator). Its chunks are mappings,
// left to the process's end when a thread exits.
struct Arena {
  Chunk chunks[kMaxChunks];
  std::size_t count;    // chunks mapped
  std::size_t current;  // the chunk being filled
  std::size_t used;     // bytes used in it
  char* last;           // the latest allocation: a free or a realloc of it works in place
  bool active;
  unsigned depth;       // scopes open
};
thread_local Arena arena;

char* map_chunk(std::size_t size) {
#if defined(__linux__)
  void* p = ::mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) return nullptr;
#if defined(MADV_HUGEPAGE)
  ::madvise(p, size, MADV_HUGEPAGE);  // advice only (see base/heap.hpp for why it matters here)
#endif
  return static_cast<char*>(p);
#else
  return static_cast<char*>(std::malloc(size));
#endif
}

void unmap_chunk(const Chunk& c) {
#if defined(__linux__)
  ::munmap(c.data, c.size);
#else
  std::free(c.data);
#endif
}

bool owns(const void* p) {
  auto a = reinterpret_cast<std::uintptr_t>(p);
  for (std::size_t i = 0; i < arena.count; ++i) {
    auto d = reinterpret_cast<std::uintptr_t>(arena.chunks[i].data);
    if (a >= d && a < d + arena.chunks[i].size) return true;
  }
  return false;
}

// Bytes from the arena, or nullptr when no chunk can be had (the caller falls back to malloc).
void* bump(std::size_t n) {
  n = (std::max<std::size_t>(n, 1) + kAlign - 1) & ~(kAlign - 1);
  for (;;) {
    if (arena.current < arena.count) {
      Chunk& c = arena.chunks[arena.current];
      if (n <= c.size - arena.used) {
        char* p = c.data + arena.used;
        arena.used += n;
        arena.last = p;
        return p;
      }
      if (arena.current + 1 < arena.count) {  // a later chunk, kept from before
        ++arena.current;
        arena.used = 0;
        continue;
      }
    }
    if (arena.count == kMaxChunks) return nullptr;
    std::size_t size = arena.count ? arena.chunks[arena.count - 1].size * 2 : kFirstChunk;
    while (size < n) size *= 2;
    char* data = map_chunk(size);
    if (!data) return nullptr;
    arena.chunks[arena.count++] = {data, size};
    arena.current = arena.count - 1;
    arena.used = 0;
  }
}

void* arena_malloc(std::size_t n) {
  if (arena.active)
    if (void* p = bump(n)) return p;
  return std::malloc(n);
}

void* arena_calloc(std::size_t count, std::size_t size) {
  if (arena.active) {
    if (size && count > SIZE_MAX / size) return nullptr;
    if (void* p = bump(count * size)) {
      std::memset(p, 0, count * size);  // chunks are reused: not necessarily zero
      return p;
    }
  }
  return std::calloc(count, size);
}

void arena_free(void* p) {
  if (!p) return;
  if (owns(p)) {
    if (p == arena.last) {  // the latest allocation: its bytes are taken back
      arena.used = static_cast<std::size_t>(static_cast<char*>(p) - arena.chunks[arena.current].data);
      arena.last = nullptr;
    }
    return;
  }
  std::free(p);
}

void* arena_realloc(void* p, std::size_t n) {
  if (!p) return arena_malloc(n);
  if (!owns(p)) return std::realloc(p, n);
  // The block's old size is not recorded: copy what can be read of `n` bytes from it (its own
  // bytes are all among them; what follows them in the chunk is harmless to copy).
  Chunk& c = arena.chunks[arena.current];
  std::size_t rounded = (std::max<std::size_t>(n, 1) + kAlign - 1) & ~(kAlign - 1);
  if (p == arena.last && static_cast<char*>(p) + rounded <= c.data + c.size) {
    arena.used = static_cast<std::size_t>(static_cast<char*>(p) - c.data) + rounded;
    return p;
  }
  std::size_t readable = 0;
  auto a = reinterpret_cast<std::uintptr_t>(p);
  for (std::size_t i = 0; i < arena.count; ++i) {
    auto d = reinterpret_cast<std::uintptr_t>(arena.chunks[i].data);
    if (a >= d && a < d + arena.chunks[i].size) readable = d + arena.chunks[i].size - a;
  }
  void* q = arena.active ? bump(n) : nullptr;
  if (!q) q = std::malloc(n);
  if (q) std::memmove(q, p, std::min(n, readable));
  return q;
}

struct Install {
  Install() { ts_set_allocator(arena_malloc, arena_calloc, arena_realloc, arena_free); }
};
// Before main, so before any thread: tree-sitter's allocator is process-wide.
const Install install;

}  // namespace

TreeArena::Scope::Scope() : chunk_(arena.current), used_(arena.used), was_active_(arena.active) {
  arena.active = true;
  ++arena.depth;
}

void TreeArena::Scope::pause() { arena.active = false; }

TreeArena::Scope::~Scope() {
  arena.current = chunk_;
  arena.used = used_;
  arena.last = nullptr;
  arena.active = was_active_;
  if (--arena.depth == 0) {
    // The outermost scope: give back the chunks past the first few.
    std::size_t kept = 0, keep = 0;
    while (keep < arena.count && kept + arena.chunks[keep].size <= kKeptBytes) kept += arena.chunks[keep++].size;
    for (std::size_t i = keep; i < arena.count; ++i) unmap_chunk(arena.chunks[i]);
    arena.count = keep;
  }
}

std::size_t TreeArena::bytes_in_use() {
  std::size_t n = 0;
  for (std::size_t i = 0; i < arena.current && i < arena.count; ++i) n += arena.chunks[i].size;
  return arena.current < arena.count ? n + arena.used : n;
}

}  // namespace ecolint::python
