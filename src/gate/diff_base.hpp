#pragma once
// `--diff-base REF`: which lines changed since the merge base of HEAD and REF (work tree and index
// against that commit, via libgit2; no git hooks run). Untracked files count as entirely changed.
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace ecolint::diffbase {

class ChangedLines {
 public:
  // Whether any of the lines first..last of `path` (any form; made absolute) changed.
  bool touches(const std::string& path, uint32_t first, uint32_t last) const;
  // Keys are absolute, normalized paths.
  std::map<std::string, std::vector<std::pair<uint32_t, uint32_t>>> ranges;
  std::set<std::string> whole_files;
};

// Throws std::runtime_error (not a git repository, unknown REF, ...).
ChangedLines changed_since(const std::string& ref, const std::string& start_dir);

}  // namespace ecolint::diffbase
