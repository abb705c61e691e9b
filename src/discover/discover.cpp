#include "discover/discover.hpp"

#include <git2.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <dirent.h>
#include <filesystem>
#include <map>
#include <memory>
#include <set>
#include <sys/stat.h>

#include "core/lint.hpp"

namespace fs = std::filesystem;

namespace ecolint {

namespace {

// Folders never walked into: version control and tool caches (as Ruff and ripgrep skip them).
const std::set<std::string> kSkippedDirs = {".git", ".hg", ".svn", ".bzr", "_darcs", ".jj",
                                            "__pycache__", ".mypy_cache", ".ruff_cache", ".pytest_cache",
                                            ".tox", ".nox", "node_modules"};

struct GitLibrary {
  GitLibrary() { git_libgit2_init(); }
  ~GitLibrary() { git_libgit2_shutdown(); }
};

struct RepoDeleter {
  void operator()(git_repository* r) const { git_repository_free(r); }
};
using RepoPtr = std::unique_ptr<git_repository, RepoDeleter>;

// The git repository a directory belongs to, if any, with its work tree root.
struct RepoContext {
  RepoPtr repo;
  fs::path workdir;
};

RepoContext open_repo_for(const fs::path& dir) {
  // libgit2 is initialised on first use only: linting explicit files (pre-commit) never pays for it.
  static GitLibrary git_library;
  RepoContext ctx;
  git_repository* repo = nullptr;
  std::error_code ec;
  fs::path abs = fs::absolute(dir, ec);
  if (git_repository_open_ext(&repo, abs.c_str(), 0, nullptr) != 0) return ctx;
  ctx.repo.reset(repo);
  const char* wd = git_repository_workdir(repo);
  if (!wd) {
    ctx.repo.reset();
    return ctx;
  }
  ctx.workdir = fs::path(wd).lexically_normal();
  return ctx;
}

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

class Walker {
 public:
  Walker(const DiscoverOptions& options, std::vector<FileToLint>& files, std::vector<Note>& notes)
      : options_(options), files_(files), notes_(notes) {}

  void walk_root(const std::string& display, const fs::path& dir) {
    RepoContext repo;
    if (options_.respect_gitignore) repo = open_repo_for(dir);
    std::error_code ec;
    fs::path abs = fs::absolute(dir, ec).lexically_normal();
    walk(display, dir.string(), abs, repo, 0);
  }

 private:
  bool ignored(const RepoContext& repo, const fs::path& abs, bool is_dir) {
    if (!repo.repo) return false;
    fs::path rel = abs.lexically_relative(repo.workdir);
    std::string r = rel.generic_string();
    if (r.empty() || r == "." || r.rfind("..", 0) == 0) return false;
    if (is_dir) r += "/";
    int ignored = 0;
    if (git_ignore_path_is_ignored(&ignored, repo.repo.get(), r.c_str()) != 0) return false;
    return ignored != 0;
  }

  void walk(const std::string& display, const std::string& fs_dir, const fs::path& abs_dir, const RepoContext& repo,
            int depth) {
    if (depth > 256) {
      notes_.push_back({display, "directory nesting deeper than 256 levels; not walked further", {}});
      return;
    }
    DIR* d = ::opendir(fs_dir.c_str());
    if (!d) {
      notes_.push_back({display, std::string("cannot read directory: ") + std::strerror(errno), {}});
      return;
    }
    std::vector<std::pair<std::string, unsigned char>> entries;
    while (dirent* e = ::readdir(d)) {
      std::string name = e->d_name;
      if (name == "." || name == "..") continue;
      entries.emplace_back(std::move(name), e->d_type);
    }
    ::closedir(d);
    std::sort(entries.begin(), entries.end());
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
        fs::path child_abs = abs_dir / name;
        if (ignored(repo, child_abs, true)) continue;
        // A nested repository (a submodule or a vendored checkout) has its own ignore rules.
        std::error_code ec;
        if (options_.respect_gitignore && fs::exists(child_abs / ".git", ec)) {
          RepoContext nested = open_repo_for(child_abs);
          if (nested.repo) {
            walk(child_display, child_fs, child_abs, nested, depth + 1);
            continue;
          }
        }
        walk(child_display, child_fs, child_abs, repo, depth + 1);
      } else if (is_reg && is_lintable_name(name)) {
        if (ignored(repo, abs_dir / name, false)) continue;
        files_.push_back({child_display, child_fs, false});
      }
    }
  }

  const DiscoverOptions& options_;
  std::vector<FileToLint>& files_;
  std::vector<Note>& notes_;
};

}  // namespace

bool is_lintable_name(const std::string& name) { return kind_of_path(name) != FileKind::Unknown; }

bool discover_files(const std::vector<std::string>& arguments, const DiscoverOptions& options,
                    std::vector<FileToLint>& files, std::vector<Note>& notes) {
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
      files.push_back({display, arg, true});
    }
  }
  std::sort(files.begin(), files.end(), [](const FileToLint& a, const FileToLint& b) { return a.display_path < b.display_path; });
  files.erase(std::unique(files.begin(), files.end(),
                          [](const FileToLint& a, const FileToLint& b) { return a.display_path == b.display_path; }),
              files.end());
  return all_exist;
}

}  // namespace ecolint
