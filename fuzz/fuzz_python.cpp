// Fuzzes Python analysis: the whole lint_text path (NUL and UTF-8 checks, prefilter, parse,
// every rule) and the facts layer directly, so inputs without a trigger word still reach it.
#include <cstddef>
#include <cstdint>
#include <string>

#include "pipeline/lint.hpp"
#include "base/source.hpp"
#include "base/utf8.hpp"
#include "python/facts.hpp"
#include "rules/rule.hpp"

namespace {

const ecolint::LintOptions& all_rules_enabled() {
  static const ecolint::LintOptions options = ecolint::LintOptions::all_rules();
  return options;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  ecolint::FileResult result = ecolint::lint_text("fuzz.py", text, ecolint::FileKind::Python, all_rules_enabled());
  // Every position reported must lie inside the file.
  ecolint::SourceText source(text);
  for (const auto& d : result.diagnostics)
    if (d.range.start.line == 0 || d.range.start.line > source.line_count() + 1) __builtin_trap();
  if (text.find('\0') == std::string::npos && ecolint::valid_utf8(text, nullptr)) {
    auto module = ecolint::python::Module::analyse(source);
    for (const auto& call : module->calls()) (void)call;
  }
  return 0;
}
