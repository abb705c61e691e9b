// The one glob engine (base/glob.hpp) as configuration excludes, per-file-ignores and --exclude use
// it (settings::PathGlobs), including the patterns that made the old backtracking matcher hang.
#include <catch2/catch.hpp>

#include <chrono>
#include <functional>
#include <string>

#include "base/glob.hpp"
#include "settings/settings.hpp"

using ecolint::Glob;
using ecolint::settings::PathGlobs;
using ecolint::settings::glob_match;

namespace {

double seconds_for(const std::function<void()>& f) {
  auto t0 = std::chrono::steady_clock::now();
  f();
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

#ifdef ECOLINT_SANITIZED
constexpr double kSlack = 10;  // ASan and UBSan slow everything down; the bound is for a hang
#else
constexpr double kSlack = 1;
#endif

}  // namespace

// Issue 15: `exclude: ["*a*a*a*a*a*a*a*a*a*a*b"]` and a file named with 60 `a`s hung the run
// (settings::match_from backtracked: x5.5 per extra `*a`). The same engine now serves git's
// ignore files and the configuration.
TEST_CASE("regression: a glob of many stars against a long name does not backtrack", "[glob][regress]") {
  std::string name(60, 'a');
  std::string pattern;
  for (int i = 0; i < 10; ++i) pattern += "*a";
  pattern += "*b";
  double t = seconds_for([&] {
    CHECK_FALSE(glob_match(pattern, name + ".py"));
    CHECK_FALSE(PathGlobs({pattern}).matches("dir/" + name + ".py"));
    CHECK(glob_match(pattern, name + "b"));
    std::string many;
    for (int i = 0; i < 200; ++i) many += "*a";
    CHECK_FALSE(PathGlobs({many + "*b"}).matches(std::string(5000, 'a')));
    CHECK_FALSE(PathGlobs({"**/" + many + "/**/b"}).matches(std::string(3000, 'a') + "/" + std::string(2000, 'a')));
  });
  CHECK(t < 2.0 * kSlack);
}

TEST_CASE("path globs: the configuration's forms", "[glob]") {
  CHECK(glob_match("*.py", "a/b/c.py"));          // no '/': the name at any depth
  CHECK(glob_match("build", "x/build"));
  CHECK_FALSE(glob_match("build", "x/build2"));
  CHECK(glob_match("./vendor/", "vendor"));       // ./, a leading / and a trailing / are dropped
  CHECK(glob_match("/vendor", "vendor"));
  CHECK_FALSE(glob_match("", "anything"));
  CHECK_FALSE(glob_match("./", "anything"));
  CHECK(PathGlobs({"vendor"}).matches("vendor/lib/x.py"));  // a matching directory covers its files
  CHECK(PathGlobs({"src/gen"}).matches("src/gen/a/b.py"));
  CHECK_FALSE(PathGlobs({"src/gen"}).matches("x/src/gen/b.py"));  // with '/': from the root only
  CHECK(PathGlobs({"a", "b/**"}).matches("b/c"));
  CHECK_FALSE(PathGlobs(std::vector<std::string>{}).matches("a"));
  CHECK(PathGlobs({"*"}).matches("anything/at/all.py"));
}

// What changed when the configuration's globs moved to the gitignore engine (README, Configuration).
TEST_CASE("path globs follow gitignore's syntax", "[glob]") {
  // `**` spans directories only as a whole segment; elsewhere it is a `*`.
  CHECK(glob_match("src/**/*.py", "src/a.py"));
  CHECK(glob_match("src/**/*.py", "src/x/y/a.py"));
  CHECK(glob_match("**/gen_*.yaml", "a/gen_1.yaml"));
  CHECK(glob_match("src/**", "src/x/y.py"));
  CHECK_FALSE(glob_match("src/**.py", "src/x/y.py"));  // was a match before: `**` inside a segment
  CHECK(glob_match("src/**.py", "src/y.py"));
  // A backslash escapes the next character.
  CHECK(glob_match("a\\*b.py", "a*b.py"));
  CHECK_FALSE(glob_match("a\\*b.py", "axb.py"));
  // Classes: ranges, negation with ! or ^, POSIX names; never '/'.
  CHECK(glob_match("data[0-9].py", "data7.py"));
  CHECK_FALSE(glob_match("data[!0-9].py", "data7.py"));
  CHECK_FALSE(glob_match("data[^0-9].py", "data7.py"));
  CHECK(glob_match("data[[:digit:]].py", "data7.py"));
  CHECK_FALSE(glob_match("a[/]b", "a/b"));
  // A malformed class never matches (it matched whatever followed before).
  CHECK_FALSE(glob_match("data[0-9", "data7"));
  CHECK(glob_match("?.py", "a.py"));
  CHECK_FALSE(glob_match("?.py", "ab.py"));
  CHECK_FALSE(glob_match("a?b", "a/b"));
}

TEST_CASE("Glob: huge patterns and texts stay linear", "[glob]") {
  double t = seconds_for([&] {
    Glob stars(std::string(100000, '*') + "x");
    CHECK(stars.matches(std::string(100000, 'y') + "x"));
    CHECK_FALSE(stars.matches(std::string(100000, 'y')));
    Glob questions(std::string(50000, '?'));
    CHECK(questions.matches(std::string(50000, 'q')));
    CHECK_FALSE(questions.matches(std::string(49999, 'q')));
  });
  CHECK(t < 10.0 * kSlack);
}
