#pragma once
// Shared test helpers: lint text of each kind with every rule on.
#include <string>

#include "pipeline/lint.hpp"

namespace ecolint::testing {

inline FileResult lint_py(std::string text, const std::string& path = "t.py") {
  return lint_text(path, std::move(text), FileKind::Python, LintOptions::all_rules());
}
inline FileResult lint_yaml(std::string text, const std::string& path = "t.yaml") {
  return lint_text(path, std::move(text), FileKind::Yaml, LintOptions::all_rules());
}
inline FileResult lint_nb(std::string raw, const std::string& path = "t.ipynb") {
  return lint_text(path, std::move(raw), FileKind::Notebook, LintOptions::all_rules());
}

}  // namespace ecolint::testing
