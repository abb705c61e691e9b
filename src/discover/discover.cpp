#include "discover/discover.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <deque>
#include <dirent.h>
#include <filesystem>
#include <optional>
#include <set>
#include <sys/stat.h>

#include "base/file_kind.hpp"
#include "discover/gitignore.hpp"

namespace fs = std::filesystem;

namespace ecolint {

namespace {

// Folders never walked into: version control and tool caches (as Ruff and ripgrep skip them).
const std::set<std::string> kSkippedDirs = {".git", ".hg", ".svn", ".bzr", "_darcs", ".jj",
                                            "__pycache__", ".mypy_cache", ".ruff_cache", ".pytest_cache",
                                            ".tox", ".nox", "node_modules"};

std::string join_display(const std::string& base, const std::string& name) {
  if (base.empty() || base == ".") return name;
  if (base.back() == '/') return base + name;
  return base + "/" + name;
}

std::string normal_display(const std::string& arg) {
  fs::path p = fs::path(arg).lexically_normal();
  std::string s = p.string();
  while (s.size() > 1 && s.back() == '/') s.pop_back();
  if (s.empty()) s = ".";
  return s;
}

// Where a walked directory stands with respect to git's ignore rules.
struct IgnoreScope {
  const IgnoreLevel* level = nullptr;  // innermost rules; null outside a work tree or with --no-gitignore
  std::string dir;                     // the directory relative to the work-tree top ("" at the top)
};

std::string join_relative(const std::string& dir, const std::string& name) {
  return dir.empty() ? name : dir + "/" + name;
}

class Walker {
 public:
  Walker(const DiscoverOptions& options, const FileSink& files, std::vector<Note>& notes)
      : options_(options), files_(files), notes_(notes) {}

  void walk_root(const std::string& display, const fs::path& dir) {
    std::error_code ec;
    fs::path abs = fs::absolute(dir, ec).lexically_normal();
    std::optional<GitWorkTree> tree;
    fs::path physical;
    if (options_.respect_gitignore) {
      // Like git, look for the work tree from the physical directory (symbolic links resolved).
      physical = fs::canonical(dir, ec);
      if (ec) physical = abs;
      tree = find_git_work_tree(physical);
    }
    if (!tree) {
      walk(display, dir.string(), abs, {}, 0);
      return;
    }
    // The work tree's rules, then the .gitignore of every directory from its top down to the walk
    // root's parent: they apply below the root too. A root inside an ignored directory is ignored
    // with all its content (git lists nothing there).
    std::deque<IgnoreLevel> levels;
    levels.push_back({repository_exclude_rules(*tree), nullptr});
    IgnoreScope scope{&levels.back(), ""};
    fs::path relative = physical.lexically_relative(tree->top);
    fs::path ancestor = tree->top;
    if (relative != ".") {
      for (const fs::path& component : relative) {
        IgnoreRules rules(scope.dir);
        if (add_ignore_file(rules, ancestor / ".gitignore", false) && !rules.empty()) {
          levels.push_back({std::move(rules), scope.level});
          scope.level = &levels.back();
        }
        ancestor /= component;
        scope.dir = join_relative(scope.dir, component.string());
        if (is_ignored(scope.level, scope.dir, true)) {
          if (DIR* d = open_dir(display, dir.string())) ::closedir(d);
          return;
        }
      }
    }
    walk(display, dir.string(), abs, scope, 0);
  }

 private:
  // Opens a directory, or notes why it cannot be read.
  DIR* open_dir(const std::string& display, const std::string& fs_dir) {
    DIR* d = ::opendir(fs_dir.c_str());
    if (!d) notes_.push_back({display, std::string("cannot read directory: ") + std::strerror(errno), {}});
    return d;
  }

  void walk(const std::string& display, const std::string& fs_dir, const fs::path& abs_dir, const IgnoreScope& scope,
            int depth) {
    if (depth > 256) {
      notes_.push_back({display, "directory nesting deeper than 256 levels; not walked further", {}});
      return;
    }
    DIR* d = open_dir(display, fs_dir);
    if (!d) return;
    std::vector<std::pair<std::string, unsigned char>> entries;
    while (dirent* e = ::readdir(d)) {
      std::string name = e->d_name;
      if (name == "." || name == "..") continue;
      entries.emplace_back(std::move(name), e->d_type);
    }
    ::closedir(d);
    std::sort(entries.begin(), entries.end());
    // This directory's .gitignore, over the rules of the directories above.
    IgnoreLevel own{IgnoreRules(scope.dir), scope.level};
    const IgnoreLevel* level = scope.level;
    bool has_gitignore =
        std::any_of(entries.begin(), entries.end(), [](const auto& e) { return e.first == ".gitignore"; });
    if (level && has_gitignore && add_ignore_file(own.rules, fs_dir + "/.gitignore", false) && !own.rules.empty())
      level = &own;
    for (auto& [name, type] : entries) {
      std::string child_fs = fs_dir == "/" ? "/" + name : fs_dir + "/" + name;
      std::string child_display = join_display(display, name);
      bool is_dir = type == DT_DIR, is_reg = type == DT_REG;
      if (type == DT_UNKNOWN) {
        struct stat st {};
        if (::lstat(child_fs.c_str(), &st) != 0) continue;
        is_dir = S_ISDIR(st.st_mode);
        is_reg = S_ISREG(st.st_mode);
      }
      // Symlinks are never followed during a walk: they may point outside the tree or loop.
      if (is_dir) {
        if (kSkippedDirs.count(name)) continue;
        std::string child_relative = level ? join_relative(scope.dir, name) : std::string();
        if (level && is_ignored(level, child_relative, true)) continue;
        fs::path child_abs = abs_dir / name;
        // A nested repository (a submodule or a vendored checkout) has its own ignore rules.
        if (options_.respect_gitignore) {
          if (std::optional<GitWorkTree> nested = git_work_tree_at(child_abs)) {
            IgnoreLevel nested_top{repository_exclude_rules(*nested), nullptr};
            walk(child_display, child_fs, child_abs, {&nested_top, ""}, depth + 1);
            continue;
          }
        }
        walk(child_display, child_fs, child_abs, {level, child_relative}, depth + 1);
      } else if (is_reg && is_lintable_name(name)) {
        if (level && is_ignored(level, join_relative(scope.dir, name), false)) continue;
        files_({child_display, child_fs, false});
      }
    }
  }

  const DiscoverOptions& options_;
  const FileSink& files_;
  std::vector<Note>& notes_;
};

}  // namespace

bool is_lintable_name(const std::string& name) { return kind_of_path(name) != FileKind::Unknown; }

bool is_skipped_dir_name(const std::string& name) { return kSkippedDirs.count(name) != 0; }

bool discover_files(const std::vector<std::string>& arguments, const DiscoverOptions& options, const FileSink& files,
                    std::vector<Note>& notes) {
  bool all_exist = true;
  Walker walker(options, files, notes);
  for (const std::string& arg : arguments) {
    struct stat st {};
    if (::stat(arg.c_str(), &st) != 0) {
      notes.push_back({arg, std::string("cannot read: ") + std::strerror(errno), {}});
      all_exist = false;
      continue;
    }
    std::string display = normal_display(arg);
    if (S_ISDIR(st.st_mode)) {
      walker.walk_root(display, fs::path(arg));
    } else {
      // An explicit file is always linted, whatever its name or ignore status.
      files({display, arg, true});
    }
  }
  return all_exist;
}

bool discover_files(const std::vector<std::string>& arguments, const DiscoverOptions& options,
                    std::vector<FileToLint>& files, std::vector<Note>& notes) {
  bool all_exist = discover_files(
      arguments, options, [&](FileToLint&& f) { files.push_back(std::move(f)); }, notes);
  std::stable_sort(files.begin(), files.end(),
                   [](const FileToLint& a, const FileToLint& b) { return a.display_path < b.display_path; });
  files.erase(std::unique(files.begin(), files.end(),
                          [](const FileToLint& a, const FileToLint& b) { return a.display_path == b.display_path; }),
              files.end());
  return all_exist;
}

}  // namespace ecolint
