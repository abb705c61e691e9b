#pragma once
// Applying fixes to a file's text: the one engine behind `--fix`, `--diff` and the editors'
// "fix all". A fix is all of its edits or none; a fix whose edits overlap one already taken waits
// for the next round (the caller lints the new text and applies again, as Ruff does).
#include <string>
#include <vector>

#include "base/diagnostic.hpp"

namespace ecolint::fix {

// The fix of `d` that `unsafe` allows (the first safe one, or with `unsafe` the first of any), or null.
const Fix* applicable_fix(const Diagnostic& d, bool unsafe);

struct Applied {
  std::string text;                          // the new text
  std::vector<const Diagnostic*> fixed;      // whose fix went in (also those an identical fix covered)
};

// Applies the applicable fixes of `diagnostics` to `text` (the file as the diagnostics saw it:
// no BOM). Line breaks in inserted text follow the file's (\r\n when its first line break is).
Applied apply_fixes(const std::string& text, const std::vector<const Diagnostic*>& diagnostics, bool unsafe);

}  // namespace ecolint::fix
