// File discovery against real git: a walk must find exactly the untracked files that
// `git ls-files --others --exclude-standard` lists (all of them, as nothing is committed), kept to
// lintable names outside the folders a walk skips. git and libgit2 see a sandboxed HOME and
// XDG_CONFIG_HOME so the user's own ignore settings cannot leak in.
#include <catch2/catch.hpp>

#include <git2.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <unistd.h>

#include "discover/discover.hpp"

namespace fs = std::filesystem;
using namespace ecolint;

namespace {

std::string quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// Runs a shell command and returns its standard output; fails the test if it does not exit 0.
std::string run(const std::string& command) {
  FILE* pipe = ::popen(command.c_str(), "r");
  REQUIRE(pipe != nullptr);
  std::string out;
  char buffer[4096];
  while (std::size_t n = std::fread(buffer, 1, sizeof buffer, pipe)) out.append(buffer, n);
  int status = ::pclose(pipe);
  INFO(command);
  REQUIRE(status == 0);
  return out;
}

void write(const fs::path& file, const std::string& text = "x = 1\n") {
  fs::create_directories(file.parent_path());
  std::ofstream(file, std::ios::binary) << text;
}

// HOME, XDG_CONFIG_HOME and libgit2's config search paths pointed into a temporary directory for
// the test's lifetime; git's system config off.
class Sandbox {
 public:
  fs::path root, home, xdg;

  Sandbox() {
    static int counter = 0;
    root = fs::temp_directory_path() /
           ("ecolint-gitignore-git-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    fs::remove_all(root);
    home = root / "home";
    xdg = root / "xdg";
    fs::create_directories(home);
    fs::create_directories(xdg / "git");
    set_env("HOME", home.string());
    set_env("XDG_CONFIG_HOME", xdg.string());
    set_env("GIT_CONFIG_NOSYSTEM", "1");
    for (const char* name : {"GIT_DIR", "GIT_WORK_TREE", "GIT_COMMON_DIR", "GIT_INDEX_FILE", "GIT_CEILING_DIRECTORIES",
                             "GIT_CONFIG_GLOBAL", "GIT_CONFIG_SYSTEM", "GIT_CONFIG_PARAMETERS", "GIT_CONFIG_COUNT"})
      unset_env(name);
    // libgit2 caches its search paths when first initialised: set them explicitly.
    git_libgit2_init();
    fs::create_directories(root / "empty");
    git_libgit2_opts(GIT_OPT_SET_SEARCH_PATH, GIT_CONFIG_LEVEL_GLOBAL, home.c_str());
    git_libgit2_opts(GIT_OPT_SET_SEARCH_PATH, GIT_CONFIG_LEVEL_XDG, (xdg / "git").c_str());
    git_libgit2_opts(GIT_OPT_SET_SEARCH_PATH, GIT_CONFIG_LEVEL_SYSTEM, (root / "empty").c_str());
    git_libgit2_opts(GIT_OPT_SET_SEARCH_PATH, GIT_CONFIG_LEVEL_PROGRAMDATA, (root / "empty").c_str());
  }

  ~Sandbox() {
    for (auto& [name, value] : saved_) {
      if (value) ::setenv(name.c_str(), value->c_str(), 1);
      else ::unsetenv(name.c_str());
    }
    for (int level : {GIT_CONFIG_LEVEL_GLOBAL, GIT_CONFIG_LEVEL_XDG, GIT_CONFIG_LEVEL_SYSTEM,
                      GIT_CONFIG_LEVEL_PROGRAMDATA})
      git_libgit2_opts(GIT_OPT_SET_SEARCH_PATH, level, nullptr);  // back to the defaults
    git_libgit2_shutdown();
    fs::remove_all(root);
  }

  void set_env(const std::string& name, const std::string& value) {
    save(name);
    ::setenv(name.c_str(), value.c_str(), 1);
  }
  void unset_env(const std::string& name) {
    save(name);
    ::unsetenv(name.c_str());
  }

  fs::path init_repo(const std::string& name) {
    fs::path repo = root / name;
    fs::create_directories(repo);
    run("git -c init.defaultBranch=main init -q " + quote(repo.string()));
    return repo;
  }

 private:
  void save(const std::string& name) {
    if (saved_.count(name)) return;
    const char* value = std::getenv(name.c_str());
    saved_[name] = value ? std::optional<std::string>(value) : std::nullopt;
  }
  std::map<std::string, std::optional<std::string>> saved_;
};

// What a walk should pick up from a git path: a lintable name outside skipped folders.
bool walk_would_consider(const std::string& path) {
  std::stringstream parts(path);
  std::vector<std::string> components;
  for (std::string c; std::getline(parts, c, '/');) components.push_back(c);
  if (components.empty() || path.back() == '/') return false;  // a nested repository: "dir/"
  for (std::size_t i = 0; i + 1 < components.size(); ++i)
    if (is_skipped_dir_name(components[i])) return false;
  return is_lintable_name(components.back());
}

// Untracked, not ignored files under `pathspec` (relative to the top of `repo`), as git lists them.
std::set<std::string> git_untracked(const fs::path& repo, const std::string& pathspec = "") {
  std::string command = "git -C " + quote(repo.string()) + " ls-files -z --others --exclude-standard";
  if (!pathspec.empty()) command += " -- " + quote(pathspec);
  std::string out = run(command);
  std::set<std::string> files;
  std::size_t start = 0;
  for (std::size_t end; (end = out.find('\0', start)) != std::string::npos; start = end + 1) {
    std::string path = out.substr(start, end - start);
    if (walk_would_consider(path)) files.insert(path);
  }
  return files;
}

// What discover_files finds walking `walk_root`, relative to `relative_to`.
std::set<std::string> discovered(const fs::path& walk_root, const fs::path& relative_to,
                                 bool respect_gitignore = true) {
  std::vector<FileToLint> files;
  std::vector<Note> notes;
  DiscoverOptions options;
  options.respect_gitignore = respect_gitignore;
  REQUIRE(discover_files({walk_root.string()}, options, files, notes));
  CHECK(notes.empty());
  std::set<std::string> out;
  for (const FileToLint& f : files) out.insert(fs::path(f.fs_path).lexically_relative(relative_to).generic_string());
  return out;
}

std::set<std::string> with_prefix(const std::string& prefix, const std::set<std::string>& paths) {
  std::set<std::string> out;
  for (const std::string& p : paths) out.insert(prefix + p);
  return out;
}

// The main tree: every line of the ignore files below is there for a file that tests it.
const char* kTopGitignore =
    "\xEF\xBB\xBF" "bom.py\n"
    "# a comment: #comment.py stays\n"
    "\\#hash.py\n"
    "\\!bang.py\n"
    "\n"
    "*.log\n"
    "build/\n"
    "/rootonly.py\n"
    "docs/*.yaml\n"
    "!docs/keep.yaml\n"
    "**/generated/*.py\n"
    "deep/**/leaf.py\n"
    "logs/**\n"
    "!logs/keep.py\n"
    "trail.py   \n"
    "tab.py\t\n"
    "crlf.py\r\n"
    "my file.py\n"
    "\\[weird\\].py\n"
    "[xyz]cls.py\n"
    "[!a-m]y.py\n"
    "[^n-z]z.py\n"
    "q?.yaml\n"
    "data[0-9].yml\n"
    "num[[:digit:]].py\n"
    "cfg.yaml/\n"
    "sub/nested.py\n"
    "st**ar/*.py\n"
    "!gitignore_wins.py\n"
    "spaced\\ /\n"
    "a b/ignored*\n"
    "*.ipynb\n"
    "!important.ipynb\n"
    "reinc/\n"
    "!reinc/keep.py\n"
    "ignored_dir/\n"
    "vendored.py\n"
    "upper.py\n"
    "unclosed[.py\n"
    "bs.py\\\n";  // a trailing backslash: never matches

const char* kPkgGitignore =
    "/local.py\n"
    "*.yml\n"
    "!keep.yml\n"
    "**/tmp/\n"
    "sub2/mid.py\n"
    "!rootonly.py\n";

const char* kInnerGitignore =
    "!special.yml\n"
    "*.py\n"
    "!main.py\n";

const char* kInfoExclude =
    "excl/\n"
    "info_only.py\n"
    "gitignore_wins.py\n";

void make_main_tree(const fs::path& repo) {
  write(repo / ".gitignore", kTopGitignore);
  write(repo / "pkg/.gitignore", kPkgGitignore);
  write(repo / "pkg/inner/.gitignore", kInnerGitignore);
  write(repo / ".git/info/exclude", kInfoExclude);
  for (const char* file : {
          "a.py", "b.yaml", "c.yml", "d.ipynb", "notes.txt", "app.log", "bom.py", "#comment.py", "#hash.py",
          "!bang.py", "bang.py", "rootonly.py", "trail.py", "tab.py", "crlf.py", "my file.py", "my file2.py",
          "[weird].py", "w.py", "xcls.py", "[xyz]cls.py", "ny.py", "ay.py", "az.py", "nz.py", "q1.yaml", "q12.yaml",
          "data5.yml", "dataX.yml", "num7.py", "numx.py", "cfg.yaml", "conf/cfg.yaml/inner.py", "build/x.py",
          "src/build/y.py", "src/buildx.py", "docs/a.yaml", "docs/keep.yaml", "docs/sub/b.yaml", "other/docs/c.yaml",
          "x/generated/g.py", "generated/g.py", "generated/deep/g2.py", "xgenerated/g.py", "deep/leaf.py",
          "deep/1/2/leaf.py", "deep/leafy.py", "deep/1/xleaf.py", "logs/a.py", "logs/keep.py", "logs/sub/b.py",
          "sub/nested.py", "a/sub/nested.py", "star/s.py", "stXYar/s.py", "st/q/ar/s.py", "gitignore_wins.py",
          "info_only.py", "excl/e.py", "spaced /x.py", "spaced/x.py", "a b/c d.yaml", "a b/ignored e.yaml",
          "nb/important.ipynb", "nb/other.ipynb", "reinc/keep.py", "ignored_dir/i.py", "vendored.py", "Upper.py",
          "unclosed[.py", "bs.py", "node_modules/m.py", "__pycache__/p.py", ".tox/t.py", "src/.mypy_cache/c.py",
          "pkg/local.py", "pkg/deeper/local.py", "local.py", "pkg/a.yml", "pkg/keep.yml", "pkg/tmp/t.py",
          "pkg/x/tmp/t.py", "tmp/t.py", "pkg/sub2/mid.py", "pkg/x/sub2/mid.py", "pkg/rootonly.py", "pkg/n.ipynb",
          "pkg/inner/b.yml", "pkg/inner/special.yml", "pkg/inner/i.py", "pkg/inner/main.py", "pkg/inner/build/z.py",
          "lnk/l.py"})
    write(repo / file);
  // A .gitignore inside ignored_dir is never read: git does not enter ignored directories.
  write(repo / "ignored_dir/.gitignore", "!*.py\n");
  // A symlinked .gitignore is not read (git >= 2.32 refuses to follow it).
  write(repo / "linked-ignore", "*.py\n");
  fs::create_symlink("../linked-ignore", repo / "lnk/.gitignore");
}

}  // namespace

TEST_CASE("discover matches git ls-files on a tree exercising every gitignore rule", "[gitignore][git]") {
  Sandbox sandbox;
  fs::path repo = sandbox.init_repo("repo");
  make_main_tree(repo);

  std::set<std::string> expected = git_untracked(repo);
  // Guard the test itself: git did apply the rules, and not every file is ignored.
  for (const char* kept : {"a.py", "logs/keep.py", "docs/keep.yaml", "pkg/inner/special.yml", "pkg/inner/main.py",
                           "gitignore_wins.py", "spaced/x.py", "lnk/l.py", "tab.py", "Upper.py", "#comment.py",
                           "bs.py", "unclosed[.py", "xgenerated/g.py", "deep/1/xleaf.py", "st/q/ar/s.py"})
    CHECK(expected.count(kept) == 1);
  for (const char* ignored : {"bom.py", "#hash.py", "!bang.py", "build/x.py", "docs/a.yaml", "deep/1/2/leaf.py",
                              "crlf.py", "trail.py", "reinc/keep.py", "pkg/inner/i.py", "info_only.py",
                              "spaced /x.py", "nb/other.ipynb"})
    CHECK(expected.count(ignored) == 0);

  CHECK(discovered(repo, repo) == expected);
  CHECK(discovered(repo, repo, false).size() > expected.size() + 30);
}

TEST_CASE("discover matches git when walking a subdirectory of the work tree", "[gitignore][git]") {
  Sandbox sandbox;
  fs::path repo = sandbox.init_repo("repo");
  make_main_tree(repo);

  // The .gitignore files of the directories above the walk root apply too.
  for (const char* sub : {"pkg", "pkg/inner", "logs", "docs", "nb", "src", "a b"}) {
    INFO(sub);
    std::set<std::string> expected = git_untracked(repo, sub);
    CHECK_FALSE(expected.empty());
    CHECK(discovered(repo / sub, repo) == expected);
  }
  // Inside an ignored directory nothing is found, whatever negations say.
  for (const char* sub : {"build", "reinc", "ignored_dir", "pkg/tmp", "conf/cfg.yaml"}) {
    INFO(sub);
    CHECK(git_untracked(repo, sub).empty());
    CHECK(discovered(repo / sub, repo).empty());
  }
  // An ignored directory's content is found when git's rules are off.
  CHECK(discovered(repo / "build", repo, false) == std::set<std::string>{"build/x.py"});
}

TEST_CASE("discover matches git for a nested repository, which has its own ignore rules", "[gitignore][git]") {
  Sandbox sandbox;
  fs::path repo = sandbox.init_repo("repo");
  make_main_tree(repo);
  fs::path nested = sandbox.init_repo("repo/vendor/lib");
  write(repo / "vendor/vendored.py");           // ignored by the outer "vendored.py"
  write(nested / "vendored.py");                // not: the outer rules stop at the nested repository
  write(nested / "build/b.py");                 // not: the outer "build/" does not apply either
  write(nested / "v.yaml");                     // ignored by the nested .gitignore
  write(nested / "nested_info.py");             // ignored by the nested info/exclude
  write(nested / "info_only.py");               // not: the outer info/exclude does not apply
  write(nested / "n.py");
  write(nested / ".gitignore", "*.yaml\n");
  write(nested / ".git/info/exclude", "nested_info.py\n");

  std::set<std::string> nested_expected = git_untracked(nested);
  CHECK(nested_expected == std::set<std::string>{"build/b.py", "info_only.py", "n.py", "vendored.py"});
  std::set<std::string> expected = git_untracked(repo);
  CHECK(expected.count("vendor/vendored.py") == 0);
  for (const std::string& p : with_prefix("vendor/lib/", nested_expected)) expected.insert(p);

  CHECK(discovered(repo, repo) == expected);
  CHECK(discovered(repo / "vendor", repo) == with_prefix("vendor/lib/", nested_expected));
  CHECK(discovered(nested, nested) == nested_expected);
}

TEST_CASE("discover matches git for core.excludesFile and its default location", "[gitignore][git]") {
  Sandbox sandbox;
  fs::path repo = sandbox.init_repo("repo");
  for (const char* file : {"ga.py", "gx.py", "gy.py", "h.py", "k.py", "other.py", "sub/ga.py", "sub/h.py"})
    write(repo / file);
  // Precedence: core.excludesFile < info/exclude < .gitignore.
  const std::string excludes = "g*.py\nh.py\nk.py\n";
  write(repo / ".git/info/exclude", "!gx.py\n");
  write(repo / ".gitignore", "!gy.py\n!h.py\n");

  auto check_against_git = [&](const std::set<std::string>& want) {
    std::set<std::string> expected = git_untracked(repo);
    CHECK(expected == want);
    CHECK(discovered(repo, repo) == expected);
    CHECK(discovered(repo / "sub", repo) == git_untracked(repo, "sub"));
  };
  const std::set<std::string> with_excludes = {"gx.py", "gy.py", "h.py", "other.py", "sub/h.py"};
  const std::set<std::string> without_excludes = {"ga.py", "gx.py", "gy.py", "h.py", "k.py", "other.py",
                                                  "sub/ga.py", "sub/h.py"};

  SECTION("set in the repository's config, absolute") {
    write(sandbox.root / "my-excludes", excludes);
    fs::path file = sandbox.root / "my-excludes";
    run("git -C " + quote(repo.string()) + " config core.excludesFile " + quote(file.string()));
    check_against_git(with_excludes);
  }
  SECTION("set in the repository's config, relative to the top of the work tree") {
    write(repo / "rel.excludes", excludes);
    run("git -C " + quote(repo.string()) + " config core.excludesFile rel.excludes");
    check_against_git(with_excludes);
  }
  SECTION("set in the global config, with ~/") {
    write(sandbox.home / "global-excludes", excludes);
    write(sandbox.home / ".gitconfig", "[core]\n\texcludesFile = ~/global-excludes\n");
    check_against_git(with_excludes);
  }
  SECTION("unset: $XDG_CONFIG_HOME/git/ignore") {
    write(sandbox.xdg / "git/ignore", excludes);
    check_against_git(with_excludes);
  }
  SECTION("unset, no XDG_CONFIG_HOME: ~/.config/git/ignore") {
    sandbox.unset_env("XDG_CONFIG_HOME");
    write(sandbox.home / ".config/git/ignore", excludes);
    check_against_git(with_excludes);
  }
  SECTION("set to a missing file: no global rules, not even the default file") {
    write(sandbox.xdg / "git/ignore", excludes);
    run("git -C " + quote(repo.string()) + " config core.excludesFile " + quote((sandbox.root / "missing").string()));
    check_against_git(without_excludes);
  }
}

TEST_CASE("discover reads no ignore file outside a work tree, except in nested repositories", "[gitignore][git]") {
  Sandbox sandbox;
  fs::path plain = sandbox.root / "plain";
  write(plain / ".gitignore", "*.py\n");
  write(plain / "a.py");
  write(plain / "sub/b.py");
  fs::path nested = sandbox.init_repo("plain/repo");
  write(nested / ".gitignore", "ignored.py\n");
  write(nested / "ignored.py");
  write(nested / "kept.py");
  CHECK(discovered(plain, plain) == std::set<std::string>{"a.py", "repo/kept.py", "sub/b.py"});
  CHECK(discovered(plain, plain, false) ==
        std::set<std::string>{"a.py", "repo/ignored.py", "repo/kept.py", "sub/b.py"});
}
