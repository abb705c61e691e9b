#pragma once
// `--diff-base REF`: which files changed since the merge base of HEAD and REF (work tree and index
// against that commit, via libgit2; no git hooks run), and what each held at the merge base, so
// the caller can lint that version too and report only the findings that are new by identity (a
// finding on an unchanged line that an edit elsewhere in the file caused is new). Untracked and
// added files are new in full; a renamed file counts as added (no rename detection).
#include <cstdint>
#include <map>
#include <optional>
#include <string>

namespace ecolint::diffbase {

class ChangedFiles {
 public:
  // Whether `path` (any form; made absolute) differs from the merge base.
  bool changed(const std::string& path) const;
  // The text `path` had at the merge base: null when unchanged, an empty optional when the file
  // is new since then (or its base version is not a file, or larger than kMaxBaseBytes).
  const std::optional<std::string>* base_of(const std::string& path) const;
  // Keys are absolute, normalized paths.
  std::map<std::string, std::optional<std::string>> base;
};

// Base versions larger than this are not read (their findings all count as new).
inline constexpr std::size_t kMaxBaseBytes = 32 * 1024 * 1024;

// Throws std::runtime_error (not a git repository, unknown REF, ...).
ChangedFiles changed_since(const std::string& ref, const std::string& start_dir);

}  // namespace ecolint::diffbase
