#pragma once
// Memory for tree-sitter's parse of one file, taken from a per-thread bump arena and dropped at
// once when the file is done, instead of from malloc one node at a time.
//
// Why: a parse allocates a heap block per subtree (tens of bytes each, ~30 bytes of tree per byte
// of source), and deleting the tree walks every subtree to release and free it. On the real-world
// corpus malloc, free and that walk took about 15% of the Python reader's time (perf, 2026-12-01).
// In the arena an allocation is a pointer bump, a free is nothing, and the tree is never walked to
// be deleted: the arena is rewound past it.
//
// How: tree-sitter's allocator (ts_set_allocator) is set once, before main, to functions that
// serve this thread's arena while a TreeArena::Scope is open and not paused, and malloc otherwise;
// a free or realloc of a pointer inside this thread's arena is handled there, any other pointer is
// malloc's. A Scope creates its own parser (a kept parser would keep arena memory past the scope:
// its stack, its pool of freed subtrees), parses with the arena open, then pauses it, so that what
// is allocated while the facts are built (cursors) comes from malloc again. Closing the Scope
// rewinds the arena to where it stood when the Scope opened (scopes nest: a file read inside
// another file's analysis rewinds only its own part). Nothing may use the tree after that, and
// ts_tree_delete is never called on it.
#include <cstddef>

namespace ecolint::python {

class TreeArena {
 public:
  class Scope {
   public:
    Scope();
    ~Scope();
    Scope(const Scope&) = delete;
    Scope& operator=(const Scope&) = delete;
    // From here on tree-sitter's allocations on this thread come from malloc again (what the
    // arena holds stays valid until the Scope closes).
    void pause();

   private:
    std::size_t chunk_;
    std::size_t used_;
    bool was_active_;
  };

  // Tests: the bytes of this thread's arena in use (tree-sitter's allocations in open scopes).
  static std::size_t bytes_in_use();
};

}  // namespace ecolint::python
