#pragma once
// A finding's identity that survives moving code: rule + path + the source line with whitespace
// collapsed, hashed. Line numbers are deliberately not part of it. Shared by SARIF
// (partialFingerprints "ecolint/v1") and baseline files.
#include <string>
#include <string_view>

#include "base/diagnostic.hpp"

namespace ecolint::report {

inline constexpr const char* kFingerprintKey = "ecolint/v1";

// "a.py", "./a.py" and ".//a.py" name the same file.
std::string normalized_path(std::string_view path);
// Trims and collapses runs of whitespace to one space.
std::string normalized_snippet(std::string_view line);
// 16 lowercase hex digits (FNV-1a 64 of rule, path and snippet).
std::string fingerprint(const Diagnostic& d);

}  // namespace ecolint::report
