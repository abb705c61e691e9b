// The in-memory gitignore matcher: glob syntax, line parsing, precedence across levels, reading
// ignore files and finding work trees. tests/unit/test_gitignore_git.cpp compares whole walks
// with git itself.
#include <catch2/catch.hpp>

#include <chrono>
#include <fstream>
#include <sys/stat.h>
#include <unistd.h>

#include "discover/gitignore.hpp"

namespace fs = std::filesystem;
using namespace ecolint;

namespace {

bool glob(std::string_view pattern, std::string_view text) { return Glob(pattern).matches(text); }

// Whether one .gitignore at the work-tree top ignores `path`.
bool ignored_by(const std::string& gitignore, const std::string& path, bool is_dir = false) {
  IgnoreLevel top{IgnoreRules(""), nullptr};
  top.rules.add_text(gitignore);
  return is_ignored(&top, path, is_dir);
}

struct TempDir {
  fs::path path;
  TempDir() {
    static int counter = 0;
    path = fs::temp_directory_path() / ("ecolint-gitignore-unit-" + std::to_string(::getpid()) + "-" +
                                        std::to_string(counter++));
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~TempDir() { fs::remove_all(path); }
};

void write(const fs::path& file, const std::string& text) {
  fs::create_directories(file.parent_path());
  std::ofstream(file, std::ios::binary) << text;
}

// A minimal git directory: what git checks before accepting one.
void make_git_dir(const fs::path& git_dir) {
  fs::create_directories(git_dir / "objects");
  fs::create_directories(git_dir / "refs");
  write(git_dir / "HEAD", "ref: refs/heads/main\n");
}

}  // namespace

TEST_CASE("gitignore glob: literals, * and ? never match a slash", "[gitignore]") {
  CHECK(glob("a.py", "a.py"));
  CHECK_FALSE(glob("a.py", "b.py"));
  CHECK(glob("*.py", "a.py"));
  CHECK(glob("*.py", ".py"));
  CHECK_FALSE(glob("*.py", "d/a.py"));
  CHECK_FALSE(glob("*.py", "a.pyc"));
  CHECK(glob("a*c", "abbc"));
  CHECK(glob("a*c", "ac"));
  CHECK_FALSE(glob("a*c", "ab/c"));
  CHECK(glob("a*c*e", "abcde"));
  CHECK_FALSE(glob("a*c*e", "abcd/e"));
  CHECK(glob("a?c", "abc"));
  CHECK_FALSE(glob("a?c", "a/c"));
  CHECK_FALSE(glob("a?c", "ac"));
  CHECK(glob("*/x.py", "d/x.py"));
  CHECK_FALSE(glob("*/x.py", "d/e/x.py"));
  CHECK(glob("*", "anything"));
  CHECK_FALSE(glob("*", "a/b"));
  // Case-sensitive, as git on Linux (core.ignorecase false).
  CHECK_FALSE(glob("readme.py", "README.py"));
  CHECK_FALSE(glob("*.PY", "a.py"));
}

TEST_CASE("gitignore glob: bracket expressions", "[gitignore]") {
  CHECK(glob("[abc].py", "b.py"));
  CHECK_FALSE(glob("[abc].py", "d.py"));
  CHECK(glob("[a-c]x", "bx"));
  CHECK_FALSE(glob("[a-c]x", "dx"));
  CHECK(glob("[!a-c]x", "dx"));
  CHECK_FALSE(glob("[!a-c]x", "ax"));
  CHECK(glob("[^a-c]x", "dx"));
  CHECK_FALSE(glob("[^a-c]x", "cx"));
  CHECK(glob("[]]x", "]x"));  // `]` first is a member
  CHECK(glob("[!]]x", "ax"));
  CHECK_FALSE(glob("[!]]x", "]x"));
  CHECK(glob("[a-]x", "-x"));  // `-` last is a member
  CHECK(glob("[-a]x", "-x"));
  CHECK(glob("[\\]]x", "]x"));  // escaped `]`
  CHECK(glob("[a\\-c]x", "-x"));
  CHECK_FALSE(glob("[a\\-c]x", "bx"));
  CHECK(glob("[0-9][0-9]", "42"));
  CHECK_FALSE(glob("[z-a]", "m"));  // a reversed range is empty
  CHECK(glob("[[:digit:]]x", "7x"));
  CHECK_FALSE(glob("[[:digit:]]x", "ax"));
  CHECK(glob("[[:upper:][:digit:]]", "Q"));
  CHECK_FALSE(glob("[[:upper:]]", "q"));
  CHECK(glob("[[:]x", ":x"));  // no `:]`: a literal `[` and `:`
  // Never '/', even negated.
  CHECK_FALSE(glob("a[/]b", "a/b"));
  CHECK_FALSE(glob("a[!x]b", "a/b"));
  // Malformed: the pattern never matches.
  CHECK_FALSE(glob("[abc", "a"));
  CHECK_FALSE(glob("[abc", "[abc"));
  CHECK_FALSE(glob("[[:bogus:]]", "b"));
  CHECK_FALSE(glob("x[!]", "x!"));
}

TEST_CASE("gitignore glob: ** spans directories only next to slashes", "[gitignore]") {
  CHECK(glob("**/x", "x"));
  CHECK(glob("**/x", "a/x"));
  CHECK(glob("**/x", "a/b/x"));
  CHECK_FALSE(glob("**/x", "ax"));
  CHECK_FALSE(glob("**/x", "a/bx"));
  CHECK(glob("x/**", "x/a"));
  CHECK(glob("x/**", "x/a/b"));
  CHECK_FALSE(glob("x/**", "x"));
  CHECK_FALSE(glob("x/**", "xa/b"));
  CHECK(glob("a/**/b", "a/b"));
  CHECK(glob("a/**/b", "a/x/b"));
  CHECK(glob("a/**/b", "a/x/y/b"));
  CHECK_FALSE(glob("a/**/b", "a/xb"));
  CHECK_FALSE(glob("a/**/b", "ab"));
  CHECK_FALSE(glob("a/**/b", "a/x/bc"));
  CHECK(glob("**", "a/b/c"));
  CHECK(glob("**/**/x", "x"));
  CHECK(glob("**/**/x", "a/b/x"));
  CHECK(glob("a/**/**/b", "a/b"));
  CHECK(glob("a/**/*.py", "a/x/y.py"));
  CHECK(glob("a/**/*.py", "a/y.py"));
  // Any other ** is a *.
  CHECK(glob("a**b", "axxb"));
  CHECK_FALSE(glob("a**b", "a/b"));
  CHECK_FALSE(glob("a**/b", "ax/y/b"));
  CHECK(glob("a**/b", "ax/b"));
  CHECK(glob("a/**b", "a/xb"));
  CHECK_FALSE(glob("a/**b", "a/x/b"));
  CHECK_FALSE(glob("**a/b", "x/ya/b"));
  // `**` before an escaped slash spans directories but needs at least the slash.
  CHECK(glob("**\\/x", "a/b/x"));
  CHECK_FALSE(glob("**\\/x", "x"));
}

TEST_CASE("gitignore glob: backslash escapes", "[gitignore]") {
  CHECK(glob("\\*x", "*x"));
  CHECK_FALSE(glob("\\*x", "ax"));
  CHECK(glob("\\?", "?"));
  CHECK_FALSE(glob("\\?", "a"));
  CHECK(glob("\\[a\\]", "[a]"));
  CHECK_FALSE(glob("\\[a\\]", "a"));
  CHECK(glob("\\a", "a"));
  CHECK(glob("a\\\\", "a\\"));
  // A trailing backslash escapes nothing: never matches.
  CHECK_FALSE(glob("a\\", "a"));
  CHECK_FALSE(glob("a\\", "a\\"));
}

TEST_CASE("gitignore glob: pathological patterns stay fast", "[gitignore]") {
  auto start = std::chrono::steady_clock::now();
  std::string stars;
  for (int i = 0; i < 25; ++i) stars += "*a";
  stars += "*b";
  std::string as(200, 'a');
  CHECK_FALSE(glob(stars, as));  // backtracking tries ~C(200,25) splits
  CHECK(glob(stars, as + "b"));

  std::string spans;
  for (int i = 0; i < 30; ++i) spans += "**/a/";
  spans += "b";
  std::string path;
  for (int i = 0; i < 100; ++i) path += "a/";
  CHECK_FALSE(glob(spans, path + "c"));
  CHECK(glob(spans, path + "b"));

  std::string repeated;
  for (int i = 0; i < 200000; ++i) repeated += "**/";
  CHECK(glob(repeated + "x", "a/b/x"));
  std::string long_pattern(900000, '?');
  CHECK_FALSE(glob(long_pattern, "short"));
  IgnoreRules rules;
  rules.add_text(std::string(900000, '*') + "a" + std::string(1000, '*') + "b\n");
  for (int i = 0; i < 1000; ++i) CHECK(rules.match("xaxb", false) == IgnoreVerdict::Ignored);
  auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  CHECK(seconds < 5.0);
}

TEST_CASE("gitignore lines: comments, blanks, escapes, trailing spaces, CRLF, BOM", "[gitignore]") {
  CHECK(ignored_by("# comment\n\n   \nfoo.py\n", "foo.py"));
  CHECK_FALSE(ignored_by("# comment\n", "# comment"));
  CHECK_FALSE(ignored_by("#foo.py\n", "#foo.py"));
  CHECK(ignored_by("\\#hash.py\n", "#hash.py"));
  CHECK(ignored_by(" #x.py\n", " #x.py"));  // only a first-column # starts a comment
  CHECK(ignored_by("\\!bang.py\n", "!bang.py"));
  CHECK_FALSE(ignored_by("*.py\n\\!bang.py\n", "other.yaml"));
  CHECK(ignored_by("trail.py   \n", "trail.py"));
  CHECK_FALSE(ignored_by("trail.py   \n", "trail.py   "));
  CHECK(ignored_by("sp\\ \n", "sp "));
  CHECK_FALSE(ignored_by("sp\\ \n", "sp"));
  CHECK(ignored_by("sp\\   \n", "sp "));  // spaces after the escaped one are trimmed
  CHECK_FALSE(ignored_by("tab.py\t\n", "tab.py"));  // only spaces are trimmed
  CHECK(ignored_by("a b.py\n", "a b.py"));
  CHECK(ignored_by("a.py\r\nb.py\r\n", "a.py"));
  CHECK(ignored_by("a.py\r\nb.py\r\n", "b.py"));
  CHECK(ignored_by("\xEF\xBB\xBF" "bom.py\n", "bom.py"));
  CHECK(ignored_by("no-newline.py", "no-newline.py"));
  IgnoreRules nothing;
  nothing.add_text("\n# only comments\n!\n/\n!/\n   \n\r\n");
  CHECK(nothing.empty());
}

TEST_CASE("gitignore lines: negation, last match wins", "[gitignore]") {
  const std::string text = "*.py\n!keep.py\n";
  CHECK(ignored_by(text, "other.py"));
  CHECK_FALSE(ignored_by(text, "keep.py"));
  CHECK_FALSE(ignored_by(text, "d/keep.py"));
  CHECK(ignored_by("!keep.py\n*.py\n", "keep.py"));
  CHECK(ignored_by("*.py\n!keep.py\nkeep.py\n", "keep.py"));
  IgnoreRules rules;
  rules.add_text("*.py\n!keep.py\n");
  CHECK(rules.match("keep.py", false) == IgnoreVerdict::Reincluded);
  CHECK(rules.match("x.py", false) == IgnoreVerdict::Ignored);
  CHECK(rules.match("x.yaml", false) == IgnoreVerdict::NoMatch);
}

TEST_CASE("gitignore lines: trailing slash matches directories only", "[gitignore]") {
  CHECK(ignored_by("build/\n", "build", true));
  CHECK_FALSE(ignored_by("build/\n", "build", false));
  CHECK(ignored_by("build/\n", "src/build", true));
  CHECK(ignored_by("build\n", "build", false));
  CHECK(ignored_by("build\n", "build", true));
  CHECK(ignored_by("src/gen/\n", "src/gen", true));
  CHECK_FALSE(ignored_by("src/gen/\n", "src/gen", false));
  CHECK(ignored_by("*.py\n!keep.py/\n", "keep.py", false));  // a dir-only negation skips files
}

TEST_CASE("gitignore lines: a slash at the start or in the middle anchors", "[gitignore]") {
  CHECK(ignored_by("/top.py\n", "top.py"));
  CHECK_FALSE(ignored_by("/top.py\n", "d/top.py"));
  CHECK(ignored_by("a/b.py\n", "a/b.py"));
  CHECK_FALSE(ignored_by("a/b.py\n", "x/a/b.py"));
  CHECK(ignored_by("b.py\n", "x/y/b.py"));
  CHECK(ignored_by("docs/*.yaml\n", "docs/a.yaml"));
  CHECK_FALSE(ignored_by("docs/*.yaml\n", "docs/sub/a.yaml"));
  CHECK_FALSE(ignored_by("docs/*.yaml\n", "x/docs/a.yaml"));
  CHECK_FALSE(ignored_by("//x.py\n", "x.py"));  // only one leading slash is dropped

  // Patterns of a deeper .gitignore are anchored at its directory.
  IgnoreRules pkg("pkg");
  pkg.add_text("/local.py\nsub/mid.py\nname.py\n");
  CHECK(pkg.match("pkg/local.py", false) == IgnoreVerdict::Ignored);
  CHECK(pkg.match("pkg/x/local.py", false) == IgnoreVerdict::NoMatch);
  CHECK(pkg.match("local.py", false) == IgnoreVerdict::NoMatch);
  CHECK(pkg.match("pkg/sub/mid.py", false) == IgnoreVerdict::Ignored);
  CHECK(pkg.match("pkg/x/sub/mid.py", false) == IgnoreVerdict::NoMatch);
  CHECK(pkg.match("pkg/x/y/name.py", false) == IgnoreVerdict::Ignored);
  CHECK(pkg.match("pkgx/name.py", false) == IgnoreVerdict::NoMatch);
  CHECK(pkg.match("other/name.py", false) == IgnoreVerdict::NoMatch);
}

TEST_CASE("gitignore levels: deeper files win, negation across levels", "[gitignore]") {
  // The top level holds core.excludesFile, then info/exclude (which wins over it).
  IgnoreLevel top{IgnoreRules(""), nullptr};
  top.rules.add_text("g*.py\nh.py\n");  // as if from core.excludesFile
  top.rules.add_text("!gx.py\n");       // as if from info/exclude
  IgnoreLevel root_gitignore{IgnoreRules(""), &top};
  root_gitignore.rules.add_text("*.yaml\n!h.py\n");
  IgnoreLevel sub{IgnoreRules("sub"), &root_gitignore};
  sub.rules.add_text("!keep.yaml\ngx.py\n");

  CHECK(is_ignored(&root_gitignore, "ga.py", false));
  CHECK_FALSE(is_ignored(&root_gitignore, "gx.py", false));  // info/exclude over excludesFile
  CHECK_FALSE(is_ignored(&root_gitignore, "h.py", false));   // .gitignore over both
  CHECK(is_ignored(&root_gitignore, "a.yaml", false));
  CHECK(is_ignored(&sub, "sub/a.yaml", false));
  CHECK_FALSE(is_ignored(&sub, "sub/keep.yaml", false));  // deeper negation wins
  CHECK(is_ignored(&root_gitignore, "keep.yaml", false));
  CHECK(is_ignored(&sub, "sub/gx.py", false));  // deeper ignore wins over a shallower negation
  CHECK(is_ignored(&sub, "sub/ga.py", false));  // no match in sub: the parent decides
  CHECK_FALSE(is_ignored(&sub, "sub/other.py", false));
  CHECK_FALSE(is_ignored(nullptr, "a.yaml", false));
}

TEST_CASE("gitignore files: missing, unreadable, huge, not regular or symlinked are skipped", "[gitignore]") {
  TempDir dir;
  IgnoreRules rules;
  CHECK_FALSE(add_ignore_file(rules, dir.path / "missing", true));
  CHECK_FALSE(add_ignore_file(rules, dir.path, true));  // a directory
  write(dir.path / "huge", std::string(kMaxIgnoreFileBytes, '\n') + "x.py\n");
  CHECK_FALSE(add_ignore_file(rules, dir.path / "huge", true));
  write(dir.path / "fits", std::string(kMaxIgnoreFileBytes - 5, '\n') + "x.py");
  REQUIRE(::mkfifo((dir.path / "fifo").c_str(), 0600) == 0);
  CHECK_FALSE(add_ignore_file(rules, dir.path / "fifo", true));  // returns at once, no writer needed
  CHECK(rules.empty());
  CHECK(add_ignore_file(rules, dir.path / "fits", true));
  CHECK(rules.match("x.py", false) == IgnoreVerdict::Ignored);

  write(dir.path / "target", "*.py\n");
  fs::create_symlink("target", dir.path / "link");
  IgnoreRules in_tree;
  CHECK_FALSE(add_ignore_file(in_tree, dir.path / "link", false));
  CHECK(in_tree.empty());
  CHECK(add_ignore_file(in_tree, dir.path / "link", true));
  CHECK_FALSE(in_tree.empty());
  if (::geteuid() != 0) {  // root reads anything
    write(dir.path / "private", "*.py\n");
    fs::permissions(dir.path / "private", fs::perms::none);
    IgnoreRules unreadable;
    CHECK_FALSE(add_ignore_file(unreadable, dir.path / "private", true));
  }
}

TEST_CASE("git work trees: .git directory, gitdir file, linked worktree, walking up", "[gitignore]") {
  TempDir dir;
  make_git_dir(dir.path / "repo/.git");
  fs::create_directories(dir.path / "repo/a/b");
  auto tree = git_work_tree_at(dir.path / "repo");
  REQUIRE(tree);
  CHECK(tree->top == dir.path / "repo");
  CHECK(tree->common_dir == dir.path / "repo/.git");
  CHECK_FALSE(git_work_tree_at(dir.path / "repo/a"));
  auto found = find_git_work_tree(dir.path / "repo/a/b");
  REQUIRE(found);
  CHECK(found->top == dir.path / "repo");

  // An empty .git directory is not a repository: the search goes on upwards.
  fs::create_directories(dir.path / "repo/a/.git");
  CHECK_FALSE(git_work_tree_at(dir.path / "repo/a"));
  found = find_git_work_tree(dir.path / "repo/a/b");
  REQUIRE(found);
  CHECK(found->top == dir.path / "repo");

  // A submodule: `.git` is a file naming the git directory, relative to its own directory.
  make_git_dir(dir.path / "repo/.git/modules/sub");
  write(dir.path / "repo/sub/.git", "gitdir: ../.git/modules/sub\n");
  tree = git_work_tree_at(dir.path / "repo/sub");
  REQUIRE(tree);
  CHECK(tree->common_dir == dir.path / "repo/.git/modules/sub");

  // A linked worktree: its git directory names the common one (info/exclude lives there).
  fs::path wt_git = dir.path / "repo/.git/worktrees/wt";
  fs::create_directories(wt_git);
  write(wt_git / "HEAD", "ref: refs/heads/wt\n");
  write(wt_git / "commondir", "../..\n");
  write(dir.path / "wt/.git", "gitdir: " + wt_git.string() + "\r\n");
  tree = git_work_tree_at(dir.path / "wt");
  REQUIRE(tree);
  CHECK(tree->common_dir == dir.path / "repo/.git");

  write(dir.path / "bad/.git", "not a pointer\n");
  CHECK_FALSE(git_work_tree_at(dir.path / "bad"));
  write(dir.path / "dangling/.git", "gitdir: nowhere\n");
  CHECK_FALSE(git_work_tree_at(dir.path / "dangling"));
}
