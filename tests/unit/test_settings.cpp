// Configuration files: keys, errors, discovery, globs.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <unistd.h>

#include "settings/settings.hpp"

using namespace ecolint::settings;
namespace fs = std::filesystem;

namespace {
// The message of the SettingsError that parsing `text` as file `name` throws, or "".
std::string error_of(const std::string& text, const std::string& name) {
  try {
    parse_text(text, name);
  } catch (const SettingsError& e) {
    return e.what();
  }
  return {};
}
}  // namespace

TEST_CASE("YAML configuration keys", "[settings]") {
  auto s = parse_text(
      "select: [ECO001, ECO002]\n"
      "ignore: ECO002\n"
      "per-file-ignores:\n  \"tests/**\": [ECO001]\n"
      "exclude: [build, 'vendor/**']\n"
      "gpu: H100\n"
      "fail-level: error\n"
      "tokens-per-day: 1e9\n"
      "price-per-kwh: 0.2\n"
      "grid-gco2-per-kwh: 350\n"
      "report-unused-suppressions: true\n",
      ".ecolint.yaml");
  CHECK(s.select == std::vector<std::string>{"ECO001", "ECO002"});
  CHECK(s.ignore == std::vector<std::string>{"ECO002"});
  REQUIRE(s.per_file_ignores.size() == 1);
  CHECK(s.per_file_ignores[0].first == "tests/**");
  CHECK(s.exclude == std::vector<std::string>{"build", "vendor/**"});
  CHECK(s.gpu == "H100");
  CHECK(s.fail_level == "error");
  CHECK(*s.tokens_per_day == Approx(1e9));
  CHECK(*s.price_per_kwh == Approx(0.2));
  CHECK(*s.grid_gco2_per_kwh == Approx(350));
  CHECK(s.report_unused_suppressions == true);
}

TEST_CASE("pyproject.toml [tool.ecolint]", "[settings]") {
  auto s = parse_text("[project]\nname='x'\n[tool.ecolint]\nignore = ['ECO003']\nfail-level = 'note'\n"
                      "tokens-per-day = 5000000\n[tool.ecolint.per-file-ignores]\n'scripts/*.py' = ['ECO001']\n",
                      "pyproject.toml");
  CHECK(s.ignore == std::vector<std::string>{"ECO003"});
  CHECK(s.fail_level == "note");
  CHECK(*s.tokens_per_day == Approx(5e6));
  REQUIRE(s.per_file_ignores.size() == 1);
  CHECK(parse_text("[project]\nname='x'\n", "pyproject.toml").fail_level == std::nullopt);
}

TEST_CASE("bad configuration is a clear error", "[settings]") {
  CHECK_THAT(error_of("colour: red\n", ".ecolint.yaml"), Catch::Contains("'colour': unknown setting"));
  CHECK_THAT(error_of("fail-level: loud\n", ".ecolint.yaml"), Catch::Contains("expected note, warning or error"));
  CHECK_THAT(error_of("select: [ECO999]\n", ".ecolint.yaml"), Catch::Contains("unknown rule 'ECO999'"));
  CHECK_THAT(error_of("tokens-per-day: lots\n", ".ecolint.yaml"), Catch::Contains("expected a number"));
  CHECK_THAT(error_of("tokens-per-day: -1\n", ".ecolint.yaml"), Catch::Contains(">= 0"));
  CHECK_THAT(error_of("report-unused-suppressions: maybe\n", ".ecolint.yaml"), Catch::Contains("true or false"));
  CHECK_THAT(error_of("[1, 2]\n", ".ecolint.yaml"), Catch::Contains("expected a mapping"));
  CHECK_THAT(error_of("select: [a\n", ".ecolint.yaml"), Catch::Contains("invalid YAML"));
  CHECK_THAT(error_of("[tool.ecolint]\nselect = \n", "pyproject.toml"), Catch::Contains("invalid TOML"));
  CHECK_THAT(error_of("[tool.ecolint]\ngpu = 3\n", "pyproject.toml"), Catch::Contains("'gpu': expected a string"));
}

TEST_CASE("globs", "[settings]") {
  CHECK(glob_match("*.py", "a/b/c.py"));
  CHECK(glob_match("build", "x/build"));
  CHECK(glob_match("src/*.py", "src/a.py"));
  CHECK_FALSE(glob_match("src/*.py", "src/sub/a.py"));
  CHECK(glob_match("src/**/*.py", "src/sub/deep/a.py"));
  CHECK(glob_match("src/**/*.py", "src/a.py"));
  CHECK(glob_match("**/gen_*.yaml", "a/gen_1.yaml"));
  CHECK(glob_match("./vendor/", "vendor"));
  CHECK(glob_match("data[0-9].py", "data7.py"));
  CHECK_FALSE(glob_match("data[!0-9].py", "data7.py"));
  CHECK(glob_match("?.py", "a.py"));
  CHECK_FALSE(glob_match("?.py", "ab.py"));
  CHECK(any_glob_matches({"vendor"}, "vendor/lib/x.py"));
  CHECK(any_glob_matches({"vendor/**"}, "vendor/lib/x.py"));
  CHECK_FALSE(any_glob_matches({"vendor"}, "src/vendored.py"));
}

TEST_CASE("discovery walks up to the work tree's top", "[settings]") {
  fs::path root = fs::temp_directory_path() / ("ecolint-settings-" + std::to_string(::getpid()));
  fs::remove_all(root);
  fs::create_directories(root / "repo/.git");
  fs::create_directories(root / "repo/pkg/sub");
  std::ofstream(root / ".ecolint.yaml") << "gpu: A100\n";  // outside the repo: never found
  std::ofstream(root / "repo/pkg/sub/x.py") << "x = 1\n";
  CHECK_FALSE(discover((root / "repo/pkg/sub/x.py").string()));

  std::ofstream(root / "repo/pyproject.toml") << "[project]\nname = 'x'\n";  // no table: skipped
  CHECK_FALSE(discover((root / "repo/pkg/sub").string()));
  std::ofstream(root / "repo/pyproject.toml") << "[tool.ecolint]\ngpu = 'H100'\n";
  auto found = discover((root / "repo/pkg/sub/x.py").string());
  REQUIRE(found);
  CHECK(fs::path(*found).filename() == "pyproject.toml");
  auto s = load_file(*found);
  CHECK(s.gpu == "H100");
  CHECK(fs::path(s.root) == fs::path(root / "repo").lexically_normal());

  std::ofstream(root / "repo/pkg/.ecolint.yaml") << "gpu: T4\n";
  found = discover((root / "repo/pkg/sub").string());
  REQUIRE(found);
  CHECK(fs::path(*found) == root / "repo/pkg/.ecolint.yaml");
  fs::remove_all(root);
}

// Found by fuzzing: toml++ 3.3 reaches an "unreachable" branch on some non-ASCII characters
// outside strings. Only [tool.ecolint] is parsed, and non-ASCII outside its strings is refused.
TEST_CASE("pyproject.toml: only [tool.ecolint] is parsed, non-ASCII outside strings is refused", "[settings][regress]") {
  const std::string crash("[\xc9\xbf\0\0\0\0\\c: : [cE ", 17);
  CHECK_FALSE(parse_text(crash, "pyproject.toml").select);
  auto s = parse_text("[project]\nauthors = [\xc9\xbf]\n[tool.ecolint]\n# caf\xc3\xa9\nselect = ['ECO001']  # \xc3\xa9\n"
                      "exclude = [\"d\xc3\xa9j\xc3\xa0/**\"]\n",
                      "pyproject.toml");
  CHECK(s.select == std::vector<std::string>{"ECO001"});
  std::string message;
  try {
    parse_text("[project]\nname = 'x'\n[tool.ecolint]\nselect = [\xc9\xbf]\n", "pyproject.toml");
  } catch (const SettingsError& e) {
    message = e.what();
  }
  CHECK_THAT(message, Catch::Contains("pyproject.toml:4: invalid TOML: non-ASCII character outside a string"));
}

TEST_CASE("configuration errors name the file and the line", "[settings]") {
  CHECK_THAT(error_of("select: [ECO001]\ncolour: red\n", ".ecolint.yaml"), Catch::StartsWith(".ecolint.yaml:2: 'colour'"));
  CHECK_THAT(error_of("[tool.ecolint]\nselect = ['ECO001']\nfail-level = 'loud'\n", "pyproject.toml"),
             Catch::StartsWith("pyproject.toml:3: 'fail-level': expected note, warning or error"));
}
