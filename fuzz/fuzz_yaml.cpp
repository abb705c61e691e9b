// Fuzzes YAML analysis: lint_text with FileKind::Yaml and every rule enabled (yaml-cpp parse,
// deploy facts, Helm-template and alias handling, suppressions).
#include <cstddef>
#include <cstdint>
#include <string>

#include "pipeline/lint.hpp"
#include "rules/rule.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const ecolint::LintOptions options = ecolint::LintOptions::all_rules();
  std::string text(reinterpret_cast<const char*>(data), size);
  (void)ecolint::lint_text("fuzz.yaml", text, ecolint::FileKind::Yaml, options);
  return 0;
}
