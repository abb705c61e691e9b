#include "discover/gitignore.hpp"

#include "base/glob.hpp"
#include "base/regular_file.hpp"

#include "git/libgit2.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <memory>
#include <stdexcept>
#include <sys/stat.h>
#include <unistd.h>

namespace fs = std::filesystem;

namespace ecolint {

namespace {

// Trailing spaces are dropped unless a backslash escapes them (tabs are kept, as in git).
std::string_view without_trailing_spaces(std::string_view line) {
  std::size_t keep = 0;
  for (std::size_t i = 0; i < line.size(); ++i) {
    if (line[i] == '\\' && i + 1 < line.size()) {
      ++i;
      keep = i + 1;
    } else if (line[i] != ' ') {
      keep = i + 1;
    }
  }
  return line.substr(0, keep);
}

std::string_view without_trailing_newlines(std::string_view s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

// A regular file of at most `max_bytes`, read whole; false otherwise (base/regular_file.hpp).
bool read_small_file(const fs::path& file, bool follow_symlink, std::size_t max_bytes, std::string& out) {
  std::string error;
  return read_regular_file(file.string(), {max_bytes, follow_symlink}, out, error);
}

bool exists_as(const fs::path& p, mode_t type) {
  struct stat st {};
  return ::stat(p.c_str(), &st) == 0 && (st.st_mode & S_IFMT) == type;
}

// A path read from a file or from config; a relative one is relative to `relative_to`.
fs::path resolved_path(std::string_view target, const fs::path& relative_to) {
  fs::path p{std::string(target)};
  p = (p.is_relative() ? relative_to / p : p).lexically_normal();
  if (!p.has_filename() && p.has_relative_path()) p = p.parent_path();  // "a/b/.." is "a/", not "a"
  return p;
}

// The common directory of a git directory, if it looks like one (HEAD in it; objects and refs in
// the common directory, which a linked worktree names in its `commondir` file), as git checks.
std::optional<fs::path> common_dir_of(const fs::path& git_dir) {
  if (::access((git_dir / "HEAD").c_str(), F_OK) != 0) return std::nullopt;
  fs::path common = git_dir;
  std::string text;
  if (read_small_file(git_dir / "commondir", true, 4096, text))
    common = resolved_path(without_trailing_newlines(text), git_dir);
  if (!exists_as(common / "objects", S_IFDIR) || !exists_as(common / "refs", S_IFDIR)) return std::nullopt;
  return common;
}

struct RepoDeleter {
  void operator()(git_repository* r) const { git::api().git_repository_free(r); }
};
struct ConfigDeleter {
  void operator()(git_config* c) const { git::api().git_config_free(c); }
};

// Whether any configuration file git or libgit2 reads for this work tree could set
// core.excludesFile: one that mentions it or includes another file. Starting libgit2 costs more
// than a whole small run (it loads the TLS certificates), and most configurations set no
// excludesFile, so those are answered without it.
bool config_may_set_excludes_file(const GitWorkTree& tree) {
  std::vector<fs::path> files = {"/etc/gitconfig", tree.common_dir / "config", tree.common_dir / "config.worktree"};
  const char* home = std::getenv("HOME");
  const char* xdg = std::getenv("XDG_CONFIG_HOME");
  if (home && *home) files.push_back(fs::path(home) / ".gitconfig");
  if (xdg && *xdg) files.push_back(fs::path(xdg) / "git" / "config");
  else if (home && *home) files.push_back(fs::path(home) / ".config" / "git" / "config");
  for (const auto& f : files) {
    std::string text;
    if (::access(f.c_str(), F_OK) != 0) continue;
    if (!read_small_file(f, true, 1 << 20, text)) return true;  // unreadable or huge: ask libgit2
    for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (text.find("excludesfile") != std::string::npos || text.find("include") != std::string::npos) return true;
  }
  return false;
}

// The value of core.excludesFile in the repository's configuration (with the global and system
// ones under it), `~/` expanded; nullopt when unset or unreadable.
std::optional<std::string> configured_excludes_file(const GitWorkTree& tree) {
  if (!config_may_set_excludes_file(tree)) return std::nullopt;
  // libgit2 is loaded on first use only (src/git/libgit2.hpp). Without it (a broken install) the
  // default ignore file is used.
  try {
    git::api();
  } catch (const std::exception&) {
    return std::nullopt;
  }
  std::unique_ptr<git_repository, RepoDeleter> repo;
  std::unique_ptr<git_config, ConfigDeleter> config;
  git_repository* raw_repo = nullptr;
  git_config* raw_config = nullptr;
  if (git::api().git_repository_open_ext(&raw_repo, tree.top.c_str(), GIT_REPOSITORY_OPEN_NO_SEARCH, nullptr) == 0) {
    repo.reset(raw_repo);
    if (git::api().git_repository_config(&raw_config, repo.get()) != 0) return std::nullopt;
    config.reset(raw_config);
  } else {
    // libgit2 refuses some repositories (one owned by another user, say); reading one setting of
    // their configuration file is harmless.
    if (git::api().git_config_open_default(&raw_config) != 0) return std::nullopt;
    config.reset(raw_config);
    fs::path local = tree.common_dir / "config";
    if (::access(local.c_str(), R_OK) == 0)
      git::api().git_config_add_file_ondisk(config.get(), local.c_str(), GIT_CONFIG_LEVEL_LOCAL, nullptr, 0);
  }
  git_buf value = GIT_BUF_INIT;
  std::optional<std::string> result;
  if (git::api().git_config_get_path(&value, config.get(), "core.excludesfile") == 0) result.emplace(value.ptr, value.size);
  git::api().git_buf_dispose(&value);
  return result;
}

// core.excludesFile, or git's default $XDG_CONFIG_HOME/git/ignore (~/.config/git/ignore).
std::optional<fs::path> excludes_file(const GitWorkTree& tree) {
  if (std::optional<std::string> configured = configured_excludes_file(tree)) {
    if (configured->empty()) return std::nullopt;
    // git reads it from the top of the work tree.
    return resolved_path(*configured, tree.top);
  }
  const char* xdg = std::getenv("XDG_CONFIG_HOME");
  if (xdg && *xdg) return fs::path(xdg) / "git" / "ignore";
  const char* home = std::getenv("HOME");
  if (home && *home) return fs::path(home) / ".config" / "git" / "ignore";
  return std::nullopt;
}

}  // namespace

// ---- IgnoreRules --------------------------------------------------------------------------------

void IgnoreRules::add_text(std::string_view text) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  while (!text.empty()) {
    std::size_t end = text.find('\n');
    add_line(text.substr(0, end));
    text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
  }
}

void IgnoreRules::add_line(std::string_view line) {
  if (line.empty() || line[0] == '#') return;
  if (line.back() == '\r') line.remove_suffix(1);
  line = line.substr(0, line.find('\0'));  // git reads each line as a C string
  line = without_trailing_spaces(line);
  bool negated = !line.empty() && line[0] == '!';
  if (negated) line.remove_prefix(1);
  bool directories_only = !line.empty() && line.back() == '/';
  if (directories_only) line.remove_suffix(1);
  if (line.empty()) return;
  bool basename_only = line.find('/') == std::string_view::npos;
  if (line[0] == '/') line.remove_prefix(1);  // a leading slash only anchors
  patterns_.push_back({Glob(line), negated, directories_only, basename_only});
}

IgnoreVerdict IgnoreRules::match(std::string_view path, bool is_dir) const {
  std::string_view below = path;  // relative to base_
  if (!base_.empty()) {
    if (path.size() <= base_.size() || path.compare(0, base_.size(), base_) != 0 || path[base_.size()] != '/')
      return IgnoreVerdict::NoMatch;
    below.remove_prefix(base_.size() + 1);
  }
  std::size_t slash = below.rfind('/');
  std::string_view name = slash == std::string_view::npos ? below : below.substr(slash + 1);
  for (auto it = patterns_.rbegin(); it != patterns_.rend(); ++it) {
    if (it->directories_only && !is_dir) continue;
    if (it->glob.matches(it->basename_only ? name : below))
      return it->negated ? IgnoreVerdict::Reincluded : IgnoreVerdict::Ignored;
  }
  return IgnoreVerdict::NoMatch;
}

bool is_ignored(const IgnoreLevel* innermost, std::string_view path, bool is_dir) {
  for (const IgnoreLevel* level = innermost; level; level = level->parent) {
    IgnoreVerdict verdict = level->rules.match(path, is_dir);
    if (verdict != IgnoreVerdict::NoMatch) return verdict == IgnoreVerdict::Ignored;
  }
  return false;
}

// ---- Files and work trees ---------------------------------------------------------------------

bool add_ignore_file(IgnoreRules& rules, const fs::path& file, bool follow_symlink) {
  std::string text;
  if (!read_small_file(file, follow_symlink, kMaxIgnoreFileBytes, text)) return false;
  rules.add_text(text);
  return true;
}

std::optional<GitWorkTree> git_work_tree_at(const fs::path& dir) {
  fs::path dot_git = dir / ".git";
  struct stat st {};
  if (::stat(dot_git.c_str(), &st) != 0) return std::nullopt;
  fs::path git_dir;
  if (S_ISDIR(st.st_mode)) {
    git_dir = dot_git;
  } else if (S_ISREG(st.st_mode)) {
    std::string text;
    if (!read_small_file(dot_git, true, 4096, text)) return std::nullopt;
    std::string_view rest = text;
    constexpr std::string_view kPrefix = "gitdir:";
    if (rest.substr(0, kPrefix.size()) != kPrefix) return std::nullopt;
    rest.remove_prefix(kPrefix.size());
    while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
    rest = without_trailing_newlines(rest);
    if (rest.empty()) return std::nullopt;
    git_dir = resolved_path(rest, dir);
  } else {
    return std::nullopt;
  }
  std::optional<fs::path> common = common_dir_of(git_dir);
  if (!common) return std::nullopt;
  return GitWorkTree{dir, *common};
}

std::optional<GitWorkTree> find_git_work_tree(const fs::path& dir) {
  for (fs::path d = dir;; d = d.parent_path()) {
    if (std::optional<GitWorkTree> tree = git_work_tree_at(d)) return tree;
    if (d.parent_path() == d || d.parent_path().empty()) return std::nullopt;
  }
}

IgnoreRules repository_exclude_rules(const GitWorkTree& tree) {
  IgnoreRules rules;
  if (std::optional<fs::path> file = excludes_file(tree)) add_ignore_file(rules, *file, true);
  add_ignore_file(rules, tree.common_dir / "info" / "exclude", true);
  return rules;
}

}  // namespace ecolint
