#pragma once
// Making room on this thread's heap before a large parse, in memory backed by huge pages where the
// system allows them for memory asked for (THP "madvise" mode, as on this project's benchmark
// machine; a no-op under "never", nothing more under "always").
//
// Why: a tree-sitter parse and the facts built from it take ~50 bytes of heap per byte of source,
// touched for the first time in 4 KB pages. On a virtual machine each first touch of a 4 KB page
// can cost 14-19 us (measured on the benchmark VM, 2026-12-01: touching 32-100 MB page by page;
// 0.3-3.7 us a 4 KB page when huge pages back the range), about as much as parsing the page's
// share of a file. A glibc thread arena
// also grows its heap a few KB at a time (an mprotect each), which leaves no 2 MB range that huge
// pages could back.
#include <cstddef>

namespace ecolint {

// Grows this thread's heap once to about `bytes` (capped at kMaxHeapRoom), advises the kernel to
// back it with huge pages, and hands the memory back to the allocator, which then serves the
// parse from it. Cheap when the thread's heap was already prepared for as much. Linux only.
void prepare_heap(std::size_t bytes);

inline constexpr std::size_t kMaxHeapRoom = std::size_t{32} << 20;

// Called once at start-up: blocks up to 16 MB (a large file's text, a tree-sitter stack, the
// facts' tables) come from the heaps, which keep and reuse freed memory (prepared by prepare_heap),
// instead of each being mapped afresh and faulted in page by page (glibc's threshold starts at
// 128 KB). glibc's allocator only: `glibc_malloc` false (the ecolint binary linked with mimalloc)
// turns prepare_heap into nothing.
void tune_heap(bool glibc_malloc = true);

}  // namespace ecolint
