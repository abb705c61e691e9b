// Fuzzes suppression-comment parsing (`# ecolint: ignore[...]` forms) in Python and YAML syntax,
// and applying the directives to findings placed on every line.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "base/source.hpp"
#include "suppress/suppress.hpp"

using namespace ecolint;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  SourceText source(text);
  for (auto syntax : {suppress::CommentSyntax::Python, suppress::CommentSyntax::Hash}) {
    std::vector<Note> notes;
    auto directives = suppress::parse("fuzz.py", text, syntax, notes);
    for (const auto& d : directives)
      if (d.position.line == 0 || d.position.line > source.line_count()) __builtin_trap();
    FileResult result;
    for (uint32_t line = 1; line <= source.line_count() && line <= 64; ++line) {
      Diagnostic d;
      d.rule = line % 2 ? "ECO001" : "ECO002";
      d.path = "fuzz.py";
      d.range.start = d.range.end = {line, 1};
      result.diagnostics.push_back(d);
    }
    suppress::apply("fuzz.py", text, syntax, {"ECO001", "ECO002", "ECO003"}, result);
  }
  return 0;
}
