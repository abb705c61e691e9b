// The tree arena (python/tree_arena.hpp): tree-sitter's memory for one file's parse, taken from a
// per-thread bump arena and rewound when the file is done.
#include <catch2/catch.hpp>

#include <tree_sitter/api.h>

#include <cstdint>
#include <cstring>
#include <string>

#include "base/source.hpp"
#include "python/facts.hpp"
#include "python/tree_arena.hpp"

// tree-sitter's allocator as the library calls it (exported by libtree-sitter, not in api.h).
extern "C" {
extern void* (*ts_current_malloc)(size_t);
extern void* (*ts_current_calloc)(size_t, size_t);
extern void* (*ts_current_realloc)(void*, size_t);
extern void (*ts_current_free)(void*);
}
extern "C" const TSLanguage* tree_sitter_python(void);

using ecolint::python::TreeArena;

TEST_CASE("tree-sitter allocates from the arena inside a scope and from malloc outside it", "[tree-arena]") {
  std::size_t before = TreeArena::bytes_in_use();
  void* outside = ts_current_malloc(100);
  CHECK(TreeArena::bytes_in_use() == before);
  {
    TreeArena::Scope scope;
    TSParser* parser = ts_parser_new();
    ts_parser_set_language(parser, tree_sitter_python());
    CHECK(TreeArena::bytes_in_use() > before);
    const std::string code = "def f(x):\n    return [g(y) for y in x]\n";
    TSTree* tree = ts_parser_parse_string(parser, nullptr, code.data(), static_cast<uint32_t>(code.size()));
    REQUIRE(tree != nullptr);
    ts_parser_delete(parser);
    scope.pause();
    std::size_t paused = TreeArena::bytes_in_use();
    void* p = ts_current_malloc(64);
    CHECK(TreeArena::bytes_in_use() == paused);  // from malloc while paused
    ts_current_free(p);
    // The tree is intact after the parser is gone.
    TSNode root = ts_tree_root_node(tree);
    CHECK(std::string(ts_node_type(root)) == "module");
    CHECK(ts_node_named_child_count(root) == 1);
    CHECK(std::string(ts_node_type(ts_node_named_child(root, 0))) == "function_definition");
    // A malloc'd block freed inside a scope goes back to malloc (no crash, no arena change).
    ts_current_free(outside);
    CHECK(TreeArena::bytes_in_use() == paused);
  }
  CHECK(TreeArena::bytes_in_use() == before);  // rewound
}

TEST_CASE("nested arena scopes rewind only their own allocations", "[tree-arena]") {
  TreeArena::Scope outer;
  auto* kept = static_cast<char*>(ts_current_malloc(4096));
  std::memset(kept, 'k', 4096);
  std::size_t mark = TreeArena::bytes_in_use();
  {
    TreeArena::Scope inner;
    auto* scratch = static_cast<char*>(ts_current_malloc(1 << 20));
    std::memset(scratch, 's', 1 << 20);
    CHECK(TreeArena::bytes_in_use() >= mark + (1 << 20));
  }
  CHECK(TreeArena::bytes_in_use() == mark);
  bool intact = true;
  for (int i = 0; i < 4096; ++i) intact = intact && kept[i] == 'k';
  CHECK(intact);
}

TEST_CASE("arena realloc keeps a block's bytes and calloc zeroes reused memory", "[tree-arena]") {
  {
    TreeArena::Scope scope;
    auto* a = static_cast<unsigned char*>(ts_current_malloc(40));
    for (int i = 0; i < 40; ++i) a[i] = static_cast<unsigned char>(i + 1);
    auto* b = static_cast<unsigned char*>(ts_current_malloc(16));  // `a` is no longer the latest block
    b[0] = 0xEE;
    auto* a2 = static_cast<unsigned char*>(ts_current_realloc(a, 4000));
    bool same = true;
    for (int i = 0; i < 40; ++i) same = same && a2[i] == static_cast<unsigned char>(i + 1);
    CHECK(same);
    CHECK(b[0] == 0xEE);
    // The latest block grows in place.
    auto* a3 = static_cast<unsigned char*>(ts_current_realloc(a2, 8000));
    CHECK(a3 == a2);
    // Growing past the chunk moves it to a new one, bytes kept.
    auto* big = static_cast<unsigned char*>(ts_current_realloc(a3, std::size_t{5} << 20));
    same = true;
    for (int i = 0; i < 40; ++i) same = same && big[i] == static_cast<unsigned char>(i + 1);
    CHECK(same);
    std::memset(big, 0xAB, std::size_t{5} << 20);
  }
  {
    TreeArena::Scope scope;
    auto* z = static_cast<unsigned char*>(ts_current_calloc(1024, 4));
    bool zero = true;
    for (int i = 0; i < 4096; ++i) zero = zero && z[i] == 0;
    CHECK(zero);
    CHECK(ts_current_calloc(SIZE_MAX / 2, 4) == nullptr);  // overflow refused
    ts_current_free(nullptr);
  }
}

TEST_CASE("files parsed one after another in the arena give the same facts", "[tree-arena]") {
  // A large file (its tree spans several chunks), then a small one, then the large one again.
  std::string large;
  for (int i = 0; i < 6000; ++i)
    large += "m" + std::to_string(i) + " = AutoModelForCausalLM.from_pretrained('facebook/opt-1.3b', load_in_8bit=True)\n";
  const std::string small = "from transformers import pipeline\np = pipeline('text-generation', batch_size=1)\n";
  auto calls = [](const std::string& text) {
    ecolint::SourceText src(text);
    auto module = ecolint::python::Module::analyse(src);
    return module->calls().size();
  };
  std::size_t before = TreeArena::bytes_in_use();
  std::size_t first = calls(large);
  CHECK(first == 6000);
  CHECK(calls(small) == 1);
  CHECK(calls(large) == first);
  CHECK(TreeArena::bytes_in_use() == before);
}
