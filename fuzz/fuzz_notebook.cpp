// Fuzzes notebook linting: JSON extraction of code cells, the raw-offset map, then the Python path.
#include <cstddef>
#include <cstdint>
#include <string>

#include "pipeline/lint.hpp"
#include "notebook/notebook.hpp"
#include "rules/rule.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const ecolint::LintOptions options = ecolint::LintOptions::all_rules();
  std::string raw(reinterpret_cast<const char*>(data), size);
  ecolint::notebook::ExtractError error;
  if (auto nb = ecolint::notebook::extract(raw, error)) {
    // Every byte of the module maps into the raw file.
    for (uint32_t off : nb->raw_offset)
      if (off > raw.size()) __builtin_trap();
  }
  (void)ecolint::lint_text("fuzz.ipynb", raw, ecolint::FileKind::Notebook, options);
  return 0;
}
