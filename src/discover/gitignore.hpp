#pragma once
// git's ignore rules (gitignore(5)) matched in memory. Each ignore file is read and parsed once;
// a directory walk stacks one IgnoreLevel per directory that has a .gitignore, so asking whether
// a path is ignored touches no file system (libgit2 re-checked the ignore files on every call).
#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/glob.hpp"

namespace ecolint {

enum class IgnoreVerdict { NoMatch, Ignored, Reincluded };

// The patterns of one directory's ignore file, or of info/exclude after core.excludesFile (both
// apply from the work-tree top). Within the list, the last matching pattern decides.
class IgnoreRules {
 public:
  // `base`: the directory the patterns apply from, relative to the work-tree top, '/'-separated,
  // without a trailing slash ("" for the top). Patterns with a slash are anchored there.
  explicit IgnoreRules(std::string base = "") : base_(std::move(base)) {}

  // Adds the patterns of one ignore file's text (comments, blank lines, escapes, trailing spaces,
  // CRLF and a UTF-8 byte-order mark handled as git does).
  void add_text(std::string_view text);
  // `path` is relative to the work-tree top, '/'-separated, without a trailing slash.
  IgnoreVerdict match(std::string_view path, bool is_dir) const;
  bool empty() const { return patterns_.empty(); }

 private:
  struct Pattern {
    Glob glob;
    bool negated = false;
    bool directories_only = false;
    bool basename_only = false;  // no slash (but perhaps a trailing one): matches a name at any depth
  };
  void add_line(std::string_view line);

  std::string base_;
  std::vector<Pattern> patterns_;
};

// One level of a directory walk: a directory's rules over those of the directories above it (the
// top level holding core.excludesFile and info/exclude). Deeper levels win.
struct IgnoreLevel {
  IgnoreRules rules;
  const IgnoreLevel* parent = nullptr;
};

// Whether the innermost level with a pattern matching `path` ignores it. Parent directories are
// not consulted: a walk does not enter ignored directories, so their content is never asked about.
bool is_ignored(const IgnoreLevel* innermost, std::string_view path, bool is_dir);

// A git work tree: its top directory and the git directory holding info/exclude and config.
struct GitWorkTree {
  std::filesystem::path top;
  std::filesystem::path common_dir;  // $GIT_COMMON_DIR: the git directory, or the main one of a worktree
};

// The work tree whose top is `dir`: `dir/.git` is a git directory or a `gitdir: <path>` file
// naming one (relative paths relative to `dir`).
std::optional<GitWorkTree> git_work_tree_at(const std::filesystem::path& dir);

// The innermost work tree containing the absolute directory `dir`, found by walking up.
std::optional<GitWorkTree> find_git_work_tree(const std::filesystem::path& dir);

// Ignore files larger than this are skipped (as are unreadable ones and non-regular files).
constexpr std::size_t kMaxIgnoreFileBytes = 1024 * 1024;

// Adds the patterns of `file` to `rules`; false (nothing added) when the file is missing,
// unreadable, not a regular file or too large. A .gitignore inside the work tree is not read
// through a symbolic link (`follow_symlink` false), as git does.
bool add_ignore_file(IgnoreRules& rules, const std::filesystem::path& file, bool follow_symlink);

// The rules that apply from the top of `tree` before any .gitignore: the file core.excludesFile
// names (read from git config via libgit2; by default $XDG_CONFIG_HOME/git/ignore or
// ~/.config/git/ignore), then $GIT_COMMON_DIR/info/exclude, which wins over it.
IgnoreRules repository_exclude_rules(const GitWorkTree& tree);

}  // namespace ecolint
