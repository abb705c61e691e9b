// tree-sitter 0.20's error recovery corrupts its heap on code nested ~65,000 levels deep (a double
// free in ts_subtree_release when the tree is deleted; seen with unclosed brackets and with chained
// prefix operators). The reader refuses such text before tree-sitter sees it, for Python files,
// ConfigMap Python blocks and notebook cells alike. Each shape below crashed the run before.
#include <catch2/catch.hpp>

#include <string>

#include "helpers.hpp"

using namespace ecolint;
using ecolint::testing::lint_nb;
using ecolint::testing::lint_py;
using ecolint::testing::lint_yaml;

namespace {

std::string repeat(const std::string& s, std::size_t n) {
  std::string out;
  out.reserve(s.size() * n);
  for (std::size_t i = 0; i < n; ++i) out += s;
  return out;
}

bool has_note(const FileResult& r, const std::string& text) {
  for (const auto& n : r.notes)
    if (n.message.find(text) != std::string::npos) return true;
  return false;
}

const char* kRefused = "nesting deeper than 20000 levels";

}  // namespace

TEST_CASE("code nested deeper than tree-sitter survives is refused with a note, not parsed", "[python][hostile]") {
  const std::size_t n = 70000;
  for (const std::string& tail : {repeat("(", n), repeat("[", n), repeat("{", n), repeat("f(", n), repeat("-", n),
                                  repeat("not ", n), repeat("lambda:", n), repeat("a if b else ", n), repeat("a**", n)}) {
    auto r = lint_py("cfg = BitsAndBytesConfig(load_in_8bit=True)\nx = " + tail + "\n");
    CHECK(r.diagnostics.empty());
    CHECK(has_note(r, kRefused));
  }
  // Spread over lines and bracket kinds: the depth is what counts.
  auto r = lint_py("load_in_8bit = 1\n" + repeat("(", 12000) + "\n" + repeat("[", 12000) + "\n");
  CHECK(has_note(r, kRefused));
}

TEST_CASE("deep but ordinary code is still parsed", "[python]") {
  // A long list of negative numbers, long sums and chained comparisons nest to the left, not deep.
  std::string numbers = "x = [" + repeat("-1.5, ", 20000) + "]\n";
  std::string sum = "y = a" + repeat(" - a", 30000) + "\n";
  std::string text = "from transformers import BitsAndBytesConfig\ncfg = BitsAndBytesConfig(load_in_8bit=True)\n" + numbers + sum;
  auto r = lint_py(text);
  CHECK(!has_note(r, kRefused));
  REQUIRE(r.diagnostics.size() == 1);
  CHECK(r.diagnostics[0].rule == "ECO001");
  // Brackets inside strings and comments do not count.
  auto s = lint_py("load_in_8bit = 1\n# " + repeat("(", 30000) + "\nz = '" + repeat("[", 30000) + "'\n");
  CHECK(!has_note(s, kRefused));
}

TEST_CASE("the guard covers ConfigMap Python blocks and notebook cells", "[python][hostile]") {
  std::string yaml = "apiVersion: v1\nkind: ConfigMap\ndata:\n  serve.py: |\n    load_in_8bit = True\n    x = " +
                     repeat("(", 70000) + "\n";
  auto y = lint_yaml(yaml);
  CHECK(has_note(y, kRefused));
  std::string cell = "x = " + repeat("(", 70000);
  std::string nb = "{\"cells\": [{\"cell_type\": \"code\", \"metadata\": {}, \"outputs\": [], \"source\": [\"load_in_8bit = True\\n\", \"" +
                   cell + "\"]}], \"metadata\": {}, \"nbformat\": 4, \"nbformat_minor\": 5}";
  auto b = lint_nb(nb);
  CHECK(has_note(b, kRefused));
}
