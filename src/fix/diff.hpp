#pragma once
// Unified diffs (as `diff -u` writes them, 3 lines of context) for `--diff`.
#include <string>

namespace ecolint::fix {

// The diff from `before` to `after`, labelled a/`path` and b/`path`; empty when they are equal.
std::string unified_diff(const std::string& path, const std::string& before, const std::string& after);

}  // namespace ecolint::fix
